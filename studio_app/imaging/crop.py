"""Crop to a spec's geometry: solve scale and offset from the landmarks and the crown.

The output frame is ``u = s * x + a``, ``v = s * y + b`` of the (straightened) source frame.
Every geometry range is linear in ``(s, a)`` or ``(s, b)``::

    face_width  lo <= s * fw <= hi                head_height lo <= s * (chin - crown) <= hi
    inter_eye   lo <= s * ie <= hi                crown_y     lo <= s * crown + b <= hi
    eye_y       lo <= s * eye_y + b <= hi         chin_margin lo <= H - (s * chin + b) <= hi
    eye_x       lo <= s * eye_x + a <= hi

and so are the source edges where the canvas may not be extended (``s * y_top + b <= 0``,
``s * y_bottom + b >= H``, same in x). For a fixed ``s`` each axis is an interval
``max(L_k(s)) <= b <= min(U_k(s))`` whose bounds are linear in ``s``, so the feasible scales are
the intersection of half-lines, found exactly. The solver aims at the middle of each range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import imageops as iops
from ..specs.model import Range, Spec
from . import keys  # noqa: F401  (registers messages)

INF = math.inf
# Which way each rule is measured, for px -> mm.
HORIZONTAL = {"face_width": True, "eye_x": True, "inter_eye": True, "head_height": False,
              "crown_y": False, "chin_margin": False, "eye_y": False}
RULES = ("face_width", "head_height", "inter_eye", "crown_y", "eye_y", "chin_margin", "eye_x")
# When the rules conflict, the ones early in this list are kept longest: the head's size first
# (a head cut by the frame or a wrongly scaled face is useless), then the eye line (it "wins over
# the hair margin"), then the other positions. A spec's own rules outrank the ICAO defaults.
PRIORITY = ("head_height", "face_width", "inter_eye", "eye_y", "eye_x", "chin_margin", "crown_y")
# ICAO-style defaults for what a spec leaves out, as fractions of the photo's height (width for
# the centre): chin to crown, top edge to crown, eye line above the bottom, eyes off centre.
ICAO_HEAD_FRACTION = (0.70, 0.80)
ICAO_CROWN_FRACTION = (0.03, 0.15)
ICAO_EYE_FROM_BOTTOM = (0.50, 0.60)
CENTRE_TOLERANCE = 0.05


@dataclass(frozen=True)
class HeadPoints:
    """The head measured in the (straightened) source frame, px."""

    eye_x: float
    eye_y: float
    crown_y: float
    chin_y: float
    face_width: float
    inter_eye: float
    image_w: float  # right edge of the usable source (x), px
    image_h: float  # bottom edge of the usable source (y), px
    image_x0: float = 0.0  # left edge
    image_y0: float = 0.0  # top edge

    @property
    def head_height(self) -> float:
        return self.chin_y - self.crown_y


@dataclass(frozen=True)
class Extend:
    """Source edges past which the canvas may be extended (background replaced there)."""

    top: bool = False
    bottom: bool = False
    left: bool = False
    right: bool = False


@dataclass(frozen=True)
class Violation:
    rule: str  # a geometry rule, or "edge_top" ...
    key: str  # message key
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CropSolution:
    scale: float
    a: float
    b: float
    out_w: int
    out_h: int
    feasible: bool
    violations: tuple[Violation, ...] = ()

    def to_output(self, x: float, y: float) -> tuple[float, float]:
        return self.scale * x + self.a, self.scale * y + self.b

    def source_window(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the output frame in source px."""
        s = self.scale
        return (-self.a / s, -self.b / s, (self.out_w - self.a) / s, (self.out_h - self.b) / s)


def predicted(sol: CropSolution, pts: HeadPoints) -> dict[str, float]:
    """Each geometry value in the output frame, px."""
    s = sol.scale
    return {
        "face_width": s * pts.face_width,
        "head_height": s * pts.head_height,
        "inter_eye": s * pts.inter_eye,
        "crown_y": s * pts.crown_y + sol.b,
        "eye_y": s * pts.eye_y + sol.b,
        "chin_margin": sol.out_h - (s * pts.chin_y + sol.b),
        "eye_x": s * pts.eye_x + sol.a,
    }


