"""Masks drawn with Pillow (``fill_polygon``, ``fill_ellipse``) and ``convex_hull``."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw


def _draw(mask: np.ndarray, fn) -> np.ndarray:
    if mask.ndim != 2:
        raise ValueError("draw on a single-channel mask")
    im = Image.new("L", (mask.shape[1], mask.shape[0]), 0)
    fn(ImageDraw.Draw(im))
    hit = np.asarray(im) > 0
    return hit


def fill_polygon(mask: np.ndarray, points, value=1) -> np.ndarray:
    """Fill the polygon ``points`` (N x 2, x/y in px) into ``mask`` in place; returns ``mask``."""
    arr = np.asarray(points, np.float64).reshape(-1, 2)
    if len(arr) < 2:
        return mask
    y0, y1 = 0, mask.shape[0]
    ys = arr[:, 1]
    lo, hi = ys.min(), ys.max()
    if lo >= 0 and hi < y1 and np.array_equal(ys, np.round(ys)):
        # whole-pixel rows inside the mask (the landmark polygons): drawn in their rows only (+2),
        # shifted by whole rows, which rasterises the same pixels (Pillow's scanline arithmetic
        # is exact in y then; a shift in x is not); an eye on a head crop: ~20x fewer pixels
        y0, y1 = int(max(0, lo - 2)), int(min(y1, hi + 3))
    pts = [(float(x), float(y) - y0) for x, y in arr]
    region = mask[y0:y1]
    hit = _draw(region, lambda d: d.polygon(pts, fill=255, outline=255))
    region[hit] = value
    return mask


def fill_ellipse(mask: np.ndarray, center: tuple[float, float], axes: tuple[float, float], value=1) -> np.ndarray:
    """Fill the axis-aligned ellipse (centre, half-axes) into ``mask`` in place; returns it."""
    cx, cy = center
    ax, ay = axes
    hit = _draw(mask, lambda d: d.ellipse([cx - ax, cy - ay, cx + ax, cy + ay], fill=255))
    mask[hit] = value
    return mask


def convex_hull(points) -> np.ndarray:
    """Convex hull (Andrew's monotone chain) of N x 2 points, counter-clockwise, no repeats."""
    pts = np.unique(np.asarray(points, np.float64).reshape(-1, 2), axis=0)
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in pts[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])
