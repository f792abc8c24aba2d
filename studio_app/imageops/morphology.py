"""Binary morphology: ``erode``/``dilate`` with ``ellipse_kernel``/``rect_kernel`` (cv2's shapes)."""

from __future__ import annotations

import numpy as np


def ellipse_kernel(size: tuple[int, int]) -> np.ndarray:
    """cv2.getStructuringElement(cv2.MORPH_ELLIPSE, size) (same rows, same rounding)."""
    w, h = int(size[0]), int(size[1])
    out = np.zeros((h, w), np.uint8)
    r, c = h // 2, w // 2
    inv_r2 = 1.0 / (r * r) if r else 0.0
    for i in range(h):
        dy = i - r
        if abs(dy) <= r:
            dx = int(round(c * np.sqrt(max(0.0, (r * r - dy * dy) * inv_r2)))) if r else c
            out[i, max(c - dx, 0):min(c + dx + 1, w)] = 1
    return out


def _bbox(m: np.ndarray) -> tuple[int, int, int, int] | None:
    """(y0, y1, x0, x1) of the set pixels of a bool mask, None when there are none."""
    rows = np.flatnonzero(m.any(axis=1))
    if len(rows) == 0:
        return None
    cols = np.flatnonzero(m[rows[0]:rows[-1] + 1].any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def erode(mask: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Binary erosion by a symmetric structuring element made of centred row runs on consecutive
    rows (rectangles, cv2 ellipses). Pixels outside the image count as set (cv2's default border
    for erode).

    Only the bounding box of the set pixels, plus one pixel, is computed: everything outside it
    is unset and stays so, and every element that reaches from inside past the extra pixel also
    covers that (unset) pixel, so the box gives the same result as the whole image."""
    m = np.asarray(mask).astype(bool)
    h, w = m.shape
    box = _bbox(m)
    if box is None:
        return m
    y0, y1, x0, x1 = max(box[0] - 1, 0), min(box[1] + 1, h), max(box[2] - 1, 0), min(box[3] + 1, w)
    if (y1 - y0) * (x1 - x0) < 0.8 * h * w:
        out = np.zeros_like(m)
        out[y0:y1, x0:x1] = _erode_full(m[y0:y1, x0:x1], kernel)
        return out
    return _erode_full(m, kernel)


def _erode_full(m: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    h, w = m.shape
    kh = kernel.shape[0]
    cy = kh // 2
    halves = []
    for i in range(kh):
        cols = np.nonzero(kernel[i])[0]
        if len(cols):
            halves.append((i - cy, int(cols[-1] - cols[0]) // 2))
    top = max(hv for _, hv in halves)
    # one row-wise running count serves every row of the element: a window of +-half px is
    # all set when its count is 2*half+1 (outside counts as set)
    p = np.pad(m, ((0, 0), (top + 1, top)), constant_values=True)
    c = np.cumsum(p, axis=1, dtype=np.int32)
    out = np.ones_like(m)
    for dy, half in halves:
        lo = top - half
        full = (c[:, lo + 2 * half + 1:lo + 2 * half + 1 + w] - c[:, lo:lo + w]) == 2 * half + 1
        if dy >= 0:
            if dy < h:
                out[:h - dy] &= full[dy:]
        elif -dy < h:
            out[-dy:] &= full[:h + dy]
    return out


def dilate(mask: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Binary dilation by a symmetric structuring element (outside the image counts as unset).

    Computed on the bounding box of the set pixels grown by the element's reach (nothing beyond
    it can be set; outside that box is unset, as outside the image is)."""
    m = np.asarray(mask).astype(bool)
    h, w = m.shape
    box = _bbox(m)
    if box is None:
        return m
    ry, rx = kernel.shape[0] // 2, kernel.shape[1] // 2
    y0, y1, x0, x1 = max(box[0] - ry, 0), min(box[1] + ry, h), max(box[2] - rx, 0), min(box[3] + rx, w)
    if (y1 - y0) * (x1 - x0) < 0.8 * h * w:
        out = np.zeros_like(m)
        out[y0:y1, x0:x1] = ~_erode_full(~m[y0:y1, x0:x1], kernel)
        return out
    return ~_erode_full(~m, kernel)


def rect_kernel(size: tuple[int, int]) -> np.ndarray:
    return np.ones((int(size[1]), int(size[0])), np.uint8)
