"""Crop solver: exact feasibility (checked against an independent LP), aims at range middles,
explains infeasible crops, and straightening/warp maths."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio_app.imaging import crop as C
from studio_app.specs import default_library, get_spec
from studio_app.specs.model import Range

SPECS = sorted(default_library(), key=lambda s: s.id)


def _head(eye_x=500.0, eye_y=400.0, crown_y=250.0, chin_y=600.0, fw=230.0, ie=95.0, w=1000.0, h=1200.0):
    return C.HeadPoints(eye_x=eye_x, eye_y=eye_y, crown_y=crown_y, chin_y=chin_y, face_width=fw, inter_eye=ie,
                        image_w=w, image_h=h)


def _lp_feasible(ranges: dict[str, Range], pts: C.HeadPoints, out_w: int, out_h: int, delta: float) -> bool:
    """Independent oracle: is there (s, a, b) meeting every range (relaxed by ``delta`` px) with
    the output window inside the source image? Solved with scipy's LP."""
    opt = pytest.importorskip("scipy.optimize")
    A, b = [], []

    def le(row, rhs):  # row . (s, a, b) <= rhs
        A.append(row)
        b.append(rhs)

    def between(row, lo, hi):
        if math.isfinite(lo) and lo != 0:
            le([-v for v in row], -(lo - delta))
        if math.isfinite(hi):
            le(row, hi + delta)

    for name, length in (("face_width", pts.face_width), ("head_height", pts.head_height),
                         ("inter_eye", pts.inter_eye)):
        if name in ranges:
            between([length, 0, 0], ranges[name].lo, ranges[name].hi)
    for name, c in (("crown_y", pts.crown_y), ("eye_y", pts.eye_y)):
        if name in ranges:
            between([c, 0, 1], ranges[name].lo, ranges[name].hi)
    if "chin_margin" in ranges:
        r = ranges["chin_margin"]
        between([pts.chin_y, 0, 1], out_h - r.hi, out_h - r.lo)
    if "eye_x" in ranges:
        between([pts.eye_x, 1, 0], ranges["eye_x"].lo, ranges["eye_x"].hi)
    le([0, 0, 1], 0 + delta)  # top edge: b <= 0
    le([0, 1, 0], 0 + delta)  # left edge
    le([-pts.image_h, 0, -1], -out_h + delta)  # bottom edge
    le([-pts.image_w, -1, 0], -out_w + delta)  # right edge
    res = opt.linprog(c=[0, 0, 0], A_ub=np.array(A, float), b_ub=np.array(b, float),
                      bounds=[(1e-4, None), (None, None), (None, None)], method="highs")
    return res.status == 0


@st.composite
def crop_cases(draw):
    """A spec and a head: built from a valid output placement mapped back through a random scale
    and offset, then perturbed, so both solvable and unsolvable cases are common."""
    spec = draw(st.sampled_from(SPECS))
    ranges = C.spec_ranges(spec)
    W, H = spec.size
    u = lambda: draw(st.floats(0.0, 1.0))  # noqa: E731

    def pick(name, default):
        r = ranges.get(name)
        if r is None:
            return default
        hi = r.hi if r.bounded else r.lo + 0.2 * H
        return r.lo + (hi - r.lo) * u()

    head = pick("head_height", 0.72 * H)
    crown = pick("crown_y", 0.08 * H)
    eye = pick("eye_y", crown + 0.48 * head)
    fw = pick("face_width", 0.6 * head)
    ie = pick("inter_eye", 0.42 * fw)
    ex = pick("eye_x", W / 2)
    # perturb proportions a little (real faces do not match every spec)
    jitter = draw(st.floats(0.85, 1.15))
    head *= jitter
    s_true = draw(st.floats(0.15, 3.0))
    margins = [draw(st.floats(-0.15, 1.0)) for _ in range(4)]  # negative: window needs more than the photo
    win_w, win_h = W / s_true, H / s_true
    x_left, y_top = margins[0] * win_w, margins[1] * win_h
    img_w = x_left + win_w + margins[2] * win_w
    img_h = y_top + win_h + margins[3] * win_h
    to_src_x = lambda v: x_left + v / s_true  # noqa: E731
    to_src_y = lambda v: y_top + v / s_true  # noqa: E731
    crown_src = to_src_y(crown)
    chin_src = to_src_y(crown + head)
    eye_src = to_src_y(min(max(eye, crown + 0.2 * head), crown + 0.8 * head))
    pts = C.HeadPoints(eye_x=to_src_x(ex), eye_y=eye_src, crown_y=crown_src, chin_y=chin_src,
                       face_width=fw / s_true, inter_eye=ie / s_true, image_w=max(img_w, 10.0),
                       image_h=max(img_h, 10.0))
    return spec, pts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crop_cases())
