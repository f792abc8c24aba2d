"""`make kiosk` on a machine without a camera (issue 18): the kiosk runs on the demo source, as
the operator window does, instead of 暂停服务 / 摄像头暂时不能用."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

pytest.importorskip("pytestqt")

from kiosk_support import kiosk_settings  # noqa: E402
from studio_app.camera import DemoSource  # noqa: E402
from studio_app.camera import qt_source  # noqa: E402
from studio_app.ui.kiosk import create_window, open_kiosk_source  # noqa: E402

pytestmark = pytest.mark.gui


def test_no_camera_means_the_demo_and_a_camera_means_the_camera(monkeypatch, tmp_path):
    settings = kiosk_settings(tmp_path)
    monkeypatch.setattr(qt_source, "camera_devices", lambda: [])
    assert isinstance(open_kiosk_source(SimpleNamespace(source=None), settings), DemoSource)
    from PySide6.QtMultimedia import QCameraDevice

    monkeypatch.setattr(qt_source, "camera_devices", lambda: [QCameraDevice()])  # one (null) device
    assert isinstance(open_kiosk_source(SimpleNamespace(source=None), settings), qt_source.QtCameraSource)
    assert isinstance(open_kiosk_source(SimpleNamespace(source="demo:smile"), settings), DemoSource)


def test_kiosk_without_a_camera_shows_the_demo_not_the_pause_screen(qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(qt_source, "camera_devices", lambda: [])
    window = create_window(kiosk_settings(tmp_path), SimpleNamespace(source=None))
    frames = []
    window.feed.frame.connect(lambda *a: frames.append(1))
    window.show()
    try:
        qtbot.waitUntil(lambda: len(frames) >= 10, timeout=20000)
        qtbot.wait(2500)  # longer than the feed's lost_after_s: a dead source would pause by now
        assert window.current_screen() != "paused"
        assert isinstance(window.feed.source, DemoSource)
    finally:
        window.allow_close = True
        window.close()


def test_readme_says_how_to_leave_the_kiosk():
    from pathlib import Path

    from studio_app.ui.kiosk import window as kw

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert (kw.ADMIN_TAPS, kw.ADMIN_TAP_WINDOW_S, kw.ADMIN_CORNER_PX) == (5, 4.0, 120)  # as the README says
    assert "five times within four seconds" in readme and "120x120" in readme and "Leave kiosk mode" in readme
    assert "4 秒内连续点击屏幕左上角（120×120 像素）5 次" in readme
