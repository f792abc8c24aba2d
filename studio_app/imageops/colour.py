"""Colour conversions with cv2's formulas: grey (BT.601), CIE Lab (D65), HSV."""

from __future__ import annotations

import numpy as np


def rgb_to_grey(rgb: np.ndarray) -> np.ndarray:
    """ITU-R BT.601 luma, as cv2.COLOR_RGB2GRAY (uint8 in -> uint8 out, rounded)."""
    f = rgb[..., 0] * np.float32(0.299) + rgb[..., 1] * np.float32(0.587) + rgb[..., 2] * np.float32(0.114)
    if rgb.dtype == np.uint8:
        return np.clip(np.rint(f), 0, 255).astype(np.uint8)
    return f.astype(np.float32)


_RGB2XYZ = np.array([[0.412453, 0.357580, 0.180423],
                     [0.212671, 0.715160, 0.072169],
                     [0.019334, 0.119193, 0.950227]], np.float32)
_WHITE = np.array([0.950456, 1.0, 1.088754], np.float32)


_SRGB_LUT = None


def _linear_rgb(rgb: np.ndarray) -> np.ndarray:
    """sRGB -> linear light, float32; uint8 through a 256-entry table (the common case)."""
    global _SRGB_LUT
    if rgb.dtype == np.uint8:
        if _SRGB_LUT is None:
            v = np.arange(256, dtype=np.float64) / 255.0
            _SRGB_LUT = np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4).astype(np.float32)
        return _SRGB_LUT[rgb]
    f = np.asarray(rgb, dtype=np.float32)
    return np.where(f <= 0.04045, f / np.float32(12.92), ((f + np.float32(0.055)) / np.float32(1.055)) ** np.float32(2.4))


def _lab_f(t: np.ndarray) -> np.ndarray:
    return np.where(t > np.float32(0.008856), np.cbrt(t), np.float32(7.787) * t + np.float32(16.0 / 116.0))


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB -> CIE L*a*b* (D65), float32 L 0–100, a/b about -128..127, like cv2 RGB2Lab.

    uint8 input is read as 0–255, float input as 0–1; the result is always the float scale
    (use :func:`lab_to_u8` for cv2's 8-bit packing). Computed on contiguous planes with few
    temporaries (operations on the interleaved channels of an HxWx3 array are several times
    slower), interleaved at the end; the same formulas, in the same order, as before."""
    shape = rgb.shape[:-1]
    lin = np.empty((3,) + shape, np.float32)
    if rgb.dtype == np.uint8:
        _linear_rgb(rgb[:0])  # builds the table
        for c in range(3):
            np.take(_SRGB_LUT, rgb[..., c], out=lin[c])
    else:
        f = _linear_rgb(rgb)
        for c in range(3):
            lin[c] = f[..., c]
    m = _RGB2XYZ / _WHITE[:, None]
    xyz = np.empty_like(lin)
    tmp = np.empty(shape, np.float32)
    for k in range(3):  # (r m0 + g m1) + b m2
        np.multiply(lin[0], m[k, 0], out=xyz[k])
        np.multiply(lin[1], m[k, 1], out=tmp)
        xyz[k] += tmp
        np.multiply(lin[2], m[k, 2], out=tmp)
        xyz[k] += tmp
    del lin
    f = np.cbrt(xyz)
    low = xyz <= np.float32(0.008856)
    if low.any():
        f[low] = np.float32(7.787) * xyz[low] + np.float32(16.0 / 116.0)
    fx, fy, fz = f[0], f[1], f[2]
    y = xyz[1]
    out = np.empty(shape + (3,), np.float32)
    out[..., 0] = np.where(y > np.float32(0.008856), np.float32(116.0) * fy - np.float32(16.0), np.float32(903.3) * y)
    np.subtract(fx, fy, out=tmp)
    tmp *= np.float32(500.0)
    out[..., 1] = tmp
    np.subtract(fy, fz, out=tmp)
    tmp *= np.float32(200.0)
    out[..., 2] = tmp
    return out


_LAB_U8_SCALE = np.array([255.0 / 100.0, 1.0, 1.0], np.float32)
_LAB_U8_OFFSET = np.array([0.0, 128.0, 128.0], np.float32)


def lab_to_u8(lab: np.ndarray) -> np.ndarray:
    """cv2's 8-bit Lab packing: L*255/100, a+128, b+128, rounded and clipped."""
    out = np.multiply(lab, _LAB_U8_SCALE, dtype=np.float32)
    out += _LAB_U8_OFFSET
    np.rint(out, out=out)
    np.clip(out, 0, 255, out=out)
    return out.astype(np.uint8)


def rgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    """uint8 RGB -> uint8 HSV with cv2's ranges: H 0–179 (degrees / 2), S and V 0–255."""
    f = rgb.astype(np.float32)
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    v = f.max(axis=-1)
    mn = f.min(axis=-1)
    d = v - mn
    s = np.where(v > 0, d * 255.0 / np.maximum(v, 1e-6), 0.0)
    dd = np.maximum(d, 1e-6)
    h = np.where(v == r, (g - b) * 60.0 / dd,
                 np.where(v == g, 120.0 + (b - r) * 60.0 / dd, 240.0 + (r - g) * 60.0 / dd))
    h = np.where(d == 0, 0.0, h)
    h = np.where(h < 0, h + 360.0, h)
    out = np.stack([np.rint(h / 2.0) % 180, np.rint(s), v], axis=-1)
    return np.clip(out, 0, 255).astype(np.uint8)
