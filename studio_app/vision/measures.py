"""Image-quality measures on the main face and the background (numpy + imageops, Qt-free).

What each measures follows ../shared/quality-measures.md (OFIQ / ISO/IEC 29794-5 components);
the thresholds live in :mod:`studio_app.compliance`. Glasses are measured in :mod:`.eyewear`,
hair over the brows, the ears and headwear in :mod:`.occlusion`; shared sampling helpers are in
:mod:`.sampling`.
"""

from __future__ import annotations

import numpy as np

from .. import imageops as iops
from . import geometry as g
from .sampling import _disc_mean, _fw, _nanmean, luminance
from .types import ImageMeasures

#: Working width of the face crop for sharpness (downscaled, never upscaled): makes the measure
#: independent of how many pixels the face has, as long as it has at least this many.
SHARPNESS_FACE_WIDTH = 160


def face_mask(shape: tuple[int, int], pts: np.ndarray) -> np.ndarray:
    """uint8 mask (0/1) of the face oval polygon."""
    mask = np.zeros(shape, np.uint8)
    poly = np.round(pts[list(g.FACE_OVAL), :2]).astype(np.int32)
    iops.fill_polygon(mask, poly, 1)
    return mask


def _eye_region_mask(shape, pts: np.ndarray, fw: float) -> np.ndarray:
    """Both eye areas, enlarged to where spectacle lenses sit."""
    mask = np.zeros(shape, np.uint8)
    for eye in (g.EYE_IMG_LEFT, g.EYE_IMG_RIGHT):
        cx, cy = pts[eye["iris"], :2]
        axes = (max(2, int(0.16 * fw)), max(2, int(0.11 * fw)))
        iops.fill_ellipse(mask, (int(round(cx)), int(round(cy))), axes, 1)
    return mask


