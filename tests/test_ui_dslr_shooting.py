"""While a DSLR's shutter is in progress (take + download, a second or two) the operator sees it:
the capture button is disabled and reads 拍摄中… / Shooting…, the status bar says so, until the
photo arrives (review) or the error is shown. Real operator window offscreen, the fake gPhoto2
module of test_camera_gphoto held mid-shot."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PIL import Image  # noqa: E402

from studio_app.camera import ImageSource  # noqa: E402
from studio_app.session import State  # noqa: E402
from tests.test_camera_gphoto import FakeGPhoto2  # noqa: E402
from test_ui_flow import load_portrait, make_window, wait_state  # noqa: E402,F401

pytestmark = pytest.mark.gui
SHOTS = Path(os.environ["STUDIO_APP_SHOTS"]) if os.environ.get("STUDIO_APP_SHOTS") else None


def _jpeg(rgb: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=90)
    return buf.getvalue()


@pytest.fixture
def gates(make_window):
    """Every held shutter is released before the window closes, whatever the test did."""
    made: list[threading.Event] = []
    yield made
    for gate in made:
        gate.set()


def _held_dslr(w, fake, gates, fail: bool = False) -> threading.Event:
    """The DSLR's capture waits for the returned event (the shutter 'in progress')."""
    gate = threading.Event()
    gates.append(gate)
    take = w.flow.still.camera.capture

    def capture(kind):
        gate.wait(20)
        if fail:
            raise fake.GPhoto2Error("[-110] I/O in progress")
        return take(kind)

    w.flow.still.camera.capture = capture
    return gate


def _window(make_window):
    portrait = load_portrait("ldn_006_f_bun.jpg")
    fake = FakeGPhoto2(b"", _jpeg(portrait))
    small = np.ascontiguousarray(portrait[::3, ::3])
    w = make_window(ImageSource(small, fps=15))
    w.auto_box.setChecked(False)
    assert w.use_dslr_shutter(gp=fake)
    return w, fake, portrait


def test_the_operator_sees_shooting_until_the_photo_arrives(qtbot, make_window, gates, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    w, fake, portrait = _window(make_window)
    idle_text = w.capture_button.text()
    gate = _held_dslr(w, fake, gates)
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=10000)
    w.capture_button.click()
    qtbot.waitUntil(lambda: not w.capture_button.isEnabled(), timeout=5000)
    assert w.flow.shooting and w.session.state == State.LIVE
    assert "拍摄中" in w.capture_button.text()
    assert "拍摄中" in w.statusBar().currentMessage()
    qtbot.waitUntil(lambda: "拍摄中" in w.live_view.hint_text, timeout=5000)  # on the picture too
    assert "拍摄中" in w.hint.text()
    w.capture()  # a second press (or the space key) while shooting fires nothing
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        w.grab().save(str(SHOTS / "dslr_shooting_zh.png"))
    gate.set()
    wait_state(qtbot, w, State.PROCESSING, timeout=10000)
    assert w.session.data.capture.frame.shape == portrait.shape
    assert fake.calls.count("capture") == 1
    assert w.capture_button.text() == idle_text and "拍摄中" not in w.statusBar().currentMessage()


def test_a_failed_shutter_ends_the_shooting_state_and_shows_the_error(qtbot, make_window, gates, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    w, fake, _ = _window(make_window)
    idle_text = w.capture_button.text()
    seen = []  # what the operator saw when the error came up
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: seen.append(
        (text, w.capture_button.isEnabled(), w.capture_button.text())))
    gate = _held_dslr(w, fake, gates, fail=True)
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=10000)
    w.capture_button.click()
    qtbot.waitUntil(lambda: not w.capture_button.isEnabled(), timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    text, enabled, label = seen[0]
    assert "I/O in progress" in text and enabled and label == idle_text
    assert w.session.state == State.LIVE and "I/O in progress" in w.statusBar().currentMessage()


def test_shooting_reads_in_english(qtbot, make_window, qapp, gates, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    from studio_app.ui.i18n import install_translators

    try:
        install_translators(qapp, "en")
        w, fake, _ = _window(make_window)
        gate = _held_dslr(w, fake, gates)
        qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=10000)
        w.capture_button.click()
        qtbot.waitUntil(lambda: not w.capture_button.isEnabled(), timeout=5000)
        assert "Shooting" in w.capture_button.text() and "Shooting" in w.statusBar().currentMessage()
        if SHOTS is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            w.grab().save(str(SHOTS / "dslr_shooting_en.png"))
        gate.set()
        wait_state(qtbot, w, State.PROCESSING, timeout=10000)
    finally:
        install_translators(qapp, "zh_CN")
