"""The operator window's last page: the finished photo, the receipt number, the files, print and
next-customer buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class DonePanel(QWidget):
    """After output: the photo, the receipt number, the files, print and next-customer buttons."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        from .review import ImageView

        self.photo = ImageView(background=self.palette().window().color())
        self.photo.setMinimumSize(260, 320)
        self.title = QLabel()
        self.title.setObjectName("doneTitle")
        self.title.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("doneSummary")
        self.summary.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("color: #555;")
        self.print_sheet = QPushButton(self.tr("打印照片排版 (Ctrl+P)"))
        self.print_mixed = QPushButton(self.tr("混排版面打印（1寸 + 2寸 …）"))
        self.print_receipt = QPushButton(self.tr("打印回执"))
        self.open_folder = QPushButton(self.tr("打开输出文件夹"))
        self.next = QPushButton(self.tr("下一位顾客 (N)"))
        self.next.setObjectName("approveButton")
        for b in (self.print_sheet, self.print_mixed, self.print_receipt, self.open_folder):
            b.setMinimumHeight(40)
        buttons = QVBoxLayout()
        for b in (self.print_sheet, self.print_mixed, self.print_receipt, self.open_folder):
            buttons.addWidget(b)
        buttons.addSpacing(16)
        buttons.addWidget(self.next)
        info = QVBoxLayout()
        info.addStretch(1)
        info.addWidget(self.title)
        info.addWidget(self.summary)
        info.addWidget(self.detail)
        info.addSpacing(24)
        info.addLayout(buttons)
        info.addStretch(2)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(40, 30, 40, 30)
        lay.addWidget(self.photo, 2)
        lay.addSpacing(30)
        lay.addLayout(info, 3)

    def show_record(self, record, rejected: bool, photo=None, applicant=None, spec=None, lang: str = "zh_CN") -> None:
        if rejected:
            self.title.setText(self.tr("已登记为不合格：%1").replace("%1", record.receipt_no))
        else:
            self.title.setText(self.tr("已完成：回执号 %1").replace("%1", record.receipt_no))
        parts = []
        if applicant is not None and applicant.name:
            parts.append(applicant.name)
        order = (record.extra or {}).get("order")
        documents = getattr(order, "items", ()) or ()
        if len(documents) > 1 and not rejected:  # one capture, several documents: each with its image number
            from ..specs import default_library

            names = {s.id: s.name(lang) for s in default_library()}
            parts.append(" + ".join(names.get(d.spec_id, d.spec_id) for d in documents))
        elif spec is not None:
            parts.append(spec.name(lang))
        if applicant is not None and applicant.city:
            parts.append(applicant.city)
        image_no = (record.extra or {}).get("image_no")
        if len(documents) > 1 and not rejected:
            parts.append(self.tr("图像号 %1").replace("%1", "、".join(d.image_no for d in documents)))
        elif image_no:
            parts.append(self.tr("图像号 %1").replace("%1", image_no))
        self.summary.setText(" · ".join(parts))
        files = [p for p in (record.photo_path, record.sheet_path, record.receipt_path) if p]
        if len(documents) > 1 and not rejected:
            files = [d.photo_path for d in documents if d.photo_path] + [p for p in (record.receipt_path,) if p]
        self.detail.setText("\n".join(str(p) for p in files) or self.tr("（未生成文件）"))
        self.photo.set_image(photo)
        self.print_sheet.setEnabled(bool(record.sheet_path or record.photo_path) and not rejected)
        self.print_receipt.setEnabled(bool(record.receipt_path) and not rejected)
        self.print_mixed.setEnabled(photo is not None and not rejected)
        self.open_folder.setEnabled(bool(record.folder))
