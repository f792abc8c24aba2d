"""Settings: studio details, station code, output folder, printer calibration, retention,
language, default spec, receipt template."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from ..settings import Settings, output_dir
from ..specs import default_library
from .i18n import LANGUAGES
from .printing import Calibration, print_test_page

PDF_PRINTER = "PDF"


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self._orig = settings
        self._offsets = {k: dict(v) for k, v in (settings.printer_offsets or {}).items()}
        self.setWindowTitle(self.tr("设置"))
        self.setMinimumWidth(560)
        self.studio_name = QLineEdit(settings.studio_name)
        self.studio_address = QLineEdit(settings.studio_address)
        self.studio_phone = QLineEdit(settings.studio_phone)
        self.station_code = QLineEdit(settings.station_code)
        self.station_code.setMaxLength(8)
        self.output = QLineEdit(settings.output_dir)
        self.output.setPlaceholderText(str(output_dir(Settings())))
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        self.retention = QSpinBox()
        self.retention.setRange(1, 3650)
        self.retention.setValue(settings.retention_days)
        self.retention.setSuffix(self.tr(" 天"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.default_spec = QComboBox()
        for spec in default_library():
            self.default_spec.addItem(spec.name(settings.language), spec.id)
        self.default_spec.setCurrentIndex(max(0, self.default_spec.findData(settings.default_spec)))
        self.template = QComboBox()
        for t in ("A5", "A6", "thermal80"):
            self.template.addItem(t, t)
        self.template.setCurrentIndex(max(0, self.template.findData(settings.receipt_template)))
        # the one ID-number rule of the counter, the kiosk and the CLI (services/id_rule.py)
        self.require_id = QComboBox()
        for value, text in (("by_document", self.tr("按证件（社保卡、身份证等必填）")), ("always", self.tr("总是必填")),
                            ("never", self.tr("不要求"))):
            self.require_id.addItem(text, value)
        self.require_id.setCurrentIndex(max(0, self.require_id.findData(settings.require_id_number)))

        studio = QGroupBox(self.tr("照相馆"))
        sf = QFormLayout(studio)
        sf.addRow(self.tr("名称"), self.studio_name)
        sf.addRow(self.tr("地址"), self.studio_address)
        sf.addRow(self.tr("电话"), self.studio_phone)
        sf.addRow(self.tr("工位编号"), self.station_code)
        general = QGroupBox(self.tr("常规"))
        gf = QFormLayout(general)
        gf.addRow(self.tr("输出文件夹"), out_row)
        gf.addRow(self.tr("数据保留"), self.retention)
        gf.addRow(self.tr("界面语言"), self.language)
        gf.addRow(self.tr("默认规格"), self.default_spec)
        gf.addRow(self.tr("回执模板"), self.template)
        gf.addRow(self.tr("身份证号码"), self.require_id)

        # printer calibration
        self.printer = QComboBox()
        names = [p.printerName() for p in QPrinterInfo.availablePrinters()] + [PDF_PRINTER]
        for n in names:
            self.printer.addItem(n, n)
        self.dx, self.dy = QDoubleSpinBox(), QDoubleSpinBox()
        for s in (self.dx, self.dy):
            s.setRange(-20.0, 20.0)
            s.setDecimals(1)
            s.setSingleStep(0.5)
            s.setSuffix(" mm")
        self.sx, self.sy = QDoubleSpinBox(), QDoubleSpinBox()
        for s in (self.sx, self.sy):
            s.setRange(0.9, 1.1)
            s.setDecimals(4)
            s.setSingleStep(0.001)
        self.test_page = QPushButton(self.tr("打印测试页"))
        self.test_page.clicked.connect(self._print_test)
        printing = QGroupBox(self.tr("打印校准（按打印机）"))
        pf = QFormLayout(printing)
        pf.addRow(self.tr("打印机"), self.printer)
        pf.addRow(self.tr("水平偏移"), self.dx)
        pf.addRow(self.tr("垂直偏移"), self.dy)
        pf.addRow(self.tr("水平缩放"), self.sx)
        pf.addRow(self.tr("垂直缩放"), self.sy)
        pf.addRow("", self.test_page)
        self._current_printer = None
        self.printer.currentIndexChanged.connect(self._load_calibration)
        for s in (self.dx, self.dy, self.sx, self.sy):
            s.valueChanged.connect(self._store_calibration)
        self._load_calibration()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(studio)
        lay.addWidget(general)
        lay.addWidget(printing)
        lay.addWidget(buttons)
        self.buttons = buttons

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("输出文件夹"), self.output.text())
        if folder:
            self.output.setText(folder)

    def _load_calibration(self) -> None:
        self._current_printer = None
        name = self.printer.currentData()
        cal = Calibration(**self._offsets.get(name, {})) if name in self._offsets else Calibration()
        for spin, v in ((self.dx, cal.dx_mm), (self.dy, cal.dy_mm), (self.sx, cal.sx), (self.sy, cal.sy)):
            spin.setValue(v)
        self._current_printer = name

    def _store_calibration(self) -> None:
        if self._current_printer is None:
            return
        cal = self.calibration()
        if cal == Calibration():
            self._offsets.pop(self._current_printer, None)
        else:
            self._offsets[self._current_printer] = cal.to_dict()

    def calibration(self) -> Calibration:
        return Calibration(self.dx.value(), self.dy.value(), self.sx.value(), self.sy.value())

    def _print_test(self) -> None:
        name = self.printer.currentData()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if name == PDF_PRINTER:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("测试页 PDF"), "test-page.pdf", "PDF (*.pdf)")
            if not path:
                return
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(path)
        else:
            printer.setPrinterName(name)
            if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
                return
        try:
            print_test_page(printer, self.calibration())
        except OSError as exc:
            QMessageBox.warning(self, self.tr("打印测试页"), str(exc))

    def settings(self) -> Settings:
        return self._orig.with_changes(
            studio_name=self.studio_name.text().strip(), studio_address=self.studio_address.text().strip(),
            studio_phone=self.studio_phone.text().strip(),
            station_code=self.station_code.text().strip().upper() or self._orig.station_code,
            output_dir=self.output.text().strip(), retention_days=self.retention.value(),
            language=self.language.currentData(), default_spec=self.default_spec.currentData(),
            receipt_template=self.template.currentData(), printer_offsets=dict(self._offsets),
            require_id_number=self.require_id.currentData())

    def _accept(self) -> None:
        code = self.station_code.text().strip()
        if code and not code.isalnum():
            QMessageBox.warning(self, self.tr("设置"), self.tr("工位编号只能包含字母和数字"))
            return
        self.accept()
