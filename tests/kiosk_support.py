"""Test doubles and helpers for the kiosk tests (the real window, store, receipts and printer;
fake live analysis and processing so each test decides what the camera "sees")."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
from PIL import Image

from studio_app.camera.base import FrameSource
from studio_app.live import LiveLoop
from studio_app.settings import Settings
from studio_app.ui.kiosk.pin import hash_pin
from studio_app.ui.kiosk.services import KioskServices
from studio_app.vision.types import FaceBox

PIN = "258046"
VALID_ID = "440305199003071236"


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def kiosk_settings(tmp_path, **changes) -> Settings:
    base = Settings(
        studio_name="测试照相馆", output_dir=str(tmp_path / "output"), kiosk_idle_seconds=60,
        kiosk_max_retries=2, kiosk_admin_pin_hash=hash_pin(PIN, iterations=1000),
    )
    return base.with_changes(**changes)


class FakeAnalyzer:
    """Finds one face in every frame (a kiosk test is about the flow, not about vision)."""

    def analyze(self, rgb, segmentation=True, timestamp_ms=None):
        h, w = rgb.shape[:2]
        return SimpleNamespace(image_size=(w, h), faces=(FaceBox(w * 0.35, h * 0.2, w * 0.3, h * 0.4, 0.99),),
                               measures=None)


@dataclass
class FakeReport:
    ok: bool
    results: tuple = ()


@dataclass
class FakeResult:
    photo: np.ndarray
    jpeg: bytes
    ok: bool
    problems: list = field(default_factory=list)
    before: object = None
    after: object = None

    def messages(self, lang=None):
        return list(self.problems)

    def to_dict(self, lang="zh_CN"):
        return {"ok": self.ok, "problems": list(self.problems)}


def jpeg_of(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=90, dpi=(300, 300))
    return buf.getvalue()


class TestServices(KioskServices):
    """Real store, output, receipts and printing; live verdicts and processing from the test."""

    __test__ = False

    def __init__(self, settings, printer_factory=None):
        super().__init__(settings, printer_factory=printer_factory)
        self.live_ok = False
        self.process_ok: list[bool] = []  # popped per capture (default True)
        self.processed_frames: list[np.ndarray] = []
        self.fail_process: Exception | None = None
        self.spooled: list = []  # files seen in the session folder while printing

    def make_live_loop(self):
        hint = SimpleNamespace(key="framing.too_small", text="请靠近一点", direction="closer", state="adjust")
        return LiveLoop(analyzer=FakeAnalyzer(), checker=lambda analysis, spec: FakeReport(self.live_ok),
                        hinter=lambda report, lang: hint, hold_ms=0)

    def process(self, rgb, spec, options=None, analysis=None):
        if self.fail_process is not None:
            raise self.fail_process
        self.processed_frames.append(rgb)
        ok = self.process_ok.pop(0) if self.process_ok else True
        h, w = spec.height_px, spec.width_px
        y0, x0 = max(0, (rgb.shape[0] - h) // 2), max(0, (rgb.shape[1] - w) // 2)
        photo = np.ascontiguousarray(np.resize(rgb[y0:y0 + h, x0:x0 + w], (h, w, 3)))
        problems = [] if ok else ["头发遮住了眉毛，请把头发拨开"]
        return FakeResult(photo=photo, jpeg=jpeg_of(photo), ok=ok, problems=problems)

    def print_files(self, printer, receipt_pdf, sheet):
        self.spooled += sorted(p.name for p in receipt_pdf.parent.iterdir())
        return super().print_files(printer, receipt_pdf, sheet)


class FlakySource(FrameSource):
    """A file-like source whose "cable" the test can pull: ``broken`` makes reads return None."""

    name = "flaky"

    def __init__(self, image: np.ndarray, fps: float = 15.0):
        super().__init__(fps=fps, realtime=True)
        self.image = image
        self.broken = False
        self.opens = 0

    def _open(self) -> None:
        if self.broken:
            raise OSError("camera unplugged")
        self.opens += 1

    def _grab(self):
        if self.broken:
            return None
        return self.image.copy()


def sample_image() -> np.ndarray:
    """A synthetic 640x480 "person" in front of a plain backdrop (no real face needed here)."""
    img = np.full((480, 640, 3), 235, np.uint8)
    yy, xx = np.mgrid[0:480, 0:640]
    img[((xx - 320) / 90.0) ** 2 + ((yy - 200) / 120.0) ** 2 < 1] = (205, 160, 130)
    img[(yy > 330) & (np.abs(xx - 320) < 200)] = (40, 40, 60)
    return img


