"""The last check before the order is written: photo, numbers, confirm."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout

from ..widgets import button, label
from .base import Screen, BackRow, PhotoLabel


class ConfirmScreen(Screen):
    name = "approved"
    confirmed = Signal()
    back = Signal()
    restart = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.column.addWidget(label(self.tr("请核对"), "title"))
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.setSpacing(40)
        self.photo = PhotoLabel()
        body.addWidget(self.photo, 2)
        self.details = label("", "body", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.details.setObjectName("confirmDetails")
        self.details.setStyleSheet("font-size: 50px;")
        body.addWidget(self.details, 3)
        self.body_layout = body
        self.column.addLayout(body, 1)
        self.go = button(self.tr("没有问题，确认"), object_name="confirmButton")
        self.go.setMinimumHeight(130)
        self.go.clicked.connect(self.confirmed)
        self.column.addWidget(self.go)
        nav = BackRow()
        nav.back.connect(self.back)
        nav.restart.connect(self.restart)
        self.column.addWidget(nav)

    def show_summary(self, photo: np.ndarray | None, lines: list[str]) -> None:
        self.photo.set_photo(photo)
        self.details.setText("\n".join(lines))

    def clear_personal(self) -> None:
        self.photo.set_photo(None)
        self.details.setText("")
