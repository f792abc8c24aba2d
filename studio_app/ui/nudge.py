"""Manual crop nudge in review (Qt-free math): move and zoom the finished photo, kept inside the
spec's geometry ranges, then re-encode and re-check it like the pipeline's own verification.

The nudge works on the pipeline's spec-size photo (background already replaced): a shift by
``(dx, dy)`` output px and a zoom ``z`` about the eye midpoint. Every geometry rule is linear in
those, so the allowed zoom and shifts are intervals (:func:`limits`); :func:`clamp` keeps the
operator inside them, and the identity is always allowed.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from .. import imageops as iops
from .. import messages

messages.register({
    "ui.nudge": ("手动微调裁剪：平移 {dx}, {dy} 像素，缩放 {zoom}",
                 "Crop adjusted by hand: moved {dx}, {dy} px, zoom {zoom}"),
})

MAX_SHIFT = 0.15  # of the photo size
MARGIN_PX = 3.0  # keep this far inside each range: re-measuring the re-encoded photo varies ~2 px
ZOOM_RANGE = (0.8, 1.25)


@dataclass(frozen=True)
class Nudge:
    dx: float = 0.0
    dy: float = 0.0
    zoom: float = 1.0

    @property
    def is_identity(self) -> bool:
        return abs(self.dx) < 0.5 and abs(self.dy) < 0.5 and abs(self.zoom - 1.0) < 1e-3


def _px(result, name: str) -> float | None:
    entry = (getattr(result, "geometry", None) or {}).get(name) or {}
    value = entry.get("px")
    return float(value) if value is not None else None


def _range(spec, name: str):
    return getattr(spec.geometry, name, None)


def _inner(rng) -> tuple[float, float]:
    """The range shrunk by the safety margin (an open end stays open)."""
    lo, hi = rng.lo, rng.hi
    m = min(MARGIN_PX, 0.25 * (hi - lo)) if math.isfinite(hi) else MARGIN_PX
    return (lo + m if lo > 0 else lo), (hi - m if math.isfinite(hi) else hi)


def _interval(lo: float, hi: float, fallback: float) -> tuple[float, float]:
    """[lo, hi], or just ``fallback`` when the rules conflict (no value satisfies them all)."""
    if lo > hi:
        return fallback, fallback
    return lo, hi


def limits(result) -> dict[str, tuple[float, float]]:
    """Allowed zoom, and the dx/dy intervals at zoom 1, from the result's measured geometry."""
    spec = result.spec
    w, h = spec.width_px, spec.height_px
    z_lo, z_hi = ZOOM_RANGE
    for name in ("face_width", "head_height", "inter_eye"):
        v, rng = _px(result, name), _range(spec, name)
        if v and rng is not None:
            lo, hi = _inner(rng)
            z_lo = max(z_lo, lo / v)
            if math.isfinite(hi):
                z_hi = min(z_hi, hi / v)
    z_lo, z_hi = _interval(z_lo, z_hi, 1.0)
    zoom = (min(z_lo, 1.0), max(z_hi, 1.0))  # the photo as the pipeline made it is always allowed
    dx, dy = shift_limits(result, 1.0)
    return {"zoom": zoom, "dx": dx, "dy": dy}


def shift_limits(result, zoom: float) -> tuple[tuple[float, float], tuple[float, float]]:
    spec = result.spec
    w, h = spec.width_px, spec.height_px
    cx, cy = _px(result, "eye_x") or w / 2, _px(result, "eye_y") or h / 2
    dx_lo, dx_hi = -MAX_SHIFT * w, MAX_SHIFT * w
    dy_lo, dy_hi = -MAX_SHIFT * h, MAX_SHIFT * h
    rng = _range(spec, "eye_x")
    if rng is not None:
        lo, hi = _inner(rng)
        dx_lo, dx_hi = max(dx_lo, lo - cx), min(dx_hi, hi - cx)
    rng = _range(spec, "eye_y")
    if rng is not None:
        lo, hi = _inner(rng)
        dy_lo, dy_hi = max(dy_lo, lo - cy), min(dy_hi, hi - cy)
    crown = _px(result, "crown_y")
    rng = _range(spec, "crown_y")
    if crown is not None and rng is not None:
        lo, hi = _inner(rng)
        base = cy + zoom * (crown - cy)
        dy_lo, dy_hi = max(dy_lo, lo - base), min(dy_hi, hi - base)
    margin = _px(result, "chin_margin")
    rng = _range(spec, "chin_margin")
    if margin is not None and rng is not None:
        lo, hi = _inner(rng)
        chin = h - margin
        base = cy + zoom * (chin - cy)
        dy_lo = max(dy_lo, h - hi - base)
        dy_hi = min(dy_hi, h - lo - base)
    return _interval(dx_lo, dx_hi, 0.0), _interval(dy_lo, dy_hi, 0.0)


