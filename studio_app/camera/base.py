"""The frame source interface (Qt-free).

A :class:`FrameSource` delivers RGB ``uint8`` frames (H, W, 3) with a millisecond timestamp.
``read()`` behaves like a camera: it blocks until the next frame is due and returns
``(frame, ts_ms)``, or ``None`` when the source has ended, was stopped or was lost. File sources
pace themselves to their frame rate (``realtime=False`` delivers as fast as possible, for
benchmarks and tests). Sources only deliver frames; analysis lives in :mod:`studio_app.live`.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from typing import Callable

import numpy as np

Frame = tuple[np.ndarray, int]


class FrameSource(ABC):
    """Base class: subclasses implement :meth:`_open`, :meth:`_grab` and optionally :meth:`_close`."""

    #: a short, human readable description (shown in the status bar)
    name: str = "source"
    #: True for a real camera (frames come when the device gives them)
    is_camera: bool = False

    def __init__(self, fps: float = 30.0, realtime: bool = True, clock: Callable[[], float] = time.monotonic):
        self.fps = float(fps) if fps and fps > 0 else 30.0
        self.realtime = realtime
        self._clock = clock
        self._running = False
        self._stop_event = threading.Event()
        # read() may run in a reader thread while stop() comes from the GUI thread: the device or
        # file must never be released while a grab is using it
        self._io_lock = threading.Lock()
        self._t0: float | None = None
        self._next_due: float | None = None
        self.frames_read = 0
        self.size: tuple[int, int] | None = None  # (width, height) once known

    # -- public API -----------------------------------------------------------------------
    def start(self) -> "FrameSource":
        if self._running:
            return self
        self._stop_event.clear()
        self._open()
        self._running = True
        self._t0 = self._clock()
        self._next_due = self._t0
        return self

    def read(self) -> Frame | None:
        """The next frame and its timestamp (ms since start), or ``None`` when there is none."""
        if not self._running:
            return None
        if self.realtime and not self.is_camera:
            now = self._clock()
            assert self._next_due is not None
            wait = self._next_due - now
            if wait > 0 and self._stop_event.wait(wait):
                return None
            # never accumulate a backlog: if we are late, start counting again from now
            self._next_due = max(self._next_due, self._clock() - 1.0 / self.fps) + 1.0 / self.fps
        with self._io_lock:
            if not self._running:
                return None
            frame = self._grab()
        if frame is None:
            return None
        frame = np.ascontiguousarray(frame)
        self.size = (frame.shape[1], frame.shape[0])
        if self.realtime or self.is_camera:
            ts = int(round((self._clock() - (self._t0 or 0.0)) * 1000))
        else:  # as fast as possible: timestamps follow the nominal frame rate
            ts = int(round(self.frames_read * 1000.0 / self.fps))
        self.frames_read += 1
        return frame, ts

    def stop(self) -> None:
        """Stop from any thread: wakes a paced read, waits for a grab in progress, then closes."""
        if not self._running:
            return
        self._running = False
        self._stop_event.set()
        with self._io_lock:
            self._close()

    @property
    def running(self) -> bool:
        return self._running

    def __enter__(self) -> "FrameSource":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def __iter__(self):
        while True:
            item = self.read()
            if item is None:
                return
            yield item

    # -- for subclasses -------------------------------------------------------------------
    @abstractmethod
    def _open(self) -> None: ...

    @abstractmethod
    def _grab(self) -> np.ndarray | None: ...

    def _close(self) -> None:
        pass
