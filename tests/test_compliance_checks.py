"""The check registry, classes, thresholds from the spec, messages, reports and live guidance."""

from __future__ import annotations

import dataclasses
import json

import cv2
import numpy as np
import pytest

from conftest import load_portrait, portraits_dir
from studio_app import messages
from studio_app.compliance import REGISTRY, guidance, run_checks
from studio_app.headmodel import spec_crop
from studio_app.compliance.report import CheckResult, ComplianceReport
from studio_app.specs import Pose, get_spec

REQUIRED = {
    "single_face", "face_in_frame", "head_size", "crown_margin", "eye_line", "horizontal_centre",
    "resolution", "yaw", "pitch", "roll", "eyes_open", "gaze", "mouth_closed", "expression",
    "eyebrows_visible", "ears_visible", "headwear", "tinted_glasses", "glasses_glare", "lighting",
    "exposure", "sharpness", "natural_colour", "background_plain", "background_colour",
}


@pytest.fixture(scope="module")
def analyzer():
    from studio_app.vision.analyzer import FaceAnalyzer

    with FaceAnalyzer("still") as an:
        yield an


@pytest.fixture(scope="module")
def astro(analyzer, astronaut):
    return analyzer.analyze(astronaut)


@pytest.fixture(scope="module")
def studio(analyzer):
    if not (portraits_dir() / "ldn_006_f_bun.jpg").is_file():
        pytest.skip("portraits not present")
    rgb = load_portrait("ldn_006_f_bun.jpg")
    return rgb, analyzer.analyze(rgb)


def test_registry_has_every_required_check():
    assert REQUIRED <= set(REGISTRY)
    for cid, d in REGISTRY.items():
        assert d.category in ("retake", "fixable")


def test_retake_and_fixable_classes():
    retake = {"single_face", "yaw", "pitch", "roll", "eyes_open", "gaze", "mouth_closed", "expression",
              "eyebrows_visible", "headwear", "tinted_glasses", "glasses_glare", "sharpness", "resolution",
              "face_in_frame", "lighting"}
    fixable = {"background_plain", "background_colour", "natural_colour", "exposure", "head_size",
               "crown_margin", "eye_line", "horizontal_centre", "aspect_ratio"}
    assert all(REGISTRY[c].category == "retake" for c in retake)
    assert all(REGISTRY[c].category == "fixable" for c in fixable)


def test_every_message_exists_in_both_languages(astro, studio):
    keys = {f"check.{cid}" for cid in REGISTRY}
    for a in (astro, studio[1]):
        for spec_id in ("sscard", "us_passport", "exit_entry"):
            for live in (False, True):
                for r in run_checks(a, get_spec(spec_id), live=live).results:
                    keys.add(r.message_key)
                    if r.hint_key:
                        keys.add(r.hint_key)
    for key in keys:
        assert messages.has(key), key
        zh, en = messages.text(key, "zh_CN"), messages.text(key, "en")
        assert zh != key and en != key and zh != en, key
        assert any("\u4e00" <= c <= "\u9fff" for c in zh), key


def test_report_to_dict_is_json_in_both_languages(astro):
    report = run_checks(astro, get_spec("sscard"))
    for lang in ("zh_CN", "en"):
        d = report.to_dict(lang)
        text = json.dumps(d, ensure_ascii=False)
        assert json.loads(text)["checks"][0]["id"] == "single_face"
        assert {c["id"] for c in d["checks"]} >= REQUIRED - {"ears_visible"} - set()
        for c in d["checks"]:
            assert c["status"] in ("pass", "warn", "fail") and c["class"] in ("retake", "fixable")
            assert c["message"]
    assert report.to_dict("en")["ok"] == report.ok


def _with(a, **changes):
    return dataclasses.replace(a, **changes)


def test_pose_limits_come_from_the_spec(astro):
    spec = get_spec("sscard")
    assert spec.pose.yaw == 5.0  # ICAO default
    turned = _with(astro, yaw=7.0)
    assert run_checks(turned, spec)["yaw"].status == "warn"
    assert run_checks(_with(astro, yaw=12.0), spec)["yaw"].status == "fail"
    relaxed = dataclasses.replace(spec, pose=Pose(yaw=10.0, pitch=5.0, roll=8.0))
    assert run_checks(turned, relaxed)["yaw"].status == "pass"
    r = run_checks(_with(astro, yaw=12.0), spec)["yaw"]
    assert r.category == "retake" and r.measured == 12.0 and r.limit == 5.0