def test_solver_finds_a_solution_whenever_one_exists(case):
    spec, pts = case
    ranges = C.spec_ranges(spec)
    W, H = spec.size
    sol = C.solve(spec, pts)
    if _lp_feasible(ranges, pts, W, H, delta=-0.05):  # feasible even when every range is 0.05 px tighter
        assert sol.feasible, "a solution exists but the solver did not find it"
    tol = C.TOLERANCE_PX + 1e-6  # a hundredth of a pixel: "met" for any photo
    if sol.feasible:
        vals = C.predicted(sol, pts)
        for name, rng in ranges.items():
            assert rng.distance(vals[name]) <= tol, (name, vals[name], rng)
        x0, y0, x1, y1 = sol.source_window()
        assert x0 * sol.scale >= -tol and y0 * sol.scale >= -tol
        assert (x1 - pts.image_w) * sol.scale <= tol and (y1 - pts.image_h) * sol.scale <= tol
    else:
        assert not _lp_feasible(ranges, pts, W, H, delta=0.005)
        assert sol.violations, "an infeasible crop must say which rule fails"


def test_aims_at_the_middle_of_the_ranges():
    spec = get_spec("exit_entry_digital_gd")
    pts = _head(crown_y=200, eye_y=380, chin_y=560, fw=210, ie=90, w=1400, h=1600, eye_x=700)
    sol = C.solve(spec, pts)
    assert sol.feasible
    vals = C.predicted(sol, pts)
    crown = spec.geometry.crown_y
    assert abs(vals["crown_y"] - crown.mid) < 0.5
    assert abs(vals["eye_x"] - spec.geometry.eye_x.mid) < 0.5
    # each constrained value lies at least a little inside its range (margin for re-measurement)
    for name, rng in C.spec_ranges(spec).items():
        assert rng.lo + 0.5 <= vals[name] <= rng.hi - 0.5, name


def test_head_at_the_top_edge_is_reported_as_an_edge_problem():
    spec = get_spec("one_inch")
    # crown at the very top of the photo: no room for the 5 % crown margin
    pts = _head(crown_y=0.0, eye_y=150, chin_y=350, fw=200, ie=85, w=800, h=1000, eye_x=400)
    sol = C.solve(spec, pts)
    assert not sol.feasible
    assert [v.key for v in sol.violations] == ["crop.edge_top"]
    assert sol.violations[0].params["rule"] == "crown_y" and sol.violations[0].params["missing_px"] > 0
    # the best crop still has the head at the size and place the spec asks for (the caller fills
    # the missing strip and asks for a retake)
    vals = C.predicted(sol, pts)
    for name, rng in C.spec_ranges(spec).items():
        assert rng.distance(vals[name]) <= 1e-6, name
    # extending the canvas upwards (background replaced there) solves it
    sol2 = C.solve(spec, pts, extend=C.Extend(top=True))
    assert sol2.feasible
    assert sol2.source_window()[1] < 0


