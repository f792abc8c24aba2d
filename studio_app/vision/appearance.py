"""Shadows on the face as Chinese ID rules read them (脸部无阴影): measures on the face landmarks,
numpy only (Qt-free). The thresholds live in :mod:`studio_app.compliance.checks_lighting`.

All values are in stops of linear light (sRGB ~ gamma 2.2: ``2.2 * log2`` of a luma ratio), so
a shadow that halves the light reads 1 stop whatever the skin tone.

- ``shadow_edge``: the largest luminance step across the central forehead within a tenth of the
  face width, on skin only. A light from one side that leaves half the face in shadow draws a
  line down the middle of the forehead and nose; soft light falls off over the whole curve of
  the forehead and leaves no step there (portraits 0.2–0.75 stops, half-face shadows 2.2+).
- ``shadow_socket``: the eye sockets (lid crease under the brows) against the cheeks and
  the forehead: overhead light leaves them dark.
- ``shadow_brim``: the forehead against the cheeks when the forehead is the darker (a hat brim
  or a fringe's shadow); skin only, so a fringe itself is not a shadow.
"""

from __future__ import annotations

import math

import numpy as np

from . import geometry as g

#: Chromaticity (r, g of r+g+b) distance from the cheeks' within which a pixel counts as skin: a
#: shadow scales all three channels alike, hair and cloth differ in hue.
SKIN_CHROMA = 0.035
#: Face width (px) the shadow measures need; larger faces are sampled every n-th pixel (at 120 px
#: single pixels are too noisy for the skin test: two foreheads became unmeasurable).
SHADOW_FACE_WIDTH = 240
#: Luma floor (0–255) before taking logs: black pixels carry no ratio.
LUMA_FLOOR = 6.0


def _stops(num: float, den: float) -> float:
    return 2.2 * math.log2(max(LUMA_FLOOR, num) / max(LUMA_FLOOR, den))


def _fw(pts: np.ndarray) -> float:
    return float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2]))) or 1.0


def _box(img: np.ndarray, cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    h, w = img.shape[:2]
    x0, x1 = int(max(0, round(cx - rx))), int(min(w, round(cx + rx) + 1))
    y0, y1 = int(max(0, round(cy - ry))), int(min(h, round(cy + ry) + 1))
    return img[y0:y1, x0:x1]


class _Skin:
    """Luma and a skin mask (chromaticity close to the cheeks') of one face."""

    def __init__(self, rgb: np.ndarray, pts: np.ndarray) -> None:
        self.fw = fw = _fw(pts)
        f = rgb.astype(np.float32)
        self.luma = f[..., 0] * 0.299 + f[..., 1] * 0.587 + f[..., 2] * 0.114
        s = f.sum(axis=2) + 1e-3
        self.chroma = np.stack([f[..., 0] / s, f[..., 1] / s], axis=2)
        refs = [_box(self.chroma, *pts[i, :2], 0.05 * fw, 0.05 * fw).reshape(-1, 2)
                for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT)]
        ref = np.concatenate(refs) if refs else np.zeros((0, 2))
        self.ref = np.median(ref, axis=0) if len(ref) else np.array([np.nan, np.nan])

    def skin(self, chroma: np.ndarray) -> np.ndarray:
        return np.linalg.norm(chroma - self.ref, axis=-1) < SKIN_CHROMA

    def median(self, cx: float, cy: float, rx: float, ry: float) -> float:
        """Median luma of the skin pixels in a box (NaN when under a third is skin)."""
        lum = _box(self.luma, cx, cy, rx, ry)
        sk = self.skin(_box(self.chroma, cx, cy, rx, ry))
        if lum.size == 0 or sk.mean() < 0.33:
            return float("nan")
        return float(np.median(lum[sk]))


def _edge(s: _Skin, pts: np.ndarray) -> float:
    """Largest step (stops) across the central forehead band, columns of skin only."""
    fw = s.fw
    ya, yb = pts[9, 1], pts[151, 1]  # between the brows, mid forehead
    y0, y1 = int(max(0, min(ya, yb))), int(max(ya, yb)) + 1
    cx = pts[g.NOSE_BRIDGE, 0]
    x0, x1 = int(max(0, cx - 0.16 * fw)), int(min(s.luma.shape[1], cx + 0.16 * fw))
    if y1 - y0 < 2 or x1 - x0 < 6:
        return float("nan")
    lum, sk = s.luma[y0:y1, x0:x1], s.skin(s.chroma[y0:y1, x0:x1])
    good = sk.mean(axis=0) >= 0.5
    masked = np.where(sk, lum, np.nan)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            prof = np.nanmedian(masked, axis=0)
    prof = np.where(good, 2.2 * np.log2(np.maximum(np.nan_to_num(prof, nan=LUMA_FLOOR), LUMA_FLOOR)), np.nan)
    d = max(1, int(round(0.05 * fw)))
    if prof.size <= 2 * d:
        return float("nan")
    diff = np.abs(prof[2 * d:] - prof[:-2 * d])
    diff = diff[np.isfinite(diff)]
    return float(diff.max()) if diff.size else float("nan")


