"""The check registry: small pure functions ``(analysis, spec, live) -> CheckResult``.

Each check has a fixed class for its failures (``retake``: pose, eyes, expression, occlusion,
blur, several faces, too few pixels; ``fixable``: background, crop/position within a larger frame,
mild exposure or colour cast) except the geometry checks, which are fixable when the spec's crop
window fits in the image and retake when it does not. Pose limits come from ``spec.pose`` (ICAO
defaults yaw/pitch ±5°, roll ±8°); the other thresholds are in :data:`T`, each with its reason.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import messages
from ..specs import Spec
from ..vision.types import FaceAnalysis
from .. import headmodel
from .report import FAIL, FIXABLE, PASS, RETAKE, WARN, CheckResult

#: Thresholds. Values measured on the shared portraits are noted; they were set from the gap
#: between the groups, not fitted to single photos.
T = {
    # a second face counts when its box is at least this share of the main face's width
    "second_face_width": 0.25,
    # pose: pass within the spec limit, warn up to this multiple of it, fail beyond
    "pose_warn_factor": 2.0,
    # roll of a still beyond the spec limit fails as fixable up to this eye-line angle: the
    # pipeline rotates the photo level (imaging.pipeline straightens up to the same angle).
    # An in-plane rotation is exact: a 15 deg roll of a level portrait reads 12.6-17.8 deg.
    "roll_straighten_max": 25.0,
    # eye aspect ratio (lid gap / eye width): open 0.20–0.46, closed 0.01–0.03 on the portraits
    "eye_open_fail": 0.12, "eye_open_warn": 0.17,
    "blink_fail": 0.6,  # eyeBlink blendshape: closed 0.80, open <= 0.39
    # iris offset within the eye (fraction of eye width)
    "gaze_x_warn": 0.10, "gaze_x_fail": 0.16, "gaze_y_fail": 0.16,
    # inner-lip gap / eye-to-chin distance: closed <= 0.006, parted/teeth 0.039–0.14
    "mouth_warn": 0.015, "mouth_fail": 0.03,
    # smile blendshape (mean of both sides): neutral <= 0.11, faint 0.34–0.6, broad >= 0.69
    "smile_warn": 0.45, "smile_fail": 0.7,
    # spectacle bridge edge score: bare 0.4–1.6, frames 2.9–3.5; not judged on faces under 60 px
    # (a 32-px face read 2.3 from noise)
    "glasses_bridge": 2.2, "glasses_min_face_px": 60,
    # lens area luminance / cheek luminance: sunglasses 0.21, bare/clear >= 0.64
    "tint_fail": 0.45, "tint_warn": 0.55,
    # ...and the eye whites hidden too: p90 luminance inside the lids / cheeks. Sunglasses
    # 0.21-0.25; bare open eyes 0.49-2.05 on the portraits, 0.59-4.4 with crushed blacks (low-key
    # variants, where shadowed sockets read a lens-area ratio of 0.29-0.32)
    "tint_opening": 0.40,
    # share of the eye area that is specular highlight (with glasses)
    "glare_glasses_warn": 0.01, "glare_glasses_fail": 0.03,
    # lighting ratio between the face halves (upper-face skin, 70th percentile), in stops of
    # linear light: 1 stop (2:1) is flat ID lighting, 2 stops (4:1) is dramatic portrait lighting.
    # Measured: even photos 0.0–1.6 stops (a soft key from one side reads 1.0–1.6). The check
    # compares the gamma-encoded ratio (what ``left_right_ratio`` holds): ratio = 2 ** (-stops / 2.2)
    "lr_warn_stops": 1.0, "lr_fail_stops": 2.0,
    "lr_warn": round(2 ** (-1.0 / 2.2), 3), "lr_fail": round(2 ** (-2.0 / 2.2), 3),
    # low-key lighting: the backdrop's median luminance (0–255) in OFIQ's under-exposed band
    # (0–25, the band the exposure check applies to the face) while the face itself is lit.
    # Measured: lit backdrops 62–255, a black low-key backdrop 12.
    "low_key_backdrop": 25,
    # face luminance 0–255
    "lum_dark_fail": 55, "lum_dark_warn": 85, "lum_bright_warn": 200, "lum_bright_fail": 225,
    "under_fail": 0.25, "over_warn": 0.04, "over_fail": 0.12,
    # sharpness (Laplacian / gradient energy on the face at <= 160 px width): blurred 0.037
    "sharp_fail": 0.05, "sharp_warn": 0.075,
    # sharpness along the least detailed direction (motion blur), measured at 160 px face width:
    # sharp portraits with faces >= 160 px 0.64-1.85, the blurry labelled photo 0.35; motion
    # blur of 3-5 % of the face width 0.16-0.57, Gaussian sigma 0.5 % 0.30-0.57. Faces under
    # 160 px are measured at their own size, where sharp ones read from 0.51 (a 91-px face in a
    # group photo): a lower limit there (docs/compliance-accuracy.md, "Blur")
    "sharp_dir_fail": 0.58, "sharp_dir_warn": 0.75, "sharp_dir_fail_small": 0.45, "sharp_dir_warn_small": 0.6,
    # OFIQ natural colour: cheek a* in 5–25, b* in 5–35; warn within 4 units outside
    "a_range": (5.0, 25.0), "b_range": (5.0, 35.0), "colour_margin": 4.0,
    # chroma of the near-neutral backdrop pixels (a*, b*) beyond which the photo has a colour cast
    "cast_warn": 6.0,
    # background plainness (p90 colour difference from a smooth fit): plain <= 2.5, busy 6–45
    "bg_plain_warn": 3.0, "bg_plain_fail": 6.0,
    # CIELAB distance of the backdrop from the spec colour
    "bg_colour_warn": 10.0, "bg_colour_fail": 22.0,
    # resolution: enlargement of the source needed to reach the spec size
    "upscale_warn": 1.05, "upscale_fail": 1.35,
    # crop window overflow tolerated as a padding fix (fraction of the window)
    "overflow_fix_side": 0.10, "overflow_fix_bottom": 0.15, "overflow_fix_top": 0.03,
    # aspect ratio difference from the spec that still counts as "already cropped"
    "aspect_tol": 0.03,
    # brow cover (vision.measures._brow_cover): per column along each brow, distance from skin of
    # the most skin-like patch just above the brow, over the brow's own distance from skin; the
    # median over the columns, mean of both brows. Portraits 0.08–0.54, hair over the outer
    # brows 0.81; brown fringes painted over the brows of 23 portraits 0.64–2.2, painted 0.06–0.10
    # face widths above them mostly <= 0.5 (docs/compliance-accuracy.md, "Eyebrows")
    "brow_cover_fail": 0.75, "brow_cover_warn": 0.55,
    # colour distance (CIELAB, lightness weighted 0.3) of the area over the forehead from both
    # the skin and the brows (hair colour): hair and bald heads 1–17 on the portraits
    "headwear_colour": 35.0,
}


@dataclass(frozen=True)
class CheckDef:
    id: str
    fn: Callable[[FaceAnalysis, Spec, bool], CheckResult]
    category: str
    live: bool  # run in live mode too
    needs_face: bool


REGISTRY: dict[str, CheckDef] = {}


def check(check_id: str, category: str, *, live: bool = True, needs_face: bool = True):
    def deco(fn):
        REGISTRY[check_id] = CheckDef(check_id, fn, category, live, needs_face)
        return fn
    return deco


def _res(cid: str, status: str, measured=None, limit=None, *, key: str | None = None, hint: str | None = None,
         category: str | None = None, direction: str | None = None, **params) -> CheckResult:
    if key is None:
        key = f"check.{cid}.{'pass' if status == PASS else 'fail'}"
    if status == PASS:
        hint = None
        direction = None
    return CheckResult(cid, status, category or REGISTRY[cid].category, measured, limit, key, hint,
                       params, direction)


def _grade(value: float, warn: float, fail: float, higher_is_worse: bool = True) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return WARN
    if higher_is_worse:
        return FAIL if value > fail else WARN if value > warn else PASS
    return FAIL if value < fail else WARN if value < warn else PASS


def _r(x, d=1):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), d)


# --- people -------------------------------------------------------------------------------------
@check("single_face", RETAKE, needs_face=False)
def single_face(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    if not a.has_face:
        return _res("single_face", FAIL, a.face_count, 1, key="check.single_face.none",
                    hint="hint.face_camera", count=a.face_count)
    main = a.faces[0]
    others = [f for f in a.faces[1:] if f.w >= T["second_face_width"] * main.w]
    small = len(a.faces) - 1 - len(others)
    n = 1 + len(others)
    if others:
        return _res("single_face", FAIL, n, 1, key="check.single_face.many", hint="hint.one_person", count=n)
    if small:
        return _res("single_face", WARN, n, 1, key="check.single_face.background", hint="hint.one_person",
                    count=len(a.faces))
    return _res("single_face", PASS, 1, 1, count=1)


# --- framing and geometry -----------------------------------------------------------------------
def _head_clipped(a: FaceAnalysis) -> bool:
    w, h = a.image_size
    pts = a.landmarks
    margin = 0.0
    out = (pts[:, 0].min() < margin or pts[:, 1].min() < margin or pts[:, 0].max() > w - margin
           or pts[:, 1].max() > h - margin)
    return bool(out or a.crown_clipped)


@check("face_in_frame", RETAKE)
def face_in_frame(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    if _head_clipped(a):
        direction = None
        w, h = a.image_size
        pts = a.landmarks
        if a.crown_clipped or pts[:, 1].min() < 0:
            direction = "down"
        elif pts[:, 0].min() < 0:
            direction = "left"  # face cut at image-left: the person moves to their left
        elif pts[:, 0].max() > w:
            direction = "right"
        else:
            direction = "back"
        return _res("face_in_frame", FAIL, "cut", "inside", key="check.face_in_frame.cut",
                    hint=f"hint.move_{direction}", direction=direction, **_box(headmodel.spec_crop(a, spec)))
    plan = headmodel.spec_crop(a, spec)  # the crop the pipeline will make
    if plan is None or plan.fits:
        return _res("face_in_frame", PASS, 0.0, 0.0, **_box(plan))
    of = plan.overflow_fraction()
    worst = max(of, key=of.get)
    measured = round(of[worst] * 100, 1)
    tol = {"left": T["overflow_fix_side"], "right": T["overflow_fix_side"],
           "top": T["overflow_fix_top"], "bottom": T["overflow_fix_bottom"]}
    too_much = any(of[k] > tol[k] for k in of)
    direction = _overflow_direction(of)
    if too_much or live:
        return _res("face_in_frame", FAIL, measured, round(tol[worst] * 100, 1), key=f"check.face_in_frame.margin_{worst}",
                    hint=f"hint.move_{direction}", direction=direction, side=worst, percent=measured, **_box(plan))
    return _res("face_in_frame", WARN, measured, round(tol[worst] * 100, 1), key=f"check.face_in_frame.pad_{worst}",
                category=FIXABLE, side=worst, percent=measured, **_box(plan))


def _box(plan) -> dict:
    """The judged crop's window (straightened picture px), so a report shows what it judged."""
    return {} if plan is None else {"box": [round(v, 1) for v in plan.window]}


