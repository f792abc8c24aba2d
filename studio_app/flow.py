"""The customer's flow over time, without Qt: countdown, not-ready grace, burst pick, retries,
hint throttling and the background jobs. Both shells drive one :class:`FlowDriver`; they map
states to pages and nothing more.

:class:`studio_app.session.Session` is the transition table and the customer's data; this driver
adds what happens *inside* a state, in pibooth's shape: every state may have a handler with

* ``enter(flow, transition)`` — on arrival (start the countdown, submit the processing job);
* ``do(flow)`` — on every :meth:`FlowDriver.tick` while in the state (count down);
* ``validate(flow) -> event | None`` — on every tick after ``do``: the event that leaves the state;
* ``exit(flow, transition)`` — on leaving.

Any exception in a handler, a listener or a job sends the session to ``FAILSAFE`` (the failsafe
state of pibooth). Jobs go through an injected *executor*
``executor(job, on_done, on_failed)``: the shells pass a thread-backed one
(:func:`studio_app.ui.workers.qt_executor`), tests pass :func:`inline_executor`. Events that a
handler or a job raises while a transition is still being announced are queued and sent after
every listener has seen that transition, so a shell never sees REVIEW before PROCESSING.

A still camera (a gPhoto2 DSLR, or a webcam's live view paired with a DSLR) is set as
:attr:`FlowDriver.still`: the capture (the countdown's end or the button) then fires its shutter
in a job (:meth:`FlowDriver.shoot`) and the session captures the full-resolution still, never
the live-view frame the guidance ran on.

Time comes from the session's clock (tests pass a fake one); the shell calls :meth:`tick` from a
timer every :attr:`FlowTimings.tick_s`.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable

from .session import Session, State, Transition

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FlowTimings:
    """One set of timings for every shell (docs/CONTRACTS.md, "flow").

    The countdown is 3-2-1 at one second a step: slow enough to read and hear on the kiosk, and
    the operator's old 700 ms steps were too short for a customer to settle. The not-ready grace
    is measured in time, not in analysed frames, so a slow machine does not cancel later than a
    fast one: 0.8 s of continuously failing checks cancels a countdown (one blink does not).
    """

    countdown_from: int = 3
    countdown_step_s: float = 1.0
    not_ready_grace_s: float = 0.8
    #: a compliant frame older than this (relative to the newest analysed one) is not "this moment"
    burst_window_s: float = 1.5
    #: a spoken hint must stay the same this long before it is said ...
    hint_hold_s: float = 1.5
    #: ... and the same hint is not repeated within this
    hint_repeat_s: float = 6.0
    #: how often the shell calls FlowDriver.tick
    tick_s: float = 0.1


Executor = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]], Any]


def inline_executor(job: Callable[[], Any], on_done: Callable[[Any], None],
                    on_failed: Callable[[BaseException], None]) -> None:
    """Run ``job`` now, on the caller's thread (tests, the CLI)."""
    try:
        result = job()
    except Exception as exc:  # noqa: BLE001 - handed to the flow
        on_failed(exc)
        return
    on_done(result)


class StateHandler:
    """Base of the per-state handlers; every method is optional."""

    def enter(self, flow: "FlowDriver", tr: Transition) -> None:
        pass

    def do(self, flow: "FlowDriver") -> None:
        pass

    def validate(self, flow: "FlowDriver") -> str | None:
        return None

    def exit(self, flow: "FlowDriver", tr: Transition) -> None:
        pass


class LiveHandler(StateHandler):
    def enter(self, flow, tr):
        flow._not_ready_since = None
        if flow.frames is not None and hasattr(flow.frames, "reset_hold"):
            flow.frames.reset_hold()


class CountdownHandler(StateHandler):
    def enter(self, flow, tr):
        flow._countdown_started = flow.clock()
        flow._not_ready_since = None
        flow._set_countdown(flow.timings.countdown_from)

    def do(self, flow):
        t = flow.timings
        left = t.countdown_from - math.floor((flow.clock() - flow._countdown_started) / t.countdown_step_s + 1e-9)
        if left > 0:
            flow._set_countdown(left)

    def validate(self, flow):
        t = flow.timings
        if flow.clock() - flow._countdown_started >= t.countdown_from * t.countdown_step_s - 1e-9:
            flow.auto_capture_now()
        return None

    def exit(self, flow, tr):
        flow._set_countdown(None)


