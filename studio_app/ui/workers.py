"""The shells' one runtime module for worker threads: the live analysis loop and one-off jobs
(processing, output, printing, purge). :func:`qt_executor` is the flow driver's executor."""

from __future__ import annotations

import logging
import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal

from ..live import LiveLoop, LiveResult

log = logging.getLogger(__name__)


class AnalysisThread(QThread):
    """Runs :meth:`LiveLoop.run` and emits ``resultReady(LiveResult, crop corners)`` per analysed frame.

    Frames go in through ``loop.submit`` (any thread); only the newest is analysed.
    """

    resultReady = Signal(object, object)

    def __init__(self, loop: LiveLoop, parent: QObject | None = None, with_crop: bool = True):
        super().__init__(parent)
        self.loop = loop
        self.with_crop = with_crop  # the operator's overlay draws the crop; the kiosk's oval does not
        self._stop = threading.Event()

    def run(self) -> None:
        self.loop.slot.reopen()

        def emit(result: LiveResult) -> None:
            # the crop the live checks judged (computed once by the loop), as corners to draw
            corners = result.crop.corners() if result.crop is not None else None
            self.resultReady.emit(result, corners)

        self.loop.run(emit, self._stop, poll_s=0.05)

    def stop(self, wait_ms: int = 60000) -> bool:
        """Stop and wait for the thread. The wait is long on purpose: the first analysis loads
        the models, which cannot be interrupted and can take seconds on a busy machine, and a
        QThread destroyed while still running aborts the whole process."""
        self._stop.set()
        self.loop.slot.close()
        return self.wait(wait_ms)


class SourceReader(QThread):
    """Reads a Qt-free FrameSource (the kiosk's camera) and keeps trying to reopen it when it
    gives nothing, so a replugged camera comes back by itself."""

    frameReady = Signal(object, int)

    def __init__(self, source, retry_s: float = 1.0, on_frame=None, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self.retry_s = retry_s
        self.on_frame = on_frame  # called in this thread before the signal (feeds the live loop)
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                if not self.source.running:
                    self.source.start()
                item = self.source.read()
            except Exception:  # noqa: BLE001 - a failing camera is "lost", not a crash
                log.warning("frame source failed; retrying", exc_info=True)
                item = None
            if item is None:
                if self._stop.is_set():
                    break
                try:
                    self.source.stop()
                except Exception:  # noqa: BLE001
                    log.debug("stop after loss failed", exc_info=True)
                self._stop.wait(self.retry_s)
                continue
            frame, ts = item
            if self.on_frame is not None:
                self.on_frame(frame, ts)
            self.frameReady.emit(frame, ts)
        try:
            self.source.stop()
        except Exception:  # noqa: BLE001
            log.debug("source stop failed", exc_info=True)

    def stop(self, wait_ms: int = 5000) -> None:
        self._stop.set()
        try:
            self.source.stop()  # unblocks a paced read
        except Exception:  # noqa: BLE001
            log.debug("source stop failed", exc_info=True)
        self.wait(wait_ms)


class JobThread(QThread):
    """Runs ``job()`` once; ``done(result)``, or ``failed(message, traceback)`` and ``error(exc)``.
    With ``reports`` the job is called as ``job(report)``: each ``report(value)`` arrives on the
    GUI thread as ``progress(value)`` (a batch's finished photos)."""

    done = Signal(object)
    failed = Signal(str, str)
    error = Signal(object)
    progress = Signal(object)

    def __init__(self, job: Callable[..., Any], parent: QObject | None = None, reports: bool = False):
        super().__init__(parent)
        self.job = job
        self.reports = reports

    def run(self) -> None:
        job, self.job = self.job, None  # the thread must not keep the customer's frame alive
        try:
            result = job(self.progress.emit) if self.reports else job()
        except Exception as exc:  # noqa: BLE001 - reported to the window
            log.exception("job failed")
            msg = exc.message() if hasattr(exc, "message") and callable(exc.message) else (str(exc) or type(exc).__name__)
            self.failed.emit(msg, traceback.format_exc())
            self.error.emit(exc)
            return
        finally:
            del job
        self.done.emit(result)


def run_job(job: Callable[..., Any], on_done: Callable[[Any], None], on_failed: Callable[[str, str], None] | None,
            parent: QObject, on_error: Callable[[BaseException], None] | None = None,
            on_progress: Callable[[Any], None] | None = None) -> JobThread:
    """Run ``job`` in a JobThread. The thread is owned by Python and kept in
    ``running_jobs(parent)`` until it has finished, so a window can wait for its jobs on close
    (no deleteLater: a deleted thread object must never be waited on). With ``on_progress`` the
    job is called as ``job(report)`` and each ``report(value)`` reaches ``on_progress`` on the GUI thread."""
    thread = JobThread(job, reports=on_progress is not None)
    if on_progress is not None:
        thread.progress.connect(on_progress)
    thread.done.connect(on_done)
    if on_failed is not None:
        thread.failed.connect(on_failed)
    if on_error is not None:
        thread.error.connect(on_error)
    jobs = running_jobs(parent)
    jobs.add(thread)

    def finished() -> None:
        thread.wait()  # finished is emitted just before run() returns
        jobs.discard(thread)

    thread.finished.connect(finished)
    thread.start()
    return thread


def running_jobs(owner: QObject) -> set:
    """The set of JobThreads started for ``owner`` that have not finished yet."""
    return owner.__dict__.setdefault("_running_jobs", set())


def qt_executor(owner: QObject) -> Callable:
    """The flow driver's executor for a window: each job in a :class:`JobThread` owned by
    ``owner``, its result delivered on the GUI thread."""

    def execute(job: Callable[[], Any], on_done: Callable[[Any], None],
                on_failed: Callable[[BaseException], None]) -> JobThread:
        return run_job(job, on_done, None, owner, on_error=on_failed)

    return execute
