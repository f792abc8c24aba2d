"""Saturating uint8 arithmetic (cv2.add / cv2.subtract)."""

from __future__ import annotations

import numpy as np


def add_saturate(a: np.ndarray, b) -> np.ndarray:
    return np.clip(a.astype(np.int16) + np.asarray(b, np.int16), 0, 255).astype(np.uint8)


def subtract_saturate(a: np.ndarray, b) -> np.ndarray:
    return np.clip(a.astype(np.int16) - np.asarray(b, np.int16), 0, 255).astype(np.uint8)
