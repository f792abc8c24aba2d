"""A one-sentence screen (processing, printing, thanks, failsafe, staff ...)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal

from ..widgets import button, INK, label, PRIMARY
from .base import Screen


class MessageScreen(Screen):
    """A title and one or two sentences, optionally a big button (processing, staff, thanks...)."""

    TITLE_SIDE_MARGIN = 0  # the title sits mid-screen, away from the mute button
    acted = Signal()

    def __init__(self, name: str, title: str, body: str = "", action: str = "", parent=None,
                 title_colour: str = INK, busy: bool = False):
        super().__init__(parent)
        self.name = name
        self.column.addStretch(2)
        self.title = label(title, "title")
        self.title.setStyleSheet(f"font-size: 80px; font-weight: bold; color: {title_colour};")
        self.column.addWidget(self.title)
        self.body = label(body, "body")
        self.body.setStyleSheet("font-size: 44px;")
        self.column.addWidget(self.body)
        self.dots = None
        if busy:  # moving dots: the machine is working, not frozen
            self.dots = label("", "body")
            self.dots.setStyleSheet(f"font-size: 72px; color: {PRIMARY};")
            self.column.addWidget(self.dots)
            self._step = 0
            self._timer = QTimer(self)
            self._timer.setInterval(400)
            self._timer.timeout.connect(self._tick)
        self.column.addStretch(1)
        self.action = None
        if action:
            self.action = button(action, object_name=f"{name}Action")
            self.action.setMinimumHeight(130)
            self.action.clicked.connect(self.acted)
            self.column.addWidget(self.action)
        self.column.addStretch(1)

    def set_body(self, text: str) -> None:
        self.body.setText(text)

    def _tick(self) -> None:
        self._step = (self._step + 1) % 5
        self.dots.setText(" ".join("●" if i <= self._step else "○" for i in range(5)))

    def showEvent(self, event) -> None:  # noqa: N802
        if self.dots is not None:
            self._step = -1
            self._tick()
            self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        if self.dots is not None:
            self._timer.stop()
        super().hideEvent(event)
