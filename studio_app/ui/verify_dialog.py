"""The operator window's receipt check (Ctrl+Shift+V): a USB barcode scanner types the receipt's QR
into the field and presses Enter; the verdict appears in big coloured text with what the clerk
compares with the person (masked name, document, city, date, status) and the order's STORED photo,
large. The field is cleared for the next scan, and the customer's details and photo after
``clear_after_s`` without a scan or a key (``Settings.verify_clear_seconds``, 60 s): the next person
at the counter does not see the last one's face. The logic is
:func:`studio_app.services.receipt_check.check_receipt`, the same as ``studio-app receipt verify``."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from .. import messages
from ..errors import StudioError
from ..services.receipt_check import DETAIL_KEYS, PHOTO_STATUSES, check_receipt
from .history import status_text

COLOURS = {"valid": "#1b7f3b", "legacy": "#b26a00", "number": "#c62828", "tampered": "#c62828",
           "unknown": "#c62828"}
PHOTO_HEIGHT = 420  # px: large enough to compare a face across the counter
MAX_SCAN = 512  # a receipt QR is < 300 characters; a scanner stuck on a key stops here
CLEAR_AFTER_S = 60.0  # default: the last customer's details and photo go after a minute untouched


class VerifyDialog(QDialog):
    def __init__(self, store, parent=None, lang: str = "zh_CN", clear_after_s: float | None = CLEAR_AFTER_S):
        super().__init__(parent)
        self.store = store
        self.lang = lang
        self.last = None  # the last ReceiptCheck (tests, screenshots)
        # single shot, restarted by every scan and key: fires only after that long without activity
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.clear_result)
        self._clears = bool(clear_after_s)
        if clear_after_s:
            self.idle_timer.setInterval(max(1, int(clear_after_s * 1000)))
        self.setWindowTitle(self.tr("核验回执"))
        self.setObjectName("verifyDialog")
        self.scan = QLineEdit()
        self.scan.setObjectName("verifyScan")
        self.scan.setMaxLength(MAX_SCAN)
        # a Chinese input method left on would swallow the scanner's letters into its composition
        self.scan.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.scan.setPlaceholderText(self.tr("用扫码枪扫描回执上的二维码（或输入回执号后按回车）"))
        self.scan.returnPressed.connect(self.check_scanned)
        self.scan.textEdited.connect(self._touch)  # a bound method: a lambda holding self would keep it alive
        self.verdict = QLabel()
        self.verdict.setObjectName("verifyVerdict")
        self.reasons = QLabel()
        self.reasons.setObjectName("verifyReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        labels = {"receipt_no": self.tr("回执号："), "name": self.tr("姓名："), "doc_type": self.tr("证件："),
                  "documents": self.tr("全部证件："),
                  "id_masked": self.tr("证件号码："), "city": self.tr("城市："), "date": self.tr("日期："),
                  "status": self.tr("状态：")}
        for key in DETAIL_KEYS:
            value = QLabel("—")
            value.setObjectName(f"verify_{key}")
            value.setStyleSheet("font-size: 18px;")
            self.fields[key] = value
            form.addRow(labels[key], value)
        self.photo = QLabel()
        self.photo.setObjectName("verifyPhoto")
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setFixedSize(int(PHOTO_HEIGHT * 0.8), PHOTO_HEIGHT)
        self.photo.setStyleSheet("border: 1px solid #bbb; background: #f4f4f4; color: #777;")
        note = QLabel(self.tr("请核对本人与存档照片、姓名：签名有效只证明回执是本店出具的，不证明持有人就是本人。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        close = QPushButton(self.tr("关闭"))
        close.setAutoDefault(False)  # Enter from the scanner must check, not close the dialog
        close.clicked.connect(self.reject)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.verdict)
        ll.addWidget(self.reasons)
        ll.addLayout(form)
        ll.addStretch(1)
        ll.addWidget(note)
        body = QHBoxLayout()
        body.addWidget(left, 1)
        body.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        root = QVBoxLayout(self)
        root.addWidget(self.scan)
        root.addLayout(body, 1)
        root.addLayout(buttons)
        self.resize(900, 560)
        self.clear_result()
        self.scan.setFocus()

    def _touch(self, _text: str = "") -> None:
        """Activity at the counter: the idle clear starts counting again (when it is on)."""
        if self._clears:
            self.idle_timer.start()

    def clear_result(self) -> None:
        """Back to "waiting for a scan": no verdict, no details, no photo of the last customer."""
        self.idle_timer.stop()
        self.last = None
        self.verdict.setText(self.tr("等待扫码"))
        self.verdict.setProperty("status", None)
        self.verdict.setStyleSheet("font-size: 34px; font-weight: bold; color: #555;")
        self.reasons.clear()
        self._show_details(None)
        self.photo.setPixmap(QPixmap())
        self.photo.setText("")

    def check_scanned(self) -> None:
        """Enter from the scanner: check the text exactly as typed, show the result, clear the field."""
        text = self.scan.text()
        self.scan.clear()
        self.scan.setFocus()
        if not text.strip():
            return
        self._touch()
        try:
            checked = check_receipt(text, self.store, scanned=True)
        except StudioError as exc:  # the store cannot be read: say so, show nothing of any order
            self.last = None
            self._show_head("unknown", self.tr("无法核验"), exc.message(self.lang))
            self._show_details(None)
            self._show_photo(None, "unknown")
            return
        self.last = checked
        head = messages.text(f"receipts.verify.{checked.status}", self.lang)
        reasons = checked.verdict.message(self.lang)
        self._show_head(checked.status, head, reasons[len(head):].lstrip("：: "))
        self._show_details(checked.details)
        self._show_photo(checked.photo, checked.status)

    def _show_head(self, status: str, head: str, reasons: str) -> None:
        self.verdict.setText(head)
        self.verdict.setProperty("status", status)
        self.verdict.setStyleSheet(f"font-size: 34px; font-weight: bold; color: {COLOURS[status]};")
        self.reasons.setText(reasons)

    def _show_details(self, details: dict | None) -> None:
        for key, label in self.fields.items():
            value = (details or {}).get(key) or "—"
            if key == "status" and details:
                value = status_text(value, self.lang)
            elif key == "doc_type" and details:
                value = self._spec_name(details["spec_id"], value)
            elif key == "documents" and details and len(details.get("items") or ()) > 1:
                value = "\n".join(f"{self._spec_name(i['spec_id'], i['spec_id'])}  {i['image_no']}"
                                  for i in details["items"])  # one line each: the dialog keeps its width
            label.setText(value)

    def _spec_name(self, spec_id: str, fallback: str) -> str:
        """The spec's name as the history shows it (居民身份证), not its id."""
        from ..specs import default_library

        try:
            return default_library().get(spec_id).name(self.lang)
        except Exception:  # noqa: BLE001 - a spec removed since the order: its id still identifies it
            return fallback

    def _show_photo(self, jpeg: bytes | None, status: str) -> None:
        pix = QPixmap()
        if jpeg and pix.loadFromData(jpeg):
            self.photo.setPixmap(pix.scaled(self.photo.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
        else:
            self.photo.setPixmap(QPixmap())
            self.photo.setText(self.tr("无存档照片") if status in PHOTO_STATUSES else
                               self.tr("回执未通过核验，不显示照片"))

    def shown_photo(self) -> bool:
        pix = self.photo.pixmap()
        return pix is not None and not pix.isNull()
