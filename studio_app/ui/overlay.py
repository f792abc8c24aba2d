"""The capture guide: a spec's geometry drawn over the live frame.

Two layers:

* the *guide* — where the head should be: the spec's crop frame at a nominal size centred in the
  camera picture, with the head oval, crown line, eye band, chin line and centre line at the
  spec's target values (:func:`studio_app.headmodel.guide_shapes`, the kiosk's oval too);
* the *crop* — the photo the pipeline will actually cut from the current face (the live loop's
  :class:`~studio_app.headmodel.SpecCrop`, a tilted rectangle when the head is straightened), dashed.

:func:`paint_overlay` draws with a QPainter. Colours follow the live verdict.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from ..headmodel import GuideShapes, guide_shapes

VERDICT_COLOURS = {
    "good": QColor(46, 204, 113),
    "adjust": QColor(243, 156, 18),
    "bad": QColor(231, 76, 60),
    None: QColor(220, 220, 220),
}


#: The guide's shapes in frame px (the head model's; the kiosk draws the same head).
Guide = GuideShapes
OPERATOR_FILL = 0.92  # the spec's photo frame takes this share of the camera picture


def guide_for(spec, frame_w: int, frame_h: int, fill: float = OPERATOR_FILL) -> Guide:
    """The spec's guide for a ``frame_w`` x ``frame_h`` picture (photo frame at ``fill`` of the height)."""
    return guide_shapes(spec, frame_w, frame_h, fill)


def paint_overlay(p: QPainter, guide: Guide | None, crop, verdict: str | None, to_view,
                  labels: dict[str, str] | None = None, shade: bool = True) -> None:
    """Draw the guide and the crop (``crop``: the photo's corners in frame px, as
    ``SpecCrop.corners()``, or None). ``to_view(x, y) -> QPointF`` maps frame px to widget px."""
    if guide is None:
        return
    colour = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS[None])
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    def rect(x, y, w, h) -> QRectF:
        a, b = to_view(x, y), to_view(x + w, y + h)
        return QRectF(a, b).normalized()

    fx, fy, fw, fh = guide.frame
    frame_rect = rect(fx, fy, fw, fh)
    if shade:  # dim what lies outside the photo
        outer = QPainterPath()
        outer.addRect(QRectF(p.viewport()))
        inner = QPainterPath()
        inner.addRect(frame_rect)
        p.fillPath(outer.subtracted(inner), QColor(0, 0, 0, 90))
    thin = max(1.5, frame_rect.height() / 400)
    # nominal frame
    p.setPen(QPen(QColor(255, 255, 255, 150), thin))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(frame_rect)
    # eye band
    e0, e1 = guide.eye_band
    band = rect(fx, e0, fw, e1 - e0)
    band_colour = QColor(colour)
    band_colour.setAlpha(45)
    p.fillRect(band, QBrush(band_colour))
    # lines: crown, chin, centre
    line_pen = QPen(colour, thin * 1.3)
    p.setPen(line_pen)
    for y in (guide.crown_y, guide.chin_y):
        p.drawLine(to_view(fx, y), to_view(fx + fw, y))
    dash = QPen(colour, thin)
    dash.setStyle(Qt.PenStyle.DashLine)
    p.setPen(dash)
    p.drawLine(to_view(guide.centre_x, fy), to_view(guide.centre_x, fy + fh))
    p.drawLine(to_view(fx, e0), to_view(fx + fw, e0))
    p.drawLine(to_view(fx, e1), to_view(fx + fw, e1))
    # face oval
    p.setPen(QPen(colour, thin * 2.2))
    p.drawEllipse(rect(*guide.oval))
    # the crop the pipeline will make from the current face: its four corners in frame px
    if crop is not None:
        pen = QPen(colour, thin * 1.6)
        pen.setStyle(Qt.PenStyle.DashDotLine)
        p.setPen(pen)
        p.drawPolygon(QPolygonF([to_view(x, y) for x, y in crop]))
    # labels at the right edge of the frame
    if labels:
        font = p.font()
        font.setPixelSize(max(11, int(frame_rect.height() / 38)))
        p.setFont(font)
        for key, y in (("crown", guide.crown_y), ("eyes", (e0 + e1) / 2), ("chin", guide.chin_y)):
            text = labels.get(key)
            if not text:
                continue
            pt = to_view(fx + fw, y)
            box = QRectF(pt.x() + 6, pt.y() - font.pixelSize(), 200, font.pixelSize() * 2)
            p.setPen(QColor(0, 0, 0, 160))
            p.drawText(box.translated(1, 1), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            p.setPen(colour)
            p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
    p.restore()


def frame_to_view(frame_w: int, frame_h: int, view_rect: QRectF):
    """A mapping from frame px to the rectangle where the frame is drawn."""
    sx = view_rect.width() / max(frame_w, 1)
    sy = view_rect.height() / max(frame_h, 1)

    def to_view(x: float, y: float) -> QPointF:
        return QPointF(view_rect.x() + x * sx, view_rect.y() + y * sy)

    return to_view
