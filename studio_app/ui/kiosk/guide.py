"""The kiosk's face guide: where the head must be for the chosen document, in camera-frame px.

The operator window draws the spec's crop frame at a nominal size in the camera picture
(:func:`studio_app.ui.overlay.guide_for`) and the spec's targets scaled into it. The kiosk uses
the same mapping (the same crop frame and scale), but draws one large *head* oval for people who
get no help: its top is the spec's crown target, its bottom the chin target and its width the
face-width target. Whoever fills the oval, in the frame the spec's crop would cut from the
picture, has the spec's head height (or face width), crown margin and eye line.

Head proportions where the spec does not fix them come from the compliant portraits in the shared
test data (MediaPipe analysis): face width (cheek to cheek at the ears) / head height (chin to
the top of the hair) 0.55-0.75, eye line 0.46-0.54 of the head height below the crown. A spec
that fixes only the face width (社保卡, 身份证) gets a head height of face width / 0.65, the
middle of that range, so people at both ends still land inside the face-width band.

Plain math (no Qt): :func:`kiosk_guide` for drawing, :func:`head_targets` for the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

# face width / head height of the person the oval is drawn for (middle of 0.55-0.75 measured),
# shared with the operator overlay
from ...compliance.framing import FACE_PER_HEAD
#: eye line below the crown, as a fraction of the head height (0.46-0.54 measured)
EYES_BELOW_CROWN = 0.50
#: the spec's crop frame takes this fraction of the camera picture's height (or width): large,
#: with room to sit a little high or low before the crop would leave the picture
KIOSK_FILL = 0.86


@dataclass(frozen=True)
class KioskGuide:
    """All in camera-frame px (x right, y down; not mirrored)."""

    frame: tuple[float, float, float, float]  # the spec's crop frame: x, y, w, h
    scale: float  # frame px per output px
    crown_y: float
    chin_y: float
    eye_y: float
    centre_x: float
    oval: tuple[float, float, float, float]  # x, y, w, h: crown to chin, face width wide

    def to_output(self, x: float, y: float) -> tuple[float, float]:
        """Frame px -> the spec photo's output px (through the crop frame)."""
        fx, fy, _, _ = self.frame
        return (x - fx) / self.scale, (y - fy) / self.scale


def _bounded(rng) -> bool:
    return rng is not None and rng.bounded


def head_targets(spec) -> dict[str, float]:
    """Crown, chin, eye line, centre and face width of the guide head, in the spec's output px."""
    from ...compliance import framing

    g = spec.geometry
    if _bounded(g.head_height):
        hh = g.head_height.mid
    elif _bounded(g.face_width):
        hh = g.face_width.mid / FACE_PER_HEAD
    else:
        hh = framing.target_head_height(spec)
    face_w = g.face_width.mid if _bounded(g.face_width) else FACE_PER_HEAD * hh
    eye_rng = framing.eye_y_range(spec)  # None: the spec leaves the eye line to anatomy
    if _bounded(g.crown_y):
        crown = g.crown_y.mid
    elif eye_rng is not None:  # place the head by the eye line (as the crop planner does)
        crown = (eye_rng[0] + eye_rng[1]) / 2 - EYES_BELOW_CROWN * hh
    elif _bounded(g.chin_margin):
        crown = spec.height_px - g.chin_margin.mid - hh
    else:
        crown = 0.10 * spec.height_px
    eye = crown + EYES_BELOW_CROWN * hh
    if eye_rng is not None and eye_rng[0] > 0:
        eye = min(max(eye, eye_rng[0]), eye_rng[1])
    elif eye_rng is not None:
        eye = min(eye, eye_rng[1])
    centre = sum(framing.eye_x_range(spec)) / 2
    return {"crown": crown, "chin": crown + hh, "eye": eye, "centre": centre, "face_w": face_w, "head_h": hh}


def crop_frame(spec, frame_w: int, frame_h: int, fill: float = KIOSK_FILL) -> tuple[tuple[float, float, float, float], float]:
    """The spec's crop frame centred in the picture and its scale (the operator overlay's mapping)."""
    from ..overlay import guide_for

    g = guide_for(spec, frame_w, frame_h, fill=fill)
    return g.frame, g.scale


def kiosk_guide(spec, frame_w: int, frame_h: int, fill: float = KIOSK_FILL) -> KioskGuide:
    (x0, y0, cw, ch), k = crop_frame(spec, frame_w, frame_h, fill)
    t = head_targets(spec)
    oval = (x0 + k * (t["centre"] - t["face_w"] / 2), y0 + k * t["crown"], k * t["face_w"], k * t["head_h"])
    return KioskGuide((x0, y0, cw, ch), k, y0 + k * t["crown"], y0 + k * t["chin"], y0 + k * t["eye"],
                      x0 + k * t["centre"], oval)