def test_a_head_turned_and_tilted_together_is_a_retake(astro):
    """Each angle inside its warning band, both together beyond the fail limit (hypot of the
    angles over their limits > the warn factor): the larger one fails with its own message, the
    other stays a warning; one angle in its band alone, or both small, stays a warning."""
    spec = get_spec("sscard")
    both = run_checks(_with(astro, yaw=8.0, pitch=-7.5), spec)
    assert both["yaw"].status == "fail" and both["yaw"].category == "retake"
    assert both["yaw"].message_key == "check.pose.combined"
    assert "8.0" in both["yaw"].message("zh_CN") and "7.5" in both["yaw"].message("en")
    assert both["yaw"].hint_key == "hint.turn_right"  # still tells which way to turn
    assert both["pitch"].status == "warn"
    other = run_checks(_with(astro, yaw=-6.0, pitch=9.0), spec)
    assert other["pitch"].status == "fail" and other["pitch"].message_key == "check.pose.combined"
    assert other["yaw"].status == "warn"
    for yaw, pitch in ((8.0, 3.0), (6.0, -6.0), (9.5, 0.0)):
        r = run_checks(_with(astro, yaw=yaw, pitch=pitch), spec)
        assert r["yaw"].status != "fail" and r["pitch"].status != "fail", (yaw, pitch)


def test_a_real_photo_turned_and_tilted_by_a_known_angle_is_a_retake(analyzer):
    """ldn_004 re-posed 20 deg chin down and 8 deg to the side (tests/pose_variants; it reads
    about yaw 8, pitch -8): each reading stays under the single-angle fail limit, together they
    fail; the photo itself passes."""
    from pose_variants import repose

    rgb = load_portrait("ldn_004_m_stubble.jpg")
    spec = get_spec("sscard")
    base = analyzer.analyze(rgb, segmentation=False)
    assert run_checks(base, spec)["yaw"].status == "pass"
    a = analyzer.analyze(repose(rgb, base.landmarks, pitch_deg=-20.0, yaw_deg=8.0), segmentation=False)
    assert abs(a.yaw) <= 10.0 and abs(a.pitch) <= 10.0, (a.yaw, a.pitch)  # each alone: a warning
    r = run_checks(a, spec)
    assert "fail" in (r["yaw"].status, r["pitch"].status), (a.yaw, a.pitch)


@pytest.mark.parametrize("field,value,check,direction,zh", [
    ("pitch", -12.0, "pitch", "chin_up", "请抬头"),
    ("pitch", 12.0, "pitch", "chin_down", "请稍微低头"),
    ("yaw", 14.0, "yaw", "turn_right", None),
    ("roll", 20.0, "roll", "tilt_right", None),
])
def test_pose_hint_directions(astro, field, value, check, direction, zh):
    # the astronaut's face is small for a capture station: leave "come closer" out of this one
    report = run_checks(_with(astro, **{field: value}), get_spec("sscard"), live=True,
                        only=("single_face", "yaw", "pitch", "roll", "eyes_open", "mouth_closed"))
    r = report[check]
    assert r.status == "fail" and r.direction == direction
    hint = guidance.live_hint(report, "zh_CN")
    if zh:
        assert hint.text == zh
    assert hint.state == "adjust"


def test_live_hint_priorities_and_states():
    def res(cid, status, hint=None, direction=None):
        return CheckResult(cid, status, "retake", None, None, f"check.{cid}.fail", hint, {}, direction)

    none = ComplianceReport((res("single_face", "fail", "hint.face_camera"),), "sscard", True)
    h = guidance.live_hint(none, "zh_CN")
    assert h.state == "bad" and h.text == "请正对镜头坐好"
    many = ComplianceReport((res("single_face", "fail", "hint.one_person"), res("yaw", "fail", "hint.turn_left", "turn_left")),
                            "sscard", True)
    assert guidance.live_hint(many).check_id == "single_face"
    mix = ComplianceReport((res("single_face", "pass"), res("expression", "fail", "hint.neutral"),
                            res("tinted_glasses", "fail", "hint.remove_glasses", "remove_glasses"),
                            res("face_in_frame", "fail", "hint.move_left", "left")), "sscard", True)
    h = guidance.live_hint(mix, "zh_CN")
    # the frame is red (the glasses must come off whatever the position); the first step is still
    # getting into the frame
    assert (h.text, h.direction, h.state) == ("向左移动一点", "left", "bad")
    glasses = ComplianceReport(tuple(r for r in mix.results if r.id != "face_in_frame"), "sscard", True)
    assert guidance.live_hint(glasses, "zh_CN").text == "请摘下眼镜"
    good = ComplianceReport((res("single_face", "pass"), res("sharpness", "warn", "hint.hold_still")), "sscard", True)
    assert guidance.live_hint(good).state == "good"
    assert guidance.live_hint(good, "zh_CN", include_warnings=True).text == "请保持不动"
    assert guidance.live_hint(good, "en").text == "Good, hold it there"


