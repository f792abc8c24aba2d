"""The live preview: the camera frame, the spec guide, one hint, and the 3-2-1 countdown."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..camera.qt_source import rgb_to_qimage
from . import safe_override
from .overlay import VERDICT_COLOURS, Guide, frame_to_view, guide_for, paint_overlay


class LiveView(QWidget):
    """Shows frames as they arrive (``show_frame``) and the latest analysis (``show_result``)."""

    frameShown = Signal(int)  # timestamp of the frame just painted

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(480, 300)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._frame: np.ndarray | None = None
        self._image: QImage | None = None
        self._ts = 0
        self._spec = None
        self._guide: Guide | None = None
        self._guide_key = None
        self._crop = None
        self._verdict: str | None = None
        self._hint_text = ""
        self._countdown: int | None = None
        self._message = ""
        self.painted = 0
        self._painted_ts: int | None = None

    def sizeHint(self) -> QSize:
        return QSize(960, 540)

    # -- inputs ---------------------------------------------------------------------------------
    def set_spec(self, spec) -> None:
        self._spec = spec
        self._guide_key = None
        self._crop = None
        self.update()

    def show_frame(self, rgb: np.ndarray, ts_ms: int = 0) -> None:
        if ts_ms == self._painted_ts:
            ts_ms += 1  # a source restarting its clock: still a new frame
        self._frame = rgb  # keep the buffer alive while the QImage points at it
        self._image = rgb_to_qimage(rgb)
        self._ts = ts_ms
        self._message = ""
        self.update()

    def show_result(self, verdict: str | None, hint_text: str, crop=None) -> None:
        self._verdict = verdict
        self._hint_text = hint_text
        self._crop = crop
        # no repaint here: the next camera frame (a few ms away) paints the new verdict, so
        # results never double the painting work
        if self._image is None:
            self.update()

    def set_countdown(self, number: int | None) -> None:
        self._countdown = number
        self.update()

    def set_message(self, text: str) -> None:
        """A message instead of the picture (camera lost, starting...)."""
        self._message = text
        if text:
            self._frame = self._image = None
        self.update()

    def clear(self) -> None:
        self._frame = self._image = None
        self._crop = None
        self._verdict = None
        self._hint_text = ""
        self.update()

    @property
    def verdict(self) -> str | None:
        return self._verdict

    @property
    def hint_text(self) -> str:
        return self._hint_text

    @property
    def guide(self) -> Guide | None:
        return self._guide

    def current_frame(self) -> tuple[np.ndarray, int] | None:
        return (self._frame, self._ts) if self._frame is not None else None

    # -- painting ---------------------------------------------------------------------------------
    def image_rect(self) -> QRectF:
        if self._image is None:
            return QRectF()
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    @safe_override
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(24, 26, 30))
        if self._image is None:
            p.setPen(QColor(200, 200, 200))
            f = QFont(self.font())
            f.setPixelSize(max(16, self.height() // 22))
            p.setFont(f)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       self._message or self.tr("等待画面…"))
            p.end()
            return
        target = self.image_rect()
        p.drawImage(target, self._image)
        iw, ih = self._image.width(), self._image.height()
        if self._spec is not None:
            key = (self._spec.id, iw, ih)
            if key != self._guide_key:
                self._guide = guide_for(self._spec, iw, ih)
                self._guide_key = key
            p.setClipRect(target)
            labels = {"crown": self.tr("头顶"), "eyes": self.tr("眼睛"), "chin": self.tr("下巴")}
            paint_overlay(p, self._guide, self._crop, self._verdict, frame_to_view(iw, ih, target), labels)
            p.setClipping(False)
        self._paint_hint(p, target)
        if self._countdown is not None:
            self._paint_countdown(p, target)
        p.end()
        if self._ts != self._painted_ts:  # a new camera frame reached the screen
            self._painted_ts = self._ts
            self.painted += 1
            self.frameShown.emit(self._ts)

    def _paint_hint(self, p: QPainter, target: QRectF) -> None:
        if not self._hint_text:
            return
        colour = VERDICT_COLOURS.get(self._verdict, VERDICT_COLOURS[None])
        f = QFont(self.font())
        f.setPixelSize(max(18, int(target.height() / 18)))
        f.setBold(True)
        p.setFont(f)
        metrics = p.fontMetrics()
        text_w = metrics.horizontalAdvance(self._hint_text)
        pad = f.pixelSize() * 0.6
        w = min(target.width() - 20, text_w + 2 * pad)
        h = metrics.height() + pad
        box = QRectF(target.center().x() - w / 2, target.bottom() - h - target.height() * 0.04, w, h)
        path = QPainterPath()
        path.addRoundedRect(box, h / 2, h / 2)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillPath(path, QColor(0, 0, 0, 170))
        p.setPen(QPen(colour, 3))
        p.drawPath(path)
        p.setPen(QColor(255, 255, 255))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, self._hint_text)

    def _paint_countdown(self, p: QPainter, target: QRectF) -> None:
        f = QFont(self.font())
        f.setPixelSize(int(target.height() / 3))
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor(255, 255, 255, 230))
        p.drawText(target, Qt.AlignmentFlag.AlignCenter, str(self._countdown))
