"""The bundled demo source: real faces as a live feed, so the app can be tried without a camera.

Each demo "customer" (:data:`SUBJECTS`) is a real portrait composed into a 1280x720 frame (sharp
picture in the middle, a blurred fill at the sides so no second face appears) and moved gently
every frame: a slow sway, a breath-like zoom and a little roll, plus sensor noise. Every
``wander_period`` seconds the customer leans aside and steps back for a moment, so the live
guidance has something to say. The first subject passes the checks and auto-captures; the others
show typical problems (a wide smile, a tilted head, dim light, standing too far away).
Portraits and credits: resources/demo/README.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .. import imageops as iops
from .. import messages
from ..errors import StudioError
from ..paths import resource
from .base import FrameSource


@dataclass(frozen=True)
class DemoSubject:
    key: str  # --source demo:KEY
    file: str  # in resources/demo/
    face_xy: tuple[float, float]  # the nose bridge (x, y) in the file's pixels, measured once
    scale: float  # file pixels -> frame pixels at 720 lines
    label: tuple[str, str]  # (zh_CN, en): what the operator should expect
    gain: float = 1.0  # exposure: below 1 shows dim light
    roll: float = 0.0  # head tilt in degrees


SUBJECTS: tuple[DemoSubject, ...] = (
    DemoSubject("ready", "ldn_006_f_bun_navy.jpg", (360.0, 345.0), 1.0, ("合格，自动拍照", "passes and auto-captures")),
    DemoSubject("smile", "astronaut.png", (225.0, 105.0), 2.6, ("笑容过大、张嘴", "wide smile, mouth open")),
    DemoSubject("tilt", "ldn_021_m_bald.jpg", (362.0, 297.0), 1.0, ("头部歪斜", "head tilted"), roll=20.0),
    DemoSubject("dark", "ldn_107_f_older.jpg", (362.0, 340.0), 1.0, ("光线太暗", "too dark"), gain=0.35),
    DemoSubject("far", "ldn_004_m_stubble.jpg", (358.0, 305.0), 0.55, ("站得太远", "standing too far away")),
)
DEMO_IMAGE = SUBJECTS[0].file

messages.register({
    "demo.unknown_subject": ("没有演示人物 {value}；可用：{choices}", "No demo subject {value}; choose from: {choices}"),
})


def demo_subject(value: str | int | None) -> DemoSubject:
    """A subject by index (0-based) or key; None: the first (the one that passes)."""
    if value is None or value == "":
        return SUBJECTS[0]
    text = str(value).strip().lower()
    if text.isdigit() and int(text) < len(SUBJECTS):
        return SUBJECTS[int(text)]
    for s in SUBJECTS:
        if s.key == text:
            return s
    raise StudioError("demo.unknown_subject", value=str(value), choices=", ".join(s.key for s in SUBJECTS))


def demo_image_path(subject: str | int | None = None):
    return resource("demo", demo_subject(subject).file)


def _compose(image: np.ndarray, size: tuple[int, int], scale: float, top: int | None = None,
             face_xy: tuple[float, float] = SUBJECTS[1].face_xy):
    w, h = size
    ih, iw = image.shape[:2]
    # background: a smooth colour field from the picture's own colours (no shapes, so no
    # second face can appear), brighter at the top like a studio backdrop
    small = iops.resize(image, (6, 6), "area")
    mid = iops.resize(small, (max(8, w // 16), max(8, h // 16)), "cubic")
    mid = iops.gaussian_blur(mid, 2.0)  # blur at 1/16 size: cheap, and just as smooth
    bg = iops.resize(mid, (w, h), "linear").astype(np.float32) * 0.9
    # foreground: sharp picture with the face centred horizontally, feathered edges
    fw, fh = int(round(iw * scale)), int(round(ih * scale))
    fg = iops.resize(image, (fw, fh), "cubic").astype(np.float32)
    ox = int(round(w / 2 - face_xy[0] * scale))
    oy = int(round(0.07 * h)) if top is None else int(top)
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
    return np.clip(out, 0, 255).astype(np.uint8), (w / 2, oy + face_xy[1] * scale)


class DemoSource(FrameSource):
    """A looping "camera" showing a real face with gentle motion (no camera needed).

    ``subject``: an index or key of :data:`SUBJECTS` (default: the first, which passes)."""

    def __init__(self, size: tuple[int, int] = (1280, 720), fps: float = 30.0, realtime: bool = True,
                 scale: float | None = None, wander: bool = True, wander_period: float = 16.0,
                 noise: float = 2.0, seed: int = 0, image: np.ndarray | None = None,
                 subject: str | int | None = None, **kw):
        super().__init__(fps=fps, realtime=realtime, **kw)
        self.subject = demo_subject(subject)
        self.name = "demo" if self.subject is SUBJECTS[0] else f"demo:{self.subject.key}"
        self.frame_size = (int(size[0]), int(size[1]))
        self.scale = self.subject.scale if scale is None else scale
        self.wander = wander
        self.wander_period = wander_period
        self.noise = noise
        self.seed = seed
        self._image = image
        self._canvas: np.ndarray | None = None
        self._centre = (0.0, 0.0)
        self._pad = (0, 0)
        self._noise_frames: list[np.ndarray] = []
        self._canvas_image: Image.Image | None = None
        self._n = 0

    def _open(self) -> None:
        if self._image is None:
            from .files import load_rgb

            self._image = load_rgb(resource("demo", self.subject.file))
            if self.subject.gain != 1.0:
                self._image = np.clip(self._image.astype(np.float32) * self.subject.gain, 0, 255).astype(np.uint8)
        self._n = 0
        if self._canvas is not None:
            # a re-open (the kiosk's reader restarts a lost camera) reuses the canvas and the noise:
            # composing again churns ~100 MB of temporaries that glibc keeps (the soak's RSS steps)
            return
        # compose on a larger canvas so moving and zooming never shows an empty or mirrored edge
        w, h = self.frame_size
        self._pad = (int(0.3 * w), int(0.3 * h))
        big = (w + 2 * self._pad[0], h + 2 * self._pad[1])
        canvas, centre = _compose(self._image, big, self.scale * h / 720, top=self._pad[1] + int(0.07 * h),
                                  face_xy=self.subject.face_xy)
        self._canvas, self._centre = canvas, centre
        self._canvas_image = Image.fromarray(canvas, "RGB")
        rng = np.random.default_rng(self.seed)
        self._noise_frames = []
        for _ in range(3 if self.noise > 0 else 0):
            n = rng.normal(0, self.noise, (h, w, 3)).astype(np.float32)
            # split into a positive and a negative part: two saturating uint8 ops are cheap
            self._noise_frames.append((np.clip(n, 0, 255).astype(np.uint8), np.clip(-n, 0, 255).astype(np.uint8)))

    def pose_at(self, t: float) -> tuple[float, float, float, float]:
        """(dx px, dy px, zoom, roll degrees) of the motion at ``t`` seconds."""
        h = self.frame_size[1]
        dx = 0.008 * h * math.sin(2 * math.pi * t / 5.3)
        dy = 0.005 * h * math.sin(2 * math.pi * t / 3.7 + 1.0)
        zoom = 1.0 + 0.012 * math.sin(2 * math.pi * t / 4.1)
        roll = self.subject.roll + 0.8 * math.sin(2 * math.pi * t / 6.7)
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
        # one nearest-pixel affine per frame (~1 ms): the motion is a slow sway, a ±1.2 % zoom and
        # a small roll, so sampling the sharp canvas without interpolation shows no steps under
        # the sensor noise; a bilinear warp cost ~20 ms a frame in Pillow (there is no OpenCV)
        m = iops.rotation_matrix((cx, cy), roll, zoom)
        m[0, 2] += dx - self._pad[0]
        m[1, 2] += dy - self._pad[1]
        inv = iops.invert_affine(m)
        (a, b, c), (d, e, f) = inv
        # Pillow samples at A . (o + 0.5) + offset with pixel centres at +0.5 (see imageops.warp_affine)
        data = (a, b, c - (a + b) * 0.5 + 0.5, d, e, f - (d + e) * 0.5 + 0.5)
        w, h = self.frame_size
        frame = np.asarray(self._canvas_image.transform((w, h), Image.Transform.AFFINE, data,
                                                        resample=Image.Resampling.NEAREST))
        if self._noise_frames:
            pos, neg = self._noise_frames[self._n % len(self._noise_frames)]
            frame = iops.subtract_saturate(iops.add_saturate(frame, pos), neg)
        return frame
