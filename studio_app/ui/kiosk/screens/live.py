"""The live screen: the guide view, the spoken/printed hint and the 3-2-1 countdown."""

from __future__ import annotations

from PySide6.QtCore import Signal

from ..widgets import BAD, GOOD, label, WARN
from .base import Screen, BackRow
from .guide_view import GuideView


class LiveScreen(Screen):
    name = "live"
    back = Signal()
    restart = Signal()

    HINT_COLOURS = {"good": GOOD, "adjust": WARN, "bad": BAD}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.column.setContentsMargins(32, 24, 32, 32)
        self.column.setSpacing(20)
        self.title = label(self.tr("请看着屏幕上方的摄像头"), "title")
        self.title.setStyleSheet("font-size: 52px; font-weight: bold;")
        self.column.addWidget(self.title)
        self.view = GuideView()
        self.column.addWidget(self.view, 1)
        self.hint = label("", "body")
        self.hint.setObjectName("hintLabel")
        self.hint.setMinimumHeight(120)
        self.column.addWidget(self.hint)
        self.set_hint(self.tr("请坐正，把脸放进框里"), "adjust")
        nav = BackRow()
        nav.back.connect(self.back)
        nav.restart.connect(self.restart)
        self.column.addWidget(nav)

    def set_hint(self, text: str, state: str = "adjust") -> None:
        colour = self.HINT_COLOURS.get(state, WARN)
        self.hint.setText(text)
        self.hint.setStyleSheet(
            f"font-size: 64px; font-weight: bold; color: #FFFFFF; background: {colour};"
            "border-radius: 16px; padding: 16px;")
        self.view.state = state
        self.view.update()

    def hint_text(self) -> str:
        return self.hint.text()

    def set_spec(self, spec) -> None:
        """Draw the oval for this document (its head size and position)."""
        self.view.set_spec(spec)

    def set_countdown(self, n: int | None) -> None:
        self.view.countdown = n
        self.view.update()

    def clear_personal(self) -> None:
        self.view.set_frame(None)
        self.set_countdown(None)
