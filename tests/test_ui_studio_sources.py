"""Studio sources in the shells, real widgets offscreen: a DSLR's shutter (gPhoto2, through the
fake camera module of test_camera_gphoto) takes the full-resolution still from the operator's
button, the countdown and the kiosk; a hot folder sends each completely written shot straight to
review, and shots landing while the operator is busy wait their turn."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PIL import Image  # noqa: E402

from studio_app.camera import ImageSource  # noqa: E402
from studio_app.camera.gphoto import GPhotoSource  # noqa: E402
from studio_app.camera.hotfolder import HotFolderSource  # noqa: E402
from studio_app.flow import FlowDriver  # noqa: E402
from studio_app.session import Session, State  # noqa: E402
from tests.test_camera_gphoto import FakeGPhoto2  # noqa: E402
from test_ui_flow import load_portrait, make_window, wait_state  # noqa: E402,F401
from test_kiosk_flow import kiosk, sit_right, walk_to_live  # noqa: E402,F401
from kiosk_support import sample_image  # noqa: E402

pytestmark = pytest.mark.gui
SHOTS = Path(os.environ.get("STUDIO_APP_SHOTS", "")) if os.environ.get("STUDIO_APP_SHOTS") else None


def _jpeg(rgb: np.ndarray, width: int | None = None) -> bytes:
    im = Image.fromarray(rgb)
    if width:
        im = im.resize((width, round(im.height * width / im.width)), Image.BILINEAR)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


class PacedGPhoto2(FakeGPhoto2):
    """The fake camera's live view at ~15 fps, as a real one paces itself (the fake returns at
    once, which would spin a core)."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        base = self.Camera

        class Camera(base):
            def capture_preview(self):
                time.sleep(1 / 15)
                return super().capture_preview()

        self.Camera = Camera


def _shot(w, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        w.grab().save(str(SHOTS / name))


# -- the DSLR's shutter -------------------------------------------------------------------------

def test_flow_fires_the_still_cameras_shutter_and_captures_its_photo():
    """The seam both shells use (Qt-free, inline jobs): the countdown's end fires the shutter."""
    from types import SimpleNamespace

    from studio_app.specs import get_spec

    still = np.full((1200, 900, 3), 128, np.uint8)
    shots = []

    class Still:
        def capture_still(self):
            shots.append(1)
            return still

    burst = SimpleNamespace(frame=np.zeros((120, 90, 3), np.uint8), timestamp_ms=5, analysis=None, report=None,
                            sharpness=1.0)
    frames = SimpleNamespace(best_capture=lambda require_ok: burst, last=burst, reset_hold=lambda: None)
    session = Session(skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=get_spec("sscard"),
                      services={"process": lambda *a: None})
    flow = FlowDriver(session, frames=frames)
    flow.still = Still()
    session.start()
    session.choose_spec(get_spec("sscard"))
    flow.post("ready")
    assert session.state == State.COUNTDOWN
    assert flow.auto_capture_now()
    assert shots == [1] and session.data.capture.frame.shape == (1200, 900, 3)  # the still, not the burst frame
    # a failed shutter leaves the customer live and says so
    session.send("retake")
    errors = []
    flow.on_still_failed = errors.append

    class Broken:
        def capture_still(self):
            raise OSError("card full")

    flow.still = Broken()
    flow.post("ready")
    assert not flow.shooting
    flow.auto_capture_now()
    assert session.state == State.LIVE and [str(e) for e in errors] == ["card full"] and not flow.shooting


def test_operator_button_and_countdown_take_the_dslrs_full_resolution_still(qtbot, make_window):
    portrait = load_portrait("ldn_004_m_stubble.jpg")
    fake = PacedGPhoto2(_jpeg(portrait, 960), _jpeg(portrait))
    w = make_window(GPhotoSource(gp=fake))
    assert w.flow.still is w._pump.source
    # the countdown: the live view (960 px wide) drove the checks, the shutter took the photo
    wait_state(qtbot, w, State.REVIEW, timeout=60000)
    cap = w.session.data.capture
    assert cap.auto and cap.frame.shape == portrait.shape
    assert fake.calls.count("capture") == 1 and not fake.card  # downloaded and deleted from the card
    # the button (auto-capture off) fires it too
    w.retake()
    wait_state(qtbot, w, State.LIVE)
    w.auto_box.setChecked(False)
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=10000)
    w.capture_button.click()
    wait_state(qtbot, w, State.PROCESSING, timeout=10000)
    assert not w.session.data.capture.auto and w.session.data.capture.frame.shape == portrait.shape
    assert fake.calls.count("capture") == 2


def test_webcam_live_view_with_the_dslr_as_shutter(qtbot, make_window):
    portrait = load_portrait("ldn_006_f_bun.jpg")
    small = np.asarray(Image.open(io.BytesIO(_jpeg(portrait, 640))).convert("RGB"))
    fake = FakeGPhoto2(b"", _jpeg(portrait))
    w = make_window(ImageSource(small, fps=15))
    w.auto_box.setChecked(False)
    assert w.use_dslr_shutter(gp=fake)
    assert "Canon EOS 2000D" in w._source_desc
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=10000)
    w.capture_button.click()
    wait_state(qtbot, w, State.PROCESSING, timeout=10000)
    assert w.session.data.capture.frame.shape == portrait.shape  # not the 640 px webcam frame
    assert "preview" not in fake.calls  # the webcam did the live view
    # switching to a file source drops (and closes) the DSLR
    w._run_pump(ImageSource(small, fps=15))
    assert w.flow.still is None and fake.calls[-1] == "exit"


