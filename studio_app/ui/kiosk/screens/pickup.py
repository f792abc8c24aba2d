"""The pick-up code when there is no printer (or it failed)."""

from __future__ import annotations

from PySide6.QtCore import Signal

from ..widgets import button, label, PRIMARY
from .base import Screen


class PickupScreen(Screen):
    name = "pickup"
    TITLE_SIDE_MARGIN = 0
    done = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.column.addStretch(1)
        self.title = label(self.tr("请到柜台取照片"), "title")
        self.column.addWidget(self.title)
        self.column.addWidget(label(self.tr("告诉工作人员这个取件号码："), "body"))
        self.code = label("", "huge")
        self.code.setObjectName("pickupCode")
        self.code.setStyleSheet(f"font-size: 180px; font-weight: bold; color: {PRIMARY}; letter-spacing: 12px;")
        self.column.addWidget(self.code)
        self.note = label("", "body")
        self.column.addWidget(self.note)
        self.column.addStretch(1)
        self.ok = button(self.tr("记住了，完成"), object_name="pickupDone")
        self.ok.setMinimumHeight(130)
        self.ok.clicked.connect(self.done)
        self.column.addWidget(self.ok)

    def show_code(self, code: str, note: str = "") -> None:
        self.code.setText(code)
        self.note.setText(note)

    def clear_personal(self) -> None:
        self.code.setText("")
        self.note.setText("")
