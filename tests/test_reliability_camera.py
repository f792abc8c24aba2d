"""Camera faults: the source fails, stalls or disconnects mid-stream.

* Qt-free: the real live loop (MediaPipe live mode, real checks) is fed garbage frames and a
  camera that comes back with its clock restarted at 0; it reports each problem in the result,
  never raises, and finds the face again when good frames return.
* Operator window: a camera that stops delivering in the middle of a customer's session (live,
  or in review with a captured photo and a filled form) is reported on screen; the session keeps
  its data; when the camera delivers again the live view resumes by itself.
(The kiosk's loss/recovery is tested in tests/test_kiosk_flow.py.)
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from studio_app.camera.base import FrameSource
from studio_app.live import LiveLoop
from studio_app.session import State
from studio_app.specs import get_spec


def test_live_loop_reports_bad_frames_and_recovers_after_a_camera_restart(astronaut):
    loop = LiveLoop(spec=get_spec("sscard"), lang="zh_CN", hold_ms=0)
    seen_ts = []
    real_analyze = loop.analyzer.analyze

    def spy(rgb, segmentation=True, timestamp_ms=None):
        seen_ts.append(timestamp_ms)
        return real_analyze(rgb, segmentation=segmentation, timestamp_ms=timestamp_ms)

    loop.analyzer.analyze = spy
    try:
        frame = np.ascontiguousarray(astronaut)
        first = [loop.process(frame, ts) for ts in range(0, 200, 33)]
        assert all(r.error == "" and r.analysis.has_face for r in first)
        garbage = [
            np.zeros((0, 0, 3), np.uint8),  # empty buffer from a failing driver
            np.zeros((480, 640), np.uint8),  # grey frame
            np.zeros((480, 640, 4), np.uint8),  # BGRA
            np.zeros((480, 640, 3), np.float32),  # wrong dtype
            np.zeros((1, 1, 3), np.uint8),
            np.zeros((2, 4000, 3), np.uint8),
            np.full((480, 640, 3), 255, np.uint8),  # over-exposed, no face
        ]
        bad = [loop.process(g, 300 + i) for i, g in enumerate(garbage)]
        for g, r in zip(garbage, bad):
            assert not r.ok and not r.ready and r.held_ms == 0
            assert r.error != "" or (r.analysis is not None and not r.analysis.has_face), g.shape
        # the camera is unplugged and comes back: its clock restarts at 0
        again = [loop.process(frame, ts) for ts in range(0, 200, 33)]
        assert all(r.error == "" and r.analysis.has_face for r in again)
        assert again[-1].report is not None and again[-1].hint is not None
        fed = [t for t in seen_ts if t is not None]
        assert fed == sorted(set(fed)), "MediaPipe needs strictly increasing timestamps"
    finally:
        loop.close()


def test_live_loop_thread_survives_a_stall_and_picks_up_the_next_frame(astronaut):
    """A stalled camera delivers nothing for a while: the worker waits, uses no stale frame, and
    analyses the first frame after the stall."""
    calls = []

    class Analyzer:
        def analyze(self, rgb, segmentation=True, timestamp_ms=None):
            calls.append(timestamp_ms)
            if rgb.ndim != 3:
                raise ValueError("expected an RGB uint8 array of shape (H, W, 3)")
            return None

    loop = LiveLoop(spec=object(), analyzer=Analyzer(), checker=lambda a, s: None, hinter=lambda r, l: None)
    results = []
    got = threading.Event()

    def on_result(r):
        results.append(r)
        got.set()

    stop = threading.Event()
    worker = threading.Thread(target=loop.run, args=(on_result, stop, 0.02), daemon=True)
    worker.start()
    try:
        loop.submit(np.zeros((10, 10, 3), np.uint8), 1)
        assert got.wait(10)
        got.clear()
        # stall: nothing is submitted; the worker keeps polling without analysing anything again
        assert not got.wait(0.3)
        assert len(calls) == 1
        loop.submit(np.zeros((10, 10), np.uint8), 2)  # a broken frame right after the stall
        assert got.wait(10)
        got.clear()
        assert results[-1].error and not results[-1].ok
        loop.submit(np.zeros((10, 10, 3), np.uint8), 3)
        assert got.wait(10)
        assert results[-1].error == "" and worker.is_alive()
    finally:
        stop.set()
        worker.join(5)
    assert not worker.is_alive()


class UnpluggableCamera(FrameSource):
    """A camera-like source the test unplugs: reads fail (None) and re-opening raises until
    it is plugged back in."""

    name = "USB camera (test)"
    is_camera = True

    def __init__(self, image: np.ndarray):
        super().__init__(fps=15.0, realtime=True)
        self.image = image
        self.plugged = threading.Event()
        self.plugged.set()
        self.opens = 0

    def _open(self) -> None:
        if not self.plugged.is_set():
            raise OSError("camera unplugged")
        self.opens += 1

    def _grab(self):
        # a real camera blocks until its next frame; pace ourselves
        self._stop_event.wait(1 / 15)
        if not self.plugged.is_set():
            return None
        return self.image.copy()


@pytest.fixture
def window(qtbot):
    pytest.importorskip("pytestqt")
    from studio_app.orders import open_store
    from studio_app.ui.main_window import MainWindow

    made = []

    def make(source):
        store = open_store()
        w = MainWindow(frame_source=source, spec_id="sscard", use_qt_camera=False, store=store)
        qtbot.addWidget(w)
        w.resize(1100, 760)
        w.show()
        made.append((w, store))
        return w

    yield make
    for w, store in made:
        w.shutdown()
        store.close()


@pytest.mark.gui
def test_operator_window_keeps_the_session_and_resumes_when_the_camera_returns(qtbot, window, astronaut):
    cam = UnpluggableCamera(np.ascontiguousarray(astronaut))
    w = window(cam)
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=15000)
    assert w.session.state in (State.LIVE, State.COUNTDOWN)
    w.auto_box.setChecked(False)
    qtbot.waitUntil(lambda: w.session.state == State.LIVE, timeout=10000)
    qtbot.waitUntil(lambda: w.loop.last is not None, timeout=20000)
    # the operator captures; processing fails or succeeds, either way the session is in review
    assert w.capture(auto=False)
    qtbot.waitUntil(lambda: w.session.state == State.REVIEW and not w.review.busy if hasattr(w.review, "busy")
                    else w.session.state == State.REVIEW, timeout=60000)
    captured = w.session.data.capture.frame
    captured_copy = captured.copy()
    w.review.form.name.setText("王小明")

    cam.plugged.clear()  # the cable is pulled
    qtbot.waitUntil(lambda: w.live_view._message != "", timeout=10000)
    assert w.session.state == State.REVIEW  # nothing the customer did is lost
    assert w.session.data.capture.frame is captured and np.array_equal(captured, captured_copy)
    assert w.review.form.name.text() == "王小明"

    cam.plugged.set()  # plugged back in: frames come back without the operator doing anything
    w.retake()
    qtbot.waitUntil(lambda: w.session.state == State.LIVE, timeout=5000)
    opens = cam.opens
    qtbot.waitUntil(lambda: cam.opens > opens and w.live_view.current_frame() is not None
                    and w.live_view._message == "", timeout=20000)
    assert w.session.state in (State.LIVE, State.COUNTDOWN)


class StallingCamera(UnpluggableCamera):
    """A driver that hangs: reads block (no frame, no error) until the stall ends."""

    def __init__(self, image: np.ndarray):
        super().__init__(image)
        self.flowing = threading.Event()
        self.flowing.set()

    def _grab(self):
        while not self.flowing.is_set():
            if self._stop_event.wait(0.05):
                return None
        return super()._grab()


@pytest.mark.gui
def test_operator_window_reports_a_stalled_camera_and_resumes(qtbot, window, astronaut):
    cam = StallingCamera(np.ascontiguousarray(astronaut))
    w = window(cam)
    w.auto_box.setChecked(False)
    qtbot.waitUntil(lambda: w.live_view.current_frame() is not None and w.loop.last is not None, timeout=20000)
    state = w.session.state
    cam.flowing.clear()  # frames stop, nothing fails: only the frame clock can tell
    qtbot.waitUntil(lambda: w.live_view._message != "", timeout=15000)
    assert w.session.state == state
    analysed = w.loop.analysed
    cam.flowing.set()
    qtbot.waitUntil(lambda: w.live_view._message == "" and w.loop.analysed > analysed, timeout=15000)
    assert w.session.state in (State.LIVE, State.COUNTDOWN)
