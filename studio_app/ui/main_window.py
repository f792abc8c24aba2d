"""The operator window: live capture with guidance, review, output, printing, history, settings.

Drives a :class:`~studio_app.session.Session` (consent and city steps skipped: the operator picks
the spec at the counter and types the city into the applicant form). The camera feeds the
:class:`~studio_app.ui.live_view.LiveView` directly at its own rate; a copy of each frame is offered to the
:class:`~studio_app.live.LiveLoop`, which analyses only the newest one in a worker thread.
"""

from __future__ import annotations

import logging
import time
from collections import deque

import numpy as np
from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox

from .. import messages
from ..errors import StudioError
from ..flow import FlowDriver, FlowTimings
from ..live import LiveLoop
from ..paths import resource
from ..services.id_rule import id_number_required
from ..session import Applicant, Session, State
from ..settings import Settings
from ..specs import default_library
from . import safe_override
from .documents import MoreDocuments
from .main_layout import MainWindowLayout
from .source_switching import SourceSwitching
from .station_actions import StationActions
from .workers import AnalysisThread, qt_executor, run_job, running_jobs

log = logging.getLogger(__name__)


def crop_window(result):
    """The source window the pipeline cropped (x, y, w, h), from its corrections, if reported."""
    for c in getattr(result, "corrections", None) or ():
        window = (c.get("params") or {}).get("window") if c.get("id") == "crop" else None
        if window and len(window) == 4:
            x0, y0, x1, y1 = (float(v) for v in window)
            return (x0, y0, x1 - x0, y1 - y0)
    return None


