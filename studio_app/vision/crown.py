"""The crown (top of the hair) re-found by colour against a known backdrop: a second method,
independent of the person segmenter that places the crop, for checking finished exports.

On a finished photo the backdrop is the spec colour (or a plain studio backdrop sampled beside
the head). Going up the column band above the forehead (0.3 face widths wide, as
:func:`geometry.crown_from_mask`), the crown is the top of the run of rows in which at least
30 % of the pixels differ from the backdrop by more than ``threshold`` (CIELAB Delta E). It
sees hair the segmenter may miss (a bun, flyaway strands) as long as it differs in colour from
the backdrop; hair that matches the backdrop is invisible to it (and to a reviewer).
"""

from __future__ import annotations

import numpy as np

from .. import imageops as iops
from . import geometry as g

#: Delta E from the backdrop that counts as "not backdrop": JPEG noise on a flat export reads
#: below 3, the lightest hair on the portraits' light-grey backdrop 12 and more.
THRESHOLD = 8.0
#: share of the band's pixels that must differ for a row to count as head
ROW_SHARE = 0.3


def crown_from_backdrop(rgb: np.ndarray, pts: np.ndarray, backdrop_rgb=None,
                        threshold: float = THRESHOLD) -> float | None:
    """y (px, sub-row not attempted) of the top of the head in ``rgb``; 0.0 when the head reaches
    the top edge; None when the forehead itself reads as backdrop. ``backdrop_rgb``: the known
    backdrop colour, else the median of the top rows beside the head."""
    h, w = rgb.shape[:2]
    fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2])))
    fx, fy = float(pts[g.FOREHEAD, 0]), float(pts[g.FOREHEAD, 1])
    half = max(2, int(round(0.15 * fw)))
    x0, x1 = int(max(0, fx - half)), int(min(w, fx + half + 1))
    y_end = int(np.clip(round(fy), 0, h - 1))
    if x1 <= x0:
        return None
    band = iops.rgb_to_lab(np.ascontiguousarray(rgb[: y_end + 1, x0:x1]).astype(np.float32) / 255.0)
    if backdrop_rgb is not None:
        ref = iops.rgb_to_lab(np.array([[backdrop_rgb]], np.float32) / 255.0)[0, 0]
    else:
        ref, _spread = backdrop_beside(rgb, fx, fw)
        if ref is None:
            return None
    share = (np.linalg.norm(band - ref, axis=2) > threshold).mean(axis=1)
    if share[-1] < ROW_SHARE:
        return None
    background_rows = np.nonzero(share < ROW_SHARE)[0]
    return 0.0 if background_rows.size == 0 else float(background_rows[-1] + 1)


def backdrop_beside(rgb: np.ndarray, fx: float, fw: float):
    """The backdrop's CIELAB colour in the top rows beside the head (0.6-1.0 face widths either
    side of ``fx``) and how plain it is (p90 Delta E from that colour); (None, inf) when there is
    nothing beside the head."""
    h, w = rgb.shape[:2]
    top = max(4, int(0.05 * h))
    sides = [rgb[:top, int(max(0, fx - 1.0 * fw)):int(max(0, fx - 0.6 * fw))],
             rgb[:top, int(min(w, fx + 0.6 * fw)):int(min(w, fx + 1.0 * fw))]]
    px = np.concatenate([s.reshape(-1, 3) for s in sides if s.size]) if any(s.size for s in sides) else None
    if px is None or len(px) < 16:
        return None, float("inf")
    lab = iops.rgb_to_lab(px[None].astype(np.float32) / 255.0)[0]
    ref = np.median(lab, axis=0)
    return ref, float(np.percentile(np.linalg.norm(lab - ref, axis=1), 90))


#: The colour crown replaces the mask's only this far above it (head heights, chin to mask crown):
#: flyaway strands and a light bun the segmenter leaves out (ldn_107: 0.03) are that close; a
#: colour edge farther up is the backdrop changing, not hair.
REFINE_MAX = 0.12
#: ...and only on a plain backdrop beside the head (p90 Delta E of the top rows from their median:
#: the studio portraits' light grey 1-3, a press photo's white 2-5; rooms and mountains 10+).
PLAIN_SPREAD = 6.0


