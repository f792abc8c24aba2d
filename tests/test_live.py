"""The Qt-free live loop with fake analysis: latest frame only, hold timing, burst choice."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from studio_app.live import BurstBuffer, BurstEntry, LatestFrame, LiveLoop, frame_sharpness, start_thread


@dataclass
class FakeAnalysis:
    ok: bool
    faces: tuple = ()
    measures: object = None


@dataclass
class FakeReport:
    ok: bool


class FakeAnalyzer:
    """'Analyses' a frame by reading its top-left pixel: 255 means the checks pass."""

    def __init__(self):
        self.seen = []

    def analyze(self, rgb, segmentation=True, timestamp_ms=None):
        self.seen.append(timestamp_ms)
        return FakeAnalysis(ok=bool(rgb[0, 0, 0] == 255))


def checker(analysis, spec):
    return FakeReport(analysis.ok)


def hinter(report, lang):
    return "good" if report.ok else "adjust"


def frame(ok=True, sharp=0.0, seed=0):
    rng = np.random.default_rng(seed)
    f = np.full((64, 64, 3), 128, np.uint8)
    if sharp:
        f = np.clip(128 + rng.normal(0, sharp, f.shape), 0, 255).astype(np.uint8)
    f[0, 0, 0] = 255 if ok else 0
    return f


def loop(**kw):
    return LiveLoop(spec=object(), analyzer=FakeAnalyzer(), checker=checker, hinter=hinter, **kw)


def test_latest_frame_keeps_only_the_newest():
    slot = LatestFrame()
    assert slot.put(frame(), 1) is False
    assert slot.put(frame(), 2) is True
    assert slot.put(frame(), 3) is True
    f, ts, dropped = slot.take()
    assert ts == 3 and dropped == 2 and slot.dropped == 2
    assert slot.take() is None


def test_take_waits_for_a_frame_from_another_thread():
    slot = LatestFrame()
    threading.Timer(0.05, lambda: slot.put(frame(), 7)).start()
    got = slot.take(timeout=5)
    assert got is not None and got[1] == 7


def test_step_analyses_latest_and_reports_drops():
    lp = loop()
    for ts in (0, 33, 66):
        lp.submit(frame(), ts)
    r = lp.step()
    assert r.timestamp_ms == 66 and r.dropped == 2
    assert lp.analyzer.seen == [66]
    assert r.hint == "good" and r.ok
    assert lp.step() is None


def test_hold_builds_up_and_breaks():
    lp = loop(hold_ms=500)
    results = [lp.process(frame(ok), ts) for ts, ok in ((0, True), (200, True), (400, True), (600, True))]
    assert [r.held_ms for r in results] == [0, 200, 400, 600]
    assert [r.ready for r in results] == [False, False, False, True]
    broken = lp.process(frame(False), 700)
    assert not broken.ok and broken.held_ms == 0 and not broken.ready
    again = lp.process(frame(True), 800)
    assert again.held_ms == 0


def test_timestamps_given_to_the_analyzer_strictly_increase():
    lp = loop()
    for ts in (10, 10, 5, 20):
        lp.process(frame(), ts)
    seen = lp.analyzer.seen
    assert all(b > a for a, b in zip(seen, seen[1:]))


def test_best_capture_is_the_sharpest_compliant_frame_of_the_hold():
    lp = loop(hold_ms=300)
    lp.process(frame(True, sharp=40, seed=1), 0)  # sharp, but before a break
    lp.process(frame(False, sharp=50, seed=2), 100)  # sharpest of all, not compliant
    lp.process(frame(True, sharp=5, seed=3), 200)  # hold starts here
    lp.process(frame(True, sharp=30, seed=4), 300)  # sharpest of the hold
    lp.process(frame(True, sharp=10, seed=5), 400)
    best = lp.best_capture()
    assert best.timestamp_ms == 300 and best.ok


def test_best_capture_without_compliant_frames():
    lp = loop()
    lp.process(frame(False), 0)
    assert lp.best_capture() is None
    assert lp.best_capture(require_ok=False).timestamp_ms == 0


def test_burst_window_forgets_old_frames():
    buf = BurstBuffer(size=10, window_ms=1000)
    for ts in (0, 500, 1200, 1600):
        buf.add(BurstEntry(frame(), ts, None, None, True, float(ts)))
    assert [e.timestamp_ms for e in buf.entries()] == [1200, 1600]


def test_spec_change_breaks_the_hold():
    lp = loop(hold_ms=100)
    lp.process(frame(), 0)
    assert lp.process(frame(), 200).ready
    lp.spec = object()
    assert lp.process(frame(), 300).held_ms == 0


def test_analysis_error_does_not_stop_the_loop():
    class Boom(FakeAnalyzer):
        def analyze(self, rgb, **kw):
            raise RuntimeError("model crashed")

    lp = LiveLoop(spec=object(), analyzer=Boom(), checker=checker, hinter=hinter)
    r = lp.process(frame(), 0)
    assert r.error == "model crashed" and not r.ok and r.analysis is None


def test_clear_zeroes_the_burst():
    lp = loop()
    f = frame(sharp=20)
    lp.process(f, 0)
    lp.clear()
    assert len(lp.burst) == 0 and f.max() == 0 and lp.best_capture(require_ok=False) is None


def test_sharpness_orders_blur():
    import cv2

    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (200, 200, 3), dtype=np.uint8)
    assert frame_sharpness(img) > frame_sharpness(cv2.GaussianBlur(img, (0, 0), 3))


def test_thread_runner_delivers_results():
    lp = loop()
    got = []
    done = threading.Event()

    def on_result(r):
        got.append(r.timestamp_ms)
        done.set()

    thread, stop = start_thread(lp, on_result)
    lp.submit(frame(), 42)
    assert done.wait(5)
    stop.set()
    thread.join(5)
    assert got == [42] and not thread.is_alive()