def test_a_failed_shutter_tells_the_operator_and_stays_live(qtbot, make_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    portrait = load_portrait("ldn_006_f_bun.jpg")
    fake = FakeGPhoto2(b"", _jpeg(portrait))
    w = make_window(ImageSource(portrait, fps=15))
    w.auto_box.setChecked(False)
    assert w.use_dslr_shutter(gp=fake)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))

    def fail(kind):
        raise fake.GPhoto2Error("[-110] I/O in progress")

    w.flow.still.camera.capture = fail
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=10000)
    w.capture_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert w.session.state == State.LIVE and "I/O in progress" in shown[0]


def test_kiosk_countdown_fires_the_dslr(qtbot, kiosk):
    live = sample_image()
    still = np.ascontiguousarray(np.kron(live, np.ones((3, 3, 1), np.uint8)))  # 1920x1440
    fake = PacedGPhoto2(_jpeg(live), _jpeg(still))
    k = kiosk(source=GPhotoSource(gp=fake))
    walk_to_live(qtbot, k)
    qtbot.waitUntil(lambda: k.window.flow.still is not None and k.window.live.view.has_image(), timeout=10000)
    sit_right(qtbot, k)
    assert k.services.processed_frames[-1].shape == still.shape
    assert "capture" in fake.calls


# -- the hot folder -------------------------------------------------------------------------------

def _land(path: Path, data: bytes, pieces: int = 3, pause: float = 0.15) -> float:
    """Write ``data`` as tethering software does (in pieces, a moment apart); returns when the
    last byte landed (time.monotonic)."""
    step = len(data) // pieces + 1
    with open(path, "wb") as fh:
        for i in range(0, len(data), step):
            fh.write(data[i:i + step])
            fh.flush()
            time.sleep(pause)
    return time.monotonic()


def test_hot_folder_shots_go_straight_to_review_in_turn(qtbot, make_window, tmp_path):
    folder = tmp_path / "EOS"
    folder.mkdir()
    (folder / "old.jpg").write_bytes(_jpeg(load_portrait("ldn_006_f_bun.jpg")))  # there before: not new
    w = make_window(HotFolderSource(folder, settle_s=0.3, interval=0.05))
    assert "热文件夹" in w.live_view._message or "hot folder" in w.live_view._message.lower()
    w._check_feed()  # quiet between shots is not "no picture"
    assert "没有画面" not in w.live_view._message
    _shot(w, "hotfolder_waiting.png")
    first = load_portrait("ldn_004_m_stubble.jpg")
    landed = _land(folder / "IMG_0001.JPG", _jpeg(first))
    wait_state(qtbot, w, State.PROCESSING, timeout=10000)
    assert w.last_still_path == folder / "IMG_0001.JPG"
    assert w.session.data.capture.frame.shape == first.shape
    assert time.monotonic() - landed < 5.0
    wait_state(qtbot, w, State.REVIEW, timeout=60000)
    _shot(w, "hotfolder_review.png")
    # a second shot while the operator reviews the first: it waits, then comes by itself
    second = load_portrait("ldn_006_f_bun.jpg")
    _land(folder / "IMG_0002.JPG", _jpeg(second))
    qtbot.waitUntil(lambda: bool(w._stills_waiting), timeout=10000)
    assert w.session.state == State.REVIEW and w.last_still_path == folder / "IMG_0001.JPG"
    w.retake()
    qtbot.waitUntil(lambda: w.last_still_path == folder / "IMG_0002.JPG", timeout=10000)
    assert w.session.data.capture.frame.shape == second.shape and not w._stills_waiting


def test_source_dialog_offers_the_hot_folder_and_the_dslr(qtbot, make_window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from studio_app.ui.source_dialog import SourceDialog

    w = make_window(ImageSource(sample_image(), fps=10))
    dlg = SourceDialog(w, w.settings)
    qtbot.addWidget(dlg)
    dlg.hot_path.setText(str(tmp_path))
    dlg.hot.setChecked(True)
    assert dlg.choice() == {"kind": "hot", "path": str(tmp_path)}
    dlg.dslr.setChecked(True)
    assert dlg.choice() == {"kind": "dslr"}
    # a folder that is not there, a camera that is not there: said at once, the source stays
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    before = w._pump.source
    assert not w.use_hot_folder(str(tmp_path / "nowhere"))
    assert not w.use_dslr(gp=FakeGPhoto2(b"", b"", connected=False))
    assert w._pump.source is before and w.flow.still is None and len(shown) == 2
    assert "nowhere" in shown[0] and "USB" in shown[1]
    assert w.use_hot_folder(str(tmp_path), settle_s=0.1, interval=0.05)
    assert isinstance(w._pump.source, HotFolderSource) and w.flow.still is None