class ProcessingHandler(StateHandler):
    def enter(self, flow, tr):
        flow.submit(flow.session.processing_job(), lambda r: flow.post("processed", result=r),
                    flow._processing_failed, expect=State.PROCESSING)


class OutputHandler(StateHandler):
    def enter(self, flow, tr):
        def done(record):
            flow.post("output_done", outputs=record, order=getattr(record, "extra", {}).get("order"))
        flow.submit(flow.session.output_job(), done, flow.session.fail, expect=State.OUTPUT)


class DecidedHandler(StateHandler):
    """APPROVED / REJECTED: write the outputs straight away when the shell asks for it (the
    operator window); the kiosk shows a confirmation page and sends ``output`` itself."""

    def enter(self, flow, tr):
        if flow.auto_output:
            flow.post("output")


HANDLERS: dict[State, StateHandler] = {
    State.LIVE: LiveHandler(),
    State.COUNTDOWN: CountdownHandler(),
    State.PROCESSING: ProcessingHandler(),
    State.APPROVED: DecidedHandler(),
    State.REJECTED: DecidedHandler(),
    State.OUTPUT: OutputHandler(),
}


class FlowDriver:
    """Runs one :class:`Session` over time.

    ``frames`` is the live loop (``best_capture(require_ok)``, ``last``, ``reset_hold()``, as
    :class:`studio_app.live.LiveLoop`): the burst the countdown picks from. ``require_ok`` says
    whether the burst pick must pass the checks (operator) or may take the best frame of the hold
    and let review judge it (kiosk). ``on_processing_failed(exc) -> bool`` may handle a failed
    processing job (the operator stays in review with the message); otherwise it is a failsafe.
    """

    def __init__(self, session: Session, *, executor: Executor = inline_executor,
                 timings: FlowTimings | None = None, frames: Any = None, auto_capture: bool = True,
                 require_ok: bool = True, auto_output: bool = False,
                 on_processing_failed: Callable[[BaseException], bool] | None = None,
                 handlers: dict[State, StateHandler] | None = None, clock: Callable[[], float] | None = None):
        self.session = session
        self._clock = clock
        self.executor = executor
        self.timings = timings or FlowTimings()
        self.frames = frames
        self.auto_capture = auto_capture
        self.require_ok = require_ok
        self.auto_output = auto_output
        self.on_processing_failed = on_processing_failed
        self.handlers = dict(HANDLERS if handlers is None else handlers)
        #: a :class:`studio_app.camera.gphoto.StillCamera` whose shutter takes the photo (None: the live frame is it)
        self.still: Any = None
        #: ``on_still_failed(exc)`` when the shutter failed (the flow stays live); default: logged
        self.on_still_failed: Callable[[BaseException], None] | None = None
        self._shooting = False
        self.countdown: int | None = None
        self._countdown_started = 0.0
        self._not_ready_since: float | None = None
        self._hint_key = ""
        self._hint_since = 0.0
        self._last_spoken: tuple[str, float] = ("", -math.inf)
        self._listeners: list[Callable[[Transition], None]] = []
        self._countdown_listeners: list[Callable[[int | None], None]] = []
        self._shooting_listeners: list[Callable[[bool], None]] = []
        self._pending: deque = deque()
        self._depth = 0
        self._generation = 0  # bumped on every transition: a late job result for an old state is dropped
        session.subscribe(self._on_transition)

    # -- wiring -------------------------------------------------------------------------------
    def clock(self) -> float:
        """The flow's time: ``clock`` when given, else the session's (idle) clock."""
        return self._clock() if self._clock is not None else self.session._clock()

    @property
    def state(self) -> State:
        return self.session.state

    def subscribe(self, listener: Callable[[Transition], None]) -> Callable[[], None]:
        """``listener(transition)`` after every state change, before the state's ``enter`` runs."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def on_countdown(self, listener: Callable[[int | None], None]) -> None:
        """``listener(n)`` when the countdown shows ``n`` (3, 2, 1), ``None`` when it ends."""
        self._countdown_listeners.append(listener)

    def on_shooting(self, listener: Callable[[bool], None]) -> None:
        """``listener(True)`` when the still camera's shutter fires, ``listener(False)`` when its
        photo has arrived (before it is captured) or the shutter failed (before the error is handed on)."""
        self._shooting_listeners.append(listener)

    def _set_shooting(self, on: bool) -> None:
        self._shooting = on
        for fn in list(self._shooting_listeners):
            fn(on)

    def post(self, event: str, **data: Any) -> None:
        """Send ``event`` now, or after the transition being announced has reached every listener."""
        self._pending.append((event, data))
        if self._depth == 0:
            self._drain()

    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None],
               on_failed: Callable[[BaseException], None], expect: State | None = None) -> None:
        """Run ``job`` through the executor. When ``expect`` is given, a result that arrives after
        the session has left that state (cancelled, timed out) is dropped."""
        generation = self._generation

        def current() -> bool:
            return expect is None or (self.session.state == expect and self._generation == generation)

        def done(result):
            if current():
                self._guarded(on_done, result)

        def failed(exc):
            if current():
                self._guarded(on_failed, exc)

        self.executor(job, done, failed)

    # -- the live phase ------------------------------------------------------------------------
    def on_live_result(self, result) -> None:
        """One analysed frame: start the countdown when ready, cancel it after the grace."""
        state = self.session.state
        if self._shooting:
            return  # the shutter has fired: what the customer does now is not in the photo
        if state == State.LIVE:
            if self.auto_capture and getattr(result, "ready", False):
                self.post("ready")
        elif state == State.COUNTDOWN:
            now = self.clock()
            if getattr(result, "ok", False):
                self._not_ready_since = None
            elif self._not_ready_since is None:
                self._not_ready_since = now
            elif now - self._not_ready_since >= self.timings.not_ready_grace_s - 1e-9:
                self.post("not_ready")

    def set_auto_capture(self, on: bool) -> None:
        self.auto_capture = on
        if not on:
            self.cancel_countdown()

    def cancel_countdown(self, event: str = "cancel_countdown") -> None:
        if self.session.state == State.COUNTDOWN:
            self.post(event)

    def pick_burst(self):
        """The sharpest frame of the current hold (``LiveLoop.best_capture``), or None when there
        is none or it is older than the burst window."""
        if self.frames is None:
            return None
        best = self.frames.best_capture(require_ok=self.require_ok)
        last = getattr(self.frames, "last", None)
        if best is not None and last is not None and \
                last.timestamp_ms - best.timestamp_ms > self.timings.burst_window_s * 1000:
            return None
        return best

    def auto_capture_now(self) -> bool:
        """The countdown ended: capture the burst pick (or, with a still camera, fire its shutter),
        or go back to LIVE (``not_ready``)."""
        if self._shooting:
            return True  # the shutter fired on an earlier tick
        best = self.pick_burst()
        if best is None:
            self.post("not_ready")
            return False
        if self.still is not None:
            return self.shoot(auto=True)
        self.session.capture(best.frame, best.timestamp_ms, analysis=best.analysis, report=best.report,
                             auto=True, sharpness=best.sharpness)
        return True

    @property
    def shooting(self) -> bool:
        """The still camera's shutter has fired and its photo is on the way."""
        return self._shooting

    def shoot(self, auto: bool = False) -> bool:
        """Fire :attr:`still`'s shutter in a job (a DSLR takes a second or two to take and download
        the photo); the full-resolution still is then captured. A result that arrives after the
        session moved on (countdown cancelled, customer gone) is dropped; a failed shutter leaves
        the flow live and is handed to :attr:`on_still_failed`."""
        still = self.still
        if still is None or self._shooting or self.session.state not in (State.LIVE, State.COUNTDOWN):
            return False
        self._set_shooting(True)
        generation = self._generation
        last = getattr(self.frames, "last", None) if self.frames is not None else None
        ts = int(getattr(last, "timestamp_ms", 0) or 0)

        def done(frame) -> None:
            self._set_shooting(False)
            if self._generation == generation and self.session.state in (State.LIVE, State.COUNTDOWN):
                self._guarded(lambda f: self.session.capture(f, ts, auto=auto), frame)

        def failed(exc: BaseException) -> None:
            self._set_shooting(False)
            log.warning("the still camera's shutter failed: %s", exc)
            if self.session.state == State.COUNTDOWN and self._generation == generation:
                self.post("not_ready")
            if self.on_still_failed is not None:
                self._guarded(self.on_still_failed, exc)

        self.executor(still.capture_still, done, failed)
        return True

    # -- hints ---------------------------------------------------------------------------------
    def hint_due(self, key: str) -> bool:
        """Whether the hint ``key`` (shown now) should be spoken now: it has held for
        ``hint_hold_s`` and was not spoken within ``hint_repeat_s``. Call :meth:`hint_spoken`
        when it was."""
        now = self.clock()
        if key != self._hint_key:
            self._hint_key, self._hint_since = key, now
            return False
        last_key, last_at = self._last_spoken
        return now - self._hint_since >= self.timings.hint_hold_s - 1e-9 and \
            (key != last_key or now - last_at >= self.timings.hint_repeat_s - 1e-9)

    def hint_spoken(self, key: str) -> None:
        self._last_spoken = (key, self.clock())

    def reset_hints(self) -> None:
        self._hint_key, self._hint_since = "", 0.0
        self._last_spoken = ("", -math.inf)

    # -- retries ----------------------------------------------------------------------------------
    @property
    def retries_left(self) -> int | None:
        """Retakes left for this customer (None: unlimited)."""
        m = self.session.max_retakes
        return None if m is None else max(0, int(m) - self.session.data.retakes)

    # -- time --------------------------------------------------------------------------------------
    def tick(self) -> None:
        """Run the current state's ``do`` and ``validate`` (from the shell's timer)."""
        handler = self.handlers.get(self.session.state)
        if handler is None:
            return
        self._depth += 1
        try:
            handler.do(self)
            event = handler.validate(self)
            if event:
                self._pending.append((event, {}))
        except Exception as exc:  # noqa: BLE001 - the failsafe catches everything by design
            self.session.fail(exc)
        finally:
            self._depth -= 1
        if self._depth == 0:
            self._drain()

    # -- internals ------------------------------------------------------------------------------
    def _set_countdown(self, n: int | None) -> None:
        if n == self.countdown:
            return
        self.countdown = n
        for fn in list(self._countdown_listeners):
            fn(n)

    def _processing_failed(self, exc: BaseException) -> None:
        if self.on_processing_failed is not None and self.on_processing_failed(exc):
            return
        self.session.fail(exc)

    def _guarded(self, fn: Callable, *args) -> None:
        self._depth += 1
        try:
            fn(*args)
        except Exception as exc:  # noqa: BLE001
            self.session.fail(exc)
        finally:
            self._depth -= 1
        if self._depth == 0:
            self._drain()

    def _on_transition(self, tr: Transition) -> None:
        # runs inside Session._move: an exception here is the session's failsafe
        self._generation += 1
        self._depth += 1
        try:
            old = self.handlers.get(tr.source)
            if old is not None and tr.source != tr.target:
                old.exit(self, tr)
            for fn in list(self._listeners):
                fn(tr)
            new = self.handlers.get(tr.target)
            if new is not None and tr.source != tr.target:
                new.enter(self, tr)
        finally:
            self._depth -= 1
        if tr.target in (State.IDLE, State.FAILSAFE):
            self._pending.clear()  # nothing queued for the customer who just left
            self.reset_hints()
        if self._depth == 0:
            self._drain()

    def _drain(self) -> None:
        while self._pending and self._depth == 0:
            event, data = self._pending.popleft()
            if not self.session.can(event):
                log.debug("dropped %s in %s", event, self.session.state.value)
                continue
            self.session.send(event, **data)
