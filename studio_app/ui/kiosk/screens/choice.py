"""A screen of large choice tiles (variants of a document)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from ..widgets import button, label
from .base import Screen, BackRow, _text_width


class ChoiceScreen(Screen):
    """A title, a note and a grid of big buttons (the city, or which exam / which size)."""

    chosen = Signal(str, str)  # value, extra (for cities: city, province; "" = other city)
    back = Signal()
    restart = Signal()

    def __init__(self, name: str, title: str, note: str = "", parent=None):
        super().__init__(parent)
        self.name = name
        self.title = label(title, "title")
        self.column.addWidget(self.title)
        self.note = label(note, "body")
        self.note.setVisible(bool(note))
        self.column.addWidget(self.note)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(24)
        self.column.addWidget(self.grid_host, 1)
        nav = BackRow()
        nav.back.connect(self.back)
        nav.restart.connect(self.restart)
        self.column.addWidget(nav)
        self.buttons: dict[str, object] = {}
        self._choices: list[tuple[str, str, str]] = []
        self._portrait = False

    def set_portrait(self, portrait: bool) -> None:
        super().set_portrait(portrait)
        if portrait != self._portrait:
            self._portrait = portrait
            self.set_choices(self._choices)

    def set_choices(self, choices: list[tuple[str, str, str]]) -> None:
        """``[(label, value, extra)]`` in order."""
        self._choices = list(choices)
        while self.grid.count():
            item = self.grid.takeAt(0)
            old = item.widget()
            if old is not None:  # gone at once, not at the next turn of the event loop
                old.hide()
                old.setParent(None)
                old.deleteLater()
        self.buttons = {}
        # two columns only when every label fits half the width at full size; a label still too
        # long for its button gets a smaller type (never below 34 px) instead of being cut off
        top = self.window()
        width = top.width() if top is not self else (1080 if self._portrait else 1920)
        full = width - 2 * 48 - 2 * 40  # screen margins, button borders and padding
        made = [(button(text, "secondary", object_name=f"{self.name}_{value or 'other'}"), text, value, extra)
                for text, value, extra in choices]
        columns = 1 if len(choices) <= 3 else 2
        if columns == 2 and any(_text_width(b, t, 48) > (full - 24) / 2 for b, t, _v, _e in made):
            columns = 1
        room = (full - 24 * (columns - 1)) / columns
        for i, (btn, text, value, extra) in enumerate(made):
            btn.setMinimumHeight(130)
            size = 48
            while size > 34 and _text_width(btn, text, size) > room:
                size -= 2
            btn.setStyleSheet(f"font-size: {size}px;")
            btn.clicked.connect(lambda _=False, v=value, e=extra: self.chosen.emit(v, e))
            self.buttons[value] = btn
            self.grid.addWidget(btn, i // columns, i % columns)