def sharpness(grey_face: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Laplacian energy relative to the gradient energy of the face, 0..~1 (higher = sharper).

    The ratio is scale- and contrast-free: blur removes the finest detail first, so the second
    derivative falls faster than the first.
    """
    f = grey_face.astype(np.float32)
    lap = iops.laplacian(f)
    gx = iops.sobel(f, 1, 0) / 4.0
    gy = iops.sobel(f, 0, 1) / 4.0
    if mask is not None:
        m = mask.astype(bool)
        if m.sum() < 16:
            m = np.ones_like(m, bool)
        lap, gx, gy = lap[m], gx[m], gy[m]
    grad = float(np.mean(gx * gx + gy * gy)) + 1e-6
    return float(np.mean(lap * lap) / grad) / 4.0


def directional_sharpness(grey_face: np.ndarray, mask: np.ndarray | None = None) -> float:
    """The lowest, over 4 directions (0, 45, 90, 135 deg), of second-difference energy over
    first-difference energy along that direction (per unit length).

    Motion blur smears one direction only: across it the face keeps its detail, so the
    isotropic :func:`sharpness` stays high, but along it the ratio falls as it does for a
    Gaussian blur. Sharp faces read 0.51-2.4, motion blur of 3 % of the face width 0.17-0.57."""
    f = grey_face.astype(np.float32)
    h, w = f.shape
    if h < 4 or w < 4:
        return float("nan")
    m = mask[1:-1, 1:-1].astype(bool) if mask is not None else None
    if m is not None and m.sum() < 16:
        m = None
    c = f[1:-1, 1:-1]
    best = float("inf")
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
        step2 = float(dy * dy + dx * dx)
        ahead = f[1 + dy:h - 1 + dy, 1 + dx:w - 1 + dx]
        behind = f[1 - dy:h - 1 - dy, 1 - dx:w - 1 - dx]
        d2 = (ahead - 2 * c + behind) / step2
        d1 = (ahead - behind) / (2 * np.sqrt(step2))
        if m is not None:
            d2, d1 = d2[m], d1[m]
        best = min(best, float(np.mean(d2 * d2)) / (float(np.mean(d1 * d1)) + 1e-6))
    return best


def _background_measures(rgb_small: np.ndarray, bg: np.ndarray):
    """(plainness, median rgb, uniformity, mean a*, mean b*) over background pixels."""
    if bg.sum() < 50:
        return float("nan"), (float("nan"),) * 3, float("nan"), (float("nan"), float("nan"))
    lab = iops.rgb_to_lab(rgb_small)
    w = bg.astype(np.float32)
    sigma = max(rgb_small.shape[:2]) / 12.0
    den = iops.gaussian_blur(w, sigma) + 1e-6
    fit = np.stack([iops.gaussian_blur(lab[:, :, c] * w, sigma) / den for c in range(3)], axis=2)
    diff = np.linalg.norm(lab - fit, axis=2)[bg]
    plainness = float(np.percentile(diff, 90))
    px = rgb_small[bg]
    med = tuple(float(v) for v in np.median(px, axis=0))
    grey = lab[:, :, 0]
    gx = iops.sobel(grey, 1, 0) / 8.0
    gy = iops.sobel(grey, 0, 1) / 8.0
    uniformity = float(np.mean(np.hypot(gx, gy)[bg]))
    ab = lab[:, :, 1:][bg]
    chroma = np.hypot(ab[:, 0], ab[:, 1])
    neutral = ab[chroma < 12]
    cast = (float(neutral[:, 0].mean()), float(neutral[:, 1].mean())) if len(neutral) > 20 else (float("nan"),) * 2
    return plainness, med, uniformity, cast


def measure(rgb: np.ndarray, pts: np.ndarray, person_mask: np.ndarray | None = None,
            background: bool = True, directional: bool = True) -> ImageMeasures:
    """All image measures for the face whose landmarks are ``pts`` (pixels of ``rgb``);
    ``directional=False`` leaves ``sharpness_min_direction`` NaN (live frames between refreshes)."""
    h, w = rgb.shape[:2]
    fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2]))) or 1.0
    xs, ys = pts[:, 0], pts[:, 1]
    pad = 0.1 * fw
    x0, x1 = int(max(0, xs.min() - pad)), int(min(w, xs.max() + pad + 1))
    y0, y1 = int(max(0, ys.min() - pad)), int(min(h, ys.max() + pad + 1))
    if x1 - x0 < 4 or y1 - y0 < 4:
        x0, y0, x1, y1 = 0, 0, w, h
    crop = rgb[y0:y1, x0:x1]
    local = pts[:, :2] - (x0, y0)
    fmask = face_mask(crop.shape[:2], local)
    eyes = _eye_region_mask(crop.shape[:2], local, fw)
    # skin: the oval without eyes, brows and mouth (a rough but cheap exclusion)
    skin = fmask.copy()
    skin[eyes > 0] = 0
    mouth = np.round(local[[61, 40, 37, 0, 267, 270, 291, 321, 314, 17, 84, 91]]).astype(np.int32)
    iops.fill_polygon(skin, mouth, 0)
    y = luminance(crop)
    yf = y[fmask > 0] if fmask.any() else y.ravel()
    hist = np.bincount(yf, minlength=256).astype(np.float64)
    p = hist / max(1.0, hist.sum())
    nz = p[p > 0]
    entropy = float(-(nz * np.log2(nz)).sum())
    # left/right halves split by the nose line, on the skin above the mouth (beards, teeth and
    # lower-lip shadows excluded); the 70th percentile is robust to spectacle frames and stubble
    nose_x = float((local[g.NOSE_BRIDGE, 0] + local[g.CHIN, 0] + local[g.NOSE_TIP, 0]) / 3)
    cols = np.arange(crop.shape[1])[None, :]
    rows_ = np.arange(crop.shape[0])[:, None]
    sk = skin > 0
    upper = sk & (rows_ < local[2, 1])  # above the base of the nose
    left = upper & (cols < nose_x)
    right = upper & (cols >= nose_x)
    if left.sum() > 10 and right.sum() > 10:
        yl, yr = y[left], y[right]
        pl, pr = float(np.percentile(yl, 70)), float(np.percentile(yr, 70))
        ratio = min(pl, pr) / max(pl, pr, 1e-6)
        hl = np.histogram(yl, bins=32, range=(0, 256))[0] / yl.size
        hr = np.histogram(yr, bins=32, range=(0, 256))[0] / yr.size
        balance = float(np.minimum(hl, hr).sum())
    else:
        ratio, balance = float("nan"), float("nan")
    # sharpness on a face crop at a fixed working width
    scale = min(1.0, SHARPNESS_FACE_WIDTH / fw)
    if scale < 1.0:
        ys_ = iops.scale(y, scale, "area")
        ms_ = iops.resize(skin, (ys_.shape[1], ys_.shape[0]), "nearest")
    else:
        ys_, ms_ = y, skin
    ms_ = iops.dilate(ms_, iops.rect_kernel((3, 3)))
    sharp_mask = ms_ | (iops.resize(_eye_region_mask(crop.shape[:2], local, fw), (ys_.shape[1], ys_.shape[0]),
                                    "nearest") > 0)
    sharp = sharpness(ys_, sharp_mask)
    sharp_dir = directional_sharpness(ys_, sharp_mask) if directional else float("nan")
    # cheek colour (CIELAB)
    lab = iops.rgb_to_lab(crop)
    cheeks = [_disc_mean(lab, local[i], 0.06 * fw) for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT)]
    cheek = _nanmean(np.stack(cheeks), axis=0)
    # specular glare: bright and colourless
    # HSV value >= 245 and saturation <= 40 (of 255), without the hue nobody needs here
    v = crop.max(axis=2).astype(np.int32)
    spread = v - crop.min(axis=2)
    spec = (v >= 245) & (spread * 510 < 81 * v)
    glare_face = float(spec[sk].mean()) if sk.any() else 0.0
    eb = eyes > 0
    glare_glasses = float(spec[eb].mean()) if eb.any() else 0.0

    plain, med, unif, cast = background_fields(rgb, pts, person_mask) if background else _NO_BG
    return ImageMeasures(
        sharpness=sharp,
        luminance_mean=float(yf.mean()) if yf.size else float("nan"),
        under_exposed=float((yf <= 25).mean()) if yf.size else float("nan"),
        over_exposed=float((yf >= 247).mean()) if yf.size else float("nan"),
        illumination_balance=balance,
        left_right_ratio=ratio,
        dynamic_range=entropy,
        cheek_lab=(float(cheek[0]), float(cheek[1]), float(cheek[2])),
        colour_cast=cast,
        glare_face=glare_face,
        glare_glasses=glare_glasses,
        background_plainness=plain,
        background_rgb=med,
        background_uniformity=unif,
        sharpness_min_direction=sharp_dir,
    )


_NO_BG = (float("nan"), (float("nan"),) * 3, float("nan"), (float("nan"), float("nan")))


def background_fields(rgb: np.ndarray, pts: np.ndarray, person_mask: np.ndarray | None):
    """(plainness, median rgb, uniformity, colour cast) of the backdrop around the face."""
    h, w = rgb.shape[:2]
    fw = _fw(pts)
    xs, ys = pts[:, 0], pts[:, 1]
    step = max(1, int(round(max(h, w) / 256)))
    n = max(1, step // 4)  # decimate huge photos first: INTER_AREA on 30+ MP is slow
    small = iops.resize(rgb[::n, ::n], (max(8, w // step), max(8, h // step)), "area")
    if person_mask is not None:
        pm = iops.resize(np.asarray(person_mask[::n, ::n], np.float32), (small.shape[1], small.shape[0]), "area")
        bg = pm < 0.15
    else:
        # no mask: the image border outside an enlarged face box
        bg = np.zeros(small.shape[:2], bool)
        b = max(2, small.shape[1] // 12)
        bg[:b, :] = bg[:, :b] = bg[:, -b:] = True
    # never count the face (or anything close to it) as background
    fx0, fx1 = int((xs.min() - fw * 0.5) / step), int((xs.max() + fw * 0.5) / step)
    fy0 = int((ys.min() - fw * 0.6) / step)
    wide = bg.copy()
    wide[max(0, fy0):, max(0, fx0):max(0, fx1)] = False
    wide = iops.erode(wide, iops.rect_kernel((3, 3)))
    if wide.sum() < 50 and person_mask is not None:
        # a tightly framed photo (a finished ID photo: the head fills the width) leaves nothing
        # outside the wide box; the person mask is reliable there, so keep only a margin of
        # 0.15 face widths around the face and trust the mask beyond it
        fx0, fx1 = int((xs.min() - fw * 0.15) / step), int((xs.max() + fw * 0.15) / step)
        fy0 = int((ys.min() - fw * 0.3) / step)
        bg[max(0, fy0):, max(0, fx0):max(0, fx1)] = False
        wide = iops.erode(bg, iops.rect_kernel((5, 5)))
    plain, med, unif, cast = _background_measures(small, wide)

    return plain, med, unif, cast


def work_region(rgb: np.ndarray, pts: np.ndarray, crown_y: float | None, max_face_width: float):
    """The head region, downscaled so the face is at most ``max_face_width`` px wide: the face
    measures are ratios and percentiles, so they need no more pixels than that. Returns the
    image, the landmarks and the crown height in its pixels."""
    fw = _fw(pts)
    k = min(1.0, max_face_width / fw)
    if k >= 1.0:
        return rgb, pts, crown_y
    h, w = rgb.shape[:2]
    top = min(pts[:, 1].min(), crown_y if crown_y is not None else 1e9) - 0.3 * fw
    x0, x1 = int(max(0, pts[:, 0].min() - 0.5 * fw)), int(min(w, pts[:, 0].max() + 0.5 * fw + 1))
    y0, y1 = int(max(0, top)), int(min(h, pts[:, 1].max() + 0.3 * fw + 1))
    crop = rgb[y0:y1, x0:x1]
    out = iops.resize(crop, (max(1, int(crop.shape[1] * k)), max(1, int(crop.shape[0] * k))), "area")
    p = pts.astype(np.float64).copy()
    p[:, 0] = (p[:, 0] - x0) * k
    p[:, 1] = (p[:, 1] - y0) * k
    p[:, 2] *= k
    return out, p, None if crown_y is None else (crown_y - y0) * k
