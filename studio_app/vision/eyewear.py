"""Glasses on the face (numpy + imageops): dark lenses (the lens area and the eye whites against the
cheeks) and a spectacle bridge across the nose. Thresholds: :mod:`studio_app.compliance.checks`."""

from __future__ import annotations

import numpy as np

from .. import imageops as iops
from . import geometry as g
from .sampling import _disc_mean, _fw, _head_crop, _nanmean, luminance


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
