"""Qt camera sources (the shells import this; the core never does).

* :class:`QtCameraSource` — a camera through QtMultimedia (QMediaDevices / QCamera /
  QMediaCaptureSession / QVideoSink): device and format choice, and hot-plug: it notices a
  camera being pulled out or plugged in (``devicesChanged``, ``cameraLost``, ``cameraAvailable``).
* :class:`FrameSourcePump` — runs any Qt-free :class:`~studio_app.camera.base.FrameSource` in a
  QThread and emits its frames, so file, demo and OpenCV sources look like a camera to the UI.

Both emit ``frameReady(np.ndarray RGB uint8, int ts_ms)`` on the GUI thread.
"""

from __future__ import annotations

import logging
import time

import numpy as np

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QCamera, QCameraDevice, QCameraFormat, QMediaCaptureSession, QMediaDevices, QVideoSink

from ..immortal import keep_none_alive  # PySide6 6.12 on Python 3.11 drops references to None

from .base import FrameSource

log = logging.getLogger(__name__)
keep_none_alive()


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """A QImage as an RGB uint8 array (copied)."""
    if image.format() != QImage.Format.Format_RGB888:
        image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    buf = np.frombuffer(image.constBits(), dtype=np.uint8, count=bpl * h).reshape(h, bpl)
    return np.ascontiguousarray(buf[:, : w * 3].reshape(h, w, 3))


def rgb_to_qimage(rgb: np.ndarray) -> QImage:
    """Wrap an RGB uint8 array as a QImage (shares memory: keep the array alive or .copy())."""
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, rgb.strides[0], QImage.Format.Format_RGB888)


def format_label(fmt: QCameraFormat) -> str:
    size = fmt.resolution()
    return f"{size.width()}x{size.height()} @ {fmt.maxFrameRate():.0f} fps"


def camera_devices() -> list[QCameraDevice]:
    return list(QMediaDevices.videoInputs())


def device_id(dev: QCameraDevice) -> str:
    return bytes(dev.id().data()).decode("utf-8", "replace")


def choose_format(dev: QCameraDevice, want: str = "", prefer=(1280, 720)) -> QCameraFormat | None:
    """The format named ``want`` (as :func:`format_label`), else the one closest to ``prefer`` at the
    highest frame rate."""
    formats = list(dev.videoFormats())
    if not formats:
        return None
    for f in formats:
        if want and format_label(f) == want:
            return f

    def score(f: QCameraFormat):
        size = f.resolution()
        return (abs(size.width() * size.height() - prefer[0] * prefer[1]), -f.maxFrameRate())

    return min(formats, key=score)


class QtCameraSource(QObject):
    """A QtMultimedia camera. ``start(device_id, format_label)``; frames arrive as ``frameReady``."""

    frameReady = Signal(object, int)
    devicesChanged = Signal()
    cameraLost = Signal(str)  # device description
    cameraAvailable = Signal(str)  # a camera appeared (e.g. while running on the fallback)
    errorOccurred = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._devices = QMediaDevices(self)
        self._devices.videoInputsChanged.connect(self._on_inputs_changed)
        self._known = {device_id(d) for d in camera_devices()}
        self._session = QMediaCaptureSession(self)
        self._sink = QVideoSink(self)
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._session.setVideoSink(self._sink)
        self._camera: QCamera | None = None
        self._device: QCameraDevice | None = None
        self._t0 = time.monotonic()
        self.name = ""
        self.frames = 0
        self.want_device = ""  # used by start() when called without arguments
        self.want_format = ""

    @staticmethod
    def available() -> bool:
        return bool(camera_devices())

    @property
    def device(self) -> QCameraDevice | None:
        return self._device

    def start(self, want_device: str = "", want_format: str = "") -> bool:
        """Open the camera with id or description ``want_device`` (default camera when empty or gone)."""
        self.stop()
        want_device = want_device or self.want_device
        want_format = want_format or self.want_format
        devices = camera_devices()
        if not devices:
            return False
        dev = next((d for d in devices if want_device and want_device in (device_id(d), d.description())), None)
        dev = dev or QMediaDevices.defaultVideoInput()
        if dev.isNull():
            dev = devices[0]
        cam = QCamera(dev, self)
        fmt = choose_format(dev, want_format)
        if fmt is not None:
            cam.setCameraFormat(fmt)
        cam.errorOccurred.connect(lambda _err, text: self.errorOccurred.emit(text))
        self._session.setCamera(cam)
        self._camera, self._device = cam, dev
        self.name = dev.description()
        self._t0 = time.monotonic()
        cam.start()
        return True

    def stop(self) -> None:
        if self._camera is not None:
            self._camera.stop()
            self._session.setCamera(None)
            self._camera.deleteLater()
            self._camera = None

    @property
    def running(self) -> bool:
        return self._camera is not None and self._camera.isActive()

    @Slot()
    def _on_frame(self, frame) -> None:
        image = frame.toImage()
        if image.isNull():
            return
        self.frames += 1
        ts = frame.startTime()
        ts_ms = int(ts / 1000) if ts and ts > 0 else int((time.monotonic() - self._t0) * 1000)
        self.frameReady.emit(qimage_to_rgb(image), ts_ms)

    @Slot()
    def _on_inputs_changed(self) -> None:
        now = {device_id(d): d for d in camera_devices()}
        added = set(now) - self._known
        self._known = set(now)
        self.devicesChanged.emit()
        if self._device is not None and self._camera is not None and device_id(self._device) not in now:
            desc = self._device.description()
            self.stop()
            self._device = None
            self.cameraLost.emit(desc)
        for key in added:
            self.cameraAvailable.emit(now[key].description())


class FrameSourcePump(QThread):
    """Reads a Qt-free FrameSource in a thread and emits ``frameReady`` for each frame.

    ``ended`` is emitted when the source stops delivering (end of a file, camera lost);
    ``failed(str)`` when it raised.
    """

    frameReady = Signal(object, int)
    ended = Signal()
    failed = Signal(str)

    def __init__(self, source: FrameSource, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self.name = getattr(source, "name", "source")
        self._stop = False

    def run(self) -> None:
        try:
            if not self.source.running:
                self.source.start()
            while not self._stop:
                item = self.source.read()
                if item is None:
                    break
                self.frameReady.emit(item[0], item[1])
        except Exception as exc:  # noqa: BLE001 - reported to the UI, not a crash
            log.exception("frame source failed")
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        finally:
            if self._stop:
                self.source.stop()
        if not self._stop:
            self.ended.emit()

    def stop(self, wait_ms: int = 30000) -> bool:
        """Stop the source (which unblocks a paced read) and wait for the thread to end."""
        self._stop = True
        self.source.stop()
        return self.wait(wait_ms)
