"""Image-quality measures on the main face and the background (numpy + imageops, Qt-free).

What each measures follows ../shared/quality-measures.md (OFIQ / ISO/IEC 29794-5 components);
the thresholds live in :mod:`studio_app.compliance`.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import imageops as iops
from . import geometry as g
from .types import ImageMeasures

#: Working width of the face crop for sharpness (downscaled, never upscaled): makes the measure
#: independent of how many pixels the face has, as long as it has at least this many.
SHARPNESS_FACE_WIDTH = 160


def _nanmean(values, axis=None):
    """np.nanmean without the warning when every value is NaN (a region outside the image)."""
    arr = np.asarray(values, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(arr, axis=axis)


def luminance(rgb: np.ndarray) -> np.ndarray:
    return iops.rgb_to_grey(rgb)


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


def _disc_mean(img: np.ndarray, centre, radius: float, reduce=np.mean) -> np.ndarray:
    """Per-channel mean (or ``reduce``) of the square patch of ``radius`` around ``centre``."""
    h, w = img.shape[:2]
    x, y = int(round(centre[0])), int(round(centre[1]))
    r = max(1, int(round(radius)))
    x0, x1, y0, y1 = max(0, x - r), min(w, x + r + 1), max(0, y - r), min(h, y + r + 1)
    if x1 <= x0 or y1 <= y0:
        return np.full(img.shape[2:] or (), np.nan)
    return reduce(img[y0:y1, x0:x1].reshape(-1, *img.shape[2:]), axis=0)


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

def eye_darkness(rgb: np.ndarray, pts: np.ndarray) -> float:
    """Mean luminance of the lens area around the eyes over the cheeks (tinted glasses < ~0.45)."""
    rgb, pts, _ = _head_crop(rgb, pts)
    fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2]))) or 1.0
    y = luminance(rgb) if rgb.ndim == 3 else rgb
    vals = []
    for eye in (g.EYE_IMG_LEFT, g.EYE_IMG_RIGHT):
        # below-the-eye lens area, where no eye white/iris or brow interferes
        c = (pts[eye["bottom"], :2] * 0.6 + pts[eye["iris"], :2] * 0.4)
        c = c + (0, 0.05 * fw)
        vals.append(float(_disc_mean(y, c, 0.04 * fw)))
    cheeks = [float(_disc_mean(y, pts[i, :2], 0.06 * fw)) for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT)]
    return float(_nanmean(vals) / max(1.0, _nanmean(cheeks)))


#: Eye contours of the 478-point mesh (lid margins), image-left eye then image-right eye.
EYE_CONTOURS = ((33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246),
                (263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466))


def eye_opening_light(rgb: np.ndarray, pts: np.ndarray) -> float:
    """90th-percentile luminance inside the lid contours over the cheeks: the whites of the eyes.

    Behind dark lenses the opening is as dark as the lens (sunglasses 0.21-0.25); bare eyes keep
    their whites when the sockets fall into shadow or the blacks are crushed (0.49-4.4 on the
    portraits and their low-key variants), which the lens-area ratio alone does not."""
    rgb, pts, _ = _head_crop(rgb, pts)
    fw = _fw(pts)
    y = luminance(rgb) if rgb.ndim == 3 else rgb
    vals = []
    for contour in EYE_CONTOURS:
        m = np.zeros(y.shape, np.uint8)
        iops.fill_polygon(m, np.round(pts[list(contour), :2]).astype(np.int32), 1)
        v = y[m > 0]
        vals.append(float(np.percentile(v, 90)) if v.size >= 4 else np.nan)
    cheeks = [float(_disc_mean(y, pts[i, :2], 0.06 * fw)) for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT)]
    return float(_nanmean(vals) / max(1.0, _nanmean(cheeks)))


def bridge_edges(rgb: np.ndarray, pts: np.ndarray) -> float:
    """Strength of near-horizontal edges across the nose bridge between the eyes (a spectacle
    bridge), relative to the vertical edges there. Bare skin ~<0.6; frames > 1."""
    rgb, pts, _ = _head_crop(rgb, pts)
    fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2]))) or 1.0
    y = (luminance(rgb) if rgb.ndim == 3 else rgb).astype(np.float32)
    cx = (pts[g.EYE_IMG_LEFT["inner"], 0] + pts[g.EYE_IMG_RIGHT["inner"], 0]) / 2
    top = min(pts[g.EYE_IMG_LEFT["top"], 1], pts[g.EYE_IMG_RIGHT["top"], 1]) - 0.08 * fw
    bottom = pts[g.NOSE_BRIDGE, 1] + 0.06 * fw
    half = 0.05 * fw
    h, w = y.shape
    x0, x1 = int(max(0, cx - half)), int(min(w, cx + half + 1))
    y0, y1 = int(max(0, top)), int(min(h, bottom + 1))
    if x1 - x0 < 3 or y1 - y0 < 3:
        return 0.0
    patch = y[y0:y1, x0:x1]
    gy = np.abs(iops.sobel(patch, 0, 1))
    row = gy.mean(axis=1)
    contrast = float(patch.std()) + 4.0
    return float(row.max() / (np.median(row) + contrast))


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


def _fw(pts: np.ndarray) -> float:
    return float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2]))) or 1.0


def _lab_dist(u: np.ndarray, v: np.ndarray, wl: float = 0.5) -> float:
    d = (u - v) * (wl, 1.0, 1.0)
    return float(np.linalg.norm(d))


def _head_crop(rgb: np.ndarray, pts: np.ndarray, top: float | None = None):
    """The head region (landmark extent + margins, up to ``top``) and the shifted landmarks."""
    h, w = rgb.shape[:2]
    fw = _fw(pts)
    x0 = int(max(0, pts[:, 0].min() - 0.25 * fw))
    x1 = int(min(w, pts[:, 0].max() + 0.25 * fw + 1))
    y0 = int(max(0, min(pts[:, 1].min() - 0.1 * fw, top if top is not None else 1e9)))
    y1 = int(min(h, pts[:, 1].max() + 0.1 * fw + 1))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return rgb, pts, 0
    p = pts.copy()
    p[:, 0] -= x0
    p[:, 1] -= y0
    return rgb[y0:y1, x0:x1], p, y0


#: Lightness weight in the headwear colour distance: hair is mostly a matter of lightness (dark,
#: grey, blond), caps and scarves of hue, so chroma counts more.
HAT_L_WEIGHT = 0.15


def _median_patch(img: np.ndarray, centre, radius: float) -> np.ndarray:
    """Per-channel median of a square patch (robust to a spectacle frame or a stray hair)."""
    return _disc_mean(img, centre, radius, reduce=np.median)


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