def _overflow_direction(of: dict[str, float]) -> str:
    vertical = of["top"] > 0 and of["bottom"] > 0
    horizontal = of["left"] > 0 and of["right"] > 0
    if vertical or horizontal:
        return "back"
    worst = max(of, key=of.get)
    # camera frames are not mirrored: a window spilling over the image-left edge means the
    # person sits too far to their right, so they move to their left
    return {"left": "left", "right": "right", "top": "down", "bottom": "up"}[worst]


@check("resolution", RETAKE)
def resolution(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    plan = headmodel.spec_crop(a, spec)
    if plan is None:
        return _res("resolution", WARN, None, None, key="check.resolution.unknown")
    up = plan.scale
    limit = T["upscale_fail"]
    if up > limit:
        return _res("resolution", FAIL, round(up, 2), limit, hint="hint.move_closer", direction="closer",
                    need=int(round(plan.width)), spec_w=spec.width_px)
    if up > T["upscale_warn"]:
        return _res("resolution", WARN, round(up, 2), limit, key="check.resolution.warn", category=FIXABLE,
                    need=int(round(plan.width)), spec_w=spec.width_px)
    return _res("resolution", PASS, round(up, 2), limit, need=int(round(plan.width)), spec_w=spec.width_px)


def _as_is_scale(a: FaceAnalysis, spec: Spec) -> tuple[float, float]:
    w, h = a.image_size
    return spec.width_px / w, spec.height_px / h


def _geometry_category(a: FaceAnalysis, spec: Spec) -> str:
    """Geometry failures are fixable by cropping when the spec window fits (or nearly fits)."""
    if _head_clipped(a):
        return RETAKE
    plan = headmodel.spec_crop(a, spec)
    if plan is None:
        return RETAKE
    of = plan.overflow_fraction()
    ok = (of["left"] <= T["overflow_fix_side"] and of["right"] <= T["overflow_fix_side"]
          and of["top"] <= T["overflow_fix_top"] and of["bottom"] <= T["overflow_fix_bottom"])
    return FIXABLE if ok and plan.scale <= T["upscale_fail"] else RETAKE


def _range_result(cid: str, value: float, lo: float, hi: float, a: FaceAnalysis, spec: Spec,
                  hint: str, direction: str | None = None, **params) -> CheckResult:
    limit = [round(lo, 1), None if not math.isfinite(hi) else round(hi, 1)]
    if lo <= value <= hi:
        return _res(cid, PASS, round(value, 1), limit, **params)
    return _res(cid, FAIL, round(value, 1), limit, hint=hint, category=_geometry_category(a, spec),
                direction=direction, **params)


@check("aspect_ratio", FIXABLE, live=False)
def aspect_ratio(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    w, h = a.image_size
    got, want = w / h, spec.width_px / spec.height_px
    diff = abs(got / want - 1)
    status = PASS if diff <= T["aspect_tol"] else FAIL
    return _res("aspect_ratio", status, f"{w}x{h}", f"{spec.width_px}x{spec.height_px}", hint="hint.crop",
                category=FIXABLE if status == PASS else _geometry_category(a, spec) if a.has_face else RETAKE,
                w=w, h=h, sw=spec.width_px, sh=spec.height_px)


@check("head_size", FIXABLE, live=False)
def head_size(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    sx, sy = _as_is_scale(a, spec)
    geo = spec.geometry
    if geo.face_width is not None and geo.head_height is None:
        value = (a.face_width or 0) * sx
        lo, hi = geo.face_width.lo, geo.face_width.hi
        what = "face_width"
    else:
        value = (a.head_height or 0) * sy
        lo, hi = headmodel.head_range(spec)
        what = "head_height"
    direction = "closer" if value < lo else "back"
    return _range_result("head_size", value, lo, hi, a, spec, "hint.crop", direction, what=what)


@check("crown_margin", FIXABLE, live=False)
def crown_margin(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    sx, sy = _as_is_scale(a, spec)
    value = a.crown[1] * sy
    lo, hi = headmodel.crown_range(spec)  # the spec's, else ICAO's 3–15 % of the height
    return _range_result("crown_margin", value, lo, hi, a, spec, "hint.crop")


@check("eye_line", FIXABLE, live=False)
def eye_line(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    sx, sy = _as_is_scale(a, spec)
    value = a.eye_mid[1] * sy
    rng = headmodel.eye_y_range(spec)
    if rng is None:
        return _res("eye_line", PASS, round(value, 1), None, key="check.eye_line.free")
    return _range_result("eye_line", value, rng[0], rng[1], a, spec, "hint.crop")


@check("horizontal_centre", FIXABLE, live=False)
def horizontal_centre(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    sx, sy = _as_is_scale(a, spec)
    value = a.eye_mid[0] * sx
    lo, hi = headmodel.eye_x_range(spec)
    direction = "right" if value < lo else "left"
    return _range_result("horizontal_centre", value, lo, hi, a, spec, "hint.crop", direction)


# --- pose -----------------------------------------------------------------------------------------
def _pose(cid: str, value: float | None, limit: float, pos_dir: str, neg_dir: str) -> CheckResult:
    if value is None:
        return _res(cid, WARN, None, limit, key="check.pose.unknown")
    factor = T["pose_warn_factor"]
    mag = abs(value)
    direction = neg_dir if value > 0 else pos_dir
    status = PASS if mag <= limit else WARN if mag <= factor * limit else FAIL
    return _res(cid, status, round(value, 1), limit, hint=f"hint.{direction}", direction=direction,
                angle=round(value, 1), lim=limit)


@check("yaw", RETAKE)
def yaw(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    # + yaw = face turned to image right (the person's left): they turn back to their right
    return _pose("yaw", a.yaw, spec.pose.yaw, "turn_left", "turn_right")


@check("pitch", RETAKE)
def pitch(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    return _pose("pitch", a.pitch, spec.pose.pitch, "chin_up", "chin_down")


messages.register({
    "check.roll.straighten": ("头部歪斜 {angle}°（允许 ±{lim}°）：输出时将自动扶正",
                              "Head tilted sideways {angle}° (allowed ±{lim}°): the export is straightened"),
    "hint.straightened": ("输出时自动扶正", "Straightened in the export"),
})


@check("roll", RETAKE)
def roll(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    # + roll = clockwise in the (un-mirrored) image = head leaning towards the person's left
    # shoulder: they straighten by tilting towards their right
    res = _pose("roll", a.roll, spec.pose.roll, "tilt_left", "tilt_right")
    if live or a.roll is None or abs(a.roll) <= spec.pose.roll:
        return res
    # a still: any roll beyond the limit fails (the warn band would let a 13 deg tilt through to
    # the export); rotating the photo fixes it when the tilt is within the straightening range
    eyes = a.eye_line_angle if a.eye_line_angle is not None else a.roll
    # (a crop that cannot fit is face_in_frame's failure, not this one's)
    if abs(eyes) <= T["roll_straighten_max"]:
        return dataclasses.replace(res, status=FAIL, category=FIXABLE, message_key="check.roll.straighten",
                                   hint_key="hint.straightened")
    return dataclasses.replace(res, status=FAIL, category=RETAKE)


# --- eyes, mouth, expression ------------------------------------------------------------------------
@check("eyes_open", RETAKE)
def eyes_open(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    f = a.features
    if "eye_open_left" not in f:
        return _res("eyes_open", WARN, None, T["eye_open_fail"], key="check.eyes_open.unknown")
    ear = min(f.get("eye_open_left", 0.0), f.get("eye_open_right", 0.0))
    blink = max(a.blendshapes.get("eyeBlinkLeft", 0.0), a.blendshapes.get("eyeBlinkRight", 0.0))
    if ear < T["eye_open_fail"] or (blink > T["blink_fail"] and ear < T["eye_open_warn"]):
        status = FAIL
    elif ear < T["eye_open_warn"] or blink > T["blink_fail"]:
        status = WARN
    else:
        status = PASS
    return _res("eyes_open", status, round(ear, 3), T["eye_open_fail"], hint="hint.open_eyes")


@check("gaze", RETAKE)
def gaze(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    gx, gy = a.features.get("gaze_x", 0.0), a.features.get("gaze_y", 0.0)
    ear = min(a.features.get("eye_open_left", 0.0), a.features.get("eye_open_right", 0.0))
    if "eye_open_left" not in a.features or ear < T["eye_open_fail"]:
        return _res("gaze", WARN, None, T["gaze_x_fail"], key="check.gaze.unknown")
    mag = abs(gx)
    status = FAIL if (mag > T["gaze_x_fail"] or abs(gy) > T["gaze_y_fail"]) else WARN if mag > T["gaze_x_warn"] else PASS
    return _res("gaze", status, round(gx, 3), T["gaze_x_fail"], hint="hint.look_camera")


@check("mouth_closed", RETAKE)
def mouth_closed(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    m = a.features.get("mouth_open", 0.0)
    return _res("mouth_closed", _grade(m, T["mouth_warn"], T["mouth_fail"]), round(m, 3), T["mouth_fail"],
                hint="hint.close_mouth")


@check("expression", RETAKE)
def expression(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    b = a.blendshapes
    smile = (b.get("mouthSmileLeft", 0.0) + b.get("mouthSmileRight", 0.0)) / 2
    return _res("expression", _grade(smile, T["smile_warn"], T["smile_fail"]), round(smile, 2), T["smile_fail"],
                hint="hint.neutral")


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
    from .checks_headwear import headwear_result  # colour and cloth smoothness (issue 16)

    return headwear_result(a, spec)


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


# --- light and image quality ----------------------------------------------------------------------
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


def _lab(rgb) -> np.ndarray:
    from .. import imageops

    px = np.array([[rgb]], dtype=np.float32) / 255.0
    return imageops.rgb_to_lab(px)[0, 0]


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


# --- running ---------------------------------------------------------------------------------------
ORDER = (
    "single_face", "face_in_frame", "resolution", "aspect_ratio", "head_size", "crown_margin",
    "eye_line", "horizontal_centre", "yaw", "pitch", "roll", "eyes_open", "gaze", "mouth_closed",
    "expression", "eyebrows_visible", "ears_visible", "headwear", "tinted_glasses", "glasses_glare",
    "lighting", "exposure", "sharpness", "natural_colour", "background_plain", "background_colour",
)


def complete(analysis: FaceAnalysis) -> FaceAnalysis:
    """Fill what the checks need but a hand-made analysis may lack (eye centres, chin, crown,
    face width, landmark ratios), from the landmarks. Analyses from FaceAnalyzer are complete."""
    if not analysis.has_face:
        return analysis
    from ..vision import geometry as vg

    pts = np.asarray(analysis.landmarks, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[0] < 468:
        return analysis
    changes: dict = {}
    if analysis.eye_left is None or analysis.eye_right is None:
        el, er = vg.eye_centre(pts, vg.EYE_IMG_LEFT), vg.eye_centre(pts, vg.EYE_IMG_RIGHT)
        if el[0] > er[0]:
            el, er = er, el
        changes.update(eye_left=el, eye_right=er)
    if analysis.chin is None:
        changes["chin"] = (float(pts[vg.CHIN, 0]), float(pts[vg.CHIN, 1]))
    if analysis.crown is None:
        changes["crown"] = vg.crown_from_landmarks(pts)
    if analysis.face_width is None:
        changes["face_width"] = float(np.hypot(*(pts[vg.CHEEK_IMG_RIGHT, :2] - pts[vg.CHEEK_IMG_LEFT, :2])))
    if not analysis.faces:
        x0, y0 = float(pts[:, 0].min()), float(pts[:, 1].min())
        from ..vision.types import FaceBox

        changes["faces"] = (FaceBox(x0, y0, float(pts[:, 0].max() - x0), float(pts[:, 1].max() - y0), 1.0),)
    feats = dict(analysis.features)
    if "eye_open_left" not in feats and pts.shape[0] >= 478:
        gx, gy = vg.gaze_offsets(pts)
        feats.update(eye_open_left=vg.eye_openness(pts, vg.EYE_IMG_LEFT),
                     eye_open_right=vg.eye_openness(pts, vg.EYE_IMG_RIGHT),
                     mouth_open=vg.mouth_openness(pts), gaze_x=gx, gaze_y=gy)
        changes["features"] = feats
    if analysis.roll is None and (analysis.eye_left or changes.get("eye_left")):
        el = changes.get("eye_left", analysis.eye_left)
        er = changes.get("eye_right", analysis.eye_right)
        changes["roll"] = vg.roll_from_eyes(el, er)
    return dataclasses.replace(analysis, **changes) if changes else analysis


def run_checks(analysis: FaceAnalysis, spec: Spec, live: bool = False,
               only: tuple[str, ...] | None = None):
    """Every registered check on ``analysis`` for ``spec``; live mode runs the live subset.

    Without a face only the face-independent checks run (single face fails, so the report is
    not ok and needs a retake).
    """
    from .report import ComplianceReport

    analysis = complete(analysis)
    ids = [i for i in ORDER if i in REGISTRY] + [i for i in REGISTRY if i not in ORDER]
    results = []
    for cid in ids:
        d = REGISTRY[cid]
        if only is not None and cid not in only:
            continue
        if live and not d.live:
            continue
        if d.needs_face and not analysis.has_face:
            continue
        if d.needs_face and analysis.measures is None and cid in (
                "lighting", "exposure", "sharpness", "natural_colour", "background_plain", "background_colour"):
            continue
        results.append(d.fn(analysis, spec, live))
    return ComplianceReport(tuple(results), spec.id, live)
