"""Appearance checks beyond the face (registered with :data:`checks.REGISTRY`): the clothing
against the backdrop the export will have. Measures: :mod:`studio_app.vision.appearance`.

身份证 and 社保卡 centres reject white or pale tops on their white backdrop: once the backdrop is
replaced the shoulders vanish into it and the head floats. Specs that forbid it say so with
``[spec.rules] clothing_contrast = true``; for the others the check warns, so the export never
shows a floating head without saying so.
"""

from __future__ import annotations

import math

import numpy as np

from .. import messages
from ..specs import Spec
from ..vision.types import FaceAnalysis
from . import display
from .checks import _lab, _res, check
from .report import FAIL, PASS, RETAKE, WARN, CheckResult

#: CIELAB distance of the clothing's median colour from the spec's backdrop colour. Measured on
#: the shared portraits against white: white T-shirts 2.1–12.6 (ldn_*, ar_*), a pale blue top 29.5
#: (zoom_45cm), a white shirt under a grey suit 26.6 (df_damon_white), dark and coloured
#: clothing 44–95. Below ``fail`` the top merges with the backdrop; up to ``warn`` it is pale.
CLOTHING = {"fail": 20.0, "warn": 30.0}

messages.register({
    "check.clothing": ("上衣与背景区分", "Top vs backdrop"),
    "check.clothing.pass": ("上衣与背景区分明显", "Top stands out"),
    "check.clothing.fail": ("上衣与背景同色（头像悬空）", "Top matches the backdrop (head floats)"),
    "check.clothing.pale": ("上衣偏浅，接近背景色", "Pale top, near the backdrop colour"),
    "check.clothing.unknown": ("看不到上衣，无法判断", "No clothing in view to judge"),
    "hint.darker_top": ("请换深色上衣", "Please change into a darker top"),
})


@check("clothing", RETAKE, live=False)
def clothing(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    f = a.features
    lab = np.array([f.get("clothing_l", math.nan), f.get("clothing_a", math.nan), f.get("clothing_b", math.nan)])
    if not np.all(np.isfinite(lab)):
        return _res("clothing", PASS, None, CLOTHING["fail"], key="check.clothing.unknown")
    backdrop = spec.default_background
    d = float(np.linalg.norm(lab - _lab(backdrop.rgb)))
    strict = bool(getattr(getattr(spec, "rules", None), "clothing_contrast", False))
    if d < CLOTHING["fail"]:
        status, key = (FAIL, "check.clothing.fail") if strict else (WARN, "check.clothing.fail")
    elif d < CLOTHING["warn"]:
        status, key = WARN, "check.clothing.pale"
    else:
        status, key = PASS, "check.clothing.pass"
    extra = {"region": _clothing_region(a)} if status != PASS else {}
    return _res("clothing", status, round(d, 1), CLOTHING["fail"], key=key, hint="hint.darker_top",
                colour=backdrop.label_zh if messages.language() != "en" else backdrop.name, strict=strict, **extra)


def _clothing_region(a: FaceAnalysis) -> list[int]:
    """The shoulders and chest under the chin, [x, y, w, h] in image px (the review's marker)."""
    w, h = a.image_size
    fw = a.face_width or 1.0
    cx, cy = a.chin
    x0, x1 = max(0.0, cx - 1.3 * fw), min(float(w), cx + 1.3 * fw)
    y0 = min(float(h) - 1, cy + 0.25 * fw)
    return [int(x0), int(y0), int(x1 - x0), int(h - y0)]


def _clothing_value(r, lang, a) -> str:
    v = display._num(r.measured)
    if v is None:
        return display._say(lang, "display.clothing.unknown")
    return display._say(lang, "display.clothing", d=display._n(v)) + \
        display._lim(lang, f"≥ {display._n(CLOTHING['warn'])}")


messages.register({
    "display.clothing.unknown": ("看不到上衣", "No clothing in view"),
    "display.clothing": ("与背景差 ΔE {d}", "vs backdrop ΔE {d}"),
})
messages.register({"display.help.clothing": (
    "上衣颜色与成片背景色的色差 ΔE（CIELAB）：20 以下几乎同色（头像像悬空），身份证、社保卡不合格、其他规格提醒；"
    "20–30 偏浅提醒。",
    "Colour difference ΔE (CIELAB) between the clothing and the finished photo's backdrop: below 20 "
    "they merge (the head floats): ID and social security cards fail, other specs warn; 20–30 is pale.")})
display.FORMATS["clothing"] = display.Entry(_clothing_value)
