"""The corrected photo with pass / retake and the reasons in plain words."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout

from ..widgets import BAD, button, GOOD, label
from .base import Screen, BackRow, PhotoLabel


class ResultScreen(Screen):
    name = "review"
    use_photo = Signal()
    retake = Signal()
    restart = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = label("", "title")
        self.column.addWidget(self.title)
        body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.setSpacing(40)
        self.photo = PhotoLabel()
        body.addWidget(self.photo, 2)
        self.reasons = label("", "body", align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.reasons.setObjectName("reasonsLabel")
        self.reasons.setStyleSheet("font-size: 52px;")
        body.addWidget(self.reasons, 3)
        self.body_layout = body
        self.column.addLayout(body, 1)
        self.left = label("", "small")
        self.left.setStyleSheet("font-size: 40px; font-weight: bold; color: #333333;")
        self.column.addWidget(self.left)
        row = QHBoxLayout()
        row.setSpacing(32)
        self.retake_button = button(self.tr("再拍一次"), "secondary", object_name="retakeButton")
        self.use_button = button(self.tr("就用这张"), object_name="useButton")
        self.retake_button.clicked.connect(self.retake)
        self.use_button.clicked.connect(self.use_photo)
        row.addWidget(self.retake_button, 1)
        row.addWidget(self.use_button, 1)
        self.column.addLayout(row)
        self.restart_row = BackRow(show_back=False)
        self.restart_row.restart.connect(self.restart)
        self.column.addWidget(self.restart_row)

    def show_result(self, photo: np.ndarray | None, ok: bool, reasons: list[str], retries_left: int) -> None:
        self.photo.set_photo(photo)
        if ok:
            self.title.setText(self.tr("照片合格"))
            self.title.setStyleSheet(f"font-size: 64px; font-weight: bold; color: {GOOD};")
            self.reasons.setText(self.tr("满意的话，请按“就用这张”。\n不满意可以再拍一次。"))
        else:
            self.title.setText(self.tr("这张不合格，请再拍一次"))
            self.title.setStyleSheet(f"font-size: 64px; font-weight: bold; color: {BAD};")
            lines = [f"• {r}" for r in reasons[:3]] or [self.tr("• 请坐正，看着摄像头")]
            self.reasons.setText(self.tr("请这样调整：") + "\n" + "\n".join(lines))
        self.use_button.setVisible(ok)
        self.retake_button.setEnabled(retries_left > 0)
        self.retake_button.setProperty("kind", "secondary" if ok else "primary")
        self.retake_button.style().unpolish(self.retake_button)
        self.retake_button.style().polish(self.retake_button)
        self.left.setText(self.tr("还可以再拍 {n} 次").format(n=retries_left) if retries_left > 0
                          else self.tr("已经不能再拍了"))

    def clear_personal(self) -> None:
        self.photo.set_photo(None)
