"""The kiosk's camera and live-analysis plumbing (Qt side of :mod:`studio_app.live`).

* :class:`~studio_app.ui.workers.SourceReader` reads a Qt-free :class:`~studio_app.camera.FrameSource` in a thread.
  When the source gives nothing (camera unplugged, file ended, read raised) it closes it and
  tries to open it again every ``retry_s`` — so the kiosk recovers by itself when the camera
  comes back.
* :class:`KioskFeed` delivers every frame to the GUI (``frame``), offers it to the
  :class:`~studio_app.live.LiveLoop` (analysed in its own thread, ``result``), and watches the
  frame clock: no frame for ``lost_after_s`` emits ``lost``; the first frame after that emits
  ``recovered``. The watchdog is the only judge, whatever kind of source feeds it.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer, Signal

from ..workers import AnalysisThread, SourceReader

log = logging.getLogger(__name__)


class KioskFeed(QObject):
    frame = Signal(object, int)
    result = Signal(object)  # studio_app.live.LiveResult
    lost = Signal()
    recovered = Signal()

    def __init__(self, source, loop, lost_after_s: float = 2.0, retry_s: float = 1.0,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self.loop = loop
        self.lost_after_s = lost_after_s
        self.analysing = False  # only offer frames to the live loop while the customer is live
        self.is_lost = False
        self.last_frame_at: float | None = None
        self._qt_source = hasattr(source, "frameReady")  # QtCameraSource: frames arrive as a signal
        if self._qt_source:
            self._reader = None
            source.frameReady.connect(self._on_qt_frame)
            self._reopen = QTimer(self)  # try the camera again while it is lost
            self._reopen.setInterval(int(retry_s * 2000))
            self._reopen.timeout.connect(self._retry_qt)
        else:
            self._reader = SourceReader(source, retry_s=retry_s, on_frame=self._offer, parent=self)
            self._reader.frameReady.connect(self._on_frame)
        self._analysis = AnalysisThread(loop, parent=self, with_crop=False)
        self._analysis.resultReady.connect(lambda result, _crop: self.result.emit(result))
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(250)
        self._watchdog.timeout.connect(self.check)
        self._started_at = time.monotonic()

    def start(self) -> None:
        self._started_at = time.monotonic()
        if self._reader is not None:
            self._reader.start()
        else:
            self._retry_qt()
            self._reopen.start()
        self._analysis.start()
        self._watchdog.start()

    def stop(self) -> None:
        self._watchdog.stop()
        if self._reader is not None:
            self._reader.stop()
        else:
            self._reopen.stop()
            self.source.stop()
        self._analysis.stop()
        self.loop.close()

    def _retry_qt(self) -> None:
        if self.is_lost or self.last_frame_at is None:
            if not self.source.running:
                self.source.start(getattr(self.source, "want_device", ""), getattr(self.source, "want_format", ""))

    def _on_qt_frame(self, frame, ts) -> None:
        self._offer(frame, ts)
        self._on_frame(frame, ts)

    def _offer(self, frame, ts) -> None:  # camera thread
        if self.analysing:
            self.loop.submit(frame, ts)

    def _on_frame(self, frame, ts) -> None:
        self.last_frame_at = time.monotonic()
        if self.is_lost:
            self.is_lost = False
            self.recovered.emit()
        self.frame.emit(frame, ts)

    def check(self, now: float | None = None) -> bool:
        """The watchdog: emit ``lost`` when frames stopped; returns whether the feed is lost."""
        now = time.monotonic() if now is None else now
        last = self.last_frame_at if self.last_frame_at is not None else self._started_at
        if not self.is_lost and now - last > self.lost_after_s:
            self.is_lost = True
            self.lost.emit()
        return self.is_lost