def shadow_features(rgb: np.ndarray, pts: np.ndarray) -> dict[str, float]:
    """``shadow_edge``, ``shadow_socket``, ``shadow_brim`` (stops; NaN when not measurable)."""
    # only the band from mid forehead to the cheeks is sampled: cut it out first (cheap live)
    fw = _fw(pts)
    h, w = rgb.shape[:2]
    used = pts[[151, 9, 52, 282, 159, 386, g.NOSE_BRIDGE, g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT], :2]
    m = 0.18 * fw + 2
    x0, y0 = int(max(0, used[:, 0].min() - m)), int(max(0, used[:, 1].min() - m))
    x1, y1 = int(min(w, used[:, 0].max() + m + 1)), int(min(h, used[:, 1].max() + m + 1))
    pts = pts[:, :2] - (x0, y0)
    # medians over boxes and a step over a tenth of the face width: ~240 px of face is plenty
    # (every n-th pixel: 5.7 -> ~2 ms on a still's 480-px work region; live faces are smaller)
    n = max(1, int(round(fw / SHADOW_FACE_WIDTH)))
    pts = pts / n
    s = _Skin(rgb[y0:y1:n, x0:x1:n], pts)
    fw = s.fw
    if not np.all(np.isfinite(s.ref)):
        return {"shadow_edge": float("nan"), "shadow_socket": float("nan"), "shadow_brim": float("nan")}
    cheeks = [s.median(*pts[i, :2], 0.05 * fw, 0.05 * fw) for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT)]
    fore = s.median(*pts[151, :2], 0.08 * fw, 0.04 * fw)
    sockets = []
    for brow, top in ((52, 159), (282, 386)):  # lower brow edge, upper lid
        c = (pts[brow, :2] + pts[top, :2]) / 2
        sockets.append(s.median(c[0], c[1], 0.04 * fw, 0.015 * fw))
    cheek = np.nanmean(cheeks) if np.any(np.isfinite(cheeks)) else float("nan")
    socket = np.nanmin(sockets) if np.any(np.isfinite(sockets)) else float("nan")
    lit = np.nanmax([cheek, fore]) if np.isfinite(cheek) or np.isfinite(fore) else float("nan")
    return {
        "shadow_edge": _edge(s, pts),
        "shadow_socket": _stops(lit, socket) if np.isfinite(lit) and np.isfinite(socket) else float("nan"),
        "shadow_brim": (max(0.0, _stops(cheek, fore)) if np.isfinite(cheek) and np.isfinite(fore)
                        else float("nan")),
    }


#: Clothing: the person mask from this far below the chin (face widths), skin-coloured pixels
#: (a V-neck, the neck) left out.
CLOTHING_BELOW_CHIN = 0.25
CLOTHING_MIN_SHARE = 0.01  # of the image: less visible clothing than this is not judged


def clothing_features(rgb: np.ndarray, pts: np.ndarray, person_mask: np.ndarray | None) -> dict[str, float]:
    """The clothing's median colour (CIELAB ``clothing_l/a/b``) and how much of the image it
    fills (``clothing_share``): the person below the chin that is not skin. NaN without a
    person mask or with too little clothing in the frame (a head-only crop)."""
    nan = {"clothing_l": float("nan"), "clothing_a": float("nan"), "clothing_b": float("nan"),
           "clothing_share": 0.0}
    if person_mask is None:
        return nan
    from .. import imageops as iops

    h, w = rgb.shape[:2]
    step = max(1, int(round(max(h, w) / 320)))  # a few hundred px wide is plenty for a median
    small, mask = rgb[::step, ::step], np.asarray(person_mask)[::step, ::step]
    if mask.shape[:2] != small.shape[:2]:
        mask = iops.resize(np.asarray(person_mask, np.float32), (small.shape[1], small.shape[0]), "linear")
    fw = _fw(pts)
    top = int((pts[g.CHIN, 1] + CLOTHING_BELOW_CHIN * fw) / step)
    if top >= small.shape[0]:
        return nan
    region = small[max(0, top):]
    person = mask[max(0, top):] > 0.6
    cheeks = pts[[g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT], :2]
    x0, y0 = (np.floor(cheeks.min(axis=0) - 0.1 * fw)).astype(int).clip(0)
    x1, y1 = (np.ceil(cheeks.max(axis=0) + 0.1 * fw)).astype(int) + 1
    s = _Skin(rgb[y0:y1, x0:x1], pts[:, :2] - (x0, y0))  # cheek colour: skin (neck, V-neck) is not clothing
    f = region.astype(np.float32)
    chroma = np.stack([f[..., 0], f[..., 1]], axis=2) / (f.sum(axis=2, keepdims=True) + 1e-3)
    skin = s.skin(chroma) & (f.max(axis=2) > 40)
    cloth = person & ~skin
    share = float(cloth.sum()) * step * step / float(h * w)
    if share < CLOTHING_MIN_SHARE:
        return {**nan, "clothing_share": share}
    lab = iops.rgb_to_lab(region[cloth][None, :, :])[0]
    med = np.median(lab, axis=0)
    return {"clothing_l": float(med[0]), "clothing_a": float(med[1]), "clothing_b": float(med[2]),
            "clothing_share": share}
