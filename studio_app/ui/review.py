"""Review: the corrected photo beside the original, reports before/after, corrections, verdict."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QScrollArea,
                               QSizePolicy, QSlider,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)

from .. import messages
from ..camera.qt_source import rgb_to_qimage
from ..compliance.finished import confirmable, finished_report
from . import safe_override
from ..specs.model import PALETTE, PALETTE_ZH
from .applicant_form import ApplicantForm
from .checklist import ChecklistPanel


class ImageView(QWidget):
    """An RGB array drawn to fit, aspect kept, with an optional rectangle (frame px)."""

    def __init__(self, parent: QWidget | None = None, caption: str = "", background: QColor | None = None):
        super().__init__(parent)
        self.background = background or QColor(60, 63, 68)
        self._rgb: np.ndarray | None = None
        self._image: QImage | None = None
        self._rect = None
        self._marks: list = []  # (x, y, w, h, text, failed): problems marked on the photo (frame px)
        self.caption = caption
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(360, 440)

    def set_image(self, rgb: np.ndarray | None, rect=None) -> None:
        self._rgb = None if rgb is None else np.ascontiguousarray(rgb)
        self._image = None if self._rgb is None else rgb_to_qimage(self._rgb)
        self._rect = rect
        self.update()

    def set_marks(self, marks) -> None:
        """Boxes with a label where a check found a problem (image px): red fail, amber warn."""
        self._marks = list(marks or [])
        self.update()

    def _paint_marks(self, p: QPainter, target: QRectF, s: float) -> None:
        fm = p.fontMetrics()
        for x, y, w, h, text, failed in self._marks:
            colour = QColor(231, 76, 60) if failed else QColor(243, 156, 18)
            box = QRectF(target.x() + x * s, target.y() + y * s, max(4.0, w * s), max(4.0, h * s)).intersected(target)
            p.setPen(QPen(colour, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(box)
            label = fm.elidedText(text, Qt.TextElideMode.ElideRight, int(max(60.0, target.right() - box.x() - 4)))
            tw, th = fm.horizontalAdvance(label) + 8, fm.height() + 2
            # the label sits on the box's top edge, inside the photo
            ty = box.y() if box.y() + th <= target.bottom() else target.bottom() - th
            p.fillRect(QRectF(box.x(), ty, tw, th), QColor(colour.red(), colour.green(), colour.blue(), 220))
            p.setPen(QColor(255, 255, 255))
            p.drawText(QRectF(box.x() + 4, ty, tw - 4, th), Qt.AlignmentFlag.AlignVCenter, label)

    @safe_override
    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.fillRect(self.rect(), self.background)
        top = 0
        if self.caption:
            p.setPen(QColor(230, 230, 230))
            p.drawText(QRectF(0, 0, self.width(), 22), Qt.AlignmentFlag.AlignCenter, self.caption)
            top = 24
        if self._image is not None:
            iw, ih = self._image.width(), self._image.height()
            s = min(self.width() / iw, (self.height() - top) / ih)
            target = QRectF((self.width() - iw * s) / 2, top + (self.height() - top - ih * s) / 2, iw * s, ih * s)
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            p.drawImage(target, self._image)
            if self._rect is not None:
                x, y, w, h = self._rect
                pen = QPen(QColor(46, 204, 113), 2)
                pen.setStyle(Qt.PenStyle.DashLine)
                p.setPen(pen)
                p.drawRect(QRectF(target.x() + x * s, target.y() + y * s, w * s, h * s))
            if self._marks:
                self._paint_marks(p, target, s)
        p.end()


class NudgeView(ImageView):
    """The corrected photo; drag to move it, wheel to zoom, double-click to reset. Shows the
    nudged preview at once and emits ``nudgeChanged(Nudge)`` after the operator pauses."""

    nudgeChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None, caption: str = ""):
        super().__init__(parent, caption)
        from .nudge import Nudge

        self.base = None  # the pipeline's ProcessResult
        self.nudge = Nudge()
        self._drag = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip(self.tr("拖动调整位置，滚轮缩放，双击复原"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(lambda: self.nudgeChanged.emit(self.nudge))

    def set_base(self, result) -> None:
        from .nudge import Nudge

        self.base = result
        self.nudge = Nudge()
        self.set_image(None if result is None else result.photo)

    def _scale(self) -> float:
        if self._image is None:
            return 1.0
        top = 24 if self.caption else 0
        return min(self.width() / self._image.width(), (self.height() - top) / self._image.height())

    def set_nudge(self, nudge, emit: bool = True) -> None:
        from .nudge import clamp, preview

        if self.base is None:
            return
        self.nudge = clamp(self.base, nudge)
        self.set_image(preview(self.base.photo, self.base, self.nudge) if not self.nudge.is_identity
                       else self.base.photo)
        if emit:
            self._timer.start()

    @safe_override
    def mousePressEvent(self, event) -> None:  # noqa: N802
        if self.base is not None and event.button() == Qt.MouseButton.LeftButton:
            self._drag = (event.position(), self.nudge)
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    @safe_override
    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._drag is not None:
            from .nudge import Nudge

            start, n0 = self._drag
            s = self._scale()
            d = event.position() - start
            self.set_nudge(Nudge(n0.dx + d.x() / s, n0.dy + d.y() / s, n0.zoom))

    @safe_override
    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        self._drag = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    @safe_override
    def wheelEvent(self, event) -> None:  # noqa: N802
        if self.base is None:
            return
        from .nudge import Nudge

        steps = event.angleDelta().y() / 120.0
        n = self.nudge
        self.set_nudge(Nudge(n.dx, n.dy, n.zoom * (1.02 ** steps)))

    @safe_override
    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        from .nudge import Nudge

        self.set_nudge(Nudge())


REJECT_REASONS = [
    ("hair_eyebrows", "头发遮挡眉毛或眼睛", "Hair covers the eyebrows or eyes"),
    ("hair_ears", "头发遮挡耳朵", "Hair covers the ears"),
    ("accessories", "佩戴耳环、项链、发夹或帽子", "Earrings, necklace, hair clip or hat"),
    ("expression", "表情不自然或张嘴", "Unnatural expression or open mouth"),
    ("eyes", "眼睛未睁开或未平视前方", "Eyes closed or not looking straight ahead"),
    ("shadow", "面部有阴影或反光", "Shadow or reflection on the face"),
    ("pose", "头部倾斜或转动", "Head tilted or turned"),
    ("clothing", "服装颜色与背景相近", "Clothing too close to the background colour"),
    ("blur", "照片模糊", "The photo is blurred"),
]


class RejectDialog(QDialog):
    """Pick one or more reasons (and/or type one)."""

    def __init__(self, parent: QWidget | None = None, lang: str = "zh_CN"):
        super().__init__(parent)
        self.setWindowTitle(self.tr("不合格原因"))
        self.list = QListWidget()
        for key, zh, en in REJECT_REASONS:
            item = QListWidgetItem(en if lang == "en" else zh)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.other = QLineEdit()
        self.other.setPlaceholderText(self.tr("其他原因"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("请选择不合格原因：")))
        lay.addWidget(self.list)
        lay.addWidget(self.other)
        lay.addWidget(self.buttons)
        self.list.itemChanged.connect(self._update)
        self.other.textChanged.connect(self._update)
        self._update()

    def reasons(self) -> list[str]:
        out = [self.list.item(i).text() for i in range(self.list.count())
               if self.list.item(i).checkState() == Qt.CheckState.Checked]
        if self.other.text().strip():
            out.append(self.other.text().strip())
        return out

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reasons()))


def _confirmable_headwear(problem) -> bool:
    """A finished-photo problem that is headwear the spec lets the operator confirm."""
    return confirmable(problem) == "headwear"


def problem_marks(report, lang: str) -> list:
    """(x, y, w, h, text, failed) for each failed or warned check that says where (``region``)."""
    marks = []
    for r in getattr(report, "results", ()) or ():
        region = (r.params or {}).get("region")
        if r.status in ("fail", "warn") and region and len(region) == 4:
            marks.append((*region, messages.text(r.message_key, lang, **r.params), r.status == "fail"))
    return marks


class ReviewPanel(QWidget):
    """Shows a ProcessResult; emits the operator's decisions."""

    optionsChanged = Signal(object)  # ProcessOptions to reprocess with
    approveRequested = Signal(object)  # Applicant
    rejectRequested = Signal(list, object)  # reasons, Applicant
    retakeRequested = Signal()

    def __init__(self, parent: QWidget | None = None, lang: str = "zh_CN"):
        super().__init__(parent)
        self.lang = lang
        self.spec = None
        self.result = None
        self._busy = False
        self.extra_gate = None  # () -> why the order cannot be issued yet (its other documents), or None
        self.original = ImageView(caption=self.tr("原图"))
        self.corrected = NudgeView(caption=self.tr("处理后（可拖动微调）"))
        self.nudgeRequested = self.corrected.nudgeChanged
        images = QSplitter(Qt.Orientation.Horizontal)
        images.addWidget(self.original)
        images.addWidget(self.corrected)
        images.setStretchFactor(0, 3)
        images.setStretchFactor(1, 2)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("reviewStatus")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(images, 1)
        ll.addWidget(self.status)
        # customary headwear (少数民族, religious) the spec allows: the operator confirms it
        self.headwear_ok = QCheckBox(self.tr("头饰为民族或宗教习惯，面部无遮挡（已核实）"))
        self.headwear_ok.setVisible(False)
        self.headwear_ok.toggled.connect(lambda _=None: self._update_buttons())
        ll.addWidget(self.headwear_ok)

        # reports
        self.before = ChecklistPanel(title=self.tr("处理前"), sort_by_status=True)
        self.after = ChecklistPanel(title=self.tr("处理后（成品复检）"), sort_by_status=True)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # at most ~4 lines tall (scrolls beyond): five long problems took half the panel and left
        # the finished photo's check list a few rows at 1280×800
        self._problems_box = QScrollArea()
        self._problems_box.setWidget(self.problems)
        self._problems_box.setWidgetResizable(True)
        self._problems_box.setFrameShape(QFrame.Shape.NoFrame)
        self._problems_box.setMaximumHeight(int(self.problems.fontMetrics().lineSpacing() * 4.6) + 4)
        self._problems_box.setVisible(False)  # an empty label still takes a row above the reports
        reports = QWidget()
        rl = QVBoxLayout(reports)
        rl.addWidget(self._problems_box)
        rl.addWidget(self.after, 1)
        # the original's report has its own tab: stacked under the finished photo's, each list
        # showed three rows at 1280×800
        before_tab = QWidget()
        bl = QVBoxLayout(before_tab)
        bl.addWidget(self.before, 1)

        # corrections
        self.background = QComboBox()
        self.replace_bg = QCheckBox(self.tr("替换背景"))
        self.replace_bg.setChecked(True)
        self.lighting = QCheckBox(self.tr("光线校正"))
        self.lighting.setChecked(True)
        self.sliders: dict[str, QSlider] = {}
        corr = QGroupBox(self.tr("校正"))
        cf = QFormLayout(corr)
        cf.addRow(self.tr("背景颜色"), self.background)
        cf.addRow("", self.replace_bg)
        cf.addRow("", self.lighting)
        for key, label in (("white_balance", self.tr("白平衡")), ("exposure", self.tr("曝光")),
                           ("shadows", self.tr("阴影")), ("glare", self.tr("反光"))):
            s = QSlider(Qt.Orientation.Horizontal)
            s.setRange(0, 100)
            s.setValue(100)
            s.setPageStep(10)
            self.sliders[key] = s
            cf.addRow(label, s)
            s.valueChanged.connect(self._schedule)
        self.background.currentIndexChanged.connect(self._schedule)
        self.replace_bg.toggled.connect(self._schedule)
        self.lighting.toggled.connect(self._schedule)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(350)
        self._debounce.timeout.connect(self._emit_options)

        # applicant + decision
        self.form = ApplicantForm()
        self.approve = QPushButton(self.tr("通过并输出 (Ctrl+Enter)"))
        self.approve.setObjectName("approveButton")
        self.reject_btn = QPushButton(self.tr("不合格…"))
        self.retake = QPushButton(self.tr("重拍 (R)"))
        self.approve.clicked.connect(self._approve)
        self.reject_btn.clicked.connect(self._reject)
        self.retake.clicked.connect(self.retakeRequested)
        self.form.validityChanged.connect(lambda _v: self._update_buttons())
        buttons = QHBoxLayout()
        buttons.addWidget(self.retake)
        buttons.addWidget(self.reject_btn)
        buttons.addWidget(self.approve, 1)
        applicant = QGroupBox(self.tr("申请人"))
        al = QVBoxLayout(applicant)
        al.addWidget(self.form)

        tabs = QTabWidget()
        tabs.addTab(reports, self.tr("检查报告"))
        tabs.addTab(before_tab, self.tr("处理前"))
        tabs.addTab(corr, self.tr("校正"))
        self._before_tab = before_tab
        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addWidget(tabs, 1)
        rlay.addWidget(applicant)
        rlay.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(split)
        self.tabs = tabs

    # -- state ------------------------------------------------------------------------------------
    def start(self, spec, original: np.ndarray, city: str = "", require_id: bool = True) -> None:
        """A new capture: reset the controls for ``spec`` and show the original. ``require_id``:
        the ID-number rule for this spec (``services.id_rule.id_number_required``)."""
        self.spec = spec
        self.form.set_require_id(require_id)
        self.result = None
        widgets = [self.background, self.replace_bg, self.lighting, *self.sliders.values()]
        for w in widgets:
            w.blockSignals(True)
        self.background.clear()
        names = [b.name for b in spec.backgrounds] + [n for n in PALETTE if n not in {b.name for b in spec.backgrounds}]
        for name in names:
            official = name in {b.name for b in spec.backgrounds}
            label = PALETTE_ZH.get(name, name) if self.lang != "en" else name.replace("_", " ")
            self.background.addItem(label + ("" if official else self.tr("（非规格）")), name)
        self.replace_bg.setChecked(True)
        self.lighting.setChecked(True)
        for s in self.sliders.values():
            s.setValue(100)
        for w in widgets:
            w.blockSignals(False)
        self.original.set_image(original)
        self.corrected.set_base(None)
        self.before.set_report(None)
        self.after.set_report(None)
        self.tabs.setTabText(self.tabs.indexOf(self._before_tab), self.tr("处理前"))
        self.problems.clear()
        self._problems_box.setVisible(False)
        if city and not self.form.city.currentText():
            self.form.set_city(city)
        self.set_busy(True)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        if busy:
            self.status.setText(self.tr("正在处理照片…"))
        self._update_buttons()

    def show_result(self, result, crop_rect=None, adjusted: bool = False) -> None:
        """Show a pipeline result (``adjusted``: a nudge of the current one, keep its base)."""
        self.result = result
        self.set_busy(False)
        if not adjusted:
            self.corrected.set_base(result)
        if crop_rect is not None:
            self.original.set_image(self.original._rgb, crop_rect)
        self.before.set_report(result.before, self.lang)
        # every failing finished check, also those judged on the original (clothing)
        self.after.set_report(finished_report(result), self.lang)
        self.original.set_marks(problem_marks(result.before, self.lang))
        confirmable = any(_confirmable_headwear(p) for p in (getattr(result, "problems", None) or []))
        if not adjusted:
            self.headwear_ok.setChecked(False)
        self.headwear_ok.setVisible(confirmable)
        failed = sum(1 for st in self.before.statuses.values() if st == "fail")
        self.tabs.setTabText(self.tabs.indexOf(self._before_tab),
                             self.tr("处理前（%n 项不合格）", "", failed) if failed else self.tr("处理前"))
        lines = result.messages(self.lang)
        warn = [messages.text(w["key"], self.lang, **w.get("params", {})) for w in result.warnings]
        kb = result.file.get("kb") if isinstance(result.file, dict) else None
        size = f"{result.spec.width_px}×{result.spec.height_px} px" + (f" · {kb:.0f} KB" if kb else "")
        if result.ok:
            self.status.setText(self.tr("成品合格") + f" · {size}")
            self.status.setStyleSheet("color: #1e8449; font-weight: bold;")
        else:
            # the first problem under the photos; all of them are listed above the report
            more = self.tr("（另 %n 项，见检查报告）", "", len(lines) - 1) if len(lines) > 1 else ""
            self.status.setText(self.tr("成品不合格：") + (lines[0] if lines else "") + more + f" · {size}")
            self.status.setStyleSheet("color: #c0392b; font-weight: bold;")
        text = "\n".join([f"✗ {t}" for t in lines] + [f"! {t}" for t in warn])
        self.problems.setText(text)
        self._problems_box.setVisible(bool(text))
        self._update_buttons()

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.status.setText(text)
        self.status.setStyleSheet("color: #c0392b; font-weight: bold;")

    def options(self):
        from ..imaging.lighting import LightingOptions
        from ..imaging.pipeline import ProcessOptions

        light = LightingOptions(**{k: s.value() / 100.0 for k, s in self.sliders.items()})
        return ProcessOptions(background=self.background.currentData(), replace_background=self.replace_bg.isChecked(),
                              lighting=self.lighting.isChecked(), light=light)

    def _schedule(self) -> None:
        if self.spec is not None:
            self._debounce.start()

    def _emit_options(self) -> None:
        self.set_busy(True)
        self.optionsChanged.emit(self.options())

    @property
    def confirmations(self) -> list[str]:
        """What the operator confirmed for this photo (recorded with the order): "headwear"."""
        return ["headwear"] if self.headwear_ok.isVisible() and self.headwear_ok.isChecked() else []

    def _ok_with_confirmations(self) -> bool:
        """The result passes, or its only problems are customary headwear the operator confirmed."""
        if bool(getattr(self.result, "ok", False)):
            return True
        if not self.confirmations:
            return False
        rest = [p for p in (getattr(self.result, "problems", None) or []) if not _confirmable_headwear(p)]
        return not rest

    def refresh_gate(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        have = self.result is not None and not self._busy
        block = self.extra_gate() if callable(self.extra_gate) else None
        self.approve.setEnabled(have and self.form.valid and self._ok_with_confirmations() and not block)
        self.reject_btn.setEnabled(have and self.form.valid)
        self.retake.setEnabled(not self._busy)
        if have and not self._ok_with_confirmations():
            self.approve.setToolTip(self.tr("成品未通过复检，不能输出；请重拍或调整校正"))
        elif have and block:
            self.approve.setToolTip(block)
        elif have and not self.form.valid:
            self.approve.setToolTip(self.tr("请先填写有效的申请人信息"))
        else:
            self.approve.setToolTip("")

    def _approve(self) -> None:
        if self.approve.isEnabled():
            self.approveRequested.emit(self.form.applicant())

    def _reject(self) -> None:
        dlg = RejectDialog(self, self.lang)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.rejectRequested.emit(dlg.reasons(), self.form.applicant())
