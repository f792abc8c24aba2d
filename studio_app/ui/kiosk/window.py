"""The kiosk window: a full-screen, frameless shell around :class:`studio_app.session.Session`.

The session is the single state machine (IDLE, CONSENT, CHOOSE_SPEC, CHOOSE_CITY, LIVE,
COUNTDOWN, PROCESSING, REVIEW, APPROVED, OUTPUT, DONE, FAILSAFE); this window only shows the
screen for the current state and turns touches into session events. Kiosk-only steps live here:
inside REVIEW the customer enters the ID and phone numbers on the number pad before ``approve``;
after DONE the window prints or shows a pick-up code (optionally waiting for the operator's
review first); "暂停服务" covers everything while the camera is lost; the admin screen sits
outside the flow behind a hidden gesture and a PIN (``admin_access.py``).

Every slot runs through :meth:`KioskWindow._guard`: any exception sends the session to
FAILSAFE, whose screen says one sentence and resets to the attract screen by itself. Every way
back to IDLE wipes the customer's data: the session's, this window's (pixmaps, numbers,
frames in the live loop) and the session's temporary folder on disk.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from ... import messages
from ...flow import FlowDriver, FlowTimings
from ...session import Applicant, Session, State
from ..workers import qt_executor, running_jobs
from . import pin as pinlib
from .admin_access import ADMIN_CORNER_PX, ADMIN_TAP_WINDOW_S, ADMIN_TAPS, KioskAdminAccess  # noqa: F401
from .delivery import KioskDelivery
from .idle import KioskIdle
from .layout import KioskLayout
from .voice import KioskVoice
from .wording import (HINT_PROMPTS, accessory_warning, install_kiosk_translator, mask_phone,  # noqa: F401 - re-exported
                      voice_key_for_hint)
from .widgets import kiosk_font_family, kiosk_stylesheet

log = logging.getLogger(__name__)


class KioskWindow(KioskLayout, KioskDelivery, KioskIdle, KioskAdminAccess, QWidget):
    """``services`` is a :class:`studio_app.ui.kiosk.services.KioskServices` (or a test double)."""

    exitRequested = Signal()
    screenChanged = Signal(str)

    @property
    def countdown_ms(self) -> int:
        """One step of the 3-2-1 countdown (the flow's timing; tests shorten it)."""
        return round(self.flow.timings.countdown_step_s * 1000)

    @countdown_ms.setter
    def countdown_ms(self, ms: int) -> None:
        self.flow.timings = dataclasses.replace(self.flow.timings, countdown_step_s=ms / 1000)

    def __init__(self, settings, services, source=None, *, clock: Callable[[], float] = time.monotonic,
                 voice: KioskVoice | None = None, start_feed: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self._translator = install_kiosk_translator()  # before the first self.tr
        self.settings = settings
        self.services = services
        self.clock = clock
        self.allow_close = False
        self.substep = ""  # inside REVIEW: "result" | "id" | "phone"
        self.feed = None
        self.loop = None
        self.record = None  # the OutputRecord of a confirmed order
        self.temp_dir: Path | None = None
        self._admin_taps: list[float] = []
        self._last_press: tuple | None = None
        # lockout persisted beside the PIN hash (wall clock: it must survive a restart; a test's
        # fake clock drives it too), every failure audited
        self.pin_guard = pinlib.PinGuard(clock=time.time if clock is time.monotonic else clock)
        self._paused = False
        self._review_polls = 0

        self.setObjectName("KioskRoot")
        self.setWindowTitle(self.tr("自助证件照"))
        self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        font = QFont(kiosk_font_family())
        font.setPixelSize(36)
        self.setFont(font)
        self.setStyleSheet(kiosk_stylesheet())

        self.session = Session(max_retakes=max(0, int(settings.kiosk_max_retries)),
                               services={"process": services.process, "output": services.output}, clock=clock)
        # the flow runs on wall time (its countdown is a QTimer); ``clock`` is the idle clock.
        # The kiosk lets review judge the burst pick (require_ok=False) and confirms outputs itself.
        self.flow = FlowDriver(self.session, executor=qt_executor(self), timings=FlowTimings(), require_ok=False,
                               clock=time.monotonic)
        self.flow.subscribe(lambda tr: self._guard(self._on_transition)(tr))
        self.flow.on_countdown(self._guard(self._show_countdown))
        self.voice = voice or KioskVoice(parent=self)

        self._build()
        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(1000)
        self._idle_timer.timeout.connect(self._guard(self.tick_idle))
        self._idle_timer.start()
        self._countdown_timer = QTimer(self)  # drives FlowDriver.tick while counting down
        self._countdown_timer.timeout.connect(self._guard(self.flow.tick))
        self._auto_timer = QTimer(self)  # thank-you / failsafe / staff screens go back by themselves
        self._auto_timer.setSingleShot(True)
        self._auto_timer.timeout.connect(self._guard(self._auto_return))
        self._review_timer = QTimer(self)
        self._review_timer.setInterval(2000)
        self._review_timer.timeout.connect(self._guard(self._poll_review))

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if source is not None:
            self.attach_source(source, start=start_feed)
        self._show(self.attract)

    # -- the failsafe ----------------------------------------------------------------------
    def _guard(self, fn: Callable) -> Callable:
        """Wrap a slot: any exception goes to the session's failsafe, never to the customer."""

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - by design
                self.handle_error(exc)
                return None

        return wrapper

    def handle_error(self, exc: BaseException) -> None:
        log.error("kiosk error", exc_info=exc)
        try:
            if self.session.state != State.FAILSAFE:
                self.session.fail(exc)
            else:
                self._show(self.failsafe)
        except Exception:  # noqa: BLE001 - even the failsafe failed: show its screen directly
            log.exception("failsafe transition failed")
            self._show(self.failsafe)
            self._auto_timer.start(self._failsafe_ms())

    def _failsafe_ms(self) -> int:
        return 8000

    # -- source / live ---------------------------------------------------------------------
    def attach_source(self, source, start: bool = True) -> None:
        from .feed import KioskFeed

        self.loop = self.services.make_live_loop()
        self.flow.frames = self.loop
        self.flow.still = source if callable(getattr(source, "capture_still", None)) else None  # a DSLR's shutter
        self.feed = KioskFeed(source, self.loop, parent=self)
        self.feed.frame.connect(self._guard(self._on_frame))
        self.feed.result.connect(self._guard(self._on_live_result))
        self.feed.lost.connect(self._guard(self.camera_lost))
        self.feed.recovered.connect(self._guard(self.camera_recovered))
        if start:
            self.feed.start()

    def _on_frame(self, frame, ts) -> None:
        if self.session.state in (State.LIVE, State.COUNTDOWN) and not self._paused:
            self.live.view.set_frame(frame)

    def _on_live_result(self, result) -> None:
        state = self.session.state
        if state not in (State.LIVE, State.COUNTDOWN) or self._paused:
            return
        if result.analysis is not None and getattr(result.analysis, "faces", None):
            self.session.touch()  # someone is sitting there: not idle
        hint = result.hint
        warning = accessory_warning(result.report) if result.ok else None
        if warning is not None:  # earrings, necklace, hair clip, hair over the shoulders: say so
            text, hstate, key = warning.hint(), "good", HINT_PROMPTS[warning.hint_key]
        elif result.ok:
            text, hstate, key = self.tr("很好，请保持不动"), "good", "hold_still"
        elif hint is not None:
            text = getattr(hint, "text", "") or self.tr("请坐正，看着摄像头")
            hstate = getattr(hint, "state", "adjust") or "adjust"
            key = voice_key_for_hint(hint)
        else:
            text, hstate, key = self.tr("看不到您的脸，请坐到摄像头正前方"), "bad", "no_face"
        self.live.set_hint(text, hstate)
        if self.flow.hint_due(key) and self.voice.say(key, text):
            self.flow.hint_spoken(key)
        self.flow.on_live_result(result)

    def camera_lost(self) -> None:
        self._paused = True
        if self.session.state in (State.LIVE, State.COUNTDOWN):
            self._countdown_timer.stop()
            self.live.clear_personal()
        if self.stack.currentWidget() is not self.admin:
            self._show(self.paused)
            self.voice.say("paused")

    def camera_recovered(self) -> None:
        self._paused = False
        if self.stack.currentWidget() is self.paused:
            if self.session.state == State.COUNTDOWN:
                self.session.send("cancel_countdown")
            else:
                self._show_for_state(self.session.state)

    # -- the flow ----------------------------------------------------------------------------
    def _start(self) -> None:
        if self.session.state == State.IDLE and not self._paused:
            self._new_temp_dir()
            self.session.start()

    def _decline(self) -> None:
        self.session.send("decline")  # back to IDLE: wiped
        self._show(self.declined)
        self.voice.say("declined")
        self._auto_timer.start(6000)

    def _choose_family(self, family: str) -> None:
        self._family = family
        self.cities.set_cities(self.services.cities(family))
        variants = self.services.variants(family)
        if len(variants) > 1:
            name = dict(self.services.families()).get(family, "")
            self.variants.title.setText(self.tr("{name}：请选择哪一种").format(name=name))
            self.variants.set_choices([(v.label, v.value, "") for v in variants])
            self._show(self.variants)
            return
        self.session.choose_spec(self.services.spec_for(family, None))

    def _choose_city(self, city: str, province: str) -> None:
        self.session.choose_city(city, province)
        spec = self.services.spec_for(self._family, city or None)
        if spec is not None and spec is not self.session.spec and self.session.state == State.LIVE:
            self.session.choose_spec(spec)  # the city's own variant (LIVE -> LIVE)
            if self.loop is not None:
                self.loop.spec = spec
            self.live.set_spec(spec)

    def _show_countdown(self, n: int | None) -> None:
        self.live.set_countdown(n)
        if n is None:
            self._countdown_timer.stop()
        else:
            self.voice.say(f"count_{n}")

    def capture_now(self) -> None:
        self.flow.auto_capture_now()

    def _retries_left(self) -> int:
        return self.flow.retries_left or 0

    def _show_result(self) -> None:
        result = self.session.data.result
        ok, reasons = self.services.judge(result)
        left = self._retries_left()
        if not ok and left == 0:
            self._ask_staff(self.tr("照片没有拍好，工作人员会帮您。\n这次拍的照片已经删除。"))
            self.session.send("cancel")  # wiped now, while the customer reads the screen
            return
        self.result.show_result(getattr(result, "photo", None), ok, reasons, left)
        self._show_review_step("result")
        self.voice.say("result_ok" if ok else "result_retry")

    def _show_review_step(self, step: str) -> None:
        self.substep = step
        screen = {"result": self.result, "id": self.id_entry, "phone": self.phone_entry}[step]
        self._show(screen)
        if step == "id":
            self.voice.say("enter_id")
        elif step == "phone":
            self.voice.say("enter_phone")

    def _use_photo(self) -> None:
        ok, _ = self.services.judge(self.session.data.result)
        if ok:
            # the ID number is required where the receipt carries it (社保卡, 身份证); others may skip
            self.id_entry.skip.setVisible(not self.services.id_required(self.session.spec))
            self._show_review_step("id")

    def _retake(self) -> None:
        if self.session.can("retake"):
            self.session.retake()

    def _id_entered(self, text: str, skipped: bool = False) -> None:
        if skipped and self.services.id_required(self.session.spec):
            return
        check = None if skipped else self.services.check_id(text)
        if check is not None:
            self.id_entry.show_error(check)
            return
        self._id_number = text
        self._show_review_step("phone")

    def _phone_entered(self, text: str) -> None:
        if text and not (len(text) == 11 and text.startswith("1")):
            self.phone_entry.show_error(self.tr("手机号码是 11 位，以 1 开头"))
            return
        d = self.session.data
        applicant = Applicant(id_number=getattr(self, "_id_number", ""), phone=text, city=d.city, province=d.province)
        self._id_number = ""
        self.session.approve(applicant)

    def _confirm_back(self) -> None:
        self.session.send("back")  # APPROVED -> REVIEW
        self._show_review_step("phone")

    def _confirm(self) -> None:
        self.session.send("output")

    # -- session transitions -> screens ----------------------------------------------------
    def _on_transition(self, tr) -> None:
        target = tr.target
        if self.feed is not None:
            self.feed.analysing = target in (State.LIVE, State.COUNTDOWN)
        if target != State.COUNTDOWN:
            self._countdown_timer.stop()
        if target == State.IDLE:
            self.wipe()
            if self.stack.currentWidget() not in (self.declined, self.thanks, self.staff):
                self._show(self.attract)
            return
        if target == State.FAILSAFE:
            self.wipe()
            self._show(self.failsafe)
            self.voice.say("failsafe")
            self._auto_timer.start(self._failsafe_ms())
            return
        if target == State.PROCESSING:
            self._show(self.processing)
            self.voice.say("processing")  # the flow runs the processing job
            return
        if target == State.OUTPUT:
            self._show(self.working)  # the flow runs the output job
            return
        if target == State.DONE:
            self._after_done()
            return
        if target == State.LIVE and tr.source in (State.REVIEW, State.REJECTED) and self.loop is not None:
            self.loop.clear()  # the retake starts from fresh frames
        if target == State.LIVE and self.loop is not None:
            self.loop.spec = self.session.spec
        if target in (State.LIVE, State.COUNTDOWN):
            self.live.set_spec(self.session.spec)
        if target == State.COUNTDOWN:
            t = self.flow.timings
            self._countdown_timer.start(max(10, round(min(t.tick_s, t.countdown_step_s / 4) * 1000)))
        self._show_for_state(target, tr)

    def _show_for_state(self, state: State, tr=None) -> None:
        if self._paused and state not in (State.IDLE, State.FAILSAFE, State.DONE, State.OUTPUT, State.PROCESSING):
            self._show(self.paused)
            return
        if state == State.IDLE:
            self._show(self.attract)
        elif state == State.CONSENT:
            self._show(self.consent)
            self.voice.say("consent")
        elif state == State.CHOOSE_SPEC:
            self._show(self.documents)
            self.voice.say("choose_document")
        elif state == State.CHOOSE_CITY:
            self._show(self.cities)
            self.voice.say("choose_city")
        elif state in (State.LIVE, State.COUNTDOWN):
            if self.stack.currentWidget() is not self.live:
                self.voice.say("look_camera")
            self._show(self.live)
        elif state == State.REVIEW:
            if tr is not None and tr.event == "processed":
                self._show_result()
            else:
                self._show_review_step(self.substep or "result")
        elif state == State.APPROVED:
            d = self.session.data
            spec = d.spec
            lines = [self.tr("证件：{name}").format(name=spec.name(messages.language()) if spec is not None else "")]
            if d.city:
                lines.append(self.tr("城市：{city}").format(city=d.city))
            lines.append(self.tr("身份证：{id}").format(id=self.services.mask_id(d.applicant.id_number) or self.tr("未填")))
            lines.append(self.tr("手机：{phone}").format(phone=mask_phone(d.applicant.phone) or self.tr("未填")))
            self.confirm.show_summary(getattr(d.result, "photo", None), lines)
            self._show(self.confirm)
            self.voice.say("confirm")
        elif state == State.FAILSAFE:
            self._show(self.failsafe)

    def _show(self, screen: QWidget) -> None:
        if self.stack.currentWidget() is not screen:
            self.stack.setCurrentWidget(screen)
            self.screenChanged.emit(screen.name)
        self.overlay.hide()

    def current_screen(self) -> str:
        return self.stack.currentWidget().name

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        event.accept()  # no key does anything for the customer

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.allow_close:
            event.ignore()
            return
        if self.feed is not None:
            self.feed.stop()
            self.feed = None
        for job in list(running_jobs(self)):
            job.wait(10000)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            if self._translator is not None:
                app.removeTranslator(self._translator)
        event.accept()

    def resizeEvent(self, event) -> None:  # noqa: N802
        self.overlay.setGeometry(self.rect())
        self.mute_button.move(self.width() - self.mute_button.width() - 16, 12)
        self.mute_button.raise_()
        portrait = self.height() > self.width()
        for i in range(self.stack.count()):
            self.stack.widget(i).set_portrait(portrait)
        super().resizeEvent(event)

    def show_kiosk(self) -> None:
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()
