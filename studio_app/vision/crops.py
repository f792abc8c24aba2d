"""Face boxes and square crops for the analyzer (numpy + imageops): merging detections, the crop the
landmarker sees around a face and its mapping back to image pixels."""

from __future__ import annotations

import numpy as np

from .. import imageops as iops
from .types import FaceBox

#: Side of the square crop (px) the landmarker sees in still mode.
LANDMARK_CROP = 512
#: Side of the square crop the live tracker sees (px).
LIVE_CROP = 256
#: Crop side as a multiple of the detected face box.
CROP_FACTOR = 2.2


def decimate(rgb: np.ndarray, max_side: int) -> tuple[np.ndarray, int]:
    """Every n-th pixel so the long side is <= ``max_side`` (cheap on huge photos), and n."""
    step = int(np.ceil(max(rgb.shape[:2]) / max_side))
    if step <= 1:
        return rgb, 1
    return np.ascontiguousarray(rgb[::step, ::step]), step


#: Long side of the image the face detectors see (their inputs are 128 and 192 px).
DETECT_SIDE = 1920


def _iou(a: FaceBox, b: FaceBox) -> float:
    x0, y0 = max(a.x, b.x), max(a.y, b.y)
    x1, y1 = min(a.x + a.w, b.x + b.w), min(a.y + a.h, b.y + b.h)
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


def merge_boxes(boxes: list[FaceBox], iou: float = 0.3) -> list[FaceBox]:
    """Non-maximum suppression across detectors; largest first."""
    keep: list[FaceBox] = []
    for b in sorted(boxes, key=lambda b: -b.score):
        if all(_iou(b, k) < iou and not _contains(k, b) and not _contains(b, k) for k in keep):
            keep.append(b)
    return sorted(keep, key=lambda b: -b.area)


def _contains(outer: FaceBox, inner: FaceBox) -> bool:
    """``inner``'s centre lies inside ``outer`` and it is not much smaller (same face)."""
    cx, cy = inner.x + inner.w / 2, inner.y + inner.h / 2
    return (outer.x <= cx <= outer.x + outer.w and outer.y <= cy <= outer.y + outer.h
            and inner.area > 0.25 * outer.area)


def _crop_square(rgb: np.ndarray, cx: float, cy: float, side: float, out: int):
    """Square crop centred at (cx, cy) of ``side`` px, resized to ``out`` px (black outside the
    image). Returns the crop and (x0, y0, kx, ky) so that image x = x0 + crop_x / kx."""
    h, w = rgb.shape[:2]
    x0, y0 = cx - side / 2, cy - side / 2
    k = out / side
    canvas = np.zeros((out, out, 3), np.uint8)
    ix0, iy0 = int(max(0, np.floor(x0))), int(max(0, np.floor(y0)))
    ix1, iy1 = int(min(w, np.ceil(x0 + side))), int(min(h, np.ceil(y0 + side)))
    if ix1 <= ix0 or iy1 <= iy0:
        return canvas, (x0, y0, k, k)
    region = rgb[iy0:iy1, ix0:ix1]
    rw, rh = max(1, int(round((ix1 - ix0) * k))), max(1, int(round((iy1 - iy0) * k)))
    resized = iops.resize(region, (rw, rh), "area" if k < 1 else "linear")
    kx, ky = rw / (ix1 - ix0), rh / (iy1 - iy0)
    ox, oy = int(round((ix0 - x0) * kx)), int(round((iy0 - y0) * ky))
    # canvas column c shows resized column c - ox
    sx, sy = max(0, -ox), max(0, -oy)
    cx0, cy0 = max(0, ox), max(0, oy)
    cw, ch = min(rw - sx, out - cx0), min(rh - sy, out - cy0)
    if cw > 0 and ch > 0:
        canvas[cy0:cy0 + ch, cx0:cx0 + cw] = resized[sy:sy + ch, sx:sx + cw]
    return canvas, (ix0 - ox / kx, iy0 - oy / ky, kx, ky)


def _resize_mask(mask: np.ndarray, w: int, h: int) -> np.ndarray:
    return iops.resize(mask, (w, h), "linear")


def _box_from_points(pts: np.ndarray) -> FaceBox:
    x0, y0 = float(pts[:, 0].min()), float(pts[:, 1].min())
    return FaceBox(x0, y0, float(pts[:, 0].max() - x0), float(pts[:, 1].max() - y0), 1.0)