def refine_crown(rgb: np.ndarray, pts: np.ndarray, crown: tuple[float, float], chin_y: float) -> tuple[float, float]:
    """The crown the crop places: the mask's ``crown`` raised to the top of the hair found by
    colour against a plain backdrop (:func:`crown_from_backdrop`) where that lies a little above
    it (light and flyaway hair, a bun the segmenter misses); else ``crown`` unchanged."""
    fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2])))
    if fw <= 0 or crown[1] <= 1:
        return crown
    _ref, spread = backdrop_beside(rgb, float(pts[g.FOREHEAD, 0]), fw)
    if not spread <= PLAIN_SPREAD:
        return crown
    y = crown_from_backdrop(rgb, pts)
    if y is None or y <= 0 or y >= crown[1]:
        return crown
    if crown[1] - y > REFINE_MAX * max(1.0, chin_y - crown[1]):
        return crown
    return (crown[0], float(y))


def with_refined_crown(analysis, rgb: np.ndarray):
    """``analysis`` (a still's, of ``rgb``) with its mask crown refined (:func:`refine_crown`),
    so the checks, the crop and the export's re-check all place the same top of the hair."""
    if (not getattr(analysis, "has_face", False) or analysis.crown is None or not analysis.crown_from_mask
            or analysis.crown_clipped or analysis.chin is None or analysis.landmarks is None
            or tuple(analysis.image_size) != (rgb.shape[1], rgb.shape[0])):
        return analysis
    crown = refine_crown(rgb, analysis.landmarks, tuple(analysis.crown), float(analysis.chin[1]))
    if crown == tuple(analysis.crown):
        return analysis
    import dataclasses

    return dataclasses.replace(analysis, crown=crown)


def crown_along(mask: np.ndarray, pts: np.ndarray, up, threshold: float = 0.5,
                band: float = 0.3) -> tuple[float, float, bool] | None:
    """The top of the head in the person ``mask`` going from the forehead along ``up`` (a unit
    vector in image px: the face's own up when the head is tilted) in a band ``band`` face widths
    wide across it, as :func:`geometry.crown_from_mask` does straight up. For a straightened crop:
    straight up from the forehead of a head tilted 15 deg meets the outline off the top of the
    skull, 3-5 output px lower than the top the straightened photo shows. ``(x, y, clipped)``;
    None when the mask does not cover the forehead."""
    h, w = mask.shape[:2]
    fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2])))
    ux, uy = float(up[0]), float(up[1])
    n = float(np.hypot(ux, uy)) or 1.0
    ux, uy = ux / n, uy / n
    fx, fy = float(pts[g.FOREHEAD, 0]), float(pts[g.FOREHEAD, 1])
    half = max(2, int(round(fw * band / 2)))
    s = np.arange(-half, half + 1, dtype=np.float32)[None, :]
    reach = (fy + 2 * half) / max(0.2, abs(uy))  # far enough along up to leave the image
    t = np.arange(0, int(reach) + 2, dtype=np.float32)[:, None]
    xs = np.rint(fx + t * ux - s * uy).astype(np.intp)  # across the band: perpendicular to up
    ys = np.rint(fy + t * uy + s * ux).astype(np.intp)
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    vals = np.zeros(xs.shape, np.float32)
    vals[inside] = np.asarray(mask)[ys[inside], xs[inside]]
    frac = (vals > threshold).mean(axis=1)
    if frac[0] < 0.5:
        return None
    gap = np.nonzero(frac < 0.5)[0]
    k = int(gap[0]) if gap.size else len(frac)
    clipped = k >= len(frac) or inside[k].mean() < 0.5  # the gap is the image's edge, not backdrop
    top = float(k - 1)
    return fx + top * ux, fy + top * uy, bool(clipped)