class RateMeter:
    """Events per second over the last ``window`` seconds."""

    def __init__(self, window: float = 2.0):
        self.window = window
        self.times: deque[float] = deque()

    def tick(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self.times.append(now)
        while self.times and now - self.times[0] > self.window:
            self.times.popleft()

    def rate(self) -> float:
        if len(self.times) < 2:
            return 0.0
        span = self.times[-1] - self.times[0]
        return (len(self.times) - 1) / span if span > 0 else 0.0


class MainWindow(MainWindowLayout, SourceSwitching, StationActions, MoreDocuments, QMainWindow):
    """The operator workstation window."""

    stateChanged = Signal(str)  # session state value, after every transition
    outputWritten = Signal(object)  # OutputRecord
    resultShown = Signal(object)  # LiveResult shown in the UI

    PAGE_LIVE, PAGE_REVIEW, PAGE_DONE = 0, 1, 2

    def __init__(self, settings: Settings | None = None, source: str | None = None, spec_id: str | None = None,
                 lang: str = "zh_CN", startup_problems=(), analyzer=None, store=None, frame_source=None,
                 use_qt_camera: bool | None = None, parent=None):
        super().__init__(parent)
        self.settings = settings or Settings()
        self.lang = lang
        self.library = default_library()
        self._store = store
        self._own_store = store is None
        spec_id = spec_id or self.settings.default_spec
        spec_note = None
        try:
            spec = self.library.get(spec_id)
        except StudioError as exc:
            spec = next(iter(self.library))
            spec_note = exc.message()
        self.session = Session(skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=spec,
                               services={"output": self._output_service})
        self.loop = LiveLoop(spec=spec, analyzer=analyzer, lang=lang)
        # countdown, grace, burst pick and the jobs: the operator's burst pick must pass the checks,
        # and a decision (approve / reject) writes the outputs straight away
        self.flow = FlowDriver(self.session, executor=qt_executor(self), timings=FlowTimings(), frames=self.loop,
                               require_ok=True, auto_output=True, on_processing_failed=self._processing_failed)
        self.flow.subscribe(self._on_transition)
        self.flow.on_countdown(self._show_countdown)
        self.flow.on_shooting(self._show_shooting)
        self.resubmit_of: str | None = None
        self._frame_meter = RateMeter()
        self._analysis_meter = RateMeter()
        self._latency = deque(maxlen=30)
        self._last_frame_time = 0.0
        self._source_desc = ""
        self._fallback = False
        self._pump = None
        self._qt_camera = None
        self._closing = False
        self.error_box: QMessageBox | None = None

        self.setWindowTitle(self.tr("证件照采集工作站"))
        # 1400x880 where it fits; small screens (1366x768 laptops) get their whole available area.
        avail = self.screen().availableGeometry()
        self.resize(min(1400, avail.width()), min(880, avail.height()))
        self._build_ui()
        self._build_actions()
        self._set_spec_combo(spec)
        self.live_view.set_spec(spec)

        self.analysis = AnalysisThread(self.loop, self)
        self.analysis.resultReady.connect(self._on_result)
        self.analysis.start()

        self._countdown_timer = QTimer(self)  # drives FlowDriver.tick while counting down
        self._countdown_timer.setInterval(max(10, round(self.flow.timings.tick_s * 1000)))
        self._countdown_timer.timeout.connect(self.flow.tick)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(500)
        self._status_timer.timeout.connect(self._update_status)
        self._status_timer.start()
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(1000)
        self._watchdog.timeout.connect(self._check_feed)
        self._watchdog.start()

        self._shutter = None  # made on first use, and only when there is an audio output
        QTimer.singleShot(3000, self._purge_expired)

        self.session.start()  # -> CHOOSE_SPEC, skipped: the spec is already chosen
        if self.session.state == State.CHOOSE_SPEC:
            self.session.choose_spec(spec)
        self._start_source(source, frame_source, use_qt_camera)
        # problems that do not stop the station (a bad spec file, a bad settings key): the app
        # runs with what is good and says what was skipped, in a box that does not block
        notes = list(startup_problems or ()) + ([spec_note] if spec_note else [])
        notes += [err.message() if hasattr(err, "message") else str(err) for err in getattr(self.library, "errors", ())]
        self.startup_box: QMessageBox | None = None
        if notes:
            self.statusBar().showMessage(notes[0], 15000)
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("启动提示"),
                              self.tr("以下问题不影响使用，相关项目已跳过："), QMessageBox.StandardButton.Ok, self)
            box.setInformativeText("\n".join(notes))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self.startup_box = box
            QTimer.singleShot(0, box.open)

    @safe_override
    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        page = self.pages.currentIndex()
        if key == Qt.Key.Key_Space and page == self.PAGE_LIVE:
            self.capture(auto=False)
        elif key == Qt.Key.Key_Escape:
            if self.session.state == State.COUNTDOWN:
                self._cancel_countdown()
            elif self.session.state == State.REVIEW:
                self.retake()
        elif key == Qt.Key.Key_R and page == self.PAGE_REVIEW and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.retake()
        elif key == Qt.Key.Key_A and page == self.PAGE_LIVE:
            self.auto_box.toggle()
        elif key in (Qt.Key.Key_N, Qt.Key.Key_Return, Qt.Key.Key_Enter) and page == self.PAGE_DONE:
            self.next_customer()
        else:
            super().keyPressEvent(event)

    # -- frames and analysis ----------------------------------------------------------------------
    def _on_frame(self, rgb: np.ndarray, ts: int) -> None:
        if self._closing:
            return
        self._last_frame_time = time.monotonic()
        self._frame_meter.tick(self._last_frame_time)
        if self.pages.currentIndex() == self.PAGE_LIVE:
            self.live_view.show_frame(rgb, ts)
            if self.session.state in (State.LIVE, State.COUNTDOWN):
                self.loop.submit(rgb, ts)

    def _on_result(self, result, crop) -> None:
        if self._closing or self.session.state not in (State.LIVE, State.COUNTDOWN):
            return
        if result.spec_id != getattr(self.session.spec, "id", ""):
            return  # analysed against the previous spec
        self._analysis_meter.tick()
        self._latency.append(result.latency_ms)
        hint = result.hint
        state = getattr(hint, "state", None) if hint is not None else ("bad" if result.error else None)
        text = getattr(hint, "text", "") if hint is not None else ""
        if result.analysis is not None and not getattr(result.analysis, "has_face", False) and not text:
            text = self.tr("请坐到镜头前")
        if result.error:
            text = self.tr("分析出错：%1").replace("%1", result.error)
        if self.flow.shooting:  # the DSLR is taking the photo: what the customer does now is not in it
            text = self.tr("拍摄中…")
        self.live_view.show_result(state, text, crop)
        self.hint.setText(text)
        self.hint.setProperty("verdict", state or "none")
        self.hint.style().unpolish(self.hint)
        self.hint.style().polish(self.hint)
        self.checklist.set_report(result.report, self.lang, result.analysis)
        self.flow.on_live_result(result)
        self.resultShown.emit(result)

    # -- session transitions --------------------------------------------------------------------------
    def _on_transition(self, tr) -> None:
        state = tr.target
        self.state_label.setText(self._state_text(state))
        # the spec is chosen before the photo; during review it belongs to the captured photo
        self.spec_combo.setEnabled(state in (State.IDLE, State.CHOOSE_SPEC, State.LIVE, State.COUNTDOWN, State.DONE))
        self.more_documents.setEnabled(self.spec_combo.isEnabled())
        if state != State.COUNTDOWN:
            self._countdown_timer.stop()
        if state == State.LIVE:
            self.pages.setCurrentIndex(self.PAGE_LIVE)
            self.capture_button.setEnabled(not self.flow.shooting)
        elif state == State.COUNTDOWN:
            self._countdown_timer.start()
        elif state == State.PROCESSING:  # the flow runs the processing job
            self.capture_button.setEnabled(False)
            if tr.event == "capture":
                self._play_shutter()
                cap = self.session.data.capture
                spec = self.session.spec
                self.review.start(spec, cap.frame, self.session.data.city or getattr(spec, "city", None) or "",
                                  require_id=id_number_required(spec, self.settings))
                self._documents_start()
                self.loop.clear()
            self.pages.setCurrentIndex(self.PAGE_REVIEW)
            self.review.set_busy(True)
        elif state == State.REVIEW:
            if self.session.data.result is not None:
                self.review.show_result(self.session.data.result, crop_window(self.session.data.result),
                                        adjusted=tr.event == "adjusted")
                if tr.event != "adjusted":  # the other documents of this capture, with the same corrections
                    self._documents_for(self.session.data.result)
        elif state == State.OUTPUT:  # the flow runs the output job (APPROVED / REJECTED send "output")
            self.review.set_busy(True)
            self.review.status.setText(self.tr("正在输出文件和回执…"))
        elif state == State.DONE:
            rec = self.session.data.outputs
            d = self.session.data
            self.done.show_record(rec, rejected=bool(d.reject_reasons),
                                  photo=None if d.result is None or d.reject_reasons else d.result.photo,
                                  applicant=d.applicant, spec=d.spec, lang=self.lang)
            self.pages.setCurrentIndex(self.PAGE_DONE)
            self.outputWritten.emit(rec)
        elif state == State.FAILSAFE:
            err = self.session.data.error
            QTimer.singleShot(0, lambda: self._recover(err))
        elif state == State.IDLE:
            self.review.form.clear()
            self.more_documents.set_chosen([])  # the next customer chooses their own documents
            self.resubmit_of = None
            if not self._closing:
                QTimer.singleShot(0, self._restart_session)
        self.stateChanged.emit(state.value)

    def _state_text(self, state: State) -> str:
        names = {
            State.IDLE: self.tr("空闲"), State.CHOOSE_SPEC: self.tr("选择规格"), State.LIVE: self.tr("取景"),
            State.COUNTDOWN: self.tr("倒计时"), State.PROCESSING: self.tr("处理中"), State.REVIEW: self.tr("审核"),
            State.APPROVED: self.tr("已通过"), State.REJECTED: self.tr("不合格"), State.OUTPUT: self.tr("输出中"),
            State.DONE: self.tr("完成"), State.FAILSAFE: self.tr("出错"),
        }
        return names.get(state, state.value)

    def _restart_session(self) -> None:
        if self.session.state == State.IDLE and not self._closing:
            self.session.start()
            if self.session.state == State.CHOOSE_SPEC:
                self.session.choose_spec(self.current_spec())

    def _recover(self, err: str) -> None:
        """Failsafe: tell the operator (a non-blocking box: the station keeps running) and start
        over with the next customer; the error and its traceback are in the log."""
        if self._closing:
            return
        text = messages.text("session.failsafe", error=err)
        self.statusBar().showMessage(text, 30000)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("出错"), text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
        self.error_box = box
        if self.session.state == State.FAILSAFE:
            self.session.send("reset")

    # -- actions ----------------------------------------------------------------------------------
    def current_spec(self):
        return self.library.get(self.spec_combo.currentData())

    def _set_spec_combo(self, spec) -> None:
        idx = self.spec_combo.findData(spec.id)
        if idx >= 0:
            self.spec_combo.blockSignals(True)
            self.spec_combo.setCurrentIndex(idx)
            self.spec_combo.blockSignals(False)
        self._documents_primary(spec)

    def _spec_chosen(self) -> None:
        spec = self.current_spec()
        self._documents_primary(spec)
        self.loop.spec = spec
        self.live_view.set_spec(spec)
        self.checklist.set_report(None)
        if self.session.state == State.COUNTDOWN:
            self._cancel_countdown()
        if self.session.state in (State.LIVE, State.CHOOSE_SPEC):
            self.session.choose_spec(spec)
        else:
            self.session.data.spec = spec if self.session.state == State.IDLE else self.session.data.spec

    def set_spec(self, spec_id: str) -> None:
        idx = self.spec_combo.findData(spec_id)
        if idx < 0:
            raise StudioError("spec.unknown", id=spec_id)
        self.spec_combo.setCurrentIndex(idx)

    @property
    def auto_capture(self) -> bool:
        return self.flow.auto_capture

    @auto_capture.setter
    def auto_capture(self, on: bool) -> None:
        self.flow.set_auto_capture(on)

    def _set_auto(self, on: bool) -> None:
        self.auto_capture = on

    def _show_countdown(self, n: int | None) -> None:
        self.live_view.set_countdown(n)
        if n is None:
            self._countdown_timer.stop()

    def _cancel_countdown(self, event: str = "cancel_countdown") -> None:
        self.flow.cancel_countdown(event)

    def capture(self, auto: bool = False) -> bool:
        """Take the photo: the sharpest compliant frame of the current hold, else (button) the
        newest frame. Returns False when there is nothing to capture."""
        if self.session.state not in (State.LIVE, State.COUNTDOWN):
            return False
        if auto:
            return self.flow.auto_capture_now()
        if self.flow.still is not None:  # a DSLR: its shutter takes the full-resolution photo
            return self.flow.shoot(auto=False)
        best = self.flow.pick_burst()
        if best is not None:
            frame, ts, analysis, report, sharp = best.frame, best.timestamp_ms, best.analysis, best.report, best.sharpness
        else:
            current = self.live_view.current_frame()
            if current is None:
                self.statusBar().showMessage(self.tr("没有画面，无法拍照"), 5000)
                return False
            frame, ts = current
            last = self.loop.last
            same = last is not None and last.timestamp_ms == ts
            analysis, report, sharp = (last.analysis, last.report, last.sharpness) if same else (None, None, None)
        self.session.capture(frame, ts, analysis, report, auto=auto, sharpness=sharp)
        return True

    def _play_shutter(self) -> None:
        """The shutter sound. Skipped on machines without an audio output (a headless station or
        CI): QtMultimedia's audio back-ends there are not worth the risk for a click."""
        if self._shutter is None:
            path = resource("sounds", "shutter.wav")
            try:
                from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
            except ImportError:
                self._shutter = False
                return
            if not path.is_file() or not QMediaDevices.audioOutputs():
                self._shutter = False
                return
            self._shutter = QSoundEffect(self)
            self._shutter.setSource(QUrl.fromLocalFile(str(path)))
            self._shutter.setVolume(0.6)
        if self._shutter:
            self._shutter.play()

    def _purge_expired(self) -> None:
        """Drop orders older than the retention period (photos, names, ID numbers), in a worker."""
        if self._closing:
            return
        days = self.settings.retention_days
        store = self.store

        def done(count) -> None:
            if count:
                self.statusBar().showMessage(self.tr("已按保留期限清除 %n 个过期订单", "", int(count)), 10000)

        run_job(lambda: store.purge_expired(days), done, lambda m, d: log.warning("purge failed: %s", m), self)

    def _processing_failed(self, exc: BaseException) -> bool:
        """No face etc.: stay in review with the message; the operator retakes."""
        if self.session.data.capture is None:
            return False
        text = getattr(exc, "message", None)
        message = text() if callable(text) else (str(exc) or type(exc).__name__)
        self.session.data.error = message
        self.review.show_error(message)
        self.flow.post("processed", result=None)
        return True

    def _nudge(self, nudge) -> None:
        """Re-encode and re-check the hand-nudged crop in a worker; the newest request wins."""
        base = self.review.corrected.base
        if self.session.state != State.REVIEW or base is None:
            return
        from .nudge import apply_nudge

        self.review.set_busy(True)
        self._nudge_serial = getattr(self, "_nudge_serial", 0) + 1
        serial = self._nudge_serial

        def done(result) -> None:
            if serial == self._nudge_serial and self.session.state == State.REVIEW \
                    and self.review.corrected.base is base:
                self.session.send("adjusted", result=result)

        def failed(message: str, detail: str) -> None:
            if serial == self._nudge_serial:
                self.review.show_error(message)

        run_job(lambda: apply_nudge(base, nudge), done, failed, self)

    def _reprocess(self, options) -> None:
        if self.session.state == State.REVIEW:
            self.session.send("reprocess", options=options)

    def approve(self, applicant: Applicant | None = None) -> None:
        if self.session.state != State.REVIEW or self.session.data.result is None:
            return
        # what the operator confirmed (customary headwear) is recorded with the order
        self.session.approve(applicant or self.review.form.applicant(), confirmations=self.review.confirmations)

    def _approve_shortcut(self) -> None:
        if self.pages.currentIndex() == self.PAGE_REVIEW and self.review.approve.isEnabled():
            self.review.approve.click()

    def reject(self, reasons: list, applicant: Applicant | None = None) -> None:
        if self.session.state != State.REVIEW:
            return
        self.session.send("reject", reasons=tuple(reasons), applicant=applicant or self.review.form.applicant())

    def retake(self) -> None:
        if self.session.can("retake"):
            self.session.retake()

    def next_customer(self) -> None:
        if self.session.state == State.DONE:
            self.session.send("finish")

    # -- status -------------------------------------------------------------------------------------
    def _update_status(self) -> None:
        src = self._source_desc or "—"
        if self._fallback:
            src += self.tr("（演示）") if "demo" in src else ""
        self.camera_label.setText(self.tr("视频源：%1").replace("%1", src))
        self.fps_label.setText(self.tr("画面 %1 fps").replace("%1", f"{self._frame_meter.rate():.0f}"))
        lat = sum(self._latency) / len(self._latency) if self._latency else 0.0
        self.analysis_label.setText(self.tr("分析 %1 次/秒 · %2 ms").replace("%1", f"{self._analysis_meter.rate():.0f}")
                                    .replace("%2", f"{lat:.0f}"))

    def frame_rate(self) -> float:
        return self._frame_meter.rate()

    def analysis_rate(self) -> float:
        return self._analysis_meter.rate()

    def closeEvent(self, event) -> None:  # noqa: N802
        # never let an exception escape a Qt override: PySide6 6.12 on Python 3.11 crashes while
        # reporting it (PepException_GetArgs); log it instead
        try:
            self.shutdown()
        except Exception:  # noqa: BLE001
            log.exception("shutdown failed")
        super().closeEvent(event)

    def shutdown(self) -> None:
        if self._closing:
            return
        self._closing = True
        for t in (self._countdown_timer, self._status_timer, self._watchdog):
            t.stop()
        self._stop_pump()
        self._set_still(None)  # a DSLR opened beside the webcam is closed
        self._stop_batch()  # Cancel: the photos being processed finish, the rest is dropped
        if self._qt_camera is not None:
            self._qt_camera.stop()
        if self._shutter:
            self._shutter.stop()
        self.analysis.stop()
        for job in list(running_jobs(self)):
            job.wait(60000)
        self.loop.clear()
        self.loop.close()
        self.session.wipe()
        if self._own_store and self._store is not None:
            self._store.close()

