"""The operator window driven end to end on file sources made from real photos (pytest-qt)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from conftest import load_portrait as _load_portrait  # noqa: E402


def load_portrait(name):
    """The studio portraits in a navy top: their white T-shirts on the 社保卡's white backdrop
    are a retake (checks_appearance.clothing), and these flows need an approvable photo."""
    import edits

    rgb = _load_portrait(name)
    return edits.with_dark_top(rgb) if name.startswith("ldn_") else rgb

from studio_app import messages  # noqa: E402
from studio_app.camera import DemoSource, ImageSource, VideoFileSource  # noqa: E402
from studio_app.session import State  # noqa: E402

pytestmark = pytest.mark.gui

GOOD_ID = "11010519491231002X"


@pytest.fixture
def make_window(qtbot):
    from studio_app.orders import open_store
    from studio_app.ui.main_window import MainWindow

    made = []

    def make(frame_source=None, spec_id="sscard", **kw):
        store = open_store()
        w = MainWindow(frame_source=frame_source, spec_id=spec_id, use_qt_camera=False, store=store, **kw)
        qtbot.addWidget(w)
        w.resize(1280, 800)
        w.show()
        made.append((w, store))
        return w

    yield make
    for w, store in made:
        w.shutdown()
        store.close()


def wait_state(qtbot, w, state, timeout=30000):
    qtbot.waitUntil(lambda: w.session.state == state, timeout=timeout)


def fill_form(w, name="张三", id_number=GOOD_ID, city="深圳市"):
    w.review.form.name.setText(name)
    w.review.form.id_number.setText(id_number)
    w.review.form.set_city(city)


def test_full_flow_capture_review_approve_output_history(qtbot, make_window):
    portrait = load_portrait("ldn_004_m_stubble.jpg")
    w = make_window(ImageSource(portrait))
    states = []
    w.stateChanged.connect(states.append)
    # the checks hold on this frontal studio portrait: auto-capture counts down and captures
    wait_state(qtbot, w, State.REVIEW)
    assert states[:3] == ["countdown", "processing", "review"]
    assert w.session.data.capture.auto
    assert w.checklist.row_count() > 5
    result = w.session.data.result
    assert result.ok and result.photo.shape == (441, 358, 3)
    assert not w.review.approve.isEnabled()  # the applicant is still missing
    # a hand nudge of the crop is re-encoded and re-checked in a worker, then replaces the result
    from studio_app.ui.nudge import Nudge

    w.review.corrected.set_nudge(Nudge(dx=2.0))
    qtbot.waitUntil(lambda: w.session.history[-1].event == "adjusted" and not w.review._busy, timeout=30000)
    adjusted = w.session.data.result
    assert adjusted is not result and any(c["id"] == "nudge" for c in adjusted.corrections)
    assert adjusted.ok and w.review.corrected.base is result
    fill_form(w)
    assert w.review.approve.isEnabled()
    with qtbot.waitSignal(w.outputWritten, timeout=30000) as sig:
        w.review.approve.click()
    rec = sig.args[0]
    assert w.session.state == State.DONE
    photo = Path(rec.photo_path)
    assert photo.is_file() and photo.read_bytes()[:2] == b"\xff\xd8"
    assert Path(rec.receipt_path).read_bytes()[:4] == b"%PDF"
    assert Path(rec.sheet_path).is_file()
    order = w.store.get(rec.receipt_no)
    assert order.status == "exported" and order.applicant_name == "张三" and order.city == "深圳市"
    assert order.id_masked.endswith("002X") and GOOD_ID not in order.id_masked

    # history finds it by name and by receipt number
    from studio_app.ui.history import HistoryDialog

    dlg = HistoryDialog(w.store, w.settings, w)
    qtbot.addWidget(dlg)
    dlg.search.setText("张三")
    assert [o.receipt_no for o in dlg.orders] == [rec.receipt_no]
    dlg.search.setText(rec.receipt_no)
    assert dlg.table.rowCount() == 1
    dlg.search.setText("王五")
    assert dlg.table.rowCount() == 0

    # next customer: everything personal is gone
    w.next_customer()
    wait_state(qtbot, w, State.LIVE)
    assert w.session.data.capture is None and w.session.data.applicant.name == ""
    assert w.review.form.name.text() == ""


def test_reject_then_resubmit_from_history(qtbot, make_window):
    portrait = load_portrait("ldn_006_f_bun.jpg")
    w = make_window(ImageSource(portrait))
    w.auto_box.setChecked(False)  # the operator captures by hand
    qtbot.waitUntil(lambda: w.loop.last is not None, timeout=20000)
    qtbot.keyClick(w, " ")  # Space
    wait_state(qtbot, w, State.REVIEW)
    assert not w.session.data.capture.auto
    fill_form(w, name="王芳")
    with qtbot.waitSignal(w.outputWritten, timeout=30000) as sig:
        w.reject(["头发遮挡耳朵"])
    rejected = w.store.get(sig.args[0].receipt_no)
    assert rejected.status == "rejected" and rejected.reasons == ("头发遮挡耳朵",)
    assert sig.args[0].photo_path is None
    w.next_customer()
    wait_state(qtbot, w, State.LIVE)

    from studio_app.ui.history import HistoryDialog

    dlg = HistoryDialog(w.store, w.settings, w)
    qtbot.addWidget(dlg)
    dlg.select_row(0)
    assert dlg.resubmit.isEnabled() and not dlg.reprint.isEnabled()
    dlg.resubmitRequested.connect(w.start_resubmit)
    dlg.resubmit.click()
    assert w.resubmit_of == rejected.receipt_no and w.review.form.name.text() == "王芳"
    w.capture(auto=False)
    wait_state(qtbot, w, State.REVIEW)
    w.review.form.id_number.setText(GOOD_ID)
    w.review.form.set_city("深圳市")
    with qtbot.waitSignal(w.outputWritten, timeout=30000) as sig:
        w.review.approve.click()
    new = w.store.get(sig.args[0].receipt_no)
    assert new.resubmit_of == rejected.receipt_no and new.receipt_no != rejected.receipt_no
    assert new.status == "exported"


def test_bad_form_blocks_approval(qtbot, make_window):
    w = make_window(ImageSource(load_portrait("ldn_021_m_bald.jpg")))
    w.auto_box.setChecked(False)
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=20000)
    assert w.capture(auto=False)
    wait_state(qtbot, w, State.REVIEW)
    qtbot.waitUntil(lambda: w.session.data.result is not None, timeout=30000)
    fill_form(w, id_number="110105194912310021")  # wrong check character
    assert not w.review.approve.isEnabled()
    w._approve_shortcut()  # Ctrl+Enter
    assert w.session.state == State.REVIEW  # nothing happens while the form is invalid
    fill_form(w, name="")
    assert w.review.form.name_msg.text() == messages.text("orders.name.empty")
    fill_form(w)
    assert w.review.approve.isEnabled() == bool(w.session.data.result.ok)
    # another background colour: the photo is processed again from the same capture
    first = w.session.data.result
    idx = w.review.background.findData("blue")
    assert idx >= 0
    w.review.background.setCurrentIndex(idx)
    qtbot.waitUntil(lambda: w.session.data.result is not None and w.session.data.result is not first
                    and w.session.state == State.REVIEW, timeout=30000)
    assert w.session.data.result.background.name == "blue"
    corner = w.session.data.result.photo[:20, :20].reshape(-1, 3).mean(axis=0)
    assert np.abs(corner - np.array([67, 142, 219])).max() < 12
    w.retake()
    wait_state(qtbot, w, State.LIVE)


def test_demo_source_shows_a_guided_face(qtbot, make_window):
    w = make_window(DemoSource())
    with qtbot.waitSignal(w.resultShown, timeout=20000) as sig:
        pass
    result = sig.args[0]
    assert result.analysis is not None and result.analysis.has_face
    qtbot.waitUntil(lambda: w.hint.text() != "", timeout=10000)
    assert w.live_view.verdict in ("good", "adjust", "bad")
    assert w.live_view.guide is not None and w.checklist.row_count() > 5
    # the face the guide is drawn for is the demo's face: its eyes lie inside the crop the spec makes
    # (drawn as the corners of the live result's crop, the one the checks judged)
    crop = w.live_view._crop
    ex, ey = result.analysis.eye_mid
    assert crop is not None and len(crop) == 4
    xs, ys = [x for x, _ in crop], [y for _, y in crop]
    assert min(xs) < ex < max(xs) and min(ys) < ey < max(ys)
    assert result.crop is not None and result.report["face_in_frame"].params["box"] == [
        round(v, 1) for v in result.crop.window]
    # switching the spec redraws the guide for the new spec
    w.set_spec("us_passport")
    qtbot.waitUntil(lambda: w.live_view.guide is not None and abs(w.live_view.guide.frame[2] - w.live_view.guide.frame[3]) < 1,
                    timeout=5000)


def test_source_that_ends_and_camera_lost(qtbot, make_window, tmp_path):
    import cv2

    path = tmp_path / "short.avi"
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, (320, 240))
    for _ in range(5):
        vw.write(np.full((240, 320, 3), 128, np.uint8))
    vw.release()
    w = make_window(VideoFileSource(path, loop=False))
    qtbot.waitUntil(lambda: w.live_view._message != "", timeout=10000)
    assert w.live_view.current_frame() is None  # "the video source has ended" instead of a frozen frame
    # a camera pulled out while running: the operator is told and the demo feed takes over
    w._camera_lost("USB Camera")
    assert "USB Camera" in w.statusBar().currentMessage()
    assert isinstance(w._pump.source, DemoSource)
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=10000)


def test_capture_without_a_face_explains_and_retakes(qtbot, make_window):
    w = make_window(ImageSource(load_portrait("dl_dogs_noface.jpg")))
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=20000)
    qtbot.waitUntil(lambda: w.hint.text() != "", timeout=20000)
    assert w.session.state == State.LIVE  # no face: auto-capture never starts
    assert w.capture(auto=False)
    qtbot.waitUntil(lambda: w.session.state == State.REVIEW and not w.review._busy, timeout=30000)
    assert w.session.data.result is None
    assert w.review.status.text() == messages.text("crop.no_face")
    assert not w.review.approve.isEnabled() and w.review.retake.isEnabled()
    w.review.retake.click()
    wait_state(qtbot, w, State.LIVE)


def test_output_failure_falls_into_failsafe_and_recovers(qtbot, make_window):
    w = make_window(ImageSource(load_portrait("ldn_004_m_stubble.jpg")))

    def broken_output(request):
        raise OSError("disk full")

    w.session.services["output"] = broken_output
    wait_state(qtbot, w, State.REVIEW)
    qtbot.waitUntil(lambda: w.session.data.result is not None, timeout=30000)
    fill_form(w)
    seen = []
    w.stateChanged.connect(seen.append)
    w.review.approve.click()
    qtbot.waitUntil(lambda: "failsafe" in seen and w.session.state == State.LIVE, timeout=30000)
    assert "disk full" in w.statusBar().currentMessage()
    assert w.error_box is not None and w.error_box.isVisible() and "disk full" in w.error_box.text()
    assert w.session.data.capture is None and w.session.data.applicant.name == ""  # wiped
    w.error_box.close()


def test_unreadable_source_falls_back_to_the_demo(qtbot, make_window):
    from studio_app.camera import FrameSource

    class Unplugged(FrameSource):
        name = "camera 3"

        def _open(self):
            raise OSError("cannot open camera 3")

        def _grab(self):
            return None

    w = make_window(Unplugged())
    qtbot.waitUntil(lambda: isinstance(w._pump.source, DemoSource), timeout=10000)
    assert "cannot open camera 3" in w.statusBar().currentMessage()
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=10000)


def test_camera_that_cannot_open_is_retried_not_replaced(qtbot, make_window):
    import threading
    import time

    from studio_app.camera import FrameSource

    class LateCamera(FrameSource):
        name = "USB camera"
        is_camera = True

        def __init__(self):
            super().__init__(fps=15.0)
            self.ready_at = time.monotonic() + 3.0  # plugged in 3 s later (after one failed retry)
            self.attempts = 0
            self.lock = threading.Lock()

        def _open(self):
            with self.lock:
                self.attempts += 1
            if time.monotonic() < self.ready_at:
                raise OSError("camera not connected")

        def _grab(self):
            self._stop_event.wait(1 / 15)
            return np.full((240, 320, 3), 90, np.uint8)

    cam = LateCamera()
    w = make_window(cam)
    qtbot.waitUntil(lambda: "camera not connected" in w.live_view._message, timeout=10000)
    assert w._pump.source is cam  # no demo: the operator's camera is what we wait for
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=20000)
    assert cam.attempts >= 2 and w._pump.source is cam
    assert w.live_view.current_frame()[0].shape == (240, 320, 3)
