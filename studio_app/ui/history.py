"""History: search orders by receipt number, pick-up code, name, phone or date; reprint; resubmit a
rejected photo; erase an order at the customer's request."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from pathlib import Path

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

STATUS_ZH = {"captured": "待审核", "approved": "已通过", "rejected": "不合格", "exported": "已输出", "printed": "已打印"}
STATUS_EN = {"captured": "Awaiting review", "approved": "Approved", "rejected": "Rejected", "exported": "Output",
             "printed": "Printed"}


def status_text(status: str, lang: str) -> str:
    """What the operator reads for a status ("captured" is a kiosk order waiting for review)."""
    return (STATUS_EN if lang == "en" else STATUS_ZH).get(status, status)
ERASE_REASON = "customer_request"  # the button is the customer's request (orders.erase_reason)


def normalise_search(text: str) -> str:
    """What the operator typed, as the store matches it. A Chinese input method in full-width mode
    types "０００３Ｙ"; the kiosk shows the pick-up code letter-spaced, so "0003 Y" is typed too; a
    phone number is read out as "138 0013 8000". A query of letters and digits with at least one
    digit loses its spaces and dashes (names keep theirs)."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    compact = re.sub(r"[\s\-]", "", t)
    if compact and re.fullmatch(r"[0-9A-Za-z+]+", compact) and re.search(r"[0-9]", compact):
        if re.fullmatch(r"\+?86(1\d{10})", compact):  # "+86 138…": the number is stored without it
            return compact[-11:]
        return compact.upper()
    return t


def rank_matches(found: list, query: str) -> list:
    """Orders whose receipt number ends with ``query`` (a pick-up code is the receipt number's last
    five characters) or equals it come first, today's before older days' (the same code recurs
    each day); otherwise the store's order (newest first) is kept."""
    q = (query or "").upper()
    if not q or not re.fullmatch(r"[0-9A-Z]+", q):
        return found
    today = _dt.date.today()

    def key(o):
        rno = (o.receipt_no or "").upper()
        exact = rno == q
        suffix = rno.endswith(q)
        return (not exact, not suffix, not (suffix and o.captured_local().date() == today))

    return sorted(found, key=key)  # stable: newest first within each group


