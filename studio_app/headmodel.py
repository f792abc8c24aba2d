"""The one head-geometry model (Qt-free): where a head is, where the spec wants it, and the crop.

Every place that reasons about head placement goes through here:

* the compliance checks (``face_in_frame``, ``resolution``, the geometry checks) judge
  :func:`spec_crop` and read their ranges from :func:`rules` / :func:`head_range` /
  :func:`eye_y_range` / :func:`eye_x_range`;
* the still pipeline crops with :func:`spec_crop` (straightening, background extension and the
  crop solver of :mod:`studio_app.imaging.crop`), so the live checks judge exactly the crop the
  pipeline makes;
* the live loop computes :func:`spec_crop` once per frame and carries it in its result; the
  operator overlay draws its corners;
* the operator guide and the kiosk oval are :func:`guide_shapes` of one :func:`head_target`.

:func:`spec_crop` remembers its last few answers by the analysis object (weakly: no personal data
is kept alive), so the live loop, the checks and the pipeline that ask about the same analysis
share one solve.
"""

from __future__ import annotations

import math
import threading
import weakref
from dataclasses import dataclass, replace

import numpy as np

from .imaging import crop as solver
from .imaging.crop import CropSolution, Extend, HeadPoints
from .specs.model import Range, Spec

#: Face width (cheek to cheek at the ears) / head height (chin to the top of the hair) of the
#: compliant shared portraits: 0.55-0.75; the guides draw the middle for specs that fix only one
#: of the two (社保卡 and 身份证 give face width only).
FACE_PER_HEAD = 0.65
#: Eye line below the crown as a share of the head height (0.46-0.54 measured on the portraits).
EYES_BELOW_CROWN = 0.50
#: The eye band drawn when the spec leaves the eye line to anatomy (share of the head height).
EYE_BAND = (0.40, 0.55)
EYE_BAND_MAX = 0.60


# --- the rules -----------------------------------------------------------------------------------

def rules(spec: Spec) -> dict[str, Range]:
    """What the crop must meet: the spec's own ranges plus the ICAO defaults where it is silent."""
    return solver.spec_ranges(spec)


def default_rules(spec: Spec) -> dict[str, Range]:
    """The ICAO defaults among :func:`rules` (their misses warn rather than reject)."""
    return solver.default_ranges(spec)


def head_range(spec: Spec) -> tuple[float, float]:
    """Chin to crown in output px: the spec's, else 70-80 % of the height."""
    g = spec.geometry
    if g.head_height is not None:
        return g.head_height.lo, g.head_height.hi
    lo, hi = solver.ICAO_HEAD_FRACTION
    return spec.height_px * lo, spec.height_px * hi


def target_head_height(spec: Spec) -> float:
    g = spec.geometry
    if g.head_height is not None and g.head_height.bounded:
        return g.head_height.mid
    return sum(head_range(spec)) / 2


def crown_range(spec: Spec) -> tuple[float, float]:
    r = rules(spec)["crown_y"]
    return r.lo, r.hi


def eye_y_range(spec: Spec, default: bool = False) -> tuple[float, float] | None:
    """Eye line from the top edge (output px). A spec that fixes the crown margin and head size
    but not the eye line leaves it to anatomy: ``None`` then, unless ``default`` asks for the
    ICAO range (50-60 % of the height above the bottom) that the crop aims at."""
    g = spec.geometry
    if g.eye_y is None and g.crown_y is not None and not default:
        return None
    r = rules(spec)["eye_y"]
    return r.lo, r.hi


def eye_x_range(spec: Spec) -> tuple[float, float]:
    r = rules(spec)["eye_x"]
    return r.lo, r.hi


# --- the head measured in a picture --------------------------------------------------------------

def head_points(analysis, rot: np.ndarray | None = None) -> HeadPoints:
    """Eyes, crown, chin and face width of ``analysis`` (straightened by ``rot`` when given)."""
    el, er, chin, crown = analysis.eye_left, analysis.eye_right, analysis.chin, analysis.crown
    if rot is not None:
        el, er = solver.apply_affine(rot, *el), solver.apply_affine(rot, *er)
        chin = solver.apply_affine(rot, *chin)
        crown = solver.apply_affine(rot, *crown)
        crown = (crown[0], min(crown[1], _straightened_crown_y(analysis, rot)))
    w, h = analysis.image_size
    return HeadPoints(
        eye_x=(el[0] + er[0]) / 2, eye_y=(el[1] + er[1]) / 2, crown_y=crown[1], chin_y=chin[1],
        face_width=float(analysis.face_width), inter_eye=float(math.hypot(er[0] - el[0], er[1] - el[1])),
        image_w=float(w), image_h=float(h))


