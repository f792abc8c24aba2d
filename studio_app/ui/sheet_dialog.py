"""A mixed print sheet of this customer's photo, chosen on the done page: several sizes and
counts on one 6寸 / 5寸 / A4 sheet (e.g. 4 × 1寸 + 2 × 2寸), laid out by the one mixed layout
(:func:`studio_app.imaging.export.layout_sheet`) and printed through the one printing path
(:func:`studio_app.ui.printing.print_loaded`) at exact size.

The order's own spec uses the reviewed photo; every other size is processed from the same
capture (once per size, in a worker). The sheet lives in memory only: it is printed, never left
on disk beside the order (the order writer and the retention purge know only the order's files).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QSpinBox, QVBoxLayout, QWidget)

from ..errors import StudioError
from .workers import run_job, running_jobs

SHEET_NAMES_EN = {"6inch": "6-inch", "5inch": "5-inch", "a4": "A4"}
PRESET = (("one_inch", 4), ("two_inch", 2))  # the studio classic: 4 × 1寸 + 2 × 2寸 on a 6寸 sheet


class SheetDialog(QDialog):
    printed = Signal()

    def __init__(self, frame, result, library, settings, parent=None, lang: str = "zh_CN"):
        super().__init__(parent)
        from ..imaging.sheets import MAX_LAYOUT_COUNT, SHEET_NAMES_ZH, SHEETS_MM

        self.setWindowTitle(self.tr("混排版面"))
        self.frame, self.settings, self.lang = frame, settings, lang
        self.base_id = result.spec.id
        self._results = {self.base_id: result}
        self._analysis = None
        self._serial = 0
        self.sheet_image: QImage | None = None
        self.sheet_result = None
        self.error = ""

        self.paper = QComboBox()
        for key, (w, h) in SHEETS_MM.items():
            name = SHEET_NAMES_ZH.get(key, key) if lang == "zh_CN" else SHEET_NAMES_EN.get(key, key)
            self.paper.addItem(f"{name}  {w:g}×{h:g} mm", key)
        self.dpi = QComboBox()
        for dpi in (300, 254):
            self.dpi.addItem(f"{dpi} dpi", dpi)
        dpi = int(getattr(settings, "printer_dpi", 300) or 300)
        self.dpi.setCurrentIndex(max(0, self.dpi.findData(dpi)))
        preset = QPushButton(self.tr("4 张 1寸 + 2 张 2寸"))
        preset.clicked.connect(lambda: self.set_counts(dict(PRESET)))
        self.counts: dict[str, QSpinBox] = {}
        box = QWidget()
        form = QFormLayout(box)
        for spec in library:
            spin = QSpinBox()
            spin.setRange(0, MAX_LAYOUT_COUNT)
            spin.valueChanged.connect(self._changed)
            label = f"{spec.name(lang)}  {round(spec.print_mm[0], 1):g}×{round(spec.print_mm[1], 1):g} mm"
            if spec.id == self.base_id:
                label = "★ " + label
            form.addRow(label, spin)
            self.counts[spec.id] = spin
        scroll = QScrollArea()
        scroll.setWidget(box)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(380)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(340, 480)
        self.preview.setStyleSheet("background: #6b7280;")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setObjectName("approveButton")
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(lambda: self.print_sheet())
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("相纸")))
        top.addWidget(self.paper)
        top.addWidget(self.dpi)
        top.addStretch(1)
        top.addWidget(preset)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(QLabel(self.tr("每种尺寸的张数（★ 为本单规格，用审核过的照片）")))
        left.addWidget(scroll, 1)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.info)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addLayout(buttons)
        self.resize(900, 640)

        self._timer = QTimer(self)  # one layout per burst of spin-box clicks
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._build)
        self.paper.currentIndexChanged.connect(self._changed)
        self.dpi.currentIndexChanged.connect(self._changed)
        start = dict(PRESET) if all(k in self.counts for k, _ in PRESET) else {self.base_id: 4}
        self.set_counts(start)

    # -- choosing -------------------------------------------------------------------------------
    def set_counts(self, counts: dict[str, int]) -> None:
        for key, spin in self.counts.items():
            spin.blockSignals(True)
            spin.setValue(int(counts.get(key, 0)))
            spin.blockSignals(False)
        self._changed()

    def layout_text(self) -> str:
        return ",".join(f"{k}:{s.value()}" for k, s in self.counts.items() if s.value() > 0)

    def _changed(self, *_a) -> None:
        self.print_button.setEnabled(False)
        self._timer.start()

    @property
    def busy(self) -> bool:
        return self._timer.isActive() or bool(running_jobs(self))

    def _say(self, text: str, bad: bool = False) -> None:
        self.info.setText(text)
        self.info.setStyleSheet("color: #b3261e;" if bad else "")

    # -- making the sheet -----------------------------------------------------------------------
    def _build(self) -> None:
        from ..imaging.sheets import parse_layout, plan_mixed
        from ..specs import get_spec

        text = self.layout_text()
        self.sheet_result = self.sheet_image = None
        self.preview.clear()
        if not text:
            self._say(self.tr("请至少选择一张照片。"), bad=True)
            return
        sheet, dpi = self.paper.currentData(), int(self.dpi.currentData())
        try:  # too many for the paper: said at once, before any processing
            items = parse_layout(text)
            plan_mixed([(k, tuple(get_spec(k).print_mm), n) for k, n in items], sheet)
        except StudioError as exc:
            self._say(exc.message(self.lang), bad=True)
            return
        self._serial += 1
        serial = self._serial
        frame, have, analysis = self.frame, dict(self._results), self._analysis
        wanted = [k for k, _ in items]

        def job():
            from ..imaging.export import layout_sheet
            from ..imaging.pipeline import ProcessOptions, process_photo
            from ..vision.analyzer import analyze_still

            nonlocal analysis
            made = {}
            for key in wanted:
                if key not in have:
                    if analysis is None:  # one analysis of the capture for every other size
                        analysis = analyze_still(frame, segmentation=True)
                    made[key] = process_photo(frame, get_spec(key), ProcessOptions(), analysis=analysis)
            results = have | made
            return made, analysis, layout_sheet(results, text, sheet=sheet, dpi=dpi), results, wanted

        self._say(self.tr("正在排版…"))
        run_job(job, lambda r: self._built(serial, r), lambda m, d: self._failed(serial, m), self)

    def _built(self, serial: int, value) -> None:
        made, analysis, sh, results, wanted = value
        self._results.update(made)
        self._analysis = analysis
        if serial != self._serial:
            return  # the counts changed meanwhile: a newer layout is on its way
        if sh is None:
            bad = [results[k].spec.name(self.lang) for k in wanted if results[k].retake]
            self._say(self.tr("无法混排：%1 需要重拍（不合格的照片不能冲印）").replace("%1", "、".join(bad)), bad=True)
            return
        self.sheet_result = sh
        self.sheet_image = QImage.fromData(sh.jpeg)
        self.preview.setPixmap(QPixmap.fromImage(self.sheet_image).scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        w_mm, h_mm = sh.layout.page_mm
        parts = " + ".join(f"{sh.layout.count(k)} × {self._results[k].spec.name(self.lang)}"
                           for k in dict.fromkeys(p.key for p in sh.layout.places))
        self._say(f"{parts}\n{w_mm:g}×{h_mm:g} mm · {sh.dpi} dpi")
        self.print_button.setEnabled(True)

    def _failed(self, serial: int, message: str) -> None:
        if serial == self._serial:
            self._say(message, bad=True)

    # -- printing -------------------------------------------------------------------------------
    def print_sheet(self, printer=None) -> bool:
        """Print the sheet at exact size through the one printing path."""
        from .printing import image_size_mm, print_loaded

        if self.sheet_image is None or self.sheet_result is None:
            return False
        pages = [(self.sheet_image, image_size_mm(self.sheet_image, self.sheet_result.dpi))]
        if print_loaded(self, pages, self.settings, printer):
            self.printed.emit()
            return True
        return False

    def done(self, code: int) -> None:  # noqa: D401 - Qt API
        self._timer.stop()
        for job in list(running_jobs(self)):  # a QThread must not outlive its owner
            job.wait(60000)
        self.frame = None
        super().done(code)