def _r(cid, status="fail"):
    from studio_app.compliance.checks import REGISTRY as R

    hint = {"single_face": "hint.face_camera", "tinted_glasses": "hint.remove_glasses",
            "glasses_glare": "hint.remove_glasses", "headwear": "hint.remove_hat",
            "eyebrows_visible": "hint.hair_brows", "lighting": "hint.light_even"}.get(cid, "hint.neutral")
    return CheckResult(cid, status, R[cid].category, None, None, f"check.{cid}.fail", hint, {}, None)


@pytest.mark.parametrize("failing,state", [
    # posing only: orange however many checks fail (the customer is adjusting)
    (("yaw", "pitch", "mouth_closed"), "adjust"),
    (("face_in_frame", "resolution", "roll", "gaze", "eyes_open", "expression", "exposure"), "adjust"),
    # anything posing cannot fix makes the frame red, alone or with posing failures
    (("headwear",), "bad"),
    (("eyebrows_visible",), "bad"),
    (("tinted_glasses", "yaw", "expression"), "bad"),
    (("glasses_glare", "face_in_frame"), "bad"),
    (("lighting", "mouth_closed", "pitch"), "bad"),
    (("single_face",), "bad"),
    ((), "good"),
])
def test_live_state_is_red_for_must_fix_failures_and_orange_for_posing(failing, state):
    ok = [_r(c, "pass") for c in guidance.PRIORITY if c not in failing]
    report = ComplianceReport(tuple(ok + [_r(c) for c in failing]), "sscard", True)
    h = guidance.live_hint(report, "en")
    assert h.state == state
    if failing:
        assert h.check_id == min(failing, key=guidance.PRIORITY.index)


def test_every_live_check_has_a_state_class():
    """Each check that runs live is either in PRIORITY (with a state) or gives no hint."""
    from studio_app.compliance.checks import REGISTRY as R

    live = {c for c, d in R.items() if d.live}
    assert set(guidance.MUST_FIX) <= set(guidance.PRIORITY)
    assert live - set(guidance.PRIORITY) <= {"background_plain", "background_colour", "natural_colour"}


def test_red_state_from_a_noisy_frame_waits_for_the_hold():
    from studio_app.compliance.guidance import Hint, HintStabiliser

    s = HintStabiliser(hold_ms=400)
    turn = Hint("hint.turn_left", "T", "turn_left", "adjust", "yaw")
    hat = Hint("hint.remove_hat", "H", None, "bad", "headwear")
    nobody = Hint("hint.face_camera", "?", None, "bad", "single_face")
    assert s.update(turn, 0) is turn
    assert s.update(hat, 100) is turn  # one frame reading a hat does not flash red
    assert s.update(hat, 600) is hat  # a hat seen for 500 ms does
    assert s.update(nobody, 650) is nobody  # nobody there shows at once


def test_astronaut_live_state(astronaut):
    """The demo face in live mode: she smiles with her teeth showing (posing), and the overlay is
    red exactly when something posing cannot fix fails."""
    from studio_app.vision.analyzer import FaceAnalyzer

    with FaceAnalyzer("live") as live:
        for i in range(6):
            a = live.analyze(astronaut, timestamp_ms=40 * i)
    report = run_checks(a, get_spec("sscard"), live=True)
    failing = {r.id for r in report.failed}
    assert {"mouth_closed", "expression"} <= failing
    h = guidance.live_hint(report, "en")
    assert h.state == ("bad" if failing & set(guidance.MUST_FIX) else "adjust")


