"""The "are you still there?" overlay before an idle session is wiped."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ..widgets import button, label


class IdleOverlay(QWidget):
    """Covers the screen during the idle warning: "are you still there?" with a countdown."""

    keep = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setObjectName("idleOverlay")
        self.setStyleSheet("QWidget#idleOverlay { background: rgba(0, 0, 0, 200); }")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QWidget()
        card.setObjectName("idleCard")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        card.setStyleSheet("QWidget#idleCard { background: #FFFFFF; border-radius: 24px; }")
        col = QVBoxLayout(card)
        col.setContentsMargins(48, 48, 48, 48)
        col.setSpacing(24)
        col.addWidget(label(self.tr("您还在吗？"), "title"))
        self.count = label("", "body")
        self.count.setObjectName("idleCount")
        self.count.setStyleSheet("font-size: 44px;")
        col.addWidget(self.count)
        self.keep_button = button(self.tr("我还在，继续"), object_name="idleKeep")
        self.keep_button.setMinimumHeight(140)
        self.keep_button.clicked.connect(self.keep)
        col.addWidget(self.keep_button)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 6)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.hide()

    def set_seconds(self, seconds: int) -> None:
        self.count.setText(self.tr("{n} 秒后结束，\n并删除这次的照片和号码").format(n=max(0, seconds)))