def _straightened_crown_y(analysis, rot: np.ndarray) -> float:
    """The top of the head in the straightened picture: the person mask scanned along the face's
    own up (vision.crown.crown_along), not straight up the tilted picture; inf without a mask."""
    from .vision.crown import crown_along

    mask, pts = getattr(analysis, "person_mask", None), getattr(analysis, "landmarks", None)
    w, h = analysis.image_size
    if mask is None or pts is None or not analysis.crown_from_mask or np.shape(mask)[:2] != (h, w):
        return math.inf
    up = -np.asarray(rot, np.float64)[1, :2]  # the picture's up, mapped back into the tilted one
    c = crown_along(mask, pts, up)
    if c is None or c[2]:
        return math.inf
    return solver.apply_affine(rot, c[0], c[1])[1]


def edges_touched(mask: np.ndarray | None, thresh: float = 0.5) -> dict[str, bool]:
    """Which image edges the person touches (there the canvas may not be extended)."""
    if mask is None:
        return {"top": True, "bottom": True, "left": True, "right": True}
    step = max(1, int(max(mask.shape) / 1500))  # a 24 MP mask needs no full-resolution look
    m = mask[::step, ::step]
    h, w = m.shape
    k = max(2, int(0.01 * max(h, w)))
    # only the border strips are looked at (thresholding the whole mask cost ~0.5 ms a live frame)
    strips = {"top": m[:k], "bottom": m[-k:], "left": m[:, :k], "right": m[:, -k:]}
    return {e: bool((v > thresh).mean() > 0.003) for e, v in strips.items()}


def rotated_bounds(pts: HeadPoints, rot: np.ndarray, sol: CropSolution, w: int, h: int) -> HeadPoints:
    """``pts`` with the usable bounds of a straightened ``w`` x ``h`` picture around ``sol``'s
    window: the tilted edges leave a smaller upright rectangle really covered by pixels."""
    corners = [solver.apply_affine(rot, x, y) for x, y in ((0, 0), (w, 0), (w, h), (0, h))]
    tl, tr, br, bl = corners
    x0, y0, x1, y1 = sol.source_window()
    pad_x, pad_y = 0.1 * (x1 - x0), 0.1 * (y1 - y0)

    def y_on(p, q, x):  # y of the edge p-q at x
        t = (x - p[0]) / (q[0] - p[0]) if q[0] != p[0] else 0.0
        return p[1] + t * (q[1] - p[1])

    def x_on(p, q, y):
        t = (y - p[1]) / (q[1] - p[1]) if q[1] != p[1] else 0.0
        return p[0] + t * (q[0] - p[0])

    xs = (x0 - pad_x, x1 + pad_x)
    ys = (y0 - pad_y, y1 + pad_y)
    return replace(pts, image_x0=max(x_on(tl, bl, y) for y in ys), image_y0=max(y_on(tl, tr, x) for x in xs),
                   image_w=min(x_on(tr, br, y) for y in ys), image_h=min(y_on(bl, br, x) for x in xs))


# --- the spec crop -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CropOptions:
    """How the pipeline may crop (the pipeline's ProcessOptions map onto these; the live checks
    use the defaults, which are the pipeline's defaults)."""

    straighten: bool = True
    max_roll: float = 10.0
    replace_background: bool = True  # the canvas may be extended past edges the person does not touch
    extend_bottom: float = 0.0  # share of the height the clothing may be continued past a cut bottom


