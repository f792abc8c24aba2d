"""Who and where (registered with :func:`.checks.check`): one person, the whole head in the picture,
enough pixels, and the crop geometry (aspect ratio, head size, crown margin, eye line, centring).
Geometry failures are fixable when the spec's crop window fits; the crop is :mod:`studio_app.headmodel`'s.
"""

from __future__ import annotations

import math

from .. import headmodel
from ..specs import Spec
from ..vision.types import FaceAnalysis
from .checks import T, _res, check
from .report import FAIL, FIXABLE, PASS, RETAKE, WARN, CheckResult


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
