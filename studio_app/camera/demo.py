"""The bundled demo source: a real face (NASA astronaut portrait, public domain) as a live feed.

The 512x512 portrait is composed into a 1280x720 frame (sharp picture in the middle, a blurred
fill at the sides so no second face appears) and moved gently every frame: a slow sway, a
breath-like zoom and a little roll, plus sensor noise. Every ``wander_period`` seconds the
"customer" leans aside and steps back for a moment, so the live guidance has something to say.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from ..paths import resource
from .base import FrameSource

DEMO_IMAGE = "astronaut.png"
# where the face sits in the 512x512 original (x, y of the nose bridge), measured once
_FACE_XY = (225.0, 105.0)


def demo_image_path():
    return resource("demo", DEMO_IMAGE)


def _compose(image: np.ndarray, size: tuple[int, int], scale: float) -> np.ndarray:
    w, h = size
    ih, iw = image.shape[:2]
    # background: the picture scaled to cover, heavily blurred and dimmed
    cover = max(w / iw, h / ih)
    bg = cv2.resize(image, (int(math.ceil(iw * cover)), int(math.ceil(ih * cover))), interpolation=cv2.INTER_AREA)
    y0 = (bg.shape[0] - h) // 4
    x0 = (bg.shape[1] - w) // 2
    bg = bg[y0:y0 + h, x0:x0 + w]
    bg = cv2.GaussianBlur(bg, (0, 0), 30)
    bg = (bg.astype(np.float32) * 0.85).astype(np.float32)
    # foreground: sharp picture with the face centred horizontally, feathered edges
    fw, fh = int(round(iw * scale)), int(round(ih * scale))
    fg = cv2.resize(image, (fw, fh), interpolation=cv2.INTER_CUBIC).astype(np.float32)
    ox = int(round(w / 2 - _FACE_XY[0] * scale))
    oy = int(round(0.07 * h))
    feather = max(8, int(0.05 * fw))
    ramp_x = np.clip(np.minimum(np.arange(fw), np.arange(fw)[::-1]) / feather, 0, 1)
    ramp_y = np.clip(np.arange(fh) / feather, 0, 1)  # top edge only; the bottom leaves the frame
    alpha = (ramp_y[:, None] * ramp_x[None, :])[..., None].astype(np.float32)
    out = bg.copy()
    # paste with clipping
    sx0, sy0 = max(0, -ox), max(0, -oy)
    dx0, dy0 = max(0, ox), max(0, oy)
    dx1, dy1 = min(w, ox + fw), min(h, oy + fh)
    sx1, sy1 = sx0 + (dx1 - dx0), sy0 + (dy1 - dy0)
    a = alpha[sy0:sy1, sx0:sx1]
    out[dy0:dy1, dx0:dx1] = fg[sy0:sy1, sx0:sx1] * a + out[dy0:dy1, dx0:dx1] * (1 - a)
    return np.clip(out, 0, 255).astype(np.uint8), (w / 2, oy + _FACE_XY[1] * scale)


class DemoSource(FrameSource):
    """A looping "camera" showing a real face with gentle motion (no camera needed)."""

    def __init__(self, size: tuple[int, int] = (1280, 720), fps: float = 30.0, realtime: bool = True,
                 scale: float = 2.6, wander: bool = True, wander_period: float = 16.0,
                 noise: float = 2.0, seed: int = 0, image: np.ndarray | None = None, **kw):
        super().__init__(fps=fps, realtime=realtime, **kw)
        self.name = "demo"
        self.frame_size = (int(size[0]), int(size[1]))
        self.scale = scale
        self.wander = wander
        self.wander_period = wander_period
        self.noise = noise
        self.seed = seed
        self._image = image
        self._canvas: np.ndarray | None = None
        self._centre = (0.0, 0.0)
        self._noise_frames: list[np.ndarray] = []
        self._n = 0

    def _open(self) -> None:
        if self._image is None:
            from .files import load_rgb

            self._image = load_rgb(demo_image_path())
        self._canvas, self._centre = _compose(self._image, self.frame_size, self.scale * self.frame_size[1] / 720)
        rng = np.random.default_rng(self.seed)
        w, h = self.frame_size
        self._noise_frames = []
        for _ in range(3 if self.noise > 0 else 0):
            n = rng.normal(0, self.noise, (h, w, 3))
            # split into a positive and a negative part: two saturating uint8 ops are cheap
            self._noise_frames.append((np.clip(n, 0, 255).astype(np.uint8), np.clip(-n, 0, 255).astype(np.uint8)))
        self._n = 0

    def pose_at(self, t: float) -> tuple[float, float, float, float]:
        """(dx px, dy px, zoom, roll degrees) of the motion at ``t`` seconds."""
        h = self.frame_size[1]
        dx = 0.008 * h * math.sin(2 * math.pi * t / 5.3)
        dy = 0.005 * h * math.sin(2 * math.pi * t / 3.7 + 1.0)
        zoom = 1.0 + 0.012 * math.sin(2 * math.pi * t / 4.1)
        roll = 0.8 * math.sin(2 * math.pi * t / 6.7)
        if self.wander and self.wander_period > 0:
            phase = (t % self.wander_period) / self.wander_period
            # lean aside and step back during 70–85 % of each period, eased in and out
            if 0.68 < phase < 0.88:
                k = math.sin(math.pi * (phase - 0.68) / 0.20) ** 2
                dx += 0.16 * h * k
                zoom *= 1.0 - 0.22 * k
                roll += 7.0 * k
        return dx, dy, zoom, roll

    def _grab(self) -> np.ndarray | None:
        assert self._canvas is not None
        t = self._n / self.fps
        self._n += 1
        dx, dy, zoom, roll = self.pose_at(t)
        cx, cy = self._centre
        m = cv2.getRotationMatrix2D((cx, cy), roll, zoom)
        m[0, 2] += dx
        m[1, 2] += dy
        w, h = self.frame_size
        frame = cv2.warpAffine(self._canvas, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
        if self._noise_frames:
            pos, neg = self._noise_frames[self._n % len(self._noise_frames)]
            frame = cv2.subtract(cv2.add(frame, pos), neg)
        return frame