@dataclass(frozen=True)
class SpecCrop:
    """The spec's photo cut from one picture: ``solution`` in the straightened frame
    (``rotation`` maps picture px there; None when not straightened)."""

    spec_id: str
    solution: CropSolution
    points: HeadPoints  # the head and the usable picture bounds, straightened frame
    rotation: np.ndarray | None
    angle: float  # degrees of roll straightened away (0 when none)
    extend: Extend
    extended_bottom: float = 0.0  # straightened px of clothing continued past the bottom edge
    source_bottom: float = math.inf  # the picture's own usable bottom edge (before any continuation)

    @property
    def scale(self) -> float:
        """Output px per picture px (above 1 the picture is enlarged)."""
        return self.solution.scale

    @property
    def window(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the photo in the straightened frame."""
        return self.solution.source_window()

    @property
    def width(self) -> float:
        x0, _, x1, _ = self.window
        return x1 - x0

    @property
    def height(self) -> float:
        _, y0, _, y1 = self.window
        return y1 - y0

    @property
    def feasible(self) -> bool:
        return self.solution.feasible

    @property
    def violations(self):
        return self.solution.violations

    def overflow(self) -> dict[str, float]:
        """Picture px of the photo outside the usable picture, per side (0 when inside)."""
        x0, y0, x1, y1 = self.window
        p = self.points
        return {"left": max(0.0, p.image_x0 - x0), "right": max(0.0, x1 - p.image_w),
                "top": max(0.0, p.image_y0 - y0), "bottom": max(0.0, y1 - p.image_h)}

    def overflow_fraction(self) -> dict[str, float]:
        o = self.overflow()
        return {"left": o["left"] / self.width, "right": o["right"] / self.width,
                "top": o["top"] / self.height, "bottom": o["bottom"] / self.height}

    @property
    def fits(self) -> bool:
        return max(self.overflow().values()) <= 0.5

    def matrix(self, factor: float = 1.0) -> np.ndarray:
        """2x3 affine: picture px -> output px (times ``factor``)."""
        rot = self.rotation if self.rotation is not None else np.array([[1, 0, 0], [0, 1, 0]], np.float64)
        return solver.compose(self.solution, rot, factor)

    def to_output(self, x: float, y: float) -> tuple[float, float]:
        return solver.apply_affine(self.matrix(), x, y)

    def corners(self) -> tuple[tuple[float, float], ...]:
        """The photo's corners in picture px (top-left, top-right, bottom-right, bottom-left);
        a tilted rectangle when the head is straightened."""
        inv = np.linalg.inv(np.vstack([self.matrix(), [0, 0, 1]]))[:2]
        w, h = self.solution.out_w, self.solution.out_h
        return tuple(solver.apply_affine(inv, x, y) for x, y in ((0, 0), (w, 0), (w, h), (0, h)))

    def predicted(self) -> dict[str, float]:
        """Each geometry value in the photo, output px."""
        return solver.predicted(self.solution, self.points)


def _solve(analysis, spec: Spec, o: CropOptions) -> SpecCrop | None:
    if not getattr(analysis, "has_face", False) or analysis.eye_left is None or analysis.eye_right is None:
        return None
    if analysis.chin is None or analysis.crown is None or not analysis.face_width:
        return None
    angle = solver.roll_degrees(analysis.eye_left, analysis.eye_right)
    rot = None
    if o.straighten and 0.3 <= abs(angle) <= o.max_roll:
        rot = solver.rotation_matrix(analysis.eye_mid, angle)
    pts = head_points(analysis, rot)
    if pts.head_height <= 0 or pts.face_width <= 0:
        return None
    touched = edges_touched(analysis.person_mask)
    if o.replace_background:
        extend = Extend(top=not touched["top"], bottom=False, left=not touched["left"], right=not touched["right"])
    else:
        extend = Extend()
    sol = solver.solve(spec, pts, extend=extend)
    if rot is not None:
        # the straightened picture's edges are tilted: re-solve inside the part of it really
        # covered by pixels along the chosen window
        w, h = analysis.image_size
        pts = rotated_bounds(pts, rot, sol, w, h)
        sol = solver.solve(spec, pts, extend=extend)
    extended, bottom = 0.0, pts.image_h
    if o.replace_background and o.extend_bottom > 0 and any(v.key == "crop.edge_bottom" for v in sol.violations):
        # shoulders cut by the bottom edge: continue the clothing downwards by a little (never
        # more than ``extend_bottom`` of the photo's height)
        x0, y0, x1, y1 = sol.source_window()
        longer = replace(pts, image_h=pts.image_h + o.extend_bottom * (y1 - y0))
        trial = solver.solve(spec, longer, extend=extend)
        if trial.feasible:
            extended = max(0.0, trial.source_window()[3] - pts.image_h)
            sol, pts = trial, longer
    return SpecCrop(spec.id, sol, pts, rot, angle if rot is not None else 0.0, extend, extended, bottom)


_MEMO_SIZE = 8
_memo: list[tuple[weakref.ref, Spec, CropOptions, SpecCrop | None]] = []
_memo_lock = threading.Lock()


def spec_crop(analysis, spec: Spec, options: CropOptions = CropOptions()) -> SpecCrop | None:
    """The crop the pipeline makes of this analysed picture for ``spec`` (None without a usable
    face: no eyes, chin, crown or face width). Asked again about the same analysis object (the
    live loop, then its checks; the pipeline's checks, then its crop), the answer is reused."""
    try:
        ref = weakref.ref(analysis)
    except TypeError:  # a hand-made stand-in: nothing to remember it by
        return _solve(analysis, spec, options)
    with _memo_lock:
        for r, s, o, crop in _memo:
            if r() is analysis and s is spec and o == options:
                return crop
    crop = _solve(analysis, spec, options)
    with _memo_lock:
        _memo.insert(0, (ref, spec, options, crop))
        del _memo[_MEMO_SIZE:]
    return crop


def forget() -> None:
    """Drop the remembered crops (a session ended; tests that must recompute)."""
    with _memo_lock:
        _memo.clear()


# --- the guide: the head the spec asks for ------------------------------------------------------

def _bounded(rng) -> bool:
    return rng is not None and rng.bounded


@dataclass(frozen=True)
class HeadTarget:
    """The head the spec asks for, in its output px: crown, chin, eye line and band, centre line
    and face width. Proportions the spec leaves open come from the measured portraits."""

    crown: float
    chin: float
    eye: float
    eye_band: tuple[float, float]
    centre: float
    face_w: float

    @property
    def head_h(self) -> float:
        return self.chin - self.crown

    @property
    def oval(self) -> tuple[float, float, float, float]:
        """x, y, w, h of the head oval: crown to chin, face width wide."""
        return self.centre - self.face_w / 2, self.crown, self.face_w, self.head_h


def head_target(spec: Spec) -> HeadTarget:
    g = spec.geometry
    if _bounded(g.head_height):
        hh = g.head_height.mid
    elif _bounded(g.face_width):
        hh = g.face_width.mid / FACE_PER_HEAD
    else:
        hh = target_head_height(spec)
    face_w = g.face_width.mid if _bounded(g.face_width) else FACE_PER_HEAD * hh
    eye_rng = eye_y_range(spec)  # None: the spec leaves the eye line to anatomy
    if _bounded(g.crown_y):
        crown = g.crown_y.mid
    elif eye_rng is not None:  # place the head by the eye line
        crown = (eye_rng[0] + eye_rng[1]) / 2 - EYES_BELOW_CROWN * hh
    elif _bounded(g.chin_margin):
        crown = spec.height_px - g.chin_margin.mid - hh
    else:
        crown = 0.10 * spec.height_px
    anat = (crown + EYE_BAND[0] * hh, crown + EYE_BAND[1] * hh)
    band = anat
    if eye_rng is not None:
        lo = eye_rng[0] if eye_rng[0] > 0 else anat[0]
        hi = min(eye_rng[1] if math.isfinite(eye_rng[1]) else anat[1], crown + EYE_BAND_MAX * hh)
        band = (lo, hi) if hi > lo else anat
    eye = min(max(crown + EYES_BELOW_CROWN * hh, band[0]), band[1])
    return HeadTarget(crown, crown + hh, eye, band, sum(eye_x_range(spec)) / 2, face_w)


@dataclass(frozen=True)
class GuideShapes:
    """The spec's photo frame at a nominal size centred in a camera picture, with the target
    head in it; all in picture px (x right, y down, not mirrored)."""

    frame: tuple[float, float, float, float]  # x, y, w, h of the photo frame
    scale: float  # picture px per output px
    crown_y: float
    chin_y: float
    eye_y: float
    eye_band: tuple[float, float]
    centre_x: float
    oval: tuple[float, float, float, float]  # x, y, w, h of the head oval

    def to_output(self, x: float, y: float) -> tuple[float, float]:
        """Picture px -> the spec photo's output px (through the frame)."""
        fx, fy, _, _ = self.frame
        return (x - fx) / self.scale, (y - fy) / self.scale


def guide_shapes(spec: Spec, frame_w: int, frame_h: int, fill: float) -> GuideShapes:
    """The guide for a ``frame_w`` x ``frame_h`` picture, the photo frame at ``fill`` of its
    height (or width, whichever is tighter)."""
    ch = fill * frame_h
    cw = ch * spec.width_px / spec.height_px
    if cw > fill * frame_w:
        cw = fill * frame_w
        ch = cw * spec.height_px / spec.width_px
    x0, y0 = (frame_w - cw) / 2, (frame_h - ch) / 2
    k = ch / spec.height_px
    t = head_target(spec)
    ox, oy, ow, oh = t.oval
    return GuideShapes((x0, y0, cw, ch), k, y0 + k * t.crown, y0 + k * t.chin, y0 + k * t.eye,
                       (y0 + k * t.eye_band[0], y0 + k * t.eye_band[1]), x0 + k * t.centre,
                       (x0 + k * ox, y0 + k * oy, k * ow, k * oh))
