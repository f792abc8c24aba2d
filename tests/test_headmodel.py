"""One head model: the live checks judge the crop the pipeline makes, and the operator guide and
the kiosk oval draw the same target head, which the pipeline's crop turns into a compliant photo."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import load_portrait, portrait_labels
from studio_app import headmodel
from studio_app.compliance import run_checks
from studio_app.imaging import crop as C
from studio_app.specs import default_library, get_spec
from studio_app.vision.types import FaceAnalysis

SINGLE = sorted(r["file"] for r in portrait_labels() if r.get("faces") == "1")
# face width + crown (社保卡), eye line without a crown rule (US), head + crown + chin margin (护照)
CROP_SPECS = ("sscard", "us_passport", "exit_entry")
SPECS = sorted(default_library(), key=lambda s: s.id)


@pytest.fixture(scope="module")
def still():
    from studio_app.vision.analyzer import analyze_still

    cache = {}

    def get(name):
        if name not in cache:
            rgb = load_portrait(name)
            cache[name] = (rgb, analyze_still(rgb, segmentation=True))
        return cache[name]

    return get


def _pipeline_window(rgb, spec, analysis):
    from studio_app.errors import StudioError
    from studio_app.imaging.pipeline import ProcessOptions, process_photo

    try:
        result = process_photo(rgb, spec, ProcessOptions(verify=False), analysis=analysis)
    except StudioError:
        return None
    return next(c["params"]["window"] for c in result.corrections if c["id"] == "crop")


def test_the_portraits_are_there():
    assert len(SINGLE) >= 15, SINGLE


@pytest.mark.parametrize("name", SINGLE)
def test_live_checks_judge_the_crop_the_pipeline_makes(still, name):
    """On every single-face portrait: the window the live checks judged (face_in_frame's box)
    is the window process_photo cuts, within 1 px, for specs placed by crown, eye line and chin."""
    rgb, a = still(name)
    if not a.has_face or a.crown is None:
        pytest.skip("no usable face")
    compared = 0
    for spec_id in CROP_SPECS:
        spec = get_spec(spec_id)
        report = run_checks(a, spec, live=True)
        judged = report["face_in_frame"].params.get("box")
        headmodel.forget()  # the pipeline works it out again, not from the checks' answer
        made = _pipeline_window(rgb, spec, a)
        if made is None:
            continue
        assert judged is not None, spec_id
        assert np.allclose(judged, made, atol=1.0), (spec_id, judged, made)
        compared += 1
    assert compared, "the pipeline refused every spec"


def test_a_live_frame_is_judged_on_the_crop_its_capture_gets():
    """A live analysis (the capture hands it to the pipeline) gives the same window too."""
    from studio_app.vision.analyzer import FaceAnalyzer

    rgb = load_portrait("ldn_004_m_stubble.jpg")
    analyzer = FaceAnalyzer(mode="live")
    try:
        a = analyzer.analyze(rgb, segmentation=True, timestamp_ms=1)
    finally:
        analyzer.close()
    spec = get_spec("sscard")
    judged = run_checks(a, spec, live=True)["face_in_frame"].params["box"]
    headmodel.forget()
    assert np.allclose(judged, _pipeline_window(rgb, spec, a), atol=1.0)


def test_the_live_loop_solves_the_crop_once_per_frame(monkeypatch):
    """LiveLoop computes the crop once per frame; the checks judge that very crop and the
    result carries it for the overlay."""
    from studio_app.live import LiveLoop
    from studio_app.vision.analyzer import FaceAnalyzer

    rgb = load_portrait("ldn_004_m_stubble.jpg")
    spec = get_spec("sscard")
    calls = []
    real = C.solve
    monkeypatch.setattr(C, "solve", lambda *a, **k: calls.append(1) or real(*a, **k))
    loop = LiveLoop(spec=spec, analyzer=FaceAnalyzer(mode="live"), lang="zh_CN")
    try:
        result = loop.process(rgb, 1)
    finally:
        loop.close()
    assert result.crop is not None and result.report is not None
    per_crop = len(calls)
    headmodel.forget()
    calls.clear()
    again = headmodel.spec_crop(result.analysis, spec)
    assert len(calls) == per_crop  # the loop and its checks together solved exactly one crop
    assert result.report["face_in_frame"].params["box"] == [round(v, 1) for v in result.crop.window]
    assert again.window == pytest.approx(result.crop.window)


def _face(cx, crown, chin, eye_y, face_w, size, tilt=0.0):
    """A synthetic analysed face (what the checks and the crop read), tilted by ``tilt`` px of
    eye height difference."""
    mid = (crown + chin) / 2
    landmarks = np.array([[cx - face_w / 2, mid, 0.0], [cx + face_w / 2, mid, 0.0], [cx, chin, 0.0],
                          [cx, eye_y, 0.0]])
    half = face_w * 0.22
    return FaceAnalysis(image_size=size, landmarks=landmarks, eye_left=(cx - half, eye_y - tilt / 2),
                        eye_right=(cx + half, eye_y + tilt / 2), chin=(cx, chin), crown=(cx, crown), face_width=face_w)


def test_a_level_crop_is_the_solver_window_and_a_tilted_one_is_straightened():
    spec = get_spec("sscard")
    level = headmodel.spec_crop(_face(640, 140, 460, 300, 200, (1280, 720)), spec)
    sol = C.solve(spec, C.HeadPoints(640, 300, 140, 460, 200, 88, 1280, 720))
    (x0, y0), (x1, _), (_, y1), _ = level.corners()
    assert (x0, y0, x1, y1) == pytest.approx(sol.source_window())
    assert level.rotation is None and level.fits
    tilted = headmodel.spec_crop(_face(640, 140, 460, 300, 200, (1280, 720), tilt=12.0), spec)
    assert tilted.angle == pytest.approx(np.degrees(np.arctan2(12.0, 88.0)))
    tl, tr, br, bl = tilted.corners()
    assert tr[1] - tl[1] == pytest.approx((tr[0] - tl[0]) * 12.0 / 88.0, rel=1e-6)  # along the eye line
    for (x, y), want in zip((tl, tr, br, bl), ((0, 0), spec.size, spec.size, (0, spec.size[1]))):
        u, v = tilted.to_output(x, y)
        assert (round(u), round(v)) in ((0, 0), (spec.size[0], 0), spec.size, (0, spec.size[1]))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_operator_guide_and_kiosk_oval_are_one_target_head_the_crop_honours(spec):
    """Both shells draw :func:`headmodel.head_target` (read back through their own frames into
    the photo's px); a head sitting in that guide is cropped by the pipeline's crop to a photo
    meeting every rule of the spec."""
    pytest.importorskip("PySide6")
    from studio_app.ui.kiosk.guide import kiosk_guide
    from studio_app.ui.overlay import guide_for

    t = headmodel.head_target(spec)
    for g in (guide_for(spec, 1280, 720), kiosk_guide(spec, 1280, 720), kiosk_guide(spec, 1016, 1300)):
        cx = g.centre_x
        (ocx, crown), (_, chin), (_, eye) = g.to_output(cx, g.crown_y), g.to_output(cx, g.chin_y), g.to_output(cx, g.eye_y)
        assert (ocx, crown, chin, eye) == pytest.approx((t.centre, t.crown, t.chin, t.eye), abs=1e-6)
        ox, oy, ow, oh = g.oval
        assert (*g.to_output(ox, oy), ow / g.scale, oh / g.scale) == pytest.approx(t.oval, abs=1e-6)
        assert g.eye_band[0] <= g.eye_y <= g.eye_band[1]
    geo = spec.geometry
    if geo.face_width is not None and geo.head_height is None:
        assert t.head_h == pytest.approx(geo.face_width.mid / headmodel.FACE_PER_HEAD)
        assert t.chin <= spec.height_px  # the chin line stays inside the photo
    # the guide's head, in a camera picture, through the pipeline's crop
    g = guide_for(spec, 1280, 720)
    face = _face(g.centre_x, g.crown_y, g.chin_y, g.eye_y, t.face_w * g.scale, (1280, 720))
    crop = headmodel.spec_crop(face, spec)
    defaults = headmodel.default_rules(spec)  # ICAO defaults: the pipeline warns, never rejects
    assert crop.fits and not [v for v in crop.violations if v.rule not in defaults], crop.violations
    values = crop.predicted()
    own = {k: v for k, v in headmodel.rules(spec).items() if k not in defaults}
    for name, rng in own.items():
        if name == "inter_eye":
            continue  # the synthetic face's eye spacing is not the target's
        assert rng.distance(values[name]) <= 0.5, (name, values[name], rng)
