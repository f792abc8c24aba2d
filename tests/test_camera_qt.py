"""The Qt side of the camera: the pump that runs Qt-free sources, QImage conversion, QtMultimedia."""

from __future__ import annotations

import sys

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from studio_app.camera import FrameSource, ImageSource  # noqa: E402

pytestmark = pytest.mark.gui


def test_qimage_round_trip(qapp):
    from studio_app.camera.qt_source import qimage_to_rgb, rgb_to_qimage

    rgb = np.random.default_rng(1).integers(0, 255, (37, 53, 3), dtype=np.uint8)  # odd width: padded lines
    img = rgb_to_qimage(rgb)
    assert (img.width(), img.height()) == (53, 37)
    assert np.array_equal(qimage_to_rgb(img), rgb)
    assert np.array_equal(qimage_to_rgb(img.convertToFormat(img.Format.Format_ARGB32)), rgb)


def test_pump_emits_frames_in_order_and_stops(qtbot):
    from studio_app.camera.qt_source import FrameSourcePump

    src = ImageSource(np.full((20, 30, 3), 7, np.uint8), fps=60)
    pump = FrameSourcePump(src)
    got = []
    pump.frameReady.connect(lambda f, ts: got.append((f.shape, ts)))
    pump.start()
    qtbot.waitUntil(lambda: len(got) >= 5, timeout=5000)
    pump.stop()
    assert not pump.isRunning() and not src.running
    assert all(shape == (20, 30, 3) for shape, _ in got)
    stamps = [ts for _, ts in got]
    assert stamps == sorted(stamps)


class Failing(FrameSource):
    def _open(self):
        pass

    def _grab(self):
        raise OSError("device unplugged")


class Ending(FrameSource):
    def _open(self):
        self.n = 0

    def _grab(self):
        self.n += 1
        return np.zeros((4, 4, 3), np.uint8) if self.n <= 2 else None


def test_pump_reports_failure_and_end(qtbot):
    from studio_app.camera.qt_source import FrameSourcePump

    pump = FrameSourcePump(Failing(realtime=False))
    with qtbot.waitSignal(pump.failed, timeout=5000) as sig:
        pump.start()
    assert "unplugged" in sig.args[0]
    pump.wait(2000)
    pump2 = FrameSourcePump(Ending(realtime=False))
    frames = []
    pump2.frameReady.connect(lambda f, ts: frames.append(ts))
    with qtbot.waitSignal(pump2.ended, timeout=5000):
        pump2.start()
    pump2.wait(2000)
    qtbot.waitUntil(lambda: len(frames) == 2, timeout=2000)


def test_qt_camera_source_without_a_camera(qtbot):
    from studio_app.camera.qt_source import QtCameraSource, camera_devices

    cam = QtCameraSource()
    if camera_devices():
        pytest.skip("a camera is attached")
    assert not QtCameraSource.available()
    assert cam.start() is False and not cam.running
    cam.stop()


VOID_CALLS = """
import sys
{prelude}
from PySide6.QtCore import QTimer
t = QTimer()
for _ in range(100_000):  # far more than None starts with (a few thousand)
    t.setInterval(5)  # a void method
print("survived")
"""


def test_void_pyside_calls_do_not_exhaust_none():
    """PySide6 6.12 + Python 3.11 drops a reference to None on every void call; importing
    studio_app.ui (as every shell does) keeps the interpreter alive."""
    import subprocess

    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"}
    fixed = subprocess.run([sys.executable, "-c", VOID_CALLS.format(prelude="import studio_app.ui")],
                           capture_output=True, text=True, env=env, timeout=120)
    assert fixed.returncode == 0 and "survived" in fixed.stdout, fixed.stderr[-2000:]
    if sys.version_info < (3, 12):
        import PySide6

        bare = subprocess.run([sys.executable, "-c", VOID_CALLS.format(prelude="")], capture_output=True, text=True,
                              env=env, timeout=120)
        if PySide6.__version__.startswith("6.12"):
            assert bare.returncode != 0 and "none_dealloc" in bare.stderr  # the bug this guards against


def test_none_true_and_false_are_kept_alive_on_3_11():
    """The bool results lose references too: a 2 x 15 s live benchmark died at exit with
    "bool_dealloc" before True/False got the same protection as None."""
    import studio_app.ui  # noqa: F401

    if sys.version_info < (3, 12):
        for obj in (None, True, False):
            assert sys.getrefcount(obj) > 1 << 40, obj
    assert studio_app.ui.keep_none_alive() is False  # idempotent: nothing left to do


class FakeDevice:
    def __init__(self, ident: str, desc: str):
        self._id, self._desc = ident, desc

    def id(self):
        from PySide6.QtCore import QByteArray

        return QByteArray(self._id.encode())

    def description(self):
        return self._desc


class FakeCamera:
    def __init__(self):
        self.stopped = False

    def stop(self):
        self.stopped = True

    def deleteLater(self):
        pass

    def isActive(self):
        return not self.stopped


def test_hot_plug_lost_and_available(qtbot, monkeypatch):
    from studio_app.camera import qt_source

    devices = [FakeDevice("usb-1", "USB Camera")]
    monkeypatch.setattr(qt_source, "camera_devices", lambda: list(devices))
    cam = qt_source.QtCameraSource()
    cam._known = {"usb-1"}
    fake = FakeCamera()
    cam._camera, cam._device = fake, devices[0]
    monkeypatch.setattr(cam._session, "setCamera", lambda c: None)
    devices.clear()  # pulled out
    with qtbot.waitSignal(cam.cameraLost, timeout=1000) as lost:
        cam._on_inputs_changed()
    assert lost.args == ["USB Camera"] and fake.stopped and cam.device is None
    devices.append(FakeDevice("usb-2", "Studio Cam"))  # another one plugged in
    with qtbot.waitSignal(cam.cameraAvailable, timeout=1000) as avail:
        cam._on_inputs_changed()
    assert avail.args == ["Studio Cam"]
