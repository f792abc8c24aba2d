"""Head pose (registered with :func:`.checks.check`): yaw, pitch and roll against ``spec.pose``
(ICAO defaults ±5°, roll ±8°); pass within the limit, warn up to :data:`T` ``pose_warn_factor``
times it; a head turned and tilted at once fails when the two together are beyond the fail
limit (:func:`_combined`). A still's roll beyond the limit is straightened by the pipeline when it can be.
"""

from __future__ import annotations

import dataclasses

from .. import messages
from ..specs import Spec
from ..vision.types import FaceAnalysis
from .checks import T, _res, check
from .report import FAIL, FIXABLE, PASS, RETAKE, WARN, CheckResult


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


messages.register({
    "check.pose.combined": ("头部同时转动和俯仰（左右 {yaw}°、上下 {pitch}°，合计超出允许范围）",
                            "Head turned and tilted at once (yaw {yaw}°, pitch {pitch}°: too far together)"),
})


def _combined(res: CheckResult, a: FaceAnalysis, spec: Spec, mine: str) -> CheckResult:
    """A head turned and tilted together: each angle inside its warning band, both beyond the
    fail limit together (the hypotenuse of the angles over their limits above the warn factor:
    a circle, not the square of two separate bands). The larger of the two, over its limit,
    fails with its own message; the other stays a warning (one failing row, not two).
    The labelled-frontal portraits reach 1.8 of the 2.0 (gf_blur_colour: yaw 8.9, pitch 1.0)."""
    if res.status != WARN or a.yaw is None or a.pitch is None:
        return res
    y, p = abs(a.yaw) / spec.pose.yaw, abs(a.pitch) / spec.pose.pitch
    if (y * y + p * p) ** 0.5 <= T["pose_warn_factor"] or (y >= p) != (mine == "yaw"):
        return res
    return dataclasses.replace(res, status=FAIL, message_key="check.pose.combined",
                               params={**res.params, "yaw": round(a.yaw, 1), "pitch": round(a.pitch, 1)})


@check("yaw", RETAKE)
def yaw(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    # + yaw = face turned to image right (the person's left): they turn back to their right
    return _combined(_pose("yaw", a.yaw, spec.pose.yaw, "turn_left", "turn_right"), a, spec, "yaw")


@check("pitch", RETAKE)
def pitch(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    return _combined(_pose("pitch", a.pitch, spec.pose.pitch, "chin_up", "chin_down"), a, spec, "pitch")


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
