"""Affine geometry: ``rotation_matrix``, ``invert_affine``, ``warp_affine`` (replicate border), ``remap_linear``."""

from __future__ import annotations

import numpy as np
from PIL import Image


def rotation_matrix(center: tuple[float, float], angle_deg: float, scale_: float = 1.0) -> np.ndarray:
    """2x3 matrix rotating by ``angle_deg`` (counter-clockwise on screen) about ``center`` and
    scaling, as cv2.getRotationMatrix2D."""
    a = np.deg2rad(angle_deg)
    al, be = scale_ * np.cos(a), scale_ * np.sin(a)
    cx, cy = float(center[0]), float(center[1])
    return np.array([[al, be, (1 - al) * cx - be * cy],
                     [-be, al, be * cx + (1 - al) * cy]], np.float64)


def invert_affine(m: np.ndarray) -> np.ndarray:
    """Inverse of a 2x3 affine matrix (cv2.invertAffineTransform)."""
    full = np.vstack([np.asarray(m, np.float64), [0.0, 0.0, 1.0]])
    return np.linalg.inv(full)[:2]


def warp_affine(img: np.ndarray, m: np.ndarray, size: tuple[int, int], interp: str = "linear") -> np.ndarray:
    """cv2.warpAffine(img, m, size, interp, borderMode=BORDER_REPLICATE): output pixel (x, y)
    samples the source at m^-1 (x, y), pixel centres at integer coordinates; outside the source
    the nearest edge pixel is repeated."""
    w, h = int(size[0]), int(size[1])
    inv = invert_affine(m)
    src_h, src_w = img.shape[:2]
    # the source window the output needs, plus the filter's reach
    corners = np.array([[0, 0, 1], [w - 1, 0, 1], [0, h - 1, 1], [w - 1, h - 1, 1]], np.float64) @ inv.T
    margin = 3
    x0 = int(np.floor(corners[:, 0].min())) - margin
    y0 = int(np.floor(corners[:, 1].min())) - margin
    x1 = int(np.ceil(corners[:, 0].max())) + margin + 1
    y1 = int(np.ceil(corners[:, 1].max())) + margin + 1
    # crop what is inside, pad the rest by repeating the edge (replicate border)
    cx0, cy0 = min(max(x0, 0), src_w - 1), min(max(y0, 0), src_h - 1)
    cx1, cy1 = max(min(x1, src_w), cx0 + 1), max(min(y1, src_h), cy0 + 1)
    roi = img[cy0:cy1, cx0:cx1]
    pad = [(max(0, cy0 - y0), max(0, y1 - cy1)), (max(0, cx0 - x0), max(0, x1 - cx1))]
    if roi.ndim == 3:
        pad.append((0, 0))
    if any(p != (0, 0) for p in pad):
        roi = np.pad(roi, pad, mode="edge")
    ox, oy = min(x0, cx0), min(y0, cy0)
    # Pillow samples the input at (a, b, c; d, e, f) . (x + 0.5, y + 0.5) with pixel centres at
    # +0.5; cv2 at inv . (x, y) with centres at integers: shift c and f to match
    a, b, c = inv[0]
    d, e, f = inv[1]
    c2 = c - ox - (a + b) * 0.5 + 0.5
    f2 = f - oy - (d + e) * 0.5 + 0.5
    data = (a, b, c2, d, e, f2)
    method = {"nearest": Image.Resampling.NEAREST, "linear": Image.Resampling.BILINEAR,
              "cubic": Image.Resampling.BICUBIC}[interp]

    def one(plane: np.ndarray, mode: str) -> np.ndarray:
        im = Image.fromarray(np.ascontiguousarray(plane), mode)
        return np.asarray(im.transform((w, h), Image.Transform.AFFINE, data, resample=method))

    if roi.dtype == np.uint8:
        if roi.ndim == 2:
            return one(roi, "L")
        if roi.shape[2] == 3:
            return one(roi, "RGB")
        return np.stack([one(roi[..., i], "L") for i in range(roi.shape[2])], axis=2)
    f32 = roi.astype(np.float32)
    if f32.ndim == 2:
        return one(f32, "F")
    return np.stack([one(f32[..., i], "F") for i in range(f32.shape[2])], axis=2)


def remap_linear(img: np.ndarray, map_x: np.ndarray, map_y: np.ndarray) -> np.ndarray:
    """Bilinear sampling of a 2-D float image at (map_x, map_y), edges repeated (cv2.remap with
    INTER_LINEAR and BORDER_REPLICATE)."""
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape[:2]
    x = np.clip(np.asarray(map_x, np.float32), 0, w - 1)
    y = np.clip(np.asarray(map_y, np.float32), 0, h - 1)
    x0 = np.floor(x).astype(np.intp)
    y0 = np.floor(y).astype(np.intp)
    x1 = np.minimum(x0 + 1, w - 1)
    y1 = np.minimum(y0 + 1, h - 1)
    fx = x - x0
    fy = y - y0
    top = a[y0, x0] * (1 - fx) + a[y0, x1] * fx
    bot = a[y1, x0] * (1 - fx) + a[y1, x1] * fx
    return (top * (1 - fy) + bot * fy).astype(np.float32)