def _frame_with_face(src, frame_w, frame_h, face_scale, cx, cy):
    img = cv2.resize(src, None, fx=face_scale, fy=face_scale, interpolation=cv2.INTER_AREA)
    frame = np.full((frame_h, frame_w, 3), 210, np.uint8)
    h, w = img.shape[:2]
    x0, y0 = int(cx - w / 2), int(cy - h / 2)
    xs, xe, ys, ye = max(0, x0), min(frame_w, x0 + w), max(0, y0), min(frame_h, y0 + h)
    frame[ys:ye, xs:xe] = img[ys - y0:ye - y0, xs - x0:xe - x0]
    return frame


def test_live_guidance_on_real_frames(studio):
    """A small face asks to come closer; a face near the image-left edge asks to move left."""
    from studio_app.vision.analyzer import FaceAnalyzer

    rgb, _ = studio
    spec = get_spec("sscard")
    with FaceAnalyzer("live") as live:
        far = _frame_with_face(rgb, 1280, 720, 0.22, 640, 360)
        report = run_checks(live.analyze(far, timestamp_ms=0), spec, live=True)
        assert report["resolution"].status == "fail"
        h = guidance.live_hint(report, "zh_CN")
        assert (h.text, h.direction) == ("请靠近一点", "closer")
        side = _frame_with_face(rgb, 1280, 720, 0.55, 140, 360)  # crop window spills over the left edge
        a = live.analyze(side, timestamp_ms=100)
        report = run_checks(a, spec, live=True)
        h = guidance.live_hint(report, "zh_CN")
        assert report["face_in_frame"].status == "fail"
        assert (h.text, h.direction) == ("向左移动一点", "left")
        centred = _frame_with_face(rgb, 1280, 720, 0.55, 640, 360)
        report = run_checks(live.analyze(centred, timestamp_ms=200), spec, live=True)
        assert report["face_in_frame"].status == "pass" and report["resolution"].status == "pass"


@pytest.mark.parametrize("spec_id", ["sscard", "exit_entry_digital_gd", "china_visa", "one_inch"])
def test_crop_to_plan_passes_geometry(analyzer, studio, spec_id):
    """Cropping the photo to the planned window makes every geometry check pass, and the
    uncropped photo's geometry failures are all fixable."""
    rgb, a = studio
    spec = get_spec(spec_id)
    before = run_checks(a, spec)
    geo = ("aspect_ratio", "head_size", "crown_margin", "eye_line", "horizontal_centre")
    assert any(before[c].failed for c in geo)
    assert all(before[c].category == "fixable" for c in geo if before[c].failed)
    p = spec_crop(a, spec)  # the crop the checks judged and the pipeline makes
    assert p.fits
    out = cv2.warpAffine(rgb, p.matrix(), spec.size, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)
    after = run_checks(analyzer.analyze(out), spec)
    for c in geo + ("face_in_frame", "resolution"):
        assert after[c].status == "pass", (c, after[c].measured, after[c].limit)


def test_head_cut_by_frame_is_a_retake(analyzer, studio):
    rgb, a = studio
    top = int(a.crown[1] + 0.1 * a.face_width)  # cut through the hair
    b = analyzer.analyze(np.ascontiguousarray(rgb[top:]))
    assert b.crown_clipped
    report = run_checks(b, get_spec("sscard"))
    assert report["face_in_frame"].status == "fail" and report["face_in_frame"].category == "retake"
    assert report.needs_retake


def test_background_checks(astro, studio):
    spec = get_spec("sscard")  # white
    busy = run_checks(astro, spec)
    assert busy["background_plain"].status == "fail" and busy["background_plain"].category == "fixable"
    _, a = studio  # plain light grey backdrop
    plain = run_checks(a, spec)
    assert plain["background_plain"].status == "pass"
    grey = dataclasses.replace(get_spec("sscard"), backgrounds=(dataclasses.replace(spec.backgrounds[0], name="custom", rgb=tuple(int(v) for v in a.measures.background_rgb)),))
    assert run_checks(a, grey)["background_colour"].status == "pass"


def test_direction_and_side_messages_exist():
    for side in ("top", "bottom", "left", "right"):
        for kind in ("margin", "pad"):
            assert messages.has(f"check.face_in_frame.{kind}_{side}")
    for d in ("left", "right", "up", "down", "back", "closer"):
        assert messages.has(f"hint.move_{d}")
    for d in ("turn_left", "turn_right", "chin_up", "chin_down", "tilt_left", "tilt_right"):
        assert messages.has(f"hint.{d}")
    assert messages.text("hint.move_left", "zh_CN") == "向左移动一点"
    assert messages.text("hint.chin_up", "zh_CN") == "请抬头"
    assert messages.text("hint.move_closer", "zh_CN") == "请靠近一点"
    assert messages.text("hint.remove_glasses", "zh_CN") == "请摘下眼镜"


