"""Eyes, gaze, mouth and expression (registered with :func:`.checks.check`), from the landmark
ratios and blendshapes in ``FaceAnalysis.features`` / ``.blendshapes``.
"""

from __future__ import annotations

from ..specs import Spec
from ..vision.types import FaceAnalysis
from .checks import T, _grade, _res, check
from .report import FAIL, PASS, RETAKE, WARN, CheckResult


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
