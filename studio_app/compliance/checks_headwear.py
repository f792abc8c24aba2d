"""The headwear check (registered in :mod:`checks` as ``headwear``): a covering over the head
fails as a retake. Measures: the colour over the forehead (``headwear``, vision.occlusion) and
the smoothness of the layer over the head (``cover_*``, :mod:`studio_app.vision.headwear`).

- colour: the area over the forehead differs from both skin and hair by more than
  ``T["headwear_colour"]`` (a red cap, a white scarf on dark hair);
- cloth: a dark layer at least ``COVER["thickness"]`` face widths thick over the head whose fine
  texture is under ``COVER["texture"]`` times the cheeks' (a black wrap, a dark cap: hair has
  strands, cloth is as smooth as skin). Light layers are left to the colour measure: a bald
  scalp's highlight is smooth and light too.

Customary headwear (少数民族, religious) is allowed by most documents when the face is uncovered:
where the spec allows it (``[spec.rules] customary_headwear``, default true) the failure carries
``params["confirmable"]``; the operator confirms it in the review and the confirmation is recorded
with the order (:func:`studio_app.compliance.finished.confirm`). The kiosk has no operator: there
it stays a retake.
"""

from __future__ import annotations

import math

from .. import messages
from ..specs import Spec
from ..vision import geometry as g
from ..vision.types import FaceAnalysis
from . import display
from .checks import T, _res
from .report import FAIL, PASS, CheckResult

#: Cloth over the head. Measured on the shared portraits (docs/compliance-accuracy.md): texture
#: (layer / cheeks) of the black wrap 1.01 and the dark cap 0.94; dark hair 2.22 (slicked back,
#: df_dicaprio_studio) to 7.5; the limit is their geometric mean. Thickness: the layer over the
#: skin, face widths (grey hair combed flat, fr_biden_busy 0.03; caps and wraps 0.18-0.27).
#: Lightness: CIELAB L of the layer (the cap 44; bald scalps and light hair 80+).
COVER = {"texture": 1.5, "thickness": 0.08, "lightness": 55.0}

messages.register({
    "check.headwear.cover": ("疑似戴深色帽子或头巾", "Dark cap or head covering"),
    "display.help.headwear": (
        "两项：额头上方区域与皮肤和头发的色差（ΔE，CIELAB）超过 35 疑似帽子或头饰；头顶深色覆盖层的细纹理"
        "不到脸颊的 1.5 倍（布料光滑，头发有发丝）判为帽子或头巾。允许民族或宗教头饰的证件由操作员核实确认。",
        "Two measures: the area over the forehead differs from skin and hair by more than ΔE 35 (CIELAB): "
        "a hat or head covering; or a dark layer over the head has under 1.5 times the cheeks' fine texture "
        "(cloth is smooth, hair has strands): a cap or wrap. Where a document allows customary or religious "
        "headwear the operator confirms it."),
})


def covered(a: FaceAnalysis) -> bool:
    """A smooth dark layer over the head (cloth, not hair); False when not measured."""
    f = a.features
    tex, thick, light = (f.get(k, math.nan) for k in ("cover_texture", "cover_thickness", "cover_lightness"))
    if not all(math.isfinite(v) for v in (tex, thick, light)):
        return False
    return tex < COVER["texture"] and thick >= COVER["thickness"] and light < COVER["lightness"]


def _region(a: FaceAnalysis) -> list[int] | None:
    """The top of the head, crown to the brows, [x, y, w, h] image px (the review's marker)."""
    if a.landmarks is None or a.crown is None or not a.face_width:
        return None
    fw = a.face_width
    x = float(a.landmarks[10, 0])
    brow = float(a.landmarks[list(g.BROW_IMG_LEFT[:5]) + list(g.BROW_IMG_RIGHT[:5]), 1].min())
    top = max(0.0, float(a.crown[1]))
    return [int(max(0.0, x - 0.6 * fw)), int(top), int(1.2 * fw), int(max(1.0, brow - top))]


def headwear_result(a: FaceAnalysis, spec: Spec) -> CheckResult:
    score = a.features.get("headwear", math.nan)
    cloth = covered(a)
    tex = a.features.get("cover_texture", math.nan)
    if math.isnan(score) and not cloth:
        return _res("headwear", PASS, None, T["headwear_colour"])
    coloured = not math.isnan(score) and score > T["headwear_colour"]
    status = FAIL if coloured or cloth else PASS
    confirmable = status == FAIL and bool(getattr(getattr(spec, "rules", None), "customary_headwear", True))
    extra: dict = {"texture": round(tex, 2)} if math.isfinite(tex) else {}
    if status == FAIL:
        region = _region(a)
        if region is not None:
            extra["region"] = region
        if confirmable:
            extra["confirmable"] = True
    key = "check.headwear.cover" if cloth and not coloured else None
    return _res("headwear", status, None if math.isnan(score) else round(score, 1), T["headwear_colour"],
                key=key, hint="hint.remove_hat", cloth=cloth, **extra)


_colour_value = display.FORMATS["headwear"].value  # the colour measure's wording


def _headwear_value(r, lang, a) -> str:
    """The cloth failure in words with its texture; otherwise the colour measure's wording."""
    params = r.params or {}
    if not params.get("cloth"):
        return _colour_value(r, lang, a)
    tex = display._num(params.get("texture"))
    text = display._say(lang, "display.headwear.cloth")
    if tex is None:
        return text
    return text + display._say(lang, "display.headwear.texture", t=display._n(tex, 1)) + \
        display._lim(lang, f"≥ {display._n(COVER['texture'], 1)}×")


messages.register({
    "display.headwear.cloth": ("疑似深色帽子/头巾", "Possible dark cap or wrap"),
    "display.headwear.texture": ("，纹理 {t}×", ", texture {t}×"),
})
display.FORMATS["headwear"] = display.Entry(_headwear_value)
