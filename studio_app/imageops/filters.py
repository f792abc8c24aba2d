"""Filters with reflect-101 borders (cv2's default): Gaussian and box blur, Sobel, Laplacian."""

from __future__ import annotations

import functools

import numpy as np


def _pad_reflect101(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    mode = "edge" if a.shape[axis] == 1 else "reflect"  # numpy's "reflect" is cv2's reflect-101
    pad = [(0, 0)] * a.ndim
    pad[axis] = (r, r)
    return np.pad(a, pad, mode=mode)


def _correlate1d(a: np.ndarray, kernel: np.ndarray, axis: int) -> np.ndarray:
    """1-D correlation along ``axis`` with reflect-101 borders (cv2's default)."""
    r = len(kernel) // 2
    if r == 0:
        return a * np.float32(kernel[0])
    p = _pad_reflect101(a, r, axis)
    n = a.shape[axis]

    def tap(i):
        sl = [slice(None)] * a.ndim
        sl[axis] = slice(i, i + n)
        return p[tuple(sl)]

    out = np.zeros(a.shape, np.float32)
    if np.array_equal(kernel, kernel[::-1]):  # symmetric (Gaussian, box): half the multiplies
        for i in range(r):
            if kernel[i] != 0:
                out += (tap(i) + tap(2 * r - i)) * np.float32(kernel[i])
        if kernel[r] != 0:
            out += tap(r) * np.float32(kernel[r])
        return out
    for i, k in enumerate(kernel):
        if k != 0:
            out += tap(i) * np.float32(k)
    return out


def gaussian_kernel(sigma: float) -> np.ndarray:
    """cv2.getGaussianKernel for a float image: size round(sigma*8+1)|1 (4 sigma each side)."""
    ksize = int(round(sigma * 8 + 1)) | 1
    r = ksize // 2
    x = np.arange(-r, r + 1, dtype=np.float64)
    k = np.exp(-(x * x) / (2.0 * sigma * sigma))
    return (k / k.sum()).astype(np.float32)


def gaussian_blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur with standard deviation ``sigma`` px (reflect-101 borders), float32 out.

    Separable and exact; callers that need wide blurs shrink first (see imaging.matte.blur)."""
    a = np.asarray(img, dtype=np.float32)
    if sigma <= 0:
        return a.copy()
    k = gaussian_kernel(sigma)
    if a.ndim == 3:  # plane by plane: contiguous slices are several times faster
        return np.stack([gaussian_blur(a[..., c], sigma) for c in range(a.shape[2])], axis=2)
    # a wide kernel on a short axis: one matrix product (the kernel folded into an n x n matrix
    # by the reflect-101 border) beats len(kernel) shifted multiply-adds by far
    if _use_matrix(a.shape[0], len(k)):
        a = _blur_matrix(a.shape[0], float(sigma)) @ a
    else:
        a = _correlate1d(a, k, 0)
    if _use_matrix(a.shape[1], len(k)):
        return np.ascontiguousarray(a @ _blur_matrix(a.shape[1], float(sigma)).T)
    return _correlate1d(a, k, 1)


def _use_matrix(n: int, taps: int) -> bool:
    return taps >= 9 and n <= 12 * taps and n <= 2048


def _reflect101_index(idx: np.ndarray, n: int) -> np.ndarray:
    """cv2's BORDER_REFLECT_101 for any index (reflected as often as needed: period 2n-2)."""
    if n == 1:
        return np.zeros_like(idx)
    p = np.mod(idx, 2 * n - 2)
    return np.where(p >= n, 2 * n - 2 - p, p)


@functools.lru_cache(maxsize=64)
def _blur_matrix(n: int, sigma: float) -> np.ndarray:
    """The n x n float32 matrix of the Gaussian correlation along an axis of length n, borders
    reflect-101: row i holds the kernel taps at the (reflected) source pixels of output i."""
    k = gaussian_kernel(sigma).astype(np.float64)
    r = len(k) // 2
    src = _reflect101_index(np.arange(n)[:, None] + np.arange(-r, r + 1)[None, :], n)
    flat = (np.arange(n)[:, None] * n + src).ravel()
    m = np.bincount(flat, weights=np.broadcast_to(k, src.shape).ravel(), minlength=n * n)
    m = m.reshape(n, n).astype(np.float32)
    m.setflags(write=False)
    return m


def box_blur(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Mean over a (width, height) window centred on each pixel, reflect-101 borders (cv2.blur)."""
    a = np.asarray(img, dtype=np.float32)
    kw, kh = int(size[0]), int(size[1])
    for axis, k in ((1, kw), (0, kh)):
        if k <= 1:
            continue
        r_lo = (k - 1) // 2
        r_hi = k - 1 - r_lo
        pad = [(0, 0)] * a.ndim
        pad[axis] = (r_lo, r_hi)
        mode = "reflect" if a.shape[axis] > 1 else "edge"
        p = np.pad(a, pad, mode=mode).astype(np.float64)
        c = np.cumsum(p, axis=axis)
        zero_shape = list(c.shape)
        zero_shape[axis] = 1
        c = np.concatenate([np.zeros(zero_shape), c], axis=axis)
        n = a.shape[axis]
        hi = [slice(None)] * a.ndim
        lo = [slice(None)] * a.ndim
        hi[axis] = slice(k, k + n)
        lo[axis] = slice(0, n)
        a = ((c[tuple(hi)] - c[tuple(lo)]) / k).astype(np.float32)
    return a


_SOBEL_D = np.array([-1.0, 0.0, 1.0], np.float32)
_SOBEL_S = np.array([1.0, 2.0, 1.0], np.float32)


def sobel(img: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """3x3 Sobel derivative (dx, dy) in {(1, 0), (0, 1)}, float32, like cv2.Sobel(ksize=3)."""
    a = np.asarray(img, dtype=np.float32)
    if (dx, dy) == (1, 0):
        return _correlate1d(_correlate1d(a, _SOBEL_S, 0), _SOBEL_D, 1)
    if (dx, dy) == (0, 1):
        return _correlate1d(_correlate1d(a, _SOBEL_D, 0), _SOBEL_S, 1)
    raise ValueError("sobel supports first derivatives only")


def laplacian(img: np.ndarray) -> np.ndarray:
    """4-neighbour Laplacian (cv2.Laplacian with ksize=1), float32, reflect-101 borders."""
    a = np.asarray(img, dtype=np.float32)
    k = np.array([1.0, -2.0, 1.0], np.float32)
    return _correlate1d(a, k, 0) + _correlate1d(a, k, 1)
