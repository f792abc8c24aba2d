"""Sampling helpers the face measures share (numpy + imageops): NaN-safe means, a patch's mean or
median around a point, the head crop, the face width and a weighted CIELAB distance."""

from __future__ import annotations

import warnings

import numpy as np

from .. import imageops as iops
from . import geometry as g


def _nanmean(values, axis=None):
    """np.nanmean without the warning when every value is NaN (a region outside the image)."""
    arr = np.asarray(values, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(arr, axis=axis)


def luminance(rgb: np.ndarray) -> np.ndarray:
    return iops.rgb_to_grey(rgb)


def _disc_mean(img: np.ndarray, centre, radius: float, reduce=np.mean) -> np.ndarray:
    """Per-channel mean (or ``reduce``) of the square patch of ``radius`` around ``centre``."""
    h, w = img.shape[:2]
    x, y = int(round(centre[0])), int(round(centre[1]))
    r = max(1, int(round(radius)))
    x0, x1, y0, y1 = max(0, x - r), min(w, x + r + 1), max(0, y - r), min(h, y + r + 1)
    if x1 <= x0 or y1 <= y0:
        return np.full(img.shape[2:] or (), np.nan)
    return reduce(img[y0:y1, x0:x1].reshape(-1, *img.shape[2:]), axis=0)


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


def _median_patch(img: np.ndarray, centre, radius: float) -> np.ndarray:
    """Per-channel median of a square patch (robust to a spectacle frame or a stray hair)."""
    return _disc_mean(img, centre, radius, reduce=np.median)