def spec_ranges(spec: Spec) -> dict[str, Range]:
    """The rules the crop must meet: the spec's own, plus the ICAO defaults the compliance checks
    apply where a spec is silent (head 70–80 % of the height unless the face width is given, crown
    3–15 %, eye line 50–60 % above the bottom, eyes centred ±5 %), so the exported photo passes
    the same checks that judge it."""
    g = spec.geometry
    ranges = {k: getattr(g, k) for k in RULES if getattr(g, k) is not None}
    return {**default_ranges(spec), **ranges}


def default_ranges(spec: Spec) -> dict[str, Range]:
    """ICAO-style defaults for the rules a spec leaves out (the compliance checks apply the same,
    through :mod:`studio_app.headmodel`)."""
    g, w, h = spec.geometry, spec.width_px, spec.height_px
    out = {}
    if g.head_height is None and g.face_width is None:
        out["head_height"] = Range(ICAO_HEAD_FRACTION[0] * h, ICAO_HEAD_FRACTION[1] * h)
    if g.crown_y is None:
        out["crown_y"] = Range(ICAO_CROWN_FRACTION[0] * h, ICAO_CROWN_FRACTION[1] * h)
    if g.eye_y is None:
        out["eye_y"] = Range(h * (1 - ICAO_EYE_FROM_BOTTOM[1]), h * (1 - ICAO_EYE_FROM_BOTTOM[0]))
    if g.eye_x is None:
        out["eye_x"] = Range(w * (0.5 - CENTRE_TOLERANCE), w * (0.5 + CENTRE_TOLERANCE))
    return out


# --- the linear system -------------------------------------------------------------------------

def _shrink(rng: Range, margin: float) -> tuple[float, float]:
    lo, hi = rng.lo, rng.hi
    if math.isfinite(hi):
        m = min(margin, 0.25 * (hi - lo))
        return lo + (m if lo > 0 else 0.0), hi - m
    return lo + (margin if lo > 0 else 0.0), INF


def _axis_rows(ranges: dict[str, tuple[float, float]], pts: HeadPoints, out_w: int, out_h: int,
               extend: Extend, axis: str) -> list[tuple[float, float, float, str]]:
    """Rows ``lo <= s * c + t <= hi`` as (c, lo, hi, name) for the offset t = a (x) or b (y)."""
    rows = []
    if axis == "y":
        for name, c in (("crown_y", pts.crown_y), ("eye_y", pts.eye_y)):
            if name in ranges:
                lo, hi = ranges[name]
                rows.append((c, lo, hi, name))
        if "chin_margin" in ranges:
            lo, hi = ranges["chin_margin"]
            rows.append((pts.chin_y, out_h - hi, out_h - lo, "chin_margin"))
        if not extend.top:
            rows.append((pts.image_y0, -INF, TOLERANCE_PX, "edge_top"))
        if not extend.bottom:
            rows.append((pts.image_h, out_h - TOLERANCE_PX, INF, "edge_bottom"))
    else:
        if "eye_x" in ranges:
            lo, hi = ranges["eye_x"]
            rows.append((pts.eye_x, lo, hi, "eye_x"))
        if not extend.left:
            rows.append((pts.image_x0, -INF, TOLERANCE_PX, "edge_left"))
        if not extend.right:
            rows.append((pts.image_w, out_w - TOLERANCE_PX, INF, "edge_right"))
    return rows


def _scale_rows(ranges: dict[str, tuple[float, float]], pts: HeadPoints) -> list[tuple[float, float, str]]:
    rows = []
    for name, length in (("face_width", pts.face_width), ("head_height", pts.head_height),
                         ("inter_eye", pts.inter_eye)):
        if name in ranges and length > 0:
            lo, hi = ranges[name]
            rows.append((lo / length, hi / length, name))
    return rows


def _feasible_scales(ranges, pts, out_w, out_h, extend) -> tuple[float, float]:
    s_lo, s_hi = 1e-6, INF
    for lo, hi, _ in _scale_rows(ranges, pts):
        s_lo, s_hi = max(s_lo, lo), min(s_hi, hi)
    for axis in ("x", "y"):
        rows = _axis_rows(ranges, pts, out_w, out_h, extend, axis)
        for ci, loi, _, _ in rows:  # lower bound  loi - s*ci
            if loi == -INF:
                continue
            for cj, _, hij, _ in rows:  # upper bound hij - s*cj
                if hij == INF:
                    continue
                # loi - s ci <= hij - s cj  <=>  s (cj - ci) <= hij - loi
                k, r = cj - ci, hij - loi
                if abs(k) < 1e-12:
                    if r < -1e-9:
                        return 1.0, 0.0
                elif k > 0:
                    s_hi = min(s_hi, r / k)
                else:
                    s_lo = max(s_lo, r / k)
    return s_lo, s_hi


