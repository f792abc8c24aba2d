"""What covers the face (registered with :func:`.checks.check`): hair over the eyebrows and ears,
headwear, tinted glasses and glare on glasses. Measures: :mod:`studio_app.vision.occlusion` and
:mod:`studio_app.vision.eyewear`.
"""

from __future__ import annotations

import math

from ..specs import Spec
from ..vision.types import FaceAnalysis
from .checks import T, _grade, _res, check
from .report import FAIL, PASS, RETAKE, WARN, CheckResult


# --- occlusion ------------------------------------------------------------------------------------
@check("eyebrows_visible", RETAKE)
def eyebrows_visible(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    cover = a.features.get("brow_cover", float("nan"))
    if math.isnan(cover):
        return _res("eyebrows_visible", WARN, None, T["brow_cover_fail"], key="check.eyebrows_visible.unknown")
    return _res("eyebrows_visible", _grade(cover, T["brow_cover_warn"], T["brow_cover_fail"]), round(cover, 2),
                T["brow_cover_fail"], hint="hint.hair_brows")


@check("ears_visible", RETAKE)
def ears_visible(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    vis = a.features.get("ears_skin", float("nan"))
    if math.isnan(vis):
        return _res("ears_visible", WARN, None, 0.35, key="check.ears_visible.unknown")
    # advisory only: warn, never fail (many documents do not require visible ears)
    status = PASS if vis >= 0.35 else WARN
    return _res("ears_visible", status, round(vis, 2), 0.35, hint="hint.hair_ears")


@check("headwear", RETAKE)
def headwear(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    score = a.features.get("headwear", float("nan"))
    if math.isnan(score):
        return _res("headwear", PASS, None, T["headwear_colour"])
    status = FAIL if score > T["headwear_colour"] else PASS
    # customary headwear (少数民族, religious) is allowed by most documents when the face is
    # uncovered: the failure carries a flag the operator can confirm in the review
    confirmable = status == FAIL and bool(getattr(getattr(spec, "rules", None), "customary_headwear", True))
    return _res("headwear", status, round(score, 1), T["headwear_colour"], hint="hint.remove_hat",
                **({"confirmable": True} if confirmable else {}))


def tinted_lenses(a: FaceAnalysis) -> bool:
    """Dark lenses: the lens area dark against the cheeks and the eye whites hidden behind it
    (a shadowed eye socket in low-key light is dark too, but its whites still show)."""
    return (a.features.get("eye_darkness", 1.0) < T["tint_fail"]
            and a.features.get("eye_opening_light", 0.0) < T["tint_opening"])


def has_glasses(a: FaceAnalysis) -> bool:
    """Spectacle frames across the nose bridge (faces too small to tell count as no glasses),
    or dark lenses (so no check says "no glasses" next to "tinted glasses")."""
    frames = (a.features.get("glasses_bridge", 0.0) > T["glasses_bridge"]
              and (a.face_width or 0.0) >= T["glasses_min_face_px"])
    return frames or tinted_lenses(a)


@check("tinted_glasses", RETAKE)
def tinted_glasses(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    dark = a.features.get("eye_darkness", 1.0)
    glasses = has_glasses(a)
    if tinted_lenses(a):
        status = FAIL
    elif glasses and dark < T["tint_warn"]:
        status = WARN
    else:
        status = PASS
    return _res("tinted_glasses", status, round(dark, 2), T["tint_fail"], hint="hint.remove_glasses",
                direction="remove_glasses")


@check("glasses_glare", RETAKE)
def glasses_glare(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    glasses = has_glasses(a)
    g = a.measures.glare_glasses if a.measures else 0.0
    if not glasses:
        return _res("glasses_glare", PASS, round(g, 3), T["glare_glasses_fail"], key="check.glasses_glare.none")
    status = _grade(g, T["glare_glasses_warn"], T["glare_glasses_fail"])
    if status == PASS and tinted_lenses(a):
        return _res("glasses_glare", PASS, round(g, 3), T["glare_glasses_fail"])  # not "clear glasses"
    if status == PASS:
        # clear glasses without glare pass, but live guidance may still suggest taking them off
        return _res("glasses_glare", PASS, round(g, 3), T["glare_glasses_fail"], key="check.glasses_glare.clear")
    return _res("glasses_glare", status, round(g, 3), T["glare_glasses_fail"], hint="hint.remove_glasses",
                direction="remove_glasses")
