"""The check registry: small pure functions ``(analysis, spec, live) -> CheckResult``.

This module holds what every check shares: the thresholds :data:`T`, the ``@check`` decorator
and :data:`REGISTRY`, the result helpers (``_res``, ``_grade``, ``_r``, ``_lab``), the checklist
order and :func:`run_checks`. The checks themselves live one module per job, imported by the
package (``compliance/__init__.py``: adding a module is one import line there).

Each check has a fixed class for its failures (``retake``: pose, eyes, expression, occlusion,
blur, several faces, too few pixels; ``fixable``: background, crop/position within a larger frame,
mild exposure or colour cast) except the geometry checks, which are fixable when the spec's crop
window fits in the image and retake when it does not. Pose limits come from ``spec.pose`` (ICAO
defaults yaw/pitch ±5°, roll ±8°); the other thresholds are in :data:`T`, each with its reason.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..specs import Spec
from ..vision.types import FaceAnalysis
from .report import FAIL, FIXABLE, PASS, RETAKE, WARN, CheckResult  # noqa: F401  (the check modules' vocabulary)

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
    # brow cover (vision.occlusion._brow_cover): per column along each brow, distance from skin of
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


def _lab(rgb) -> np.ndarray:
    from .. import imageops

    px = np.array([[rgb]], dtype=np.float32) / 255.0
    return imageops.rgb_to_lab(px)[0, 0]


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


# names that moved to the modules of checks (issue 14), still importable from here
_MOVED = {"_overflow_direction": "checks_framing", "LIGHTING": "checks_lighting", "lighting_stops": "checks_lighting",
          "has_glasses": "checks_occlusion", "tinted_lenses": "checks_occlusion"}


def __getattr__(name: str):
    if name in _MOVED:
        return getattr(importlib.import_module(f"{__package__}.{_MOVED[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