def _interval(rows, s: float) -> tuple[float, float]:
    lo, hi = -INF, INF
    for c, rlo, rhi, _ in rows:
        if rlo > -INF:
            lo = max(lo, rlo - s * c)
        if rhi < INF:
            hi = min(hi, rhi - s * c)
    return lo, hi


def _clip(v: float, lo: float, hi: float) -> float:
    return min(max(v, lo), hi)


def _target_scale(ranges: dict[str, Range], pts: HeadPoints, out_h: int) -> float:
    goals = []
    for name, length in (("head_height", pts.head_height), ("face_width", pts.face_width),
                         ("inter_eye", pts.inter_eye)):
        rng = ranges.get(name)
        if rng is not None and rng.bounded and length > 0:
            goals.append(rng.mid / length)
    if goals:
        return float(np.exp(np.mean(np.log(goals))))
    return 0.72 * out_h / max(pts.head_height, 1.0)  # ICAO-like default: head ~72 % of the height


def _target_offsets(ranges: dict[str, Range], pts: HeadPoints, s: float, out_w: int, out_h: int) -> tuple[float, float]:
    if "eye_x" in ranges and ranges["eye_x"].bounded:
        a = ranges["eye_x"].mid - s * pts.eye_x
    else:
        a = out_w / 2 - s * pts.eye_x
    crown = ranges.get("crown_y")
    eye = ranges.get("eye_y")
    chin = ranges.get("chin_margin")
    if crown is not None and crown.bounded:
        b = crown.mid - s * pts.crown_y
    elif eye is not None and eye.bounded and eye.lo > 0:
        b = eye.mid - s * pts.eye_y
    elif chin is not None and chin.bounded:
        b = out_h - chin.mid - s * pts.chin_y
    else:  # centre the head between the top and the chin margin, a bit high
        free = out_h - s * pts.head_height
        b = 0.4 * free - s * pts.crown_y
    return a, b


TOLERANCE_PX = 0.01  # a rule (or photo edge) missed by less than this is met: far below one pixel
SLACK_CAP = 10.0  # px of safety margin from every bound worth seeking; beyond that, aim at the targets


