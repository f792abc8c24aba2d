"""A number-pad screen (ID number, phone number)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout

from ..widgets import BAD, button, label, NumPad
from .base import Screen, BackRow


class NumberScreen(Screen):
    """Enter an ID number or a phone number on the on-screen pad."""

    submitted = Signal(str)
    skipped = Signal()
    back = Signal()
    restart = Signal()

    def __init__(self, name: str, title: str, max_length: int, allow_x: bool, note: str = "",
                 skippable: bool = False, parent=None):
        super().__init__(parent)
        self.name = name
        self.column.setSpacing(16)
        self.column.addWidget(label(title, "title"))
        # the note and the error beside the pad in landscape (a 1280x800 screen has no room for
        # them above and below it), above it in portrait: Screen.set_portrait turns body_layout
        words = QVBoxLayout()
        words.setSpacing(16)
        words.addStretch(1)
        if note:
            hint = label(note, "small")
            hint.setStyleSheet("font-size: 34px; color: #333333;")
            words.addWidget(hint)
        self.error = label("", "body")
        self.error.setObjectName("numberError")
        self.error.setStyleSheet(f"font-size: 34px; color: {BAD}; font-weight: bold;")
        words.addWidget(self.error)
        words.addStretch(1)
        self.pad = NumPad(max_length, allow_x=allow_x, submit_text=self.tr("确定"))
        self.pad.setMaximumWidth(900)
        self.pad.submitted.connect(self.submitted)
        self.pad.changed.connect(lambda _v: self.error.setText(""))
        self.body_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body_layout.setSpacing(32)
        self.body_layout.addLayout(words, 1)
        self.pad_row = self.pad_holder(self.pad)
        self.body_layout.addLayout(self.pad_row, 1)
        self.column.addLayout(self.body_layout, 1)
        self.skip = None
        if skippable:
            self.skip = button(self.tr("不填，跳过"), "secondary", object_name=f"{name}Skip")
            self.skip.clicked.connect(self.skipped)
        nav = BackRow(middle=self.skip)
        nav.back.connect(self.back)
        nav.restart.connect(self.restart)
        self.column.addWidget(nav)

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def clear_personal(self) -> None:
        self.pad.clear()
        self.error.setText("")
