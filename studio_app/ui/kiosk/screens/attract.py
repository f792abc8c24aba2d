"""The attract screen: one big button, and the hidden corner that opens the admin PIN."""

from __future__ import annotations

from PySide6.QtCore import Signal

from ..widgets import button, label
from .base import Screen


class AttractScreen(Screen):
    name = "attract"
    TITLE_SIDE_MARGIN = 0  # the title sits mid-screen, away from the mute button
    start = Signal()

    def __init__(self, studio_name: str = "", parent=None):
        super().__init__(parent)
        self.column.addStretch(2)
        self.title = label(self.tr("自助证件照"), "title")
        self.title.setStyleSheet("font-size: 96px; font-weight: bold;")
        self.column.addWidget(self.title)
        self.sub = label(self.tr("社保卡、身份证、驾驶证等证件照\n拍照、检查、打印，一步一步跟着做"), "body")
        self.column.addWidget(self.sub)
        self.column.addStretch(1)
        self.go = button(self.tr("点这里开始"), object_name="startButton")
        self.go.setMinimumHeight(160)
        self.go.setStyleSheet("font-size: 64px;")
        self.go.clicked.connect(self.start)
        self.column.addWidget(self.go)
        self.column.addStretch(1)
        if studio_name:
            self.column.addWidget(label(studio_name, "small"))

    #: the hidden admin corner (top-left) does not start a session
    corner_px = 120

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - a touch anywhere starts
        pos = self.mapTo(self.window(), event.position().toPoint())
        if pos.x() < self.corner_px and pos.y() < self.corner_px:
            return
        self.start.emit()
