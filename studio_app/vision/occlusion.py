"""What covers the face (numpy + imageops): hair over the brows (brow cover, skin likeness above
them), skin at the ears and an unusual colour over the head (headwear). Thresholds:
:mod:`studio_app.compliance.checks`; the method: docs/compliance-accuracy.md ("Eyebrows")."""

from __future__ import annotations

import warnings

import numpy as np

from .. import imageops as iops
from . import geometry as g
from .sampling import _disc_mean, _fw, _head_crop, _lab_dist, _median_patch, _nanmean


def forehead_skin_likeness(rgb: np.ndarray, pts: np.ndarray) -> tuple[float, float]:
    """How much the skin just above each eyebrow (brow zone) and the upper forehead look like
    the cheek skin: (brows, forehead), each 0..1 (1 = same colour as the cheeks)."""
    rgb, pts, _ = _head_crop(rgb, pts)
    fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2]))) or 1.0
    lab = iops.lab_to_u8(iops.rgb_to_lab(rgb)).astype(np.float32)  # cv2's 8-bit Lab scale
    ref = _nanmean([_disc_mean(lab, pts[i, :2], 0.05 * fw) for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT)], axis=0)

    def likeness(c):
        v = _disc_mean(lab, c, 0.035 * fw)
        if np.any(np.isnan(v)):
            return float("nan")
        d = float(np.linalg.norm((v - ref) * (0.6, 1.0, 1.0)))
        return float(np.exp(-d / 25.0))

    brows = []
    for idx in (g.BROW_IMG_LEFT, g.BROW_IMG_RIGHT):
        c = pts[list(idx), :2].mean(axis=0) - (0, 0.07 * fw)
        brows.append(likeness(c))
    fore = pts[g.FOREHEAD, :2] + (pts[g.NOSE_BRIDGE, :2] - pts[g.FOREHEAD, :2]) * 0.2
    return float(_nanmean(brows)), likeness(fore)


#: Lightness weight in the headwear colour distance: hair is mostly a matter of lightness (dark,
#: grey, blond), caps and scarves of hue, so chroma counts more.
HAT_L_WEIGHT = 0.15


#: Brow occlusion: columns sampled along each brow, and the heights (fractions of the face width
#: above the upper brow edge) searched for skin in each column. A fringe that covers a brow leaves
#: no skin between the brow and the hair; one that stops above the brow leaves a band of skin,
#: however narrow and wherever it sits in that range (docs/compliance-accuracy.md).
BROW_COLUMNS = np.linspace(0.1, 0.9, 7)
BROW_GAP_HEIGHTS = (0.015, 0.03, 0.045, 0.06, 0.075)
#: The brows' own distance from skin (CIELAB, lightness weighted 0.5) normalises the measure for
#: faint brows and flat photos, counted up to this much: hair need not be as dark as very dark
#: brows to cover them (on the portraits brows read 6–30; hair over them 12–40).
BROW_CONTRAST_CAP = 15.0
#: Face width (px) below which the brow zone is sampled enlarged to this width.
BROW_MIN_WIDTH = 160


def _median_patches(img: np.ndarray, centres, radius: float) -> np.ndarray:
    """:func:`_median_patch` for many centres at once (N x C): patches inside the image are cut
    out together and reduced in one call; the few at the border go one by one (clipped)."""
    h, w = img.shape[:2]
    r = max(1, int(round(radius)))
    c = np.rint(np.asarray(centres, np.float64).reshape(-1, 2)).astype(np.intp)
    out = np.full((len(c),) + img.shape[2:], np.nan, np.float64)
    inside = (c[:, 0] >= r) & (c[:, 0] + r < w) & (c[:, 1] >= r) & (c[:, 1] + r < h)
    if inside.any():
        offs = np.arange(-r, r + 1)
        ys = c[inside, 1][:, None, None] + offs[None, :, None]
        xs = c[inside, 0][:, None, None] + offs[None, None, :]
        patches = img[ys, xs]
        out[inside] = np.median(patches.reshape(len(patches), -1, *img.shape[2:]), axis=1)
    for i in np.nonzero(~inside)[0]:
        out[i] = _median_patch(img, c[i], r)
    return out


def _brow_cover(lab: np.ndarray, pts: np.ndarray, fw: float, refs: list, upper, lower) -> float:
    """How much one brow looks covered: per column along the brow, the colour distance from skin
    of the most skin-like patch just above it, over the brow's own distance from skin (capped,
    +6); the median over the columns. 0.1–0.5 with skin above the brow, 0.75 and more under hair."""
    up, lo = pts[list(upper), :2], pts[list(lower), :2]
    n = len(up) - 1
    ref = np.asarray(refs, np.float64)

    def skin_dist(v: np.ndarray) -> np.ndarray:  # (..., 3) -> (...,), as _lab_dist (lightness 0.5)
        d = np.linalg.norm((v[..., None, :] - ref) * (0.5, 1.0, 1.0), axis=-1).min(axis=-1)
        return np.where(np.all(np.isfinite(v), axis=-1), d, np.nan)

    mid, above = [], []
    for t in BROW_COLUMNS:
        i = min(n - 1, int(t * n))
        f = t * n - i
        u = up[i] * (1 - f) + up[i + 1] * f
        lw = lo[i] * (1 - f) + lo[i + 1] * f
        mid.append((u + lw) / 2)
        above.extend(u - (0, hgt * fw) for hgt in BROW_GAP_HEIGHTS)
    brow = skin_dist(_median_patches(lab, mid, 0.01 * fw))
    d = skin_dist(_median_patches(lab, above, 0.012 * fw)).reshape(len(BROW_COLUMNS), len(BROW_GAP_HEIGHTS))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column with no finite patch stays nan
        gaps = np.nanmin(d, axis=1)
    if not np.any(np.isfinite(gaps)) or not np.any(np.isfinite(brow)):
        return float("nan")
    return float(np.nanmedian(gaps) / (min(np.nanmedian(brow), BROW_CONTRAST_CAP) + 6.0))


