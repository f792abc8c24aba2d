"""The capture guide: a spec's geometry drawn over the live frame.

Two layers:

* the *guide* — where the head should be: the spec's crop frame at a nominal size centred in the
  camera picture, with the face oval, crown line, eye band, chin line and centre line at the
  spec's target values (output px scaled to frame px);
* the *crop* — the rectangle the spec will actually produce from the current face (the crop
  solver run on the live analysis), dashed.

:func:`guide_for` and :func:`crop_for` are plain math (no Qt) so the kiosk and the tests reuse
them; :func:`paint_overlay` draws with a QPainter. Colours follow the live verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from ..compliance.framing import FACE_PER_HEAD

VERDICT_COLOURS = {
    "good": QColor(46, 204, 113),
    "adjust": QColor(243, 156, 18),
    "bad": QColor(231, 76, 60),
    None: QColor(220, 220, 220),
}


@dataclass(frozen=True)
class Guide:
    """The spec's target geometry in frame px (x right, y down)."""

    frame: tuple[float, float, float, float]  # nominal crop rectangle x, y, w, h
    crown_y: float
    chin_y: float
    eye_band: tuple[float, float]  # y from, y to
    centre_x: float
    oval: tuple[float, float, float, float]  # x, y, w, h of the face oval
    scale: float  # frame px per output px


def _bounded(rng) -> bool:
    return rng is not None and rng.hi < float("inf")


def spec_targets(spec) -> dict[str, float]:
    """Target values of the head in the spec's output px: crown, chin, eye band, centre, face width."""
    w, h = spec.width_px, spec.height_px
    g = spec.geometry
    if _bounded(g.head_height):
        hh = g.head_height.mid
    elif _bounded(g.face_width):
        hh = g.face_width.mid / FACE_PER_HEAD
    elif _bounded(g.inter_eye):
        hh = g.inter_eye.mid * 3.4
    else:
        hh = 0.62 * h
    if _bounded(g.crown_y):
        crown = g.crown_y.mid
    elif _bounded(g.eye_y) and g.eye_y.lo > 0:
        crown = g.eye_y.mid - 0.47 * hh
    elif _bounded(g.chin_margin):
        crown = h - g.chin_margin.mid - hh
    else:
        crown = 0.12 * h
    chin = crown + hh
    if g.eye_y is not None:
        e_lo = g.eye_y.lo if g.eye_y.lo > 0 else crown + 0.40 * hh
        e_hi = g.eye_y.hi if _bounded(g.eye_y) else crown + 0.55 * hh
        e_hi = min(e_hi, crown + 0.60 * hh)
        if e_hi <= e_lo:
            e_lo, e_hi = crown + 0.40 * hh, crown + 0.55 * hh
    else:
        e_lo, e_hi = crown + 0.40 * hh, crown + 0.55 * hh
    centre = g.eye_x.mid if _bounded(g.eye_x) else w / 2
    face_w = g.face_width.mid if _bounded(g.face_width) else FACE_PER_HEAD * hh
    return {"crown": crown, "chin": chin, "eye_lo": e_lo, "eye_hi": e_hi, "centre": centre, "face_w": face_w,
            "head_h": hh}


def guide_for(spec, frame_w: int, frame_h: int, fill: float = 0.92) -> Guide:
    """The spec's guide for a ``frame_w`` x ``frame_h`` picture (crop frame at ``fill`` of the height)."""
    ch = fill * frame_h
    cw = ch * spec.width_px / spec.height_px
    if cw > fill * frame_w:
        cw = fill * frame_w
        ch = cw * spec.height_px / spec.width_px
    x0, y0 = (frame_w - cw) / 2, (frame_h - ch) / 2
    k = ch / spec.height_px
    t = spec_targets(spec)
    top = t["crown"] + 0.06 * t["head_h"]
    oval = (x0 + k * (t["centre"] - t["face_w"] / 2), y0 + k * top, k * t["face_w"], k * (t["chin"] - top))
    return Guide((x0, y0, cw, ch), y0 + k * t["crown"], y0 + k * t["chin"],
                 (y0 + k * t["eye_lo"], y0 + k * t["eye_hi"]), x0 + k * t["centre"], oval, k)


def crop_for(spec, analysis) -> tuple[float, float, float, float] | None:
    """The crop the spec would produce from this analysis, as x, y, w, h in frame px (None without a face)."""
    if analysis is None or spec is None or getattr(analysis, "eye_mid", None) is None:
        return None
    if analysis.chin is None or analysis.crown is None or not analysis.face_width:
        return None
    try:
        from ..imaging.crop import HeadPoints, solve
    except ImportError:
        return None
    w, h = analysis.image_size
    ex, ey = analysis.eye_mid
    pts = HeadPoints(eye_x=ex, eye_y=ey, crown_y=analysis.crown[1], chin_y=analysis.chin[1],
                     face_width=analysis.face_width, inter_eye=analysis.inter_eye or 0.0, image_w=w, image_h=h)
    if pts.head_height <= 0:
        return None
    try:
        sol = solve(spec, pts)
    except (ValueError, ZeroDivisionError):
        return None
    x0, y0, x1, y1 = sol.source_window()
    return (x0, y0, x1 - x0, y1 - y0)


def paint_overlay(p: QPainter, guide: Guide | None, crop, verdict: str | None, to_view,
                  labels: dict[str, str] | None = None, shade: bool = True) -> None:
    """Draw the guide and the crop. ``to_view(x, y) -> QPointF`` maps frame px to widget px."""
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
    # the crop the spec will produce from the current face
    if crop is not None:
        pen = QPen(colour, thin * 1.6)
        pen.setStyle(Qt.PenStyle.DashDotLine)
        p.setPen(pen)
        p.drawRect(rect(*crop))
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