@pytest.mark.parametrize("overflow,direction", [
    ({"left": 0.2, "right": 0, "top": 0, "bottom": 0}, "left"),
    ({"left": 0, "right": 0.2, "top": 0, "bottom": 0}, "right"),
    ({"left": 0, "right": 0, "top": 0.1, "bottom": 0}, "down"),
    ({"left": 0, "right": 0, "top": 0.1, "bottom": 0.1}, "back"),
])
def test_overflow_directions(overflow, direction):
    from studio_app.compliance.checks import _overflow_direction

    assert _overflow_direction(overflow) == direction


def test_hand_made_analysis_from_landmarks_only(astro):
    """An analysis carrying only landmarks (e.g. built by another module) still gets checked."""
    from studio_app.vision.types import FaceAnalysis

    bare = FaceAnalysis(image_size=astro.image_size, landmarks=astro.landmarks)
    report = run_checks(bare, get_spec("sscard"))
    assert report["single_face"].status == "pass"
    assert report["eyes_open"].status == astro_status(astro, "eyes_open")
    assert report["mouth_closed"].status == astro_status(astro, "mouth_closed")
    assert report["roll"].measured == pytest.approx(astro.eye_line_angle, abs=0.2)
    assert "lighting" not in report  # no image measures: not judged


def astro_status(a, cid):
    return run_checks(a, get_spec("sscard"))[cid].status


def test_hint_stabiliser_holds_then_switches():
    from studio_app.compliance.guidance import Hint, HintStabiliser

    good = Hint("hint.good", "ok", None, "good")
    left = Hint("hint.move_left", "L", "left", "adjust")
    nobody = Hint("hint.face_camera", "?", None, "bad")
    s = HintStabiliser(hold_ms=400)
    assert s.update(good, 0) is good
    assert s.update(left, 100) is good  # one frame of "left" is not enough
    assert s.update(good, 133) is good
    assert s.update(left, 200) is good
    assert s.update(left, 500) is good  # 300 ms so far
    assert s.update(left, 650) is left  # held for 450 ms
    assert s.update(nobody, 700) is nobody  # bad shows at once
    s.reset()
    assert s.update(left, 800) is left


def _with_measures(a, **changes):
    return dataclasses.replace(a, measures=dataclasses.replace(a.measures, **changes))


def test_lighting_ratio_in_stops(studio):
    """Side-to-side lighting ratio: up to 1 stop (2:1) passes, beyond 2 stops (4:1) fails."""
    from studio_app.compliance.checks import T, lighting_stops

    _, a = studio
    spec = get_spec("sscard")
    assert lighting_stops(1.0) == pytest.approx(0.0)
    assert lighting_stops(T["lr_warn"]) == pytest.approx(T["lr_warn_stops"], abs=0.01)
    assert lighting_stops(T["lr_fail"]) == pytest.approx(T["lr_fail_stops"], abs=0.01)
    for ratio, status in ((0.95, "pass"), (0.62, "warn"), (0.45, "fail")):
        r = run_checks(_with_measures(a, left_right_ratio=ratio), spec, only=("lighting",))["lighting"]
        assert r.status == status, (ratio, r)
        assert r.params["stops"] == pytest.approx(lighting_stops(ratio), abs=0.01)


def test_low_key_lighting_fails_only_on_stills_with_a_black_backdrop(studio):
    _, a = studio
    spec = get_spec("sscard")
    dark_bg = _with_measures(a, background_rgb=(12.0, 12.0, 12.0))
    r = run_checks(dark_bg, spec)["lighting"]
    assert r.status == "fail" and r.message_key == "check.lighting.low_key" and r.category == "retake"
    assert messages.has(r.message_key) and messages.has(r.hint_key)
    # a grey studio backdrop, or no backdrop measured (live frames), is no low-key case
    for rgb in ((120.0, 120.0, 120.0), (float("nan"),) * 3):
        assert run_checks(_with_measures(a, background_rgb=rgb), spec)["lighting"].status == "pass"
    # a dark face on a black backdrop is the exposure check's case
    both_dark = _with_measures(a, background_rgb=(12.0, 12.0, 12.0), luminance_mean=40.0)
    assert run_checks(both_dark, spec)["lighting"].message_key != "check.lighting.low_key"
