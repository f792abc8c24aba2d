"""The live loop (Qt-free): latest frame -> face analysis -> live checks -> one hint.

The camera delivers frames faster than they can be analysed. :class:`LatestFrame` is a one-slot
mailbox: a new frame replaces the waiting one (the old one is counted as dropped), so analysis
always works on the newest picture and never builds a backlog. :class:`LiveLoop` analyses what
it takes from the slot, works out the spec's crop once (:func:`studio_app.headmodel.spec_crop`:
the checks judge it, the result carries it for the overlay), runs the spec's live checks, picks
one hint, tracks how long the checks have held, and keeps a short burst of recent analysed
frames so the capture can use the sharpest compliant frame *of the moment the checks held*
rather than a frame taken later.

The shells run :meth:`LiveLoop.run` (or call :meth:`LiveLoop.step` in their own loop) in a worker
thread and get a :class:`LiveResult` per analysed frame.

Services are injectable (tests pass fakes): ``analyzer`` with ``analyze(rgb, segmentation=,
timestamp_ms=)``, ``checker(analysis, spec) -> report`` and ``hinter(report, lang) -> hint``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import imageops as iops
from .headmodel import forget as forget_crops
from .headmodel import spec_crop
from .specs import Spec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LiveResult:
    frame: np.ndarray  # the analysed frame (do not modify)
    timestamp_ms: int
    analysis: Any  # FaceAnalysis or None when analysis failed
    report: Any  # ComplianceReport or None
    hint: Any  # Hint(key, text, direction, state) or None
    ok: bool  # every live check passes on this frame
    held_ms: float  # how long the checks have held without a break (0 when not ok)
    ready: bool  # held for at least hold_ms: time to capture
    latency_ms: float  # analysis + checks time for this frame
    dropped: int  # frames replaced in the slot before this one was taken
    sharpness: float
    spec_id: str = ""
    error: str = ""
    crop: Any = None  # headmodel.SpecCrop: the photo the pipeline would cut (the one the checks judged)


@dataclass(frozen=True)
class BurstEntry:
    frame: np.ndarray
    timestamp_ms: int
    analysis: Any
    report: Any
    ok: bool
    sharpness: float


class LatestFrame:
    """Thread-safe one-slot mailbox keeping only the newest frame."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: tuple[np.ndarray, int] | None = None
        self._closed = False
        self.dropped = 0  # total replaced frames
        self._dropped_since_take = 0
        self.put_count = 0

    def put(self, frame: np.ndarray, timestamp_ms: int) -> bool:
        """Offer a frame; returns True when it replaced a frame nobody had taken (a drop)."""
        with self._cond:
            replaced = self._item is not None
            if replaced:
                self.dropped += 1
                self._dropped_since_take += 1
            self._item = (frame, int(timestamp_ms))
            self.put_count += 1
            self._cond.notify()
            return replaced

    def take(self, timeout: float | None = 0.0) -> tuple[np.ndarray, int, int] | None:
        """The newest frame, its timestamp and how many were dropped before it; None on timeout/close."""
        with self._cond:
            if self._item is None and not self._closed and timeout != 0.0:
                self._cond.wait_for(lambda: self._item is not None or self._closed, timeout)
            if self._item is None:
                return None
            frame, ts = self._item
            dropped, self._item, self._dropped_since_take = self._dropped_since_take, None, 0
            return frame, ts, dropped

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._item = None
            self._cond.notify_all()

    def reopen(self) -> None:
        with self._cond:
            self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed


class BurstBuffer:
    """The last few analysed frames (within ``window_ms``), for picking the sharpest compliant one."""

    def __init__(self, size: int = 12, window_ms: int = 2000) -> None:
        self.window_ms = window_ms
        self._items: deque[BurstEntry] = deque(maxlen=max(1, size))
        self._lock = threading.Lock()

    def add(self, entry: BurstEntry) -> None:
        with self._lock:
            self._items.append(entry)
            while self._items and entry.timestamp_ms - self._items[0].timestamp_ms > self.window_ms:
                self._items.popleft()

    def entries(self) -> list[BurstEntry]:
        with self._lock:
            return list(self._items)

    def best(self, since_ms: int | None = None, require_ok: bool = True) -> BurstEntry | None:
        """The sharpest entry at or after ``since_ms`` (compliant ones only when ``require_ok``)."""
        items = [e for e in self.entries() if (since_ms is None or e.timestamp_ms >= since_ms)
                 and (e.ok or not require_ok)]
        if not items:
            return None
        return max(items, key=lambda e: (e.sharpness, e.timestamp_ms))

    def clear(self) -> None:
        with self._lock:
            for e in self._items:
                if e.frame.flags.writeable:
                    e.frame.fill(0)  # personal data
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def frame_sharpness(rgb: np.ndarray, analysis: Any = None) -> float:
    """Variance of the Laplacian on the face (or the centre) at a fixed working size."""
    measures = getattr(analysis, "measures", None)
    if measures is not None and getattr(measures, "sharpness", None) is not None:
        return float(measures.sharpness)
    h, w = rgb.shape[:2]
    box = None
    faces = getattr(analysis, "faces", None) or ()
    if faces:
        f = faces[0]
        box = (int(max(0, f.x)), int(max(0, f.y)), int(min(w, f.x + f.w)), int(min(h, f.y + f.h)))
    if box is None or box[2] - box[0] < 8 or box[3] - box[1] < 8:
        box = (w // 4, h // 4, 3 * w // 4, 3 * h // 4)
    crop = rgb[box[1]:box[3], box[0]:box[2]]
    if crop.size == 0 or crop.ndim != 3 or crop.shape[2] != 3:  # a degenerate frame from a failing camera
        return 0.0
    grey = iops.resize(iops.rgb_to_grey(crop), (128, 128), "area")
    return float(iops.laplacian(grey).var())


def _default_checker(analysis, spec):
    from .compliance import run_checks

    return run_checks(analysis, spec, live=True)


def _default_hinter(report, lang):
    from .compliance import guidance

    return guidance.live_hint(report, lang)


def report_ok(report) -> bool:
    if report is None:
        return False
    ok = getattr(report, "ok", None)
    if ok is not None:
        return bool(ok)
    return not any(getattr(r, "status", "") == "fail" for r in getattr(report, "results", ()))


class LiveLoop:
    """Analyse the newest frame, check it against the spec, pick a hint, track the hold."""

    def __init__(self, spec=None, analyzer=None, checker: Callable | None = None, hinter: Callable | None = None,
                 lang: str | None = None, hold_ms: int = 500, burst_size: int = 12, burst_window_ms: int = 2000,
                 segmentation: bool = True, clock: Callable[[], float] = time.perf_counter):
        self._lock = threading.Lock()
        self._spec = spec
        self._analyzer = analyzer
        self._own_analyzer = analyzer is None
        self.checker = checker or _default_checker
        self.hinter = hinter or _default_hinter
        self.lang = lang
        self.hold_ms = hold_ms
        self.segmentation = segmentation
        self.slot = LatestFrame()
        self.burst = BurstBuffer(burst_size, burst_window_ms)
        self._clock = clock
        self._hold_start: int | None = None
        self._last_ts = -1
        self.analysed = 0
        self.last: LiveResult | None = None
        self.paused = False

    # -- configuration (any thread) ----------------------------------------------------------------
    @property
    def spec(self):
        return self._spec

    @spec.setter
    def spec(self, spec) -> None:
        with self._lock:
            self._spec = spec
            self._hold_start = None

    @property
    def analyzer(self):
        if self._analyzer is None:
            from .vision.analyzer import FaceAnalyzer

            self._analyzer = FaceAnalyzer(mode="live")
        return self._analyzer

    # -- feeding (camera thread) ------------------------------------------------------------------
    def submit(self, frame: np.ndarray, timestamp_ms: int) -> bool:
        """Offer a frame; True when an unanalysed frame was dropped for it."""
        if self.paused:
            return False
        return self.slot.put(frame, timestamp_ms)

    # -- analysis (worker thread) -------------------------------------------------------------------
    def step(self, timeout: float | None = 0.0) -> LiveResult | None:
        """Analyse the newest waiting frame (waiting up to ``timeout`` s); None when there was none."""
        item = self.slot.take(timeout)
        if item is None:
            return None
        frame, ts, dropped = item
        return self.process(frame, ts, dropped)

    def process(self, frame: np.ndarray, timestamp_ms: int, dropped: int = 0) -> LiveResult:
        with self._lock:
            spec = self._spec
        t0 = self._clock()
        analysis = report = hint = crop = None
        error = ""
        # MediaPipe's video mode needs strictly increasing timestamps
        ts = int(timestamp_ms) if int(timestamp_ms) > self._last_ts else self._last_ts + 1
        self._last_ts = ts
        try:
            analysis = self.analyzer.analyze(frame, segmentation=self.segmentation, timestamp_ms=ts)
            if spec is not None:
                # once per frame, before the checks: they judge this very crop (headmodel
                # remembers it by the analysis) and the overlay draws it
                crop = spec_crop(analysis, spec) if isinstance(spec, Spec) else None
                report = self.checker(analysis, spec)
                hint = self.hinter(report, self.lang)
        except Exception as exc:  # noqa: BLE001 - a bad frame must not stop the preview
            log.exception("live analysis failed")
            error = str(exc) or type(exc).__name__
        latency = (self._clock() - t0) * 1000.0
        ok = error == "" and report_ok(report)
        sharp = frame_sharpness(frame, analysis) if analysis is not None else 0.0
        with self._lock:
            if spec is not self._spec:  # the spec changed while we worked: this verdict is stale
                ok = False
            if ok:
                if self._hold_start is None:
                    self._hold_start = ts
                held = float(ts - self._hold_start)
            else:
                self._hold_start = None
                held = 0.0
        self.burst.add(BurstEntry(frame, ts, analysis, report, ok, sharp))
        self.analysed += 1
        result = LiveResult(frame, ts, analysis, report, hint, ok, held, ok and held >= self.hold_ms, latency,
                            dropped, sharp, str(getattr(spec, "id", "")), error, crop)
        self.last = result
        return result

    def best_capture(self, require_ok: bool = True) -> BurstEntry | None:
        """The sharpest compliant frame since the checks started holding (or the latest hold in the
        burst window). With ``require_ok=False`` falls back to the sharpest recent frame."""
        with self._lock:
            since = self._hold_start
        best = self.burst.best(since_ms=since, require_ok=True) if since is not None else None
        if best is None:
            best = self.burst.best(require_ok=True)
        if best is None and not require_ok:
            entries = self.burst.entries()
            best = entries[-1] if entries else None
        return best

    def reset_hold(self) -> None:
        with self._lock:
            self._hold_start = None

    def clear(self) -> None:
        """Forget frames (after a capture or when the customer leaves): personal data."""
        self.slot.take(0.0)
        self.burst.clear()
        forget_crops()
        self.reset_hold()
        self.last = None

    def run(self, on_result: Callable[[LiveResult], None], stop: threading.Event, poll_s: float = 0.1) -> None:
        """Worker loop: analyse until ``stop`` is set, calling ``on_result`` for each frame."""
        while not stop.is_set():
            result = self.step(timeout=poll_s)
            if result is not None:
                on_result(result)

    def close(self) -> None:
        self.slot.close()
        if self._own_analyzer and self._analyzer is not None:
            close = getattr(self._analyzer, "close", None)
            if close:
                close()
            self._analyzer = None


def start_thread(loop: LiveLoop, on_result: Callable[[LiveResult], None]) -> tuple[threading.Thread, threading.Event]:
    """Run ``loop`` in a daemon thread (the Qt-free way; the Qt shells use a QThread)."""
    stop = threading.Event()
    thread = threading.Thread(target=loop.run, args=(on_result, stop), name="live-analysis", daemon=True)
    thread.start()
    return thread, stop
