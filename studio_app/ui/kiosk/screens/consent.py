"""The privacy notice the customer agrees to before anything is photographed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel

from ... import safe_override
from ..widgets import button, label
from .base import Screen

#: the notice's type size: the largest that shows the whole text (longer English on a 1280x800
#: screen gets a smaller one; never below the smallest)
TEXT_PX = (40, 38, 36, 34, 32, 30, 28)


class ConsentScreen(Screen):
    name = "consent"
    accepted = Signal()
    declined = Signal()

    def __init__(self, retention_days: int = 90, studio_name: str = "", parent=None):
        super().__init__(parent)
        self.column.addWidget(label(self.tr("拍照前请您知悉"), "title"))
        items = [
            self.tr("本机会拍摄您的面部照片，用来制作证件照和照片回执。"),
            self.tr("面部照片属于敏感个人信息。照片和您输入的号码只保存在本店电脑里，不上传网络，"
                    "{days} 天后自动删除。").format(days=retention_days),
            self.tr("如果您中途离开或不再操作，本机会马上删除这次拍的照片和输入的号码。"),
            self.tr("您可以不同意。不同意，本机就不拍照。"),
        ]
        self.text = "\n".join(items)
        html = "".join(f'<p style="margin-bottom:18px">{i + 1}. {t}</p>' for i, t in enumerate(items))
        body = QLabel(html)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)
        body.setObjectName("consentText")
        body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        body.setMaximumWidth(1500)
        self.body = body
        self.text_px = 0
        self._set_text_px(TEXT_PX[0])
        holder = QHBoxLayout()
        holder.addStretch(1)
        holder.addWidget(body, 20)
        holder.addStretch(1)
        self.column.addLayout(holder, 1)
        if studio_name:
            self.column.addWidget(label(self.tr("个人信息处理者：{name}").format(name=studio_name), "small"))
        row = QHBoxLayout()
        row.setSpacing(32)
        self.no = button(self.tr("不同意"), "secondary", object_name="declineButton")
        self.yes = button(self.tr("同意，开始拍照"), object_name="acceptButton")
        self.no.clicked.connect(self.declined)
        self.yes.clicked.connect(self.accepted)
        row.addWidget(self.no, 2)
        row.addWidget(self.yes, 3)
        self.column.addLayout(row)

    def _set_text_px(self, px: int) -> None:
        if px != self.text_px:
            self.text_px = px
            self.body.setStyleSheet(f"font-size: {px}px;")

    def fit_text(self) -> None:
        """Pick the largest type size at which the whole notice fits the room the layout gives it."""
        width, room = self.body.width(), self.body.height()
        if width <= 1 or room <= 1:
            return
        for px in TEXT_PX:
            self._set_text_px(px)
            if self.body.heightForWidth(width) <= room:
                return

    @safe_override
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_text()

    @safe_override
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.fit_text()
