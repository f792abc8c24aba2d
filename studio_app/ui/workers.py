"""Worker threads: the live analysis loop and one-off jobs (processing, output, printing)."""

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

    def __init__(self, loop: LiveLoop, parent: QObject | None = None):
        super().__init__(parent)
        self.loop = loop
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


class JobThread(QThread):
    """Runs ``job()`` once; ``done(result)`` or ``failed(message, traceback)``."""

    done = Signal(object)
    failed = Signal(str, str)

    def __init__(self, job: Callable[[], Any], parent: QObject | None = None):
        super().__init__(parent)
        self.job = job

    def run(self) -> None:
        try:
            result = self.job()
        except Exception as exc:  # noqa: BLE001 - reported to the window
            log.exception("job failed")
            msg = exc.message() if hasattr(exc, "message") and callable(exc.message) else (str(exc) or type(exc).__name__)
            self.failed.emit(msg, traceback.format_exc())
            return
        self.done.emit(result)


def run_job(job: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[str, str], None],
            parent: QObject) -> JobThread:
    """Run ``job`` in a JobThread. The thread is owned by Python and kept in
    ``running_jobs(parent)`` until it has finished, so a window can wait for its jobs on close
    (no deleteLater: a deleted thread object must never be waited on)."""
    thread = JobThread(job)
    thread.done.connect(on_done)
    thread.failed.connect(on_failed)
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