def test_conflicting_proportions_keep_the_head_size_and_name_the_rule():
    import dataclasses

    from studio_app.specs import Range

    base = get_spec("driving_licence")  # as first written: face width 165–189 and head 224–260
    spec = dataclasses.replace(base, geometry=dataclasses.replace(base.geometry, face_width=Range(165, 189)))
    pts = _head(crown_y=100, eye_y=330, chin_y=500, fw=200, ie=80, w=1000, h=1200, eye_x=500)  # ratio 2.0
    sol = C.solve(spec, pts)
    assert not sol.feasible
    vals = C.predicted(sol, pts)
    assert vals["head_height"] in spec.geometry.head_height  # the whole head fits the frame
    rules = [v.rule for v in sol.violations]
    assert "face_width" in rules and "head_height" not in rules
    assert "crown_y" not in rules  # the spec's own crown rule outranks the ICAO eye-line default
    assert all(v.key == "crop.conflict" for v in sol.violations)  # not an edge: the photo is big enough
    # every rule that is not reported is met
    for name, rng in C.spec_ranges(spec).items():
        if name not in rules:
            assert rng.distance(vals[name]) <= 1e-6, name


def test_eye_line_wins_over_the_crown_margin():
    spec = get_spec("resident_id")  # crown 7–21 px, eye line >= 207 px above the bottom (<= 234 from top)
    # a tall hairdo: 260 source px from the crown to the eyes at a face width of 207 px
    pts = _head(crown_y=100, eye_y=360, chin_y=560, fw=207, ie=85, w=1000, h=1200, eye_x=500)
    sol = C.solve(spec, pts)
    vals = C.predicted(sol, pts)
    assert vals["eye_y"] <= 234 + 1e-6
    assert [v.rule for v in sol.violations] == ["crown_y"]


def test_icao_defaults_fill_what_a_spec_leaves_out():
    spec = get_spec("us_passport")  # no crown rule in the spec
    ranges = C.spec_ranges(spec)
    assert ranges["crown_y"] == Range(0.03 * spec.height_px, 0.15 * spec.height_px)
    assert ranges["head_height"] == spec.geometry.head_height  # the spec's own wins
    assert "head_height" not in C.spec_ranges(get_spec("resident_id"))  # face width given instead


def test_roll_and_rotation_level_the_eyes():
    left, right = (100.0, 200.0), (200.0, 217.6)  # right eye lower: tilted clockwise ~10°
    angle = C.roll_degrees(left, right)
    assert angle == pytest.approx(math.degrees(math.atan2(17.6, 100)))
    rot = C.rotation_matrix((150.0, 208.8), angle)
    l2, r2 = C.apply_affine(rot, *left), C.apply_affine(rot, *right)
    assert l2[1] == pytest.approx(r2[1], abs=1e-6)
    assert math.dist(l2, r2) == pytest.approx(math.dist(left, right))


def test_warp_places_source_points_where_the_solution_says():
    rng = np.random.default_rng(1)
    src = np.zeros((900, 1200, 3), np.uint8)
    src[:] = rng.integers(0, 40, src.shape, dtype=np.uint8)
    src[300:310, 600:610] = 255  # a bright marker centred at (604.5, 304.5)
    sol = C.CropSolution(scale=0.5, a=-200.0, b=-50.0, out_w=300, out_h=400, feasible=True)
    m = C.compose(sol, np.array([[1, 0, 0], [0, 1, 0]], np.float64))
    out = C.warp(src, m, (300, 400))
    ys, xs = np.nonzero(out[..., 0] > 128)
    u, v = sol.to_output(604.5, 304.5)
    assert abs(xs.mean() - u) < 1.0 and abs(ys.mean() - v) < 1.0
    # a big source is shrunk with area averaging first: the marker still lands in the same place
    big = np.kron(src, np.ones((4, 4, 1), np.uint8))
    sol4 = C.CropSolution(scale=0.125, a=-200.0 + 0.0, b=-50.0, out_w=300, out_h=400, feasible=True)
    out4 = C.warp(big, C.compose(sol4, np.array([[1, 0, 0], [0, 1, 0]], np.float64)), (300, 400))
    ys4, xs4 = np.nonzero(out4[..., 0] > 100)
    u4, v4 = sol4.to_output(604.5 * 4 + 1.5, 304.5 * 4 + 1.5)
    assert abs(xs4.mean() - u4) < 1.0 and abs(ys4.mean() - v4) < 1.0
