"""Light on the face (registered with :func:`.checks.check`): even lighting and shadows (per-spec
limits, :data:`LIGHTING`), low-key light, and exposure.
"""

from __future__ import annotations

import math

import numpy as np

from .. import messages
from ..specs import Spec
from ..vision.types import FaceAnalysis
from .checks import T, _grade, _r, _res, check
from .report import FAIL, FIXABLE, PASS, RETAKE, WARN, CheckResult


# --- light on the face ---------------------------------------------------------------------------
messages.register({
    "check.lighting.low_key": ("低调布光：仅面部受光，背景一片漆黑", "Low-key light: only the face is lit, "
                               "the backdrop is black"),
    "hint.light_room": ("请打开环境灯光，照亮背景", "Light the room and the backdrop too"),
})


def lighting_stops(ratio: float) -> float:
    """The darker/brighter face-half ratio (gamma-encoded luminance) as a lighting ratio in
    stops of linear light (sRGB ~ gamma 2.2): 0 = even, 1 = 2:1, 2 = 4:1."""
    if ratio is None or not math.isfinite(ratio) or ratio <= 0:
        return float("nan")
    return -2.2 * math.log2(min(1.0, ratio))


def _backdrop_luminance(m) -> float:
    rgb = m.background_rgb
    if rgb is None or any(not math.isfinite(v) for v in rgb):
        return float("nan")
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


#: Shadows on the face (vision.appearance), in stops, per ``spec.rules.lighting``. "document"
#: (身份证, 社保卡, passports: 脸部无阴影) and "studio" (1寸/2寸 prints). Measured on the shared
#: portraits and on measured edits of them (docs/compliance-accuracy.md, "Shadows on the face"):
#: - side: the face-half ratio above; even photos 0.0–1.6 stops, a soft side key 1.0–1.6 (3:1,
#:   the usual portrait ratio: a studio print passes it up to 1.7, a document warns above 1)
#: - edge: a step across the central forehead (skin only); photos 0.05–0.54, a fringe 1.8 (warns),
#:   one half of the face x0.45 with a soft edge >= 2.35 on every photo with a skin forehead
#: - brim: forehead darker than the cheeks; photos 0–0.37, a brim's shadow x0.45 >= 0.85
#: - socket: eye sockets darker than the lit skin; photos -0.1–2.4 (5.0 on a turned head),
#:   sockets x0.45 2.0–4.4: overlapping, so it only warns
LIGHTING = {
    "document": dict(side_warn=1.0, side_fail=2.0, edge_warn=1.2, edge_fail=2.0, brim_warn=0.45,
                     brim_fail=0.6, socket_warn=2.5),
    "studio": dict(side_warn=1.7, side_fail=2.5, edge_warn=1.5, edge_fail=2.0, brim_warn=0.7,
                   brim_fail=1.0, socket_warn=3.0),
}

messages.register({
    "check.lighting.shadow_edge": ("半边脸有阴影", "Half of the face in shadow"),
    "check.lighting.brim": ("额头和眼部有阴影（帽檐）", "Shadow over forehead and eyes (brim)"),
    "check.lighting.socket": ("眼窝阴影较深（顶光）", "Dark eye sockets (light from above)"),
    "hint.light_front": ("请正对柔和光源，去掉头顶或侧面的硬光", "Face a soft light; avoid hard light from "
                         "above or one side"),
})


def _shadow_region(a: FaceAnalysis, shadow: str) -> list[int]:
    """Where the shadow is, [x, y, w, h] in image px, for the review's marker: the whole face for
    a half-face shadow, forehead to lower lids for a brim, brows to lower lids for the sockets."""
    pts = np.asarray(a.landmarks, np.float64)
    x0, x1 = float(pts[:, 0].min()), float(pts[:, 0].max())
    y0, y1 = float(pts[:, 1].min()), float(pts[:, 1].max())
    lids = float(max(pts[145, 1], pts[374, 1]))
    if shadow == "brim":
        y1 = lids
    elif shadow == "socket":
        y0 = float(min(pts[52, 1], pts[282, 1], pts[105, 1], pts[334, 1])) - 2
        y1 = lids + 2
    return [int(round(x0)), int(round(y0)), int(round(x1 - x0)), int(round(y1 - y0))]


