"""History: search orders by receipt number, name or date; reprint; resubmit a rejected photo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

STATUS_ZH = {"captured": "待审核", "approved": "已通过", "rejected": "不合格", "exported": "已输出", "printed": "已打印"}


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
        self.search.setPlaceholderText(self.tr("回执号、姓名、城市或电话"))
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
            self.status.addItem(key if lang == "en" else zh, key)
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
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.info = QLabel()
        self.reprint = QPushButton(self.tr("重印回执"))
        self.print_sheet = QPushButton(self.tr("重印照片"))
        self.resubmit = QPushButton(self.tr("重新提交（重拍）"))
        self.open_folder = QPushButton(self.tr("打开文件夹"))
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.info, 1)
        for b in (self.reprint, self.print_sheet, self.resubmit, self.open_folder, close):
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
        self.refresh()

    def refresh(self) -> None:
        kwargs = {"search": self.search.text().strip() or None, "status": self.status.currentData(), "limit": 500}
        if self.use_dates.isChecked():
            kwargs["since"] = self.since.date().toPython()
            kwargs["until"] = self.until.date().toPython()
        try:
            self.orders = self.store.list(**kwargs)
        except Exception as exc:  # noqa: BLE001 - a store error is shown, not raised
            self.orders = []
            self.info.setText(str(exc))
        from ..specs import default_library

        lib = default_library()
        self.table.setRowCount(len(self.orders))
        for row, o in enumerate(self.orders):
            try:
                spec_name = lib.get(o.spec_id).name(self.lang)
            except Exception:  # noqa: BLE001
                spec_name = o.spec_id
            values = (o.receipt_no, o.captured_local().strftime("%Y-%m-%d %H:%M"), o.applicant_name, spec_name,
                      o.city or "", o.status if self.lang == "en" else STATUS_ZH.get(o.status, o.status))
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                if col == 5 and o.reasons:
                    item.setToolTip("；".join(o.reasons))
                    item.setText(f"{v}：{'；'.join(o.reasons)}")
                if o.status == "rejected":
                    item.setForeground(QBrush(QColor(192, 57, 43)))
                self.table.setItem(row, col, item)
        self.info.setText(self.tr("共 %n 条", "", len(self.orders)))
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

    def _reprint_receipt(self) -> None:
        from ..orders.service import issue_receipt
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
