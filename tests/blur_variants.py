"""Honest blur of a measured size, as a fraction of the face width (so its size on the finished
photo, where every face is scaled to the spec, is the same whatever the source resolution)."""

from __future__ import annotations

import math

import numpy as np


def gaussian(rgb: np.ndarray, sigma_px: float) -> np.ndarray:
    """Defocus: a Gaussian blur of standard deviation ``sigma_px``."""
    from studio_app import imageops as iops

    return np.clip(iops.gaussian_blur(rgb, sigma_px) + 0.5, 0, 255).astype(np.uint8)


def motion(rgb: np.ndarray, length_px: float, angle_deg: float = 0.0) -> np.ndarray:
    """Camera shake: the mean of the photo shifted along a line of ``length_px`` at
    ``angle_deg`` (0 = horizontal), one sample per pixel of length, edges repeated."""
    n = max(2, int(round(length_px)) + 1)
    ca, sa = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    h, w = rgb.shape[:2]
    pad = int(math.ceil(length_px / 2)) + 1
    big = np.pad(rgb, ((pad, pad), (pad, pad), (0, 0)), mode="edge").astype(np.float32)
    acc = np.zeros(rgb.shape, np.float32)
    for t in np.linspace(-length_px / 2, length_px / 2, n):
        dx, dy = int(round(t * ca)), int(round(t * sa))
        acc += big[pad + dy:pad + dy + h, pad + dx:pad + dx + w]
    return np.clip(acc / n + 0.5, 0, 255).astype(np.uint8)