def _lighting_limits(spec: Spec) -> dict:
    rules = getattr(spec, "rules", None)
    return LIGHTING.get(getattr(rules, "lighting", "document"), LIGHTING["document"])


@check("lighting", RETAKE)
def lighting(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    """Even light on the face (脸部无阴影): the lighting ratio between the face halves, a hard
    shadow line down the face, a brim's shadow over the forehead and eyes, dark eye sockets, and
    low-key light (a lit face against an unlit, black backdrop), with per-spec limits
    (``spec.rules.lighting``). Face exposure is its own check."""
    m = a.measures
    lim = _lighting_limits(spec)
    ratio = m.left_right_ratio
    stops = lighting_stops(ratio)
    side = _grade(stops, lim["side_warn"], lim["side_fail"]) if math.isfinite(stops) else WARN
    f = a.features
    found = []  # (status, key, value, limit): the worst shadow reported
    for key, value, warn, fail in (
            ("shadow_edge", f.get("shadow_edge", float("nan")), lim["edge_warn"], lim["edge_fail"]),
            ("brim", f.get("shadow_brim", float("nan")), lim["brim_warn"], lim["brim_fail"]),
            ("socket", f.get("shadow_socket", float("nan")), lim["socket_warn"], math.inf)):
        if value is not None and math.isfinite(value):
            st = _grade(value, warn, fail)
            if st != PASS:
                found.append((st, key, value, fail if math.isfinite(fail) else warn))
    rank = {PASS: 0, WARN: 1, FAIL: 2}
    worst = max(found, key=lambda t: (rank[t[0]], t[2] - t[3]), default=None)
    if worst is not None and rank[worst[0]] > rank[side]:
        st, key, value, limit = worst
        return _res("lighting", st, round(value, 2), limit, key=f"check.lighting.{key}", hint="hint.light_front",
                    stops=round(value, 2), shadow=key, side_stops=_r(stops, 2), region=_shadow_region(a, key))
    bd = _backdrop_luminance(m)
    if (side != FAIL and math.isfinite(bd) and bd <= T["low_key_backdrop"]
            and m.luminance_mean >= T["lum_dark_fail"]):
        return _res("lighting", FAIL, _r(ratio, 2), T["lr_fail"], key="check.lighting.low_key",
                    hint="hint.light_room", stops=_r(stops, 2), backdrop=round(bd))
    extra = {"region": _shadow_region(a, "shadow_edge")} if side != PASS and a.landmarks is not None else {}
    return _res("lighting", side, _r(ratio, 2), round(2 ** (-lim["side_fail"] / 2.2), 3), hint="hint.light_even",
                stops=_r(stops, 2), **extra)


@check("exposure", FIXABLE)
def exposure(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    m = a.measures
    lum, under, over = m.luminance_mean, m.under_exposed, m.over_exposed
    if lum < T["lum_dark_fail"] or under > T["under_fail"]:
        return _res("exposure", FAIL, round(lum), [T["lum_dark_fail"], T["lum_bright_fail"]], key="check.exposure.dark",
                    hint="hint.more_light", category=RETAKE)
    if lum > T["lum_bright_fail"] or over > T["over_fail"]:
        return _res("exposure", FAIL, round(lum), [T["lum_dark_fail"], T["lum_bright_fail"]], key="check.exposure.bright",
                    hint="hint.less_light", category=RETAKE)
    if lum < T["lum_dark_warn"]:
        return _res("exposure", WARN, round(lum), [T["lum_dark_warn"], T["lum_bright_warn"]], key="check.exposure.dim",
                    hint="hint.more_light")
    if lum > T["lum_bright_warn"] or over > T["over_warn"]:
        return _res("exposure", WARN, round(lum), [T["lum_dark_warn"], T["lum_bright_warn"]], key="check.exposure.glare",
                    hint="hint.less_light")
    return _res("exposure", PASS, round(lum), [T["lum_dark_warn"], T["lum_bright_warn"]])