def _intervals(rows, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_interval` for every scale in ``s`` at once."""
    lo, hi = np.full(s.shape, -INF), np.full(s.shape, INF)
    for c, rlo, rhi, _ in rows:
        if rlo > -INF:
            lo = np.maximum(lo, rlo - s * c)
        if rhi < INF:
            hi = np.minimum(hi, rhi - s * c)
    return lo, hi


def _min_slack(rows, s: np.ndarray, t: np.ndarray) -> np.ndarray:
    """For offsets ``t`` (one row per scale in ``s``): the smallest distance (px) to any geometry
    bound (edges excluded)."""
    out = np.full(t.shape, np.inf)
    for c, lo, hi, name in rows:
        if name.startswith("edge"):
            continue
        v = t + (s * c)[:, None]
        if lo > -INF:
            out = np.minimum(out, v - lo)
        if hi < INF:
            out = np.minimum(out, hi - v)
    return out


def _best_offsets(rows, s: np.ndarray, lo: np.ndarray, hi: np.ndarray, target: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Per scale: the offset in [lo, hi] that keeps every value furthest inside its range (up to
    SLACK_CAP), then closest to ``target`` (81 evenly spaced offsets and the clipped target are
    tried; an open interval tries the clipped target only); returns (offsets, their slack)."""
    clipped = np.minimum(np.maximum(target, lo), hi)
    finite = np.isfinite(lo) & np.isfinite(hi)
    flo, fhi = np.where(finite, lo, clipped), np.where(finite, hi, clipped)
    cand = np.empty((s.size, 82))
    cand[:, :81] = np.arange(81) * ((fhi - flo) / 80)[:, None] + flo[:, None]
    cand[:, 80] = fhi
    cand[:, 81] = clipped
    sl = _min_slack(rows, s, cand)
    score = np.minimum(sl, SLACK_CAP) - 1e-3 * np.abs(cand - target[:, None])
    i = np.argmax(score, axis=1)
    rows_ = np.arange(s.size)
    return cand[rows_, i], sl[rows_, i]


def _solve_once(ranges_full: dict[str, Range], pts: HeadPoints, out_w: int, out_h: int, extend: Extend,
                margin: float, sane: tuple[float, float] = (0.0, INF)) -> CropSolution | None:
    ranges = {k: _shrink(r, margin) for k, r in ranges_full.items()}
    s_lo, s_hi = _feasible_scales(ranges, pts, out_w, out_h, extend)
    s_lo, s_hi = max(s_lo, sane[0]), min(s_hi, sane[1])
    if not s_lo <= s_hi + 1e-9 * max(1.0, abs(s_hi)):  # a touching interval is one point, not empty
        return None
    s_hi = max(s_hi, s_lo)
    s_t = _target_scale(ranges_full, pts, out_h)
    if not math.isfinite(s_hi):
        s_hi = max(s_lo, s_t) * 2.0
    exact = {k: (r.lo, r.hi) for k, r in ranges_full.items()}
    x_rows = _axis_rows(ranges, pts, out_w, out_h, extend, "x")
    y_rows = _axis_rows(ranges, pts, out_w, out_h, extend, "y")
    x_exact = _axis_rows(exact, pts, out_w, out_h, extend, "x")
    y_exact = _axis_rows(exact, pts, out_w, out_h, extend, "y")
    scale_exact = [(ranges_full[n].lo, ranges_full[n].hi, length)
                   for n, length in (("face_width", pts.face_width), ("head_height", pts.head_height),
                                     ("inter_eye", pts.inter_eye)) if n in ranges_full]
    # every candidate scale at once (one NumPy pass instead of a Python loop: ~5x faster)
    sc = np.unique(np.append(np.linspace(s_lo, s_hi, 25), _clip(s_t, s_lo, s_hi)))
    xa_lo, xa_hi = _intervals(x_rows, sc)
    yb_lo, yb_hi = _intervals(y_rows, sc)
    ok = ~((xa_lo > xa_hi + 1e-6) | (yb_lo > yb_hi + 1e-6))
    if not ok.any():
        return None
    sc, xa_lo, xa_hi, yb_lo, yb_hi = sc[ok], xa_lo[ok], xa_hi[ok], yb_lo[ok], yb_hi[ok]
    xa_hi, yb_hi = np.maximum(xa_hi, xa_lo), np.maximum(yb_hi, yb_lo)
    ta, tb = _target_offsets(ranges_full, pts, sc, out_w, out_h)
    ta, tb = np.broadcast_to(ta, sc.shape).astype(float), np.broadcast_to(tb, sc.shape).astype(float)
    a, sa = _best_offsets(x_exact, sc, xa_lo, xa_hi, ta)
    b, sb = _best_offsets(y_exact, sc, yb_lo, yb_hi, tb)
    ss = np.full(sc.shape, INF)
    for lo, hi, length in scale_exact:
        ss = np.minimum(ss, np.minimum(sc * length - lo, hi - sc * length))
    slack = np.minimum(np.minimum(np.minimum(sa, sb), ss), SLACK_CAP)
    score = slack - 1e-3 * (np.abs(sc / s_t - 1) * out_h + np.abs(a - ta) + np.abs(b - tb))
    k = int(np.argmax(score))
    return CropSolution(scale=float(sc[k]), a=float(a[k]), b=float(b[k]), out_w=out_w, out_h=out_h, feasible=True)


def solve(spec_or_ranges: Spec | dict[str, Range], pts: HeadPoints, out_size: tuple[int, int] | None = None,
          extend: Extend = Extend(), margin: float = 2.0) -> CropSolution:
    """Best crop for ``pts``. ``feasible`` is False when some rule cannot be met; then
    ``violations`` says which rule and why (an edge of the photo, or conflicting proportions)."""
    defaults: set[str] = set()
    if isinstance(spec_or_ranges, Spec):
        ranges = spec_ranges(spec_or_ranges)
        defaults = set(default_ranges(spec_or_ranges))
        out_w, out_h = spec_or_ranges.size
    else:
        ranges = dict(spec_or_ranges)
        if out_size is None:
            raise ValueError("out_size is required with a ranges dict")
        out_w, out_h = out_size
    if pts.head_height <= 0 or pts.face_width <= 0:
        raise ValueError("degenerate head points")
    # Whatever rules must give way, the head keeps a sane size: within a factor of 1.6 of the
    # size the rules ask for (a crop of the forehead meets a crown rule, uselessly).
    s_t = _target_scale(ranges, pts, out_h)
    sane = (s_t / 1.6, s_t * 1.6)
    # aim 2 px inside every range; else exactly on a bound; else within a hundredth of a pixel
    for m in (margin, 0.0, -TOLERANCE_PX):
        sol = _solve_once(ranges, pts, out_w, out_h, extend, m, sane)
        if sol is not None:
            return sol
    everything = Extend(True, True, True, True)
    relaxed = _solve_once(ranges, pts, out_w, out_h, everything, 0.0, sane)
    if relaxed is not None:
        # Only the photo's edges are in the way (the head is too close to them): the best crop
        # keeps every rule and shows what is missing (the caller fills it and asks for a retake).
        x0, y0, x1, y1 = relaxed.source_window()
        crossed = {"top": y0 < pts.image_y0 - 0.5 and not extend.top,
                   "bottom": y1 > pts.image_h + 0.5 and not extend.bottom,
                   "left": x0 < pts.image_x0 - 0.5 and not extend.left,
                   "right": x1 > pts.image_w + 0.5 and not extend.right}
        blame = {"top": ("crown_y", "head_height", "eye_y"), "bottom": ("chin_margin", "head_height", "eye_y"),
                 "left": ("eye_x", "face_width"), "right": ("eye_x", "face_width")}
        violations = []
        for edge, hit in crossed.items():
            if hit:
                rule = next((r for r in blame[edge] if r in ranges), blame[edge][0])
                missing = {"top": pts.image_y0 - y0, "bottom": y1 - pts.image_h,
                           "left": pts.image_x0 - x0, "right": x1 - pts.image_w}[edge] * relaxed.scale
                violations.append(Violation(f"edge_{edge}", f"crop.edge_{edge}",
                                            {"rule": rule, "missing_px": round(missing, 1)}))
        if violations:
            return CropSolution(relaxed.scale, relaxed.a, relaxed.b, out_w, out_h, feasible=False,
                                violations=tuple(violations))
    # Infeasible: drop rules, lowest priority first, until the rest can be met.
    kept = dict(ranges)
    dropped = []
    sol = None
    order = [n for n in reversed(PRIORITY) if n in defaults] + [n for n in reversed(PRIORITY) if n not in defaults]
    for name in order:
        if name not in kept:
            continue
        dropped.append(name)
        kept.pop(name)
        sol = _solve_once(kept, pts, out_w, out_h, extend, 0.0, sane)
        if sol is not None:
            break
    # Put back every dropped rule that fits with the rest, most important first.
    for name in [n for n in reversed(order) if n in dropped]:
        trial = {**kept, name: ranges[name]}
        again = _solve_once(trial, pts, out_w, out_h, extend, 0.0, sane)
        if again is not None:
            kept, sol = trial, again
            dropped.remove(name)
    if sol is None:  # even with no rules (never: the edges alone always admit a tiny crop)
        sol = _solve_once({}, pts, out_w, out_h, Extend(True, True, True, True), 0.0, sane)
    # Aim the dropped rules as close as the kept ones allow: nudge inside the remaining slack.
    sol = _nudge(sol, ranges, kept, pts, extend)
    values = predicted(sol, pts)
    violations = []
    for name in dropped:
        rng = ranges[name]
        if rng.distance(values[name]) <= 0.5:
            continue
        # the edges were not the cause (that case returned above): the rules contradict each other
        # for this face's proportions
        reason = Violation(name, "crop.conflict", {"rule": name, "measured": round(values[name], 1),
                                                    "limit": rng.text()})
        violations.append(reason)
    return CropSolution(sol.scale, sol.a, sol.b, out_w, out_h, feasible=not violations, violations=tuple(violations))


def _nudge(sol: CropSolution, ranges, kept, pts, extend) -> CropSolution:
    """Within the kept rules' slack at this scale, move the offsets towards the dropped rules."""
    s = sol.scale
    kept_s = {k: _shrink(r, 0.0) for k, r in kept.items()}
    xa = _interval(_axis_rows(kept_s, pts, sol.out_w, sol.out_h, extend, "x"), s)
    yb = _interval(_axis_rows(kept_s, pts, sol.out_w, sol.out_h, extend, "y"), s)
    ta, tb = _target_offsets(ranges, pts, s, sol.out_w, sol.out_h)
    return CropSolution(s, _clip(ta, *xa), _clip(tb, *yb), sol.out_w, sol.out_h, sol.feasible)


# --- from an analysis to a warp ----------------------------------------------------------------

def roll_degrees(eye_left, eye_right) -> float:
    """Angle of the eye line, degrees; + = the image-right eye lower (head tilted clockwise)."""
    return math.degrees(math.atan2(eye_right[1] - eye_left[1], eye_right[0] - eye_left[0]))


def rotation_matrix(center: tuple[float, float], angle_deg: float) -> np.ndarray:
    """2x3 affine rotating by ``-angle_deg`` about ``center`` so an eye line at ``angle_deg`` becomes level."""
    return iops.rotation_matrix((float(center[0]), float(center[1])), float(angle_deg), 1.0)


def apply_affine(m: np.ndarray, x: float, y: float) -> tuple[float, float]:
    return float(m[0, 0] * x + m[0, 1] * y + m[0, 2]), float(m[1, 0] * x + m[1, 1] * y + m[1, 2])


def compose(sol: CropSolution, rot: np.ndarray, factor: float = 1.0) -> np.ndarray:
    """Source -> output (times ``factor``) 2x3 affine."""
    scale = np.array([[sol.scale, 0, sol.a], [0, sol.scale, sol.b], [0, 0, 1]], np.float64)
    r = np.vstack([rot, [0, 0, 1]])
    m = (np.diag([factor, factor, 1.0]) @ scale @ r)[:2]
    return m


def warp(rgb: np.ndarray, m: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Warp ``rgb`` by the 2x3 affine ``m`` to ``size`` (w, h), downscaling large sources with
    area averaging first (a plain warp would alias a 6000 px photo); edges are repeated."""
    w, h = size
    s = math.sqrt(abs(np.linalg.det(m[:, :2])))
    # Source region the output needs, with a small margin.
    inv = iops.invert_affine(m)
    corners = np.array([[0, 0], [w, 0], [0, h], [w, h]], np.float64)
    src = corners @ inv[:, :2].T + inv[:, 2]
    H, W = rgb.shape[:2]
    x0 = int(max(0, math.floor(src[:, 0].min()) - 4))
    y0 = int(max(0, math.floor(src[:, 1].min()) - 4))
    x1 = int(min(W, math.ceil(src[:, 0].max()) + 4))
    y1 = int(min(H, math.ceil(src[:, 1].max()) + 4))
    if x1 <= x0 or y1 <= y0:
        x0, y0, x1, y1 = 0, 0, W, H
    roi = rgb[y0:y1, x0:x1]
    shift = np.array([[1, 0, x0], [0, 1, y0], [0, 0, 1]], np.float64)
    m_roi = (np.vstack([m, [0, 0, 1]]) @ shift)[:2]
    if s < 0.75:  # shrink first so that the warp samples at most ~1.33 source px per output px
        f = min(1.0, s * 1.33)
        rw, rh = max(1, round(roi.shape[1] * f)), max(1, round(roi.shape[0] * f))
        fx, fy = rw / roi.shape[1], rh / roi.shape[0]
        roi = iops.resize(roi, (rw, rh), "area")
        # pixel-centre convention: x_small = (x + 0.5) * f - 0.5
        to_small = np.array([[fx, 0, 0.5 * fx - 0.5], [0, fy, 0.5 * fy - 0.5], [0, 0, 1]], np.float64)
        m_roi = (np.vstack([m_roi, [0, 0, 1]]) @ np.linalg.inv(to_small))[:2]
    return iops.warp_affine(roi, m_roi, (w, h), "linear" if s <= 1.0 else "cubic")