def occlusion_features(rgb: np.ndarray, pts: np.ndarray, crown_y: float | None) -> dict[str, float]:
    """Hair over the brows, skin at the ears, an unusual colour over the head (headwear)."""
    rgb, pts, dy = _head_crop(rgb, pts, crown_y)
    if crown_y is not None:
        crown_y = crown_y - dy
    fw = _fw(pts)
    lab = iops.rgb_to_lab(rgb)
    skin = _nanmean([_disc_mean(lab, pts[i, :2], 0.05 * fw) for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT)], axis=0)
    # skin references for the brows: the cheeks, and the top of the nose bridge between the eyes
    # (lit from above like the brow zone; a fringe over the brows covers the glabella between
    # them, but not the bridge)
    # the brow zone is a few pixels tall on a small face: sample it enlarged (bilinear) so that
    # sub-pixel landmark jitter between live frames moves the patches smoothly
    blab, bpts, bfw = lab, pts, fw
    if fw < BROW_MIN_WIDTH:
        # enlarge only the part that is sampled: brows and the band above them, the nose bridge,
        # the cheek patches (a whole-head enlargement cost ~2 ms a live frame)
        k = BROW_MIN_WIDTH / fw
        used = pts[list(g.BROW_IMG_LEFT) + list(g.BROW_IMG_RIGHT)
                   + [g.NOSE_BRIDGE, g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT], :2]
        m = 0.12 * fw + 2
        x0, y0 = int(max(0, np.floor(used[:, 0].min() - m))), int(max(0, np.floor(used[:, 1].min() - m)))
        x1 = int(min(lab.shape[1], np.ceil(used[:, 0].max() + m) + 1))
        y1 = int(min(lab.shape[0], np.ceil(used[:, 1].max() + m) + 1))
        part = lab[y0:y1, x0:x1]
        size = (max(1, int(round(part.shape[1] * k))), max(1, int(round(part.shape[0] * k))))
        blab = iops.resize(part, size, "linear")
        kx, ky = size[0] / part.shape[1], size[1] / part.shape[0]  # the scales resize really used
        bpts = pts.astype(np.float64).copy()
        bpts[:, 0] = (bpts[:, 0] - x0 + 0.5) * kx - 0.5  # pixel centres, as resize maps them
        bpts[:, 1] = (bpts[:, 1] - y0 + 0.5) * ky - 0.5
        bfw = fw * k
    refs = [r for r in (_nanmean([_disc_mean(blab, bpts[i, :2], 0.05 * bfw) for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT)], axis=0),
                        _median_patch(blab, bpts[g.NOSE_BRIDGE, :2], 0.025 * bfw)) if np.all(np.isfinite(r))]
    covers, brows = [], []
    for upper, lower in (g.BROW_IMG_LEFT[:5], g.BROW_IMG_LEFT[5:]), (g.BROW_IMG_RIGHT[:5], g.BROW_IMG_RIGHT[5:]):
        top = pts[list(upper), :2].mean(axis=0)
        bottom = pts[list(lower), :2].mean(axis=0)
        brows.append(_disc_mean(lab, (top + bottom) / 2, 0.015 * fw))  # brow colour (a hair reference)
        covers.append(_brow_cover(blab, bpts, bfw, refs, upper, lower) if refs else np.nan)
    ears = []
    for i, sign in ((g.CHEEK_IMG_LEFT, -1), (g.CHEEK_IMG_RIGHT, 1)):
        c = pts[i, :2] + (sign * 0.06 * fw, 0.0)
        v = _disc_mean(lab, c, 0.03 * fw)
        ears.append(np.exp(-_lab_dist(v, skin) / 20.0) if np.all(np.isfinite(v)) else np.nan)
    hat = float("nan")
    fy = pts[g.FOREHEAD, 1]
    if crown_y is not None and fy - crown_y > 0.1 * fw:
        zone_c = (pts[g.FOREHEAD, 0], crown_y + 0.35 * (fy - crown_y))
        zone = _disc_mean(lab, zone_c, 0.08 * fw)
        # hair references: the brows, and the temples just outside the upper face oval
        refs = [skin, _nanmean(brows, axis=0)]
        for i, sign in ((54, -1), (284, 1)):
            refs.append(_disc_mean(lab, pts[i, :2] + (sign * 0.07 * fw, 0.0), 0.03 * fw))
        if np.all(np.isfinite(zone)):
            hat = min(_lab_dist(zone, r, HAT_L_WEIGHT) for r in refs if np.all(np.isfinite(r)))
    return {
        "brow_cover": float(_nanmean(covers)),
        "ears_skin": float(_nanmean(ears)) if np.any(np.isfinite(ears)) else float("nan"),
        "headwear": float(hat),
    }
