"""Face analysis on real faces, and metamorphic tests: change the photo in a known way and check
that the right measurement moves (rotation -> roll, half-face shadow -> lighting, blur ->
sharpness, shrinking -> head size, a pasted second face -> single face)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from conftest import load_portrait, portraits_dir
from studio_app.compliance import run_checks
from studio_app.specs import get_spec


@pytest.fixture(scope="module")
def analyzer():
    from studio_app.vision.analyzer import FaceAnalyzer

    with FaceAnalyzer("still") as an:
        yield an


@pytest.fixture(scope="module")
def spec():
    return get_spec("sscard")


@pytest.fixture(scope="module")
def astro(analyzer, astronaut):
    return astronaut, analyzer.analyze(astronaut)


@pytest.fixture(scope="module")
def studio(analyzer):
    if not (portraits_dir() / "ldn_004_m_stubble.jpg").is_file():
        pytest.skip("portraits not present")
    rgb = load_portrait("ldn_004_m_stubble.jpg")
    return rgb, analyzer.analyze(rgb)


def rotate(rgb: np.ndarray, degrees_ccw: float) -> np.ndarray:
    h, w = rgb.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees_ccw, 1.0)
    return cv2.warpAffine(rgb, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


# --- the analysis itself ---------------------------------------------------------------------------
def test_astronaut_analysis(astro):
    rgb, a = astro
    assert a.image_size == (rgb.shape[1], rgb.shape[0])
    assert a.face_count == 1 and a.has_face
    assert a.landmarks.shape == (478, 3)
    assert {"eyeBlinkLeft", "jawOpen", "mouthSmileLeft"} <= set(a.blendshapes)
    assert a.eye_left[0] < a.eye_right[0]
    assert a.crown[1] < a.eye_mid[1] < a.chin[1]
    assert a.crown_from_mask and not a.crown_clipped
    assert a.person_mask.shape == rgb.shape[:2] and a.person_mask.dtype == np.float32
    # the eyes are on the face: inside the main face box
    box = a.faces[0]
    assert box.x < a.eye_left[0] < box.x + box.w and box.y < a.eye_mid[1] < box.y + box.h
    assert 30 < a.inter_eye < 60 and 70 < a.face_width < 130 and a.inter_eye < a.face_width
    assert a.face_height == pytest.approx(a.chin[1] - a.landmarks[10, 1], abs=1.0)
    assert a.eye_line_angle == pytest.approx(a.roll, abs=4.0)
    assert abs(a.yaw) < 8 and abs(a.roll) < 8 and abs(a.pitch) < 12
    m = a.measures
    assert 0 <= m.under_exposed <= 1 and 0 <= m.over_exposed <= 1 and 50 < m.luminance_mean < 230


def test_crown_is_hair_top_not_face_box(studio):
    """The crown comes from the person mask: above the forehead landmark and the face box."""
    _, a = studio
    assert a.crown_from_mask
    assert a.crown[1] < a.landmarks[10, 1] - 0.05 * a.face_width
    assert a.crown[1] < a.faces[0].y + 1
    mask = a.person_mask
    x = int(a.crown[0])
    assert mask[int(a.crown[1]) + 10, x] > 0.5  # just below the crown: head
    assert mask[max(0, int(a.crown[1]) - 20), x] < 0.5  # above it: backdrop


def test_no_face(analyzer):
    rgb = np.full((480, 640, 3), 200, np.uint8)
    a = analyzer.analyze(rgb)
    assert not a.has_face and a.face_count == 0
    report = run_checks(a, get_spec("sscard"))
    assert report["single_face"].status == "fail" and report.needs_retake


def test_rejects_non_rgb(analyzer):
    with pytest.raises(ValueError):
        analyzer.analyze(np.zeros((10, 10), np.uint8))


# --- metamorphic ---------------------------------------------------------------------------------
@pytest.mark.parametrize("r", [-12.0, 10.0])
def test_rotation_changes_roll_by_r(analyzer, astro, r):
    rgb, a = astro
    b = analyzer.analyze(rotate(rgb, r), segmentation=False)
    # a counter-clockwise image rotation of r degrees turns the head by -r in our convention
    assert b.roll - a.roll == pytest.approx(-r, abs=2.5)
    assert b.features["roll_eyes"] - a.features["roll_eyes"] == pytest.approx(-r, abs=2.0)


def test_rotation_changes_roll_on_studio_portrait(analyzer, studio):
    rgb, a = studio
    b = analyzer.analyze(rotate(rgb, 15.0), segmentation=False)
    assert b.roll - a.roll == pytest.approx(-15.0, abs=2.5)
    report = run_checks(b, get_spec("sscard"))
    assert report["roll"].status in ("warn", "fail")
    assert report["roll"].direction == "tilt_left"


def _darken_half(rgb, a, factor=0.35):
    out = rgb.astype(np.float32)
    nose_x = int(a.landmarks[168, 0])
    out[:, :nose_x] *= factor
    return np.clip(out, 0, 255).astype(np.uint8)


def test_darkening_one_half_fails_lighting(analyzer, studio, spec):
    rgb, a = studio
    assert run_checks(a, spec)["lighting"].status == "pass"
    b = analyzer.analyze(_darken_half(rgb, a), segmentation=False)
    assert b.measures.left_right_ratio < 0.5
    assert run_checks(b, spec)["lighting"].status == "fail"


def test_darkening_one_half_fails_lighting_astronaut(analyzer, astro, spec):
    rgb, a = astro
    b = analyzer.analyze(_darken_half(rgb, a), segmentation=False)
    assert run_checks(b, spec)["lighting"].status == "fail"


@pytest.mark.parametrize("which", ["astro", "studio"])
def test_blur_fails_sharpness(analyzer, spec, which, request):
    rgb, a = request.getfixturevalue(which)
    assert run_checks(a, spec)["sharpness"].status == "pass"
    sigma = 0.02 * a.face_width
    b = analyzer.analyze(cv2.GaussianBlur(rgb, (0, 0), sigma), segmentation=False)
    assert b.has_face
    assert b.measures.sharpness < a.measures.sharpness / 2
    assert run_checks(b, spec)["sharpness"].status == "fail"


def test_shrinking_the_face_fails_head_size(analyzer, studio, spec):
    rgb, a = studio
    h, w = rgb.shape[:2]
    small = cv2.resize(rgb, (int(w * 0.45), int(h * 0.45)), interpolation=cv2.INTER_AREA)
    canvas = np.empty_like(rgb)
    canvas[:] = np.median(rgb[:40].reshape(-1, 3), axis=0).astype(np.uint8)
    y0, x0 = (h - small.shape[0]) // 2, (w - small.shape[1]) // 2
    canvas[y0:y0 + small.shape[0], x0:x0 + small.shape[1]] = small
    b = analyzer.analyze(canvas)
    assert b.head_height == pytest.approx(0.45 * a.head_height, rel=0.12)
    before, after = run_checks(a, spec)["head_size"], run_checks(b, spec)["head_size"]
    assert after.status == "fail"
    assert after.measured < before.measured * 0.6


def test_pasted_second_face_fails_single_face(analyzer, studio, astro, spec):
    rgb, a = studio
    assert run_checks(a, spec)["single_face"].status == "pass"
    argb, aa = astro
    box = aa.faces[0]
    cx, cy, side = box.x + box.w / 2, box.y + box.h / 2, 1.6 * max(box.w, box.h)
    x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    patch = argb[y0:int(y0 + side), x0:int(x0 + side)]
    target = int(0.6 * a.faces[0].w * 1.6)
    patch = cv2.resize(patch, (target, target), interpolation=cv2.INTER_LINEAR)
    out = rgb.copy()
    out[40:40 + target, 40:40 + target] = patch  # top-left corner, on the backdrop
    b = analyzer.analyze(out)
    assert b.face_count >= 2
    res = run_checks(b, spec)["single_face"]
    assert res.status == "fail" and res.category == "retake"
    # the main face is still the sitter, not the pasted one
    assert abs(b.eye_mid[0] - a.eye_mid[0]) < 5


# --- live mode -----------------------------------------------------------------------------------
def test_live_mode_on_720p_frames(astronaut):
    from studio_app.vision.analyzer import FaceAnalyzer

    frame = np.full((720, 1280, 3), 235, np.uint8)
    face = cv2.resize(astronaut, (640, 640))
    frame[40:680, 320:960] = face
    with FaceAnalyzer("live", segmentation_every=3) as live, FaceAnalyzer("still") as still:
        ref = still.analyze(frame)
        results = [live.analyze(frame, timestamp_ms=t) for t in (0, 33, 33, 66, 100)]  # a repeated ts is tolerated
    for a in results:
        assert a.mode == "live" and a.has_face and a.image_size == (1280, 720)
        # coordinates are in full-frame pixels although the landmarker saw 640 px
        assert np.hypot(a.eye_mid[0] - ref.eye_mid[0], a.eye_mid[1] - ref.eye_mid[1]) < 0.05 * ref.face_width
        assert a.person_mask is not None and a.person_mask.shape == (720, 1280)
    ts = [a.timestamp_ms for a in results]
    assert ts == sorted(ts) and len(set(ts)) == len(ts)
    report = run_checks(results[-1], get_spec("sscard"), live=True)
    assert "background_colour" not in report and "head_size" not in report
    assert {"single_face", "yaw", "pitch", "roll", "eyes_open", "resolution"} <= {r.id for r in report.results}


def test_live_measures_appearance_every_few_frames_of_a_track(astronaut, monkeypatch):
    """Hair/headwear/ears/glasses features are refreshed every few frames of a track (they cannot
    change between two frames) and at once for a new track."""
    from studio_app.vision import analyzer as an_mod
    from studio_app.vision import occlusion

    calls = []
    real = occlusion.occlusion_features
    monkeypatch.setattr(occlusion, "occlusion_features", lambda *a, **k: calls.append(1) or real(*a, **k))
    frame = np.full((720, 1280, 3), 235, np.uint8)
    frame[40:680, 320:960] = cv2.resize(astronaut, (640, 640))
    blank = np.full((720, 1280, 3), 235, np.uint8)
    every = an_mod.APPEARANCE_EVERY
    with an_mod.FaceAnalyzer("live") as live:
        first = [live.analyze(frame, timestamp_ms=33 * i) for i in range(2 * every)]
        assert all(a.has_face for a in first)
        assert len(calls) == 3  # frames 1 (new track), 2 (detection) and 5 (segmentation)
        assert first[2].features["brow_cover"] == first[1].features["brow_cover"]  # reused
        assert not live.analyze(blank, timestamp_ms=33 * 2 * every).has_face  # track lost
        n = len(calls)
        assert live.analyze(frame, timestamp_ms=33 * (2 * every + 1)).has_face
        assert len(calls) == n + 1  # a new track is measured at once


def test_live_appearance_falls_on_the_slow_frames(astronaut, monkeypatch):
    """The appearance features are refreshed on the frames that already segment or detect (the
    slow ones), never on a frame that only tracks: so most frames of a stream (the median frame)
    pay for tracking alone, and the features are still never more than APPEARANCE_EVERY old."""
    from studio_app.vision import analyzer as an_mod
    from studio_app.vision import occlusion

    frame = np.full((720, 1280, 3), 235, np.uint8)
    frame[40:680, 320:960] = cv2.resize(astronaut, (640, 640))
    with an_mod.FaceAnalyzer("live") as live:
        fresh = []
        real = occlusion.occlusion_features
        monkeypatch.setattr(occlusion, "occlusion_features",
                            lambda *a, **k: fresh.append(live._frame_no) or real(*a, **k))
        n = live.segmentation_every
        for i in range(4 * n):
            assert live.analyze(frame, timestamp_ms=33 * i).has_face
        slow = {0, n // 2}
        assert fresh[0] == 1  # a new track is measured at once
        assert all(f % n in slow for f in fresh[1:]), fresh
        gaps = np.diff(fresh)
        assert gaps.max() <= an_mod.APPEARANCE_EVERY, fresh
        plain = [f for f in range(2, 4 * n + 1) if f not in fresh]
        assert len(plain) > 2 * n  # more than half the frames only track


def test_closed_analyzer_refuses():
    from studio_app.vision.analyzer import FaceAnalyzer

    an = FaceAnalyzer("live")
    an.close()
    an.close()  # idempotent
    with pytest.raises(RuntimeError):
        an.analyze(np.zeros((64, 64, 3), np.uint8))
    with pytest.raises(ValueError):
        FaceAnalyzer("burst")


def _paint_band(rgb, a, colour, y_from, y_to, x_pad=0.0):
    """Fill the face width between two heights with a flat colour (plus a little noise)."""
    out = rgb.copy()
    L = a.landmarks
    x0 = int(L[234, 0] - x_pad * a.face_width)
    x1 = int(L[454, 0] + x_pad * a.face_width)
    rng = np.random.default_rng(0)
    band = np.clip(np.array(colour, np.float32) + rng.normal(0, 4, (int(y_to) - int(y_from), x1 - x0, 3)), 0, 255)
    out[int(y_from):int(y_to), x0:x1] = band.astype(np.uint8)
    return out


def test_hair_over_the_brows_fails_eyebrows_check(analyzer, studio, spec):
    """A flat band of hair colour down over the top of the brows (0.03 face widths below the
    highest point of the arches: the upper half of both brows hidden) fails."""
    rgb, a = studio
    assert run_checks(a, spec)["eyebrows_visible"].status == "pass"
    L = a.landmarks
    # the hair's colour well inside the hair: the still's crown is the top of the wisps (vision.crown)
    hair = np.median(rgb[int(a.crown[1]) + 15:int(a.crown[1]) + 35, int(a.crown[0]) - 10:int(a.crown[0]) + 10].reshape(-1, 3), axis=0)
    brow_top = min(L[105, 1], L[334, 1])
    fringe = _paint_band(rgb, a, hair, a.crown[1] - 2, brow_top + 0.03 * a.face_width, x_pad=0.1)
    b = analyzer.analyze(fringe)
    assert b.has_face
    assert run_checks(b, spec)["eyebrows_visible"].status == "fail"


#: the upper and lower edge of each brow, outer end first
_BROW_EDGES = ((70, 63, 105, 66, 107), (46, 53, 52, 65, 55), (300, 293, 334, 296, 336), (276, 283, 282, 295, 285))


def _fringe(rgb, a, colour, edge):
    """Hair (a flat colour with vertical strands) from the crown down to a lower edge that follows
    the brows: ``edge(x) -> y`` in pixels."""
    out = rgb.copy()
    L = a.landmarks
    x0 = int(max(0, L[234, 0] - 0.1 * a.face_width))
    x1 = int(min(rgb.shape[1], L[454, 0] + 0.1 * a.face_width))
    top = int(max(0, a.crown[1] - 2))
    rng = np.random.default_rng(0)
    for x in range(x0, x1):
        y = int(round(edge(x)))
        if y > top:
            strand = 12 * np.sin(0.9 * x + rng.normal())
            out[top:y, x] = np.clip(np.array(colour, np.float32) + strand + rng.normal(0, 6, (y - top, 3)), 0, 255).astype(np.uint8)
    return out


def _brow_line(a, chains, shift):
    pts = np.concatenate([a.landmarks[list(c), :2] for c in chains])
    pts = pts[np.argsort(pts[:, 0])]
    return lambda x: np.interp(x, pts[:, 0], pts[:, 1]) + shift * a.face_width


@pytest.mark.parametrize("name", ["ldn_004_m_stubble.jpg", "ldn_006_f_bun.jpg", "ldn_021_m_bald.jpg",
                                  "ldn_107_f_older.jpg"])
@pytest.mark.parametrize("colour", [(70, 50, 35), (25, 22, 20)], ids=["brown", "black"])
def test_fringe_over_the_brows_fails_and_above_them_passes(analyzer, spec, name, colour):
    """A fringe whose edge follows the brows: down to their lower edge (brows hidden) fails; one
    that stops 0.06 face widths above them (a band of skin between) passes."""
    rgb = load_portrait(name)
    a = analyzer.analyze(rgb)
    assert run_checks(a, spec)["eyebrows_visible"].status == "pass"
    covered = analyzer.analyze(_fringe(rgb, a, colour, _brow_line(a, _BROW_EDGES[1::2], 0.0)))
    r = run_checks(covered, spec)["eyebrows_visible"]
    assert r.status == "fail", r.measured
    above = analyzer.analyze(_fringe(rgb, a, colour, _brow_line(a, _BROW_EDGES[0::2], -0.06)))
    r = run_checks(above, spec)["eyebrows_visible"]
    assert r.status == "pass", r.measured


def test_astronaut_brows_under_her_fringe_are_visible(astro, spec):
    """Her light-brown fringe ends just above thin, light brows (at the outer end of her left
    brow within a few pixels): the brows are visible, so the check passes."""
    _, a = astro
    r = run_checks(a, spec)["eyebrows_visible"]
    assert r.status == "pass", r.measured
    assert a.features["brow_cover"] < 0.5


def test_red_cap_fails_headwear(analyzer, studio, spec):
    """Recolour the head above the forehead (where the person mask says head) as a red cap."""
    rgb, a = studio
    assert run_checks(a, spec)["headwear"].status == "pass"
    L = a.landmarks
    out = rgb.copy()
    limit = int(L[10, 1] + 0.02 * a.face_width)
    region = a.person_mask[:limit] > 0.5
    rng = np.random.default_rng(0)
    cap = np.clip(np.array((200, 30, 40), np.float32) + rng.normal(0, 5, (int(region.sum()), 3)), 0, 255)
    out[:limit][region] = cap.astype(np.uint8)
    b = analyzer.analyze(out)
    assert b.has_face and b.crown_from_mask
    assert run_checks(b, spec)["headwear"].status == "fail"


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 4000), (4000, 5), (480, 640)])
def test_degenerate_images_give_no_face_not_errors(analyzer, shape):
    from studio_app.compliance import guidance
    from studio_app.vision.analyzer import FaceAnalyzer

    rgb = np.zeros(shape + (3,), np.uint8)
    a = analyzer.analyze(rgb)
    assert not a.has_face and a.image_size == (shape[1], shape[0])
    with FaceAnalyzer("live") as live:
        b = live.analyze(rgb, timestamp_ms=5)
    report = run_checks(b, get_spec("sscard"), live=True)
    hint = guidance.live_hint(report, "en")
    assert hint.state == "bad" and hint.check_id == "single_face"


def test_face_cut_by_the_edge_is_found_and_flagged(analyzer, astro, spec):
    rgb, a = astro
    box = a.faces[0]
    cut = np.ascontiguousarray(rgb[:, int(box.x + 0.3 * box.w):])  # a third of the face missing
    b = analyzer.analyze(cut)
    assert b.has_face
    r = run_checks(b, spec)["face_in_frame"]
    assert r.status == "fail" and r.category == "retake"


def _place(src, frame_w, frame_h, scale, cx, cy):
    img = cv2.resize(src, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    frame = np.full((frame_h, frame_w, 3), 205, np.uint8)
    h, w = img.shape[:2]
    x0, y0 = int(cx - w / 2), int(cy - h / 2)
    xs, xe, ys, ye = max(0, x0), min(frame_w, x0 + w), max(0, y0), min(frame_h, y0 + h)
    frame[ys:ye, xs:xe] = img[ys - y0:ye - y0, xs - x0:xe - x0]
    return frame


def test_live_tracks_a_moving_face_and_pose_does_not_depend_on_position(studio):
    """The live tracker follows the face across the frame; its pose matches still analysis of
    the same frame wherever the face sits (no perspective bias from an off-centre face)."""
    from studio_app.vision.analyzer import FaceAnalyzer

    rgb, _ = studio
    scale = 0.5
    with FaceAnalyzer("live") as live, FaceAnalyzer("still") as still:
        seen = []
        for i, cx in enumerate(range(300, 1000, 35)):
            frame = _place(rgb, 1280, 720, scale, cx, 360)
            a = live.analyze(frame, timestamp_ms=33 * i)
            assert a.has_face, cx
            assert abs(a.eye_mid[0] - (cx + (_ref_eye_offset(rgb, scale)))) < 15
            seen.append(a)
        for a, cx in ((seen[0], 300), (seen[-1], 300 + 35 * (len(seen) - 1))):
            b = still.analyze(_place(rgb, 1280, 720, scale, cx, 360), segmentation=False)
            assert a.yaw == pytest.approx(b.yaw, abs=2.5)
            assert a.pitch == pytest.approx(b.pitch, abs=2.5)
            assert a.roll == pytest.approx(b.roll, abs=1.5)


_EYE_CACHE: dict = {}


def _ref_eye_offset(rgb, scale):
    """Eye midpoint x relative to the image centre, after scaling (from a still analysis)."""
    key = (rgb.shape, scale)
    if key not in _EYE_CACHE:
        from studio_app.vision.analyzer import analyze_still

        a = analyze_still(rgb, segmentation=False)
        _EYE_CACHE[key] = (a.eye_mid[0] - rgb.shape[1] / 2) * scale
    return _EYE_CACHE[key]


def test_landmark_crown_estimate_is_near_the_mask_crown(studio, analyzer):
    """Without segmentation the crown is estimated from the landmarks (CROWN_RATIO)."""
    rgb, a = studio
    b = analyzer.analyze(rgb, segmentation=False)
    assert not b.crown_from_mask and b.person_mask is None
    assert abs(b.crown[1] - a.crown[1]) < 0.15 * a.head_height


def test_live_counts_a_second_person(studio, astronaut):
    from studio_app.vision.analyzer import FaceAnalyzer

    rgb, _ = studio
    frame = _place(rgb, 1280, 720, 0.5, 420, 360)
    other = cv2.resize(astronaut, (640, 640))  # a second person beside the sitter (face ~115 px)
    frame[40:680, 640:1280] = other
    with FaceAnalyzer("live", segmentation_every=3) as live:
        results = [live.analyze(frame, timestamp_ms=40 * i) for i in range(4)]
    assert all(a.has_face for a in results)
    last = results[-1]
    assert last.face_count >= 2
    assert abs(last.eye_mid[0] - 420) < 80  # still tracking the sitter, not the newcomer
    assert run_checks(last, get_spec("sscard"), live=True)["single_face"].status == "fail"