class HistoryDialog(QDialog):
    resubmitRequested = Signal(str, str, str, str)  # receipt_no, spec_id, name, city

    COLUMNS = ("receipt_no", "captured", "name", "spec", "city", "status")

    def __init__(self, store, settings, parent=None, lang: str = "zh_CN"):
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.lang = lang
        self.orders = []
        self.setWindowTitle(self.tr("历史记录"))
        self.resize(1000, 600)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("回执号、取件码、姓名、电话（输入部分即可）或城市"))
        self.search.setToolTip(self.tr("取件码是自助机给顾客的 5 位号码（回执号的最后 5 位），今天的订单排在最前；"
                                       "也可输入完整身份证号"))
        self.search.setClearButtonEnabled(True)
        self.use_dates = QCheckBox(self.tr("日期"))
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.until = QDateEdit(QDate.currentDate())
        for d in (self.since, self.until):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.use_dates.toggled.connect(self.since.setEnabled)
        self.use_dates.toggled.connect(self.until.setEnabled)
        self.status = QComboBox()
        self.status.addItem(self.tr("全部状态"), None)
        for key, zh in STATUS_ZH.items():
            self.status.addItem(status_text(key, lang), key)
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.use_dates)
        top.addWidget(self.since)
        top.addWidget(QLabel("–"))
        top.addWidget(self.until)
        top.addWidget(self.status)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr("回执号"), self.tr("拍摄时间"), self.tr("姓名"),
                                              self.tr("规格"), self.tr("城市"), self.tr("状态")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 2, 4):  # numbers, times, names and cities have a natural width; documents and status share the rest
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.info = QLabel()
        self.reprint = QPushButton(self.tr("重印回执"))
        self.print_sheet = QPushButton(self.tr("重印照片"))
        self.resubmit = QPushButton(self.tr("重新提交（重拍）"))
        self.open_folder = QPushButton(self.tr("打开文件夹"))
        self.erase = QPushButton(self.tr("删除此订单"))
        self.erase.setObjectName("eraseOrder")
        self.erase.setToolTip(self.tr("应顾客要求，立即删除此订单的个人信息和照片（无法撤销）"))
        self.erase.setStyleSheet("QPushButton#eraseOrder:enabled { color: #c0392b; }")
        self.erase.setVisible(callable(getattr(store, "erase", None)))
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        for b in (self.reprint, self.print_sheet, self.resubmit, self.open_folder, self.erase, close):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        self.search.textChanged.connect(self.refresh)
        self.status.currentIndexChanged.connect(self.refresh)
        self.use_dates.toggled.connect(self.refresh)
        self.since.dateChanged.connect(self.refresh)
        self.until.dateChanged.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reprint.clicked.connect(self._reprint_receipt)
        self.print_sheet.clicked.connect(self._print_sheet)
        self.resubmit.clicked.connect(self._resubmit)
        self.open_folder.clicked.connect(self._open_folder)
        self.erase.clicked.connect(self._erase)
        self._notice = ""
        self.refresh()

    def refresh(self) -> None:
        query = normalise_search(self.search.text())
        kwargs = {"search": query or None, "status": self.status.currentData(), "limit": 500}
        if self.use_dates.isChecked():
            kwargs["since"] = self.since.date().toPython()
            kwargs["until"] = self.until.date().toPython()
        try:
            self.orders = rank_matches(self.store.list(**kwargs), query)
            error = None
        except Exception as exc:  # noqa: BLE001 - a store error is shown, not raised
            self.orders = []
            error = str(getattr(exc, "message", lambda: exc)())
        from ..specs import default_library

        lib = default_library()
        self.table.setRowCount(len(self.orders))
        for row, o in enumerate(self.orders):
            names = [_spec_name(lib, d.spec_id, self.lang) for d in o.documents]
            # one capture, several documents: every document of the order, each with its image number
            spec_name = " + ".join(names)
            values = (o.receipt_no, o.captured_local().strftime("%Y-%m-%d %H:%M"), o.applicant_name, spec_name,
                      o.city or "", status_text(o.status, self.lang))
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                if col == 3:
                    item.setToolTip("\n".join(f"{n}  {d.image_no}" for n, d in zip(names, o.documents)))
                if col == 5 and o.reasons:
                    sep, join = (": ", "; ") if self.lang == "en" else ("：", "；")
                    item.setToolTip(join.join(o.reasons))
                    item.setText(f"{v}{sep}{join.join(o.reasons)}")
                if o.status == "rejected":
                    item.setForeground(QBrush(QColor(192, 57, 43)))
                self.table.setItem(row, col, item)
        self.info.setText(error or ((self._notice + " · ") if self._notice else "") + self.tr("共 %n 条", "", len(self.orders)))
        self._notice = ""
        self._update_buttons()

    def selected(self):
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.orders[rows[0].row()]

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _update_buttons(self) -> None:
        o = self.selected()
        self.reprint.setEnabled(o is not None and o.status in ("exported", "printed", "approved"))
        self.print_sheet.setEnabled(o is not None and bool(o.files.get("sheet") or o.photo_path))
        self.resubmit.setEnabled(o is not None and o.status == "rejected")
        self.open_folder.setEnabled(o is not None and bool(o.photo_path))
        self.erase.setEnabled(o is not None and callable(getattr(self.store, "erase", None)))

    def _reprint_receipt(self) -> None:
        from ..services.orders import issue_receipt
        from .printing import print_file

        o = self.selected()
        if o is None:
            return
        path = o.receipt_path
        try:
            if not path or not Path(path).is_file():
                path, _order = issue_receipt(self.store, o.receipt_no, settings=self.settings, lang=self.lang)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, self.tr("重印回执"), str(getattr(exc, "message", lambda: exc)()))
            return
        if print_file(self, path, self.settings):
            self._mark_printed(o)

    def _print_sheet(self) -> None:
        from .printing import print_file

        o = self.selected()
        if o is None:
            return
        sheet = (o.files.get("sheet") or {}).get("path") or o.photo_path
        if print_file(self, sheet, self.settings):
            self._mark_printed(o)

    def _mark_printed(self, o) -> None:
        try:
            self.store.set_status(o.receipt_no, "printed")
        except Exception:  # noqa: BLE001 - printing already happened; the status is informative
            pass
        self.refresh()

    def _resubmit(self) -> None:
        o = self.selected()
        if o is None or o.status != "rejected":
            return
        self.resubmitRequested.emit(o.receipt_no, o.spec_id, o.applicant_name, o.city or "")
        self.accept()

    def _open_folder(self) -> None:
        o = self.selected()
        if o is not None and o.photo_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(o.photo_path).parent)))

    # -- erase at the customer's request ------------------------------------------------------------
    def erase_box(self, o, linked: list[str] | None = None) -> QMessageBox:
        """The confirmation: names the receipt number (and the applicant), says it cannot be undone,
        lists the linked orders (resubmissions of the same applicant, not erased with it); Cancel
        is the default (Enter or Esc does not delete)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("删除此订单"))
        who = o.applicant_name or "—"
        box.setText(self.tr("删除订单 %1（%2）的个人信息和照片？").replace("%1", o.receipt_no).replace("%2", who))
        info = self.tr("姓名、身份证号、电话、照片和回执文件将立即安全删除，只保留回执号和日期。此操作无法撤销。")
        if linked:
            info += "\n\n" + self.tr("关联订单 %1 属于同一申请人，不会一并删除；如顾客要求，请分别删除。").replace(
                "%1", "、".join(linked))
        box.setInformativeText(info)
        delete = box.addButton(self.tr("删除 %1").replace("%1", o.receipt_no), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        self._erase_button = delete
        return box

    def confirm_erase(self, o, linked: list[str] | None = None) -> bool:
        box = self.erase_box(o, linked)
        box.exec()
        return box.clickedButton() is self._erase_button

    def _erase(self) -> None:
        o = self.selected()
        erase = getattr(self.store, "erase", None)
        if o is None or not callable(erase):
            return
        try:
            linked = list(self.store.linked_orders(o.receipt_no)) if hasattr(self.store, "linked_orders") else []
        except Exception:  # noqa: BLE001 - only informative
            linked = []
        if not self.confirm_erase(o, linked):
            return
        try:
            erase(o.receipt_no, reason=ERASE_REASON, operator=_operator())
            after = self.store.get(o.receipt_no) if hasattr(self.store, "get") else None
        except Exception as exc:  # noqa: BLE001 - shown, the dialog stays usable
            QMessageBox.warning(self, self.tr("删除此订单"), str(getattr(exc, "message", lambda: exc)()))
            self.refresh()
            return
        notice = self.tr("订单 %1 的个人信息已删除").replace("%1", o.receipt_no)
        if getattr(after, "erase_state", None) == "erasing":
            notice += self.tr("（文件在工位 %1 上，该工位下次清理时删除）").replace("%1", str(after.station))
        self._notice = notice
        self.refresh()


def _spec_name(lib, spec_id: str, lang: str) -> str:
    try:
        return lib.get(spec_id).name(lang)
    except Exception:  # noqa: BLE001 - a spec removed since the order: its id still identifies it
        return spec_id


def _operator() -> str | None:
    """Who erased it (the workstation's login; there are no operator accounts)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return None