def clamp(result, nudge: Nudge) -> Nudge:
    """The nearest nudge that keeps every rule in range (no nudge always stays no nudge)."""
    if nudge.is_identity:
        return Nudge()
    z_lo, z_hi = limits(result)["zoom"]
    zoom = min(max(nudge.zoom, z_lo), z_hi)
    (dx_lo, dx_hi), (dy_lo, dy_hi) = shift_limits(result, zoom)
    return Nudge(min(max(nudge.dx, dx_lo), dx_hi), min(max(nudge.dy, dy_lo), dy_hi), zoom)


def matrix(result, nudge: Nudge) -> np.ndarray:
    spec = result.spec
    cx = _px(result, "eye_x") or spec.width_px / 2
    cy = _px(result, "eye_y") or spec.height_px / 2
    z = nudge.zoom
    return np.array([[z, 0.0, cx - z * cx + nudge.dx], [0.0, z, cy - z * cy + nudge.dy]], np.float64)


def preview(photo: np.ndarray, result, nudge: Nudge) -> np.ndarray:
    """The nudged photo (fast; for showing while the operator drags)."""
    h, w = photo.shape[:2]
    return iops.warp_affine(photo, matrix(result, nudge), (w, h), "cubic")


def apply_nudge(result, nudge: Nudge):
    """A new ProcessResult: the nudged photo, re-encoded into the spec's file rules, decoded and
    re-checked (analysis + checks + geometry), as the pipeline verifies its own output."""
    from ..compliance import run_checks
    from ..imaging.encode import encode_for_spec, inspect_jpeg
    from ..imaging.pipeline import geometry_report, measure_geometry
    from ..vision.analyzer import analyze_still

    nudge = clamp(result, nudge)
    spec = result.spec
    photo = preview(result.photo, result, nudge)
    enc = encode_for_spec(photo, spec)
    facts, decoded = inspect_jpeg(enc.data)
    analysis = analyze_still(decoded, segmentation=True)
    after = run_checks(analysis, spec)
    old_band = {"key": None}
    if not (result.file or {}).get("in_band", True):
        old_band = next((p for p in result.problems if p.get("key", "").startswith("file.")), old_band)
    problems = [p for p in result.problems if p.get("key") not in ("verify.check_failed", "verify.geometry",
                                                                    "verify.no_face", old_band["key"])]
    measured = None
    if not analysis.has_face:
        problems.append({"key": "verify.no_face", "params": {}, "retake": True})
    else:
        measured = measure_geometry(analysis, spec.height_px)
    for r in after.results:
        if r.status == "fail":
            problems.append({"key": "verify.check_failed",
                             "params": {"check": messages.text(r.message_key, **(r.params or {})), "id": r.id,
                                        "message_key": r.message_key},
                             "retake": r.category == "retake"})
    planned = {k: v.get("planned_px", v.get("px")) for k, v in (result.geometry or {}).items()}
    geometry = geometry_report(spec, planned, measured)
    for name, entry in geometry.items():
        if entry.get("ok") is False and not any(p["key"] == "verify.check_failed" and
                                                p["params"].get("id", "").startswith(name) for p in problems):
            problems.append({"key": "verify.geometry", "params": {"rule": name, "measured": entry["px"],
                                                                   "limit": _range(spec, name).text()}})
    if not enc.in_band:
        problems.append({"key": enc.problem, "params": enc.problem_params or {}, "retake": False})
    file_info = dict(result.file or {})
    file_info.update({"kb": round(facts.kb, 2), "bytes": len(enc.data), "quality": enc.quality,
                      "subsampling": enc.subsampling, "in_band": enc.in_band})
    corrections = [c for c in result.corrections if c.get("id") != "nudge"]
    if not nudge.is_identity:
        corrections.append({"id": "nudge", "key": "ui.nudge", "strength": 1.0,
                            "params": {"dx": round(nudge.dx, 1), "dy": round(nudge.dy, 1),
                                       "zoom": round(nudge.zoom, 3)}})
    retake = any(p.get("retake") for p in problems)
    return dataclasses.replace(result, photo=decoded, jpeg=enc.data, after=after, geometry=geometry, file=file_info,
                               problems=[{**p, "retake": bool(p.get("retake"))} for p in problems],
                               corrections=corrections, ok=not problems and not retake, retake=retake)
