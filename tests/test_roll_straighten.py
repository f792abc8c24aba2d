"""A head rolled beyond the spec's tolerance: reported, fixable, straightened in the export.

Honest variant: a real level studio portrait rotated in the image plane by a known angle (the
roll is then exact: the original's roll plus the rotation), cropped to the largest square inside
the rotated frame so no filled corner shows.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import load_portrait
from edits import with_dark_top


def rotated(rgb: np.ndarray, deg: float) -> np.ndarray:
    """``rgb`` rotated by ``deg`` (+ = the head tilts anticlockwise in the image), cropped to the
    largest centred square that the rotated photo covers."""
    from studio_app import imageops as iops

    h, w = rgb.shape[:2]
    m = iops.rotation_matrix((w / 2, h / 2), deg, 1.0)
    out = iops.warp_affine(rgb, m, (w, h))
    c, s = math.cos(math.radians(abs(deg))), math.sin(math.radians(abs(deg)))
    side = int(min(w, h) / (c + s))
    x0, y0 = (w - side) // 2, (h - side) // 2
    return np.ascontiguousarray(out[y0:y0 + side, x0:x0 + side])


@pytest.fixture(scope="module")
def sscard():
    from studio_app.specs import get_spec

    return get_spec("sscard")


@pytest.mark.parametrize("deg", [15.0, -15.0])
def test_roll_of_15_degrees_is_measured_exactly_and_fails_as_fixable(deg, sscard):
    from studio_app.compliance import run_checks
    from studio_app.vision.analyzer import analyze_still

    # her white T-shirt on the white backdrop fails clothing (a change of clothes): dressed in navy
    rgb = with_dark_top(load_portrait("ldn_107_f_older.jpg"))
    base = analyze_still(rgb, segmentation=False)
    a = analyze_still(rotated(rgb, deg), segmentation=True)
    # the image rotates anticlockwise by deg: the eye line's clockwise angle drops by deg
    assert a.eye_line_angle == pytest.approx(base.eye_line_angle - deg, abs=1.5)
    assert a.roll == pytest.approx(base.roll - deg, abs=1.5)
    rep = run_checks(a, sscard)
    r = rep["roll"]
    assert r.status == "fail" and r.category == "fixable", (r.status, r.category, r.measured)
    assert r.message_key == "check.roll.straighten" and r.hint_key == "hint.straightened"
    from studio_app import messages

    assert "扶正" in messages.text(r.message_key, "zh_CN", **r.params)
    assert "straightened" in messages.text(r.message_key, "en", **r.params)
    assert not any(x.category == "retake" for x in rep.failed), [x.id for x in rep.failed]
    # live guidance still asks the person to straighten up (a hint, graded as before)
    live = run_checks(a, sscard, live=True)["roll"]
    assert live.category == "retake" and live.hint_key in ("hint.tilt_left", "hint.tilt_right")


def test_roll_within_the_tolerance_passes_and_beyond_straightening_is_a_retake(sscard):
    import dataclasses

    from studio_app.compliance import run_checks
    from studio_app.vision.analyzer import analyze_still

    a = analyze_still(load_portrait("ldn_004_m_stubble.jpg"), segmentation=True)
    assert run_checks(a, sscard)["roll"].status == "pass"
    far = dataclasses.replace(a, roll=40.0, eye_line_angle=40.0)
    r = run_checks(far, sscard)["roll"]
    assert r.status == "fail" and r.category == "retake"


def test_rolled_portrait_is_straightened_in_the_export(sscard):
    from studio_app.imaging.pipeline import process_photo

    res = process_photo(rotated(with_dark_top(load_portrait("ldn_107_f_older.jpg")), 15.0), sscard)
    straight = [c for c in res.corrections if c["id"] == "straighten"]
    assert straight and abs(straight[0]["params"]["angle"]) > 12, res.corrections
    assert res.before["roll"].status == "fail" and res.before["roll"].category == "fixable"
    # the decoded export is re-analysed: level within the tolerance, and nothing asks for a retake
    assert abs(res.after["roll"].measured) <= sscard.pose.roll / 2, res.after["roll"].measured
    assert res.after["roll"].status == "pass"
    assert not res.retake and res.ok, res.problem_keys()
