"""The live picture with the head guide drawn over it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..widgets import BAD, GOOD
from .base import rgb_to_qimage


class GuideView(QWidget):
    """The live picture, mirrored like a mirror, with the chosen document's head oval and the countdown.

    The oval comes from the spec (:mod:`.guide`): its top is where the top of the head goes, its
    bottom the chin, with short marks for the eye line. Outside the oval the picture is dimmed so
    the place for the head is obvious. The picture is enlarged to fill the view as far as the
    spec's whole crop frame stays visible.
    """

    # the camera picture size assumed before the first frame arrives
    NOMINAL_FRAME = (1280, 720)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 320)
        self._image: QImage | None = None
        self.state = "adjust"
        self.countdown: int | None = None
        self.spec = None
        self.labels = {"crown": self.tr("头顶"), "eyes": self.tr("眼睛")}
        self._guide = None
        self._guide_key = None

    def sizeHint(self) -> QSize:
        return QSize(900, 700)

    def set_spec(self, spec) -> None:
        """The document whose geometry the oval shows (None: a generic oval)."""
        if spec is not self.spec:
            self.spec = spec
            self._guide_key = None
            self.update()

    def set_frame(self, rgb: np.ndarray | None) -> None:
        if rgb is None:
            self._image = None
        else:
            image = rgb_to_qimage(rgb)
            self._image = image.flipped(Qt.Orientation.Horizontal) if hasattr(image, "flipped") else \
                image.mirrored(True, False)
        self.update()

    def has_image(self) -> bool:
        return self._image is not None

    # -- geometry (widget px) -------------------------------------------------------------
    def frame_size(self) -> tuple[int, int]:
        if self._image is not None:
            return self._image.width(), self._image.height()
        return self.NOMINAL_FRAME

    def guide(self):
        """The :class:`~.guide.KioskGuide` for the current spec and picture size (camera px)."""
        from ..guide import kiosk_guide

        if self.spec is None:
            return None
        iw, ih = self.frame_size()
        key = (getattr(self.spec, "id", id(self.spec)), iw, ih)
        if key != self._guide_key:
            self._guide = kiosk_guide(self.spec, iw, ih)
            self._guide_key = key
        return self._guide

    def image_rect(self) -> QRectF:
        """Where the (mirrored) picture is drawn, in widget px; may reach past the widget's edges."""
        iw, ih = self.frame_size()
        vw, vh = max(1, self.width()), max(1, self.height())
        fit, cover = min(vw / iw, vh / ih), max(vw / iw, vh / ih)
        g = self.guide()
        scale = fit
        if g is not None:  # enlarge while the whole crop frame stays in view
            _, _, gw, gh = g.frame
            scale = max(fit, min(cover, vw / gw, vh / gh))
        w, h = iw * scale, ih * scale
        return QRectF((vw - w) / 2, (vh - h) / 2, w, h)

    def to_view(self, x: float, y: float) -> tuple[float, float]:
        """Camera px -> widget px (mirrored)."""
        r = self.image_rect()
        iw, ih = self.frame_size()
        return r.left() + (iw - x) * r.width() / iw, r.top() + y * r.height() / ih

    def to_frame(self, x: float, y: float) -> tuple[float, float]:
        """Widget px -> camera px (the inverse of :meth:`to_view`)."""
        r = self.image_rect()
        iw, ih = self.frame_size()
        return iw - (x - r.left()) * iw / r.width(), (y - r.top()) * ih / r.height()

    def oval_rect(self) -> QRectF:
        """The head oval in widget px."""
        g = self.guide()
        if g is None:  # no document chosen yet: a generic head-sized oval
            r = self.image_rect()
            h = r.height() * 0.62
            return QRectF(r.center().x() - h * 0.35, r.top() + r.height() * 0.12, h * 0.7, h)
        x, y, w, h = g.oval
        (ax, ay), (bx, by) = self.to_view(x, y), self.to_view(x + w, y + h)
        return QRectF(min(ax, bx), ay, abs(bx - ax), by - ay)

    def eye_y(self) -> float | None:
        g = self.guide()
        return None if g is None else self.to_view(g.centre_x, g.eye_y)[1]

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#222222"))
        if self._image is not None:
            p.setClipRect(self.rect())
            p.drawImage(self.image_rect(), self._image)
        oval = self.oval_rect()
        colour = QColor({"good": GOOD, "bad": BAD}.get(self.state, "#FFD400"))
        if self.state == "good":
            colour = QColor("#2ECC71")  # bright on the dimmed picture
        # dim everything but the oval: the bright place is where the head goes
        outside = QPainterPath()
        outside.addRect(QRectF(self.rect()))
        inside = QPainterPath()
        inside.addEllipse(oval)
        p.fillPath(outside.subtracted(inside), QColor(0, 0, 0, 120))
        pen_w = max(6.0, min(12.0, oval.height() / 45))
        p.setPen(QPen(colour, pen_w, Qt.PenStyle.DashLine if self.state != "good" else Qt.PenStyle.SolidLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(oval)
        eye_y = self.eye_y()
        if eye_y is not None:  # short marks outside the oval: the crown and the eye line
            self._paint_marks(p, oval, eye_y, colour, pen_w)
        if self.countdown is not None:
            self._paint_countdown(p, oval)
        p.end()

    def _paint_marks(self, p: QPainter, oval: QRectF, eye_y: float, colour: QColor, pen_w: float) -> None:
        tick = max(28.0, oval.width() * 0.16)
        pen = QPen(colour, pen_w, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        top, cx = oval.top(), oval.center().x()
        p.drawLine(QPointF(cx - tick, top), QPointF(cx + tick, top))  # crown
        for x0, x1 in ((oval.left() - tick * 1.2, oval.left() - pen_w), (oval.right() + pen_w, oval.right() + tick * 1.2)):
            p.drawLine(QPointF(x0, eye_y), QPointF(x1, eye_y))
        font = QFont(self.font())
        font.setPixelSize(int(max(26, min(44, oval.height() / 11))))
        font.setBold(True)
        p.setFont(font)
        fm = p.fontMetrics()
        pad = 10
        items = (
            (self.labels["crown"], QPointF(cx + tick + pad, top - fm.height() / 2)),
            (self.labels["eyes"], QPointF(oval.right() + tick * 1.2 + pad, eye_y - fm.height() / 2)),
        )
        for text, at in items:
            if not text:
                continue
            box = QRectF(at.x(), at.y(), fm.horizontalAdvance(text) + 2 * pad, fm.height())
            if box.right() > self.width() - 4:  # no room on the right: on the left of the mark
                box.moveRight(oval.left() - tick * 1.2 - pad if text == self.labels["eyes"] else cx - tick - pad)
                if box.left() < 4:  # nor there: above the right-hand mark, inside the view
                    box.moveRight(self.width() - 4)
                    box.moveBottom(at.y() - pad / 2)
            box.moveTop(min(max(box.top(), 4), self.height() - box.height() - 4))
            path = QPainterPath()
            path.addRoundedRect(box, 8, 8)
            p.fillPath(path, QColor(0, 0, 0, 170))
            p.setPen(QColor("#FFFFFF"))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_countdown(self, p: QPainter, oval: QRectF) -> None:
        """The number in a dark disc beside the head (the face stays visible while holding still)."""
        d = min(self.width(), self.height()) * 0.34
        right_room = self.width() - oval.right()
        if right_room >= d + 24:
            c = QPointF(oval.right() + right_room / 2, oval.center().y())
        else:  # narrow view: the lower right corner, over the shoulder
            c = QPointF(self.width() - d / 2 - 16, self.height() - d / 2 - 16)
        font = QFont(self.font())
        font.setPixelSize(int(d * 0.72))
        font.setBold(True)
        p.setFont(font)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(0, 0, 0, 190))  # a dark disc keeps the number readable on any picture
        disc = QRectF(c.x() - d / 2, c.y() - d / 2, d, d)
        p.drawEllipse(disc)
        p.setPen(QColor("#FFFFFF"))
        p.drawText(disc, Qt.AlignmentFlag.AlignCenter, str(self.countdown))
