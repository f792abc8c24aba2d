"""The applicant's city (receipts differ by city): a choice screen of cities."""

from __future__ import annotations

from ..widgets import button
from .choice import ChoiceScreen


class CityScreen(ChoiceScreen):
    def __init__(self, parent=None):
        super().__init__("choose_city", "", "x", parent)
        self.title.setText(self.tr("请选择办理证件的城市"))
        self.note.setText(self.tr("不同城市的回执不一样。请选您领卡的城市，\n例如选“深圳市”，不要选“广东省”。"))

    def set_cities(self, cities: list[tuple[str, str]]) -> None:
        """``[(city, province)]``; an "other city" button is always added last."""
        self.set_choices([(c, c, p) for c, p in cities] + [(self.tr("其他城市"), "", "")])
