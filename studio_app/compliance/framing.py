"""Where the spec's photo would sit in a larger frame: scale and crop window.

Given a :class:`FaceAnalysis` and a :class:`Spec`, :func:`plan_crop` places the spec's output
rectangle over the source image so the head geometry lands in the middle of the spec's ranges.
It tells whether that window fits inside the image (else the person must move), and how much the
source would have to be enlarged (too few pixels). ICAO defaults fill gaps in a spec: chin to
crown 75 % of the height, eye line 55 % of the height above the bottom, eyes centred.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..specs import Spec
from ..vision.types import FaceAnalysis

ICAO_HEAD_FRACTION = (0.70, 0.80)  # chin to crown / image height
ICAO_EYE_FROM_BOTTOM = (0.50, 0.60)  # eye line height above the bottom / image height
CENTRE_TOLERANCE = 0.05  # eye midpoint within ±5 % of the width from the centre when unspecified
#: Face width (cheek to cheek at the ears, as measured) / head height (chin to the top of the hair)
#: of the compliant shared portraits: 0.55–0.75; the guides draw the middle for specs that fix
#: only one of the two (社保卡 and 身份证 give face width only).
FACE_PER_HEAD = 0.65


@dataclass(frozen=True)
class CropPlan:
    scale: float  # output px per source px
    x0: float  # window origin in source px
    y0: float
    width: float  # window size in source px
    height: float
    overflow_left: float  # source px of the window outside the image (0 when inside)
    overflow_right: float
    overflow_top: float
    overflow_bottom: float

    @property
    def fits(self) -> bool:
        return max(self.overflow_left, self.overflow_right, self.overflow_top, self.overflow_bottom) <= 0.5

    def overflow_fraction(self) -> dict[str, float]:
        return {
            "left": self.overflow_left / self.width, "right": self.overflow_right / self.width,
            "top": self.overflow_top / self.height, "bottom": self.overflow_bottom / self.height,
        }


def target_head_height(spec: Spec) -> float:
    geo = spec.geometry
    if geo.head_height is not None and geo.head_height.bounded:
        return geo.head_height.mid
    return spec.height_px * sum(ICAO_HEAD_FRACTION) / 2


def head_range(spec: Spec) -> tuple[float, float]:
    geo = spec.geometry
    if geo.head_height is not None:
        return geo.head_height.lo, geo.head_height.hi
    return spec.height_px * ICAO_HEAD_FRACTION[0], spec.height_px * ICAO_HEAD_FRACTION[1]


def eye_y_range(spec: Spec, default: bool = False) -> tuple[float, float] | None:
    """Eye line from the top edge (output px). A spec that fixes the crown margin and head size
    but not the eye line leaves it to anatomy: ``None`` then, unless ``default`` asks for the
    ICAO range (50–60 % of the height above the bottom)."""
    geo = spec.geometry
    if geo.eye_y is not None:
        return geo.eye_y.lo, geo.eye_y.hi
    if geo.crown_y is not None and not default:
        return None
    h = spec.height_px
    return h * (1 - ICAO_EYE_FROM_BOTTOM[1]), h * (1 - ICAO_EYE_FROM_BOTTOM[0])


def eye_x_range(spec: Spec) -> tuple[float, float]:
    geo = spec.geometry
    if geo.eye_x is not None:
        return geo.eye_x.lo, geo.eye_x.hi
    w = spec.width_px
    return w * (0.5 - CENTRE_TOLERANCE), w * (0.5 + CENTRE_TOLERANCE)


def plan_crop(analysis: FaceAnalysis, spec: Spec) -> CropPlan | None:
    """The spec window over the source image, or ``None`` without a face."""
    if not analysis.has_face or analysis.eye_mid is None:
        return None
    geo = spec.geometry
    head = analysis.head_height
    if geo.face_width is not None and geo.face_width.bounded and geo.head_height is None and analysis.face_width:
        scale = geo.face_width.mid / analysis.face_width
    elif head and head > 0:
        scale = target_head_height(spec) / head
    else:
        return None
    ex, ey = analysis.eye_mid
    eye_x_t = sum(eye_x_range(spec)) / 2
    if geo.crown_y is not None and geo.crown_y.bounded and analysis.crown is not None:
        y0 = analysis.crown[1] - geo.crown_y.mid / scale
    else:
        lo, hi = eye_y_range(spec, default=True)
        y0 = ey - ((lo + hi) / 2 if lo > 0 else 0.9 * hi) / scale
    x0 = ex - eye_x_t / scale
    wdt, hgt = spec.width_px / scale, spec.height_px / scale
    iw, ih = analysis.image_size
    return CropPlan(
        scale=scale, x0=x0, y0=y0, width=wdt, height=hgt,
        overflow_left=max(0.0, -x0), overflow_right=max(0.0, x0 + wdt - iw),
        overflow_top=max(0.0, -y0), overflow_bottom=max(0.0, y0 + hgt - ih),
    )
