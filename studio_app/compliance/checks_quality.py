"""Image quality (registered with :func:`.checks.check`): sharpness (with motion blur), natural
skin colour and colour cast, a plain backdrop of the spec's colour.
"""

from __future__ import annotations

import math

import numpy as np

from .. import messages
from ..specs import Spec
from ..vision.types import FaceAnalysis
from .checks import T, _grade, _lab, _r, _res, check
from .report import FAIL, FIXABLE, PASS, RETAKE, WARN, CheckResult


# --- sharpness, colour, backdrop ------------------------------------------------------------------
@check("sharpness", RETAKE)
def sharpness(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    s = a.measures.sharpness
    status = _grade(s, T["sharp_warn"], T["sharp_fail"], higher_is_worse=False)
    d = a.measures.sharpness_min_direction
    if math.isfinite(d):  # motion blur: one direction smeared
        from ..vision.measures import SHARPNESS_FACE_WIDTH

        small = (a.face_width or 0.0) < SHARPNESS_FACE_WIDTH
        warn, fail = ((T["sharp_dir_warn_small"], T["sharp_dir_fail_small"]) if small
                      else (T["sharp_dir_warn"], T["sharp_dir_fail"]))
        worse = _grade(d, warn, fail, higher_is_worse=False)
        status = FAIL if FAIL in (status, worse) else WARN if WARN in (status, worse) else PASS
    if live and status == FAIL:
        status = WARN  # motion blur in one frame is not worth a hint; the still is re-checked
    return _res("sharpness", status, _r(s, 3), T["sharp_fail"], hint="hint.hold_still")


@check("natural_colour", FIXABLE, live=False)
def natural_colour(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    _, av, bv = a.measures.cheek_lab
    (alo, ahi), (blo, bhi), margin = T["a_range"], T["b_range"], T["colour_margin"]
    if any(math.isnan(v) for v in (av, bv)):
        return _res("natural_colour", WARN, None, None, key="check.natural_colour.unknown")
    da = max(alo - av, av - ahi, 0.0)
    db = max(blo - bv, bv - bhi, 0.0)
    worst = max(da, db)
    status = PASS if worst == 0 else WARN if worst <= margin else FAIL
    cast = a.measures.colour_cast
    if status == PASS and all(math.isfinite(c) for c in cast) and math.hypot(*cast) > T["cast_warn"]:
        # the skin looks plausible but the neutral backdrop is tinted: a cast the correction removes
        return _res("natural_colour", WARN, [round(av, 1), round(bv, 1)], [[alo, ahi], [blo, bhi]],
                    key="check.natural_colour.cast", hint="hint.colour", a=round(cast[0], 1), b=round(cast[1], 1))
    return _res("natural_colour", status, [round(av, 1), round(bv, 1)], [[alo, ahi], [blo, bhi]],
                hint="hint.colour", a=round(av, 1), b=round(bv, 1))


@check("background_plain", FIXABLE, live=False)
def background_plain(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    p = a.measures.background_plainness
    if p is None or math.isnan(p):
        return _res("background_plain", WARN, None, T["bg_plain_fail"], key="check.background_plain.unknown")
    return _res("background_plain", _grade(p, T["bg_plain_warn"], T["bg_plain_fail"]), round(p, 1),
                T["bg_plain_fail"], hint="hint.background")


@check("background_colour", FIXABLE, live=False)
def background_colour(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    rgb = a.measures.background_rgb
    if rgb is None or any(math.isnan(v) for v in rgb):
        return _res("background_colour", WARN, None, T["bg_colour_fail"], key="check.background_colour.unknown")
    lab = _lab(rgb)
    dists = [(float(np.linalg.norm(lab - _lab(b.rgb))), b) for b in spec.backgrounds]
    d, best = min(dists, key=lambda t: t[0])
    status = _grade(d, T["bg_colour_warn"], T["bg_colour_fail"])
    return _res("background_colour", status, round(d, 1), T["bg_colour_fail"], hint="hint.background",
                colour=best.label_zh if messages.language() != "en" else best.name, hex=best.hex,
                measured_hex="#{:02X}{:02X}{:02X}".format(*(int(round(v)) for v in rgb)))
