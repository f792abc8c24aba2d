"""One customer's flow as a Qt-free state machine; the operator window and the kiosk drive it.

Modelled on pibooth: explicit states, each with optional ``enter``/``exit`` hooks, and explicit
events that move between them through one transition table. Any exception raised while
handling an event (in a hook, a listener or a service) moves the session to ``FAILSAFE`` and
keeps the error; from there ``reset`` wipes the session and returns to ``IDLE``.

Flow (the kiosk uses every step; the operator window skips consent and city)::

    IDLE --start--> CONSENT --accept--> CHOOSE_SPEC --choose_spec--> CHOOSE_CITY --choose_city--> LIVE
    LIVE --ready--> COUNTDOWN --capture--> PROCESSING --processed--> REVIEW
    LIVE --capture--> PROCESSING                       (operator button / Space)
    COUNTDOWN --cancel_countdown / not_ready--> LIVE
    REVIEW --approve--> APPROVED --output--> OUTPUT --output_done--> DONE --finish--> IDLE
    REVIEW --reject--> REJECTED --retake--> LIVE      REVIEW --retake--> LIVE
    any --cancel / timeout--> IDLE (wiped)             any --error--> FAILSAFE --reset--> IDLE

The session holds the customer's data (spec, city, captured frame, processing result,
applicant, order); :meth:`Session.wipe` drops all of it. Heavy work (processing, writing the
outputs) runs outside the state machine: the shell runs :meth:`Session.processing_job` /
:meth:`Session.output_job` in a worker and sends the result back as an event, so the session
itself is only ever touched from one thread.

Listeners (``session.subscribe(fn)``) get a :class:`Transition` after every state change — the
Qt shells re-emit it as a signal (napari's evented model, without Qt).
"""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Iterable

import numpy as np

from . import messages

log = logging.getLogger(__name__)

messages.register({
    "session.bad_event": ("当前步骤（{state}）不能执行“{event}”", "“{event}” is not possible in step {state}"),
    "session.failsafe": ("出现错误，本次办理已停止：{error}", "Something went wrong and this session stopped: {error}"),
    "session.no_capture": ("还没有拍摄照片", "No photo has been taken yet"),
    "session.no_spec": ("请先选择证件规格", "Choose a document spec first"),
    "session.too_many_retakes": ("重拍次数已达上限", "The retake limit has been reached"),
})


class State(str, Enum):
    IDLE = "idle"  # attract screen / waiting for the next customer
    CONSENT = "consent"  # privacy notice, the customer agrees
    CHOOSE_SPEC = "choose_spec"  # document type
    CHOOSE_CITY = "choose_city"  # the applicant's city (receipts differ by city)
    LIVE = "live"  # live preview with guidance
    COUNTDOWN = "countdown"  # 3-2-1 before auto-capture
    PROCESSING = "processing"  # captured; correcting and re-checking
    REVIEW = "review"  # corrected photo shown for approval
    APPROVED = "approved"  # approved, applicant data complete, outputs not yet written
    REJECTED = "rejected"  # rejected with reasons; retake or resubmit
    OUTPUT = "output"  # writing files, order, receipt, print sheet
    DONE = "done"  # finished; receipt shown / printed
    FAILSAFE = "failsafe"  # an error stopped the flow


class SessionError(Exception):
    """An event that is not allowed in the current state (a programming or UI error)."""


# (state, event) -> target. "*" matches every state except FAILSAFE.
TRANSITIONS: dict[tuple[str, str], State] = {
    (State.IDLE, "start"): State.CONSENT,  # redirected past skipped steps, see Session._route
    (State.CONSENT, "accept"): State.CHOOSE_SPEC,
    (State.CONSENT, "decline"): State.IDLE,
    (State.CHOOSE_SPEC, "choose_spec"): State.CHOOSE_CITY,
    (State.CHOOSE_SPEC, "back"): State.CONSENT,
    (State.CHOOSE_CITY, "choose_city"): State.LIVE,
    (State.CHOOSE_CITY, "back"): State.CHOOSE_SPEC,
    (State.LIVE, "choose_spec"): State.LIVE,  # the operator switches spec while live
    (State.LIVE, "ready"): State.COUNTDOWN,
    (State.LIVE, "capture"): State.PROCESSING,
    (State.LIVE, "back"): State.CHOOSE_CITY,
    (State.COUNTDOWN, "capture"): State.PROCESSING,
    (State.COUNTDOWN, "not_ready"): State.LIVE,
    (State.COUNTDOWN, "cancel_countdown"): State.LIVE,
    (State.PROCESSING, "processed"): State.REVIEW,
    (State.REVIEW, "reprocess"): State.PROCESSING,  # other background / strengths / crop
    (State.REVIEW, "adjusted"): State.REVIEW,  # crop nudged by hand: a re-checked result
    (State.REVIEW, "approve"): State.APPROVED,
    (State.REVIEW, "reject"): State.REJECTED,
    (State.REVIEW, "retake"): State.LIVE,
    (State.REJECTED, "retake"): State.LIVE,
    (State.REJECTED, "output"): State.OUTPUT,  # a rejected order is recorded too (resubmit later)
    (State.APPROVED, "output"): State.OUTPUT,
    (State.APPROVED, "back"): State.REVIEW,
    (State.OUTPUT, "output_done"): State.DONE,
    (State.DONE, "finish"): State.IDLE,
    (State.FAILSAFE, "reset"): State.IDLE,
    ("*", "cancel"): State.IDLE,
    ("*", "timeout"): State.IDLE,
    ("*", "error"): State.FAILSAFE,
}

PRE_LIVE = (State.CONSENT, State.CHOOSE_SPEC, State.CHOOSE_CITY)
#: states in which the customer's face is on screen or being handled
ACTIVE = frozenset(State) - {State.IDLE, State.FAILSAFE}


@dataclass(frozen=True)
class Transition:
    source: State
    target: State
    event: str
    data: dict = field(default_factory=dict)


@dataclass
class Capture:
    """The photo taken: the frame, when, and what the live checks said about it."""

    frame: np.ndarray
    timestamp_ms: int = 0
    analysis: Any = None  # FaceAnalysis of this frame, when known
    report: Any = None  # live ComplianceReport of this frame, when known
    auto: bool = False  # taken by auto-capture (else by button)
    sharpness: float | None = None


@dataclass
class Applicant:
    name: str = ""
    id_number: str = ""
    province: str = ""
    city: str = ""
    phone: str = ""


@dataclass
class SessionData:
    """Everything personal about one customer; :meth:`Session.wipe` replaces it with a fresh one."""

    spec: Any = None  # studio_app.specs.Spec
    city: str = ""
    province: str = ""
    consent: bool = False
    capture: Capture | None = None
    process_options: Any = None  # imaging ProcessOptions, when chosen in review
    result: Any = None  # imaging ProcessResult
    applicant: Applicant = field(default_factory=Applicant)
    reject_reasons: tuple[str, ...] = ()
    retakes: int = 0
    order: Any = None  # the stored order (whatever the store returns)
    outputs: Any = None  # OutputRecord
    error: str = ""  # the failsafe message
    error_detail: str = ""  # traceback text, for the log/support


@dataclass(frozen=True)
class OutputRecord:
    """What the output step produced (paths may be None when that part was not written)."""

    receipt_no: str = ""
    photo_path: Any = None
    sheet_path: Any = None
    sheet_pdf_path: Any = None
    receipt_path: Any = None
    folder: Any = None
    extra: dict = field(default_factory=dict)


Hook = Callable[["Session", Transition], None]


class Session:
    """The state machine. ``skip`` lists pre-live steps this shell does not show.

    ``services`` is a mapping of small callables the session uses (every behaviour behind an
    interface, so tests and shells can swap them):

    * ``process(rgb, spec, options, analysis) -> result`` — default :func:`default_process`
    * ``output(session_snapshot) -> OutputRecord`` — default :func:`default_output`
    """

    def __init__(self, skip: Iterable[State] = (), default_spec=None, max_retakes: int | None = None,
                 services: dict[str, Callable] | None = None, clock: Callable[[], float] = time.monotonic):
        self.skip = frozenset(State(s) for s in skip)
        bad = self.skip - set(PRE_LIVE)
        if bad:
            raise ValueError(f"only pre-live steps can be skipped, not {sorted(s.value for s in bad)}")
        self.default_spec = default_spec
        self.max_retakes = max_retakes
        self.services: dict[str, Callable] = {"process": default_process, "output": default_output}
        self.services.update(services or {})
        self._clock = clock
        self.state = State.IDLE
        self.data = SessionData(spec=default_spec)
        self.history: list[Transition] = []
        self.last_activity = clock()
        self._enter: dict[State, list[Hook]] = {}
        self._exit: dict[State, list[Hook]] = {}
        self._listeners: list[Callable[[Transition], None]] = []
        self._in_failsafe_handler = False

    # -- hooks and listeners ----------------------------------------------------------------
    def on_enter(self, state: State, hook: Hook) -> None:
        self._enter.setdefault(State(state), []).append(hook)

    def on_exit(self, state: State, hook: Hook) -> None:
        self._exit.setdefault(State(state), []).append(hook)

    def subscribe(self, listener: Callable[[Transition], None]) -> Callable[[], None]:
        """Call ``listener(transition)`` after every state change; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    # -- events ---------------------------------------------------------------------------------
    def can(self, event: str) -> bool:
        return self._target(event) is not None

    def allowed_events(self) -> list[str]:
        names = {e for (s, e) in TRANSITIONS if s == self.state or (s == "*" and self.state != State.FAILSAFE)}
        return sorted(e for e in names if self.can(e))

    def send(self, event: str, /, **data: Any) -> State:
        """Handle ``event``; returns the new state. Exceptions inside move to FAILSAFE."""
        target = self._target(event)
        if target is None:
            raise SessionError(messages.text("session.bad_event", "en", state=self.state.value, event=event))
        try:
            self._apply(event, data)
            target = self._route(target, event)
            self._move(target, event, data)
        except Exception as exc:  # noqa: BLE001 - the failsafe catches everything by design
            self.fail(exc)
        return self.state

    def fail(self, exc: BaseException | str) -> State:
        """Enter FAILSAFE with ``exc`` (the shells call this when a worker job raised)."""
        if isinstance(exc, BaseException):
            text = getattr(exc, "message", None)
            text = text() if callable(text) else str(exc) or type(exc).__name__
            detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        else:
            text, detail = str(exc), ""
        log.error("session failsafe in %s: %s\n%s", self.state.value, text, detail)
        self.data.error = text
        self.data.error_detail = detail
        if self.state == State.FAILSAFE or self._in_failsafe_handler:
            return self.state
        self._in_failsafe_handler = True
        try:
            self._move(State.FAILSAFE, "error", {"error": text}, guard=False)
        except Exception:  # noqa: BLE001 - a failing failsafe hook must not escape either
            log.exception("a failsafe hook or listener failed")
            self.state = State.FAILSAFE
        finally:
            self._in_failsafe_handler = False
        return self.state

    # convenience wrappers used by both shells -----------------------------------------------
    def start(self) -> State:
        return self.send("start")

    def choose_spec(self, spec) -> State:
        return self.send("choose_spec", spec=spec)

    def choose_city(self, city: str, province: str = "") -> State:
        return self.send("choose_city", city=city, province=province)

    def capture(self, frame: np.ndarray, timestamp_ms: int = 0, analysis=None, report=None,
                auto: bool = False, sharpness: float | None = None) -> State:
        cap = Capture(np.array(frame, dtype=np.uint8, copy=True), int(timestamp_ms), analysis, report, auto, sharpness)
        return self.send("capture", capture=cap)

    def processed(self, result) -> State:
        return self.send("processed", result=result)

    def approve(self, applicant: Applicant | None = None) -> State:
        return self.send("approve", applicant=applicant) if applicant else self.send("approve")

    def reject(self, reasons: Iterable[str]) -> State:
        return self.send("reject", reasons=tuple(reasons))

    def retake(self) -> State:
        return self.send("retake")

    def touch(self) -> None:
        """Record customer activity (resets the idle timer)."""
        self.last_activity = self._clock()

    def idle_for(self) -> float:
        return self._clock() - self.last_activity

    def check_timeout(self, seconds: float) -> bool:
        """Send ``timeout`` (wiping everything) when active and idle for ``seconds``; True if it did."""
        if self.state in ACTIVE and self.state not in (State.PROCESSING, State.OUTPUT) and self.idle_for() >= seconds:
            self.send("timeout")
            return True
        return False

    # -- data -----------------------------------------------------------------------------------
    @property
    def spec(self):
        return self.data.spec

    @property
    def has_personal_data(self) -> bool:
        d = self.data
        a = d.applicant
        return bool(d.capture is not None or d.result is not None or d.order is not None or d.outputs is not None
                    or a.name or a.id_number or a.phone or d.consent)

    def wipe(self) -> None:
        """Drop all personal data: frames, results, applicant, order (the spec choice stays for the
        operator window's next customer). Image buffers are zeroed before they are released."""
        d = self.data
        for arr in _arrays_in(d):
            try:
                arr.fill(0)
            except (ValueError, AttributeError):  # read-only views
                pass
        keep_spec = self.default_spec if self.default_spec is not None else None
        if State.CHOOSE_SPEC in self.skip and d.spec is not None:
            keep_spec = d.spec  # the operator picked it at the counter, not the customer
        self.data = SessionData(spec=keep_spec)

    def processing_job(self) -> Callable[[], Any]:
        """A no-argument callable that computes the processing result without touching the session
        (run it in a worker thread, then send ``processed(result)``)."""
        d = self.data
        if d.capture is None:
            raise SessionError(messages.text("session.no_capture", "en"))
        if d.spec is None:
            raise SessionError(messages.text("session.no_spec", "en"))
        # a live analysis (reduced size, mask from an earlier frame) is not reused for the still
        analysis = d.capture.analysis if getattr(d.capture.analysis, "mode", "") == "still" else None
        process, frame, spec, options = self.services["process"], d.capture.frame, d.spec, d.process_options
        return lambda: process(frame, spec, options, analysis)

    def output_job(self) -> Callable[[], OutputRecord]:
        """A no-argument callable writing the outputs from a snapshot of the session's data."""
        snapshot = OutputRequest(
            spec=self.data.spec, city=self.data.city, province=self.data.province, capture=self.data.capture,
            result=self.data.result, applicant=Applicant(**vars(self.data.applicant)),
            approved=self.state != State.REJECTED and not self.data.reject_reasons,
            reject_reasons=self.data.reject_reasons, order=self.data.order,
        )
        output = self.services["output"]
        return lambda: output(snapshot)

    def run_processing(self) -> State:
        """Synchronous processing (tests, batch): runs the job and sends ``processed``."""
        try:
            result = self.processing_job()()
        except Exception as exc:  # noqa: BLE001
            return self.fail(exc)
        return self.processed(result)

    def run_output(self) -> State:
        try:
            if self.state in (State.APPROVED, State.REJECTED):
                self.send("output")
            record = self.output_job()()
        except Exception as exc:  # noqa: BLE001
            return self.fail(exc)
        return self.send("output_done", outputs=record)

    # -- internals ------------------------------------------------------------------------------
    def _target(self, event: str) -> State | None:
        target = TRANSITIONS.get((self.state, event))
        if target is None and self.state != State.FAILSAFE:
            target = TRANSITIONS.get(("*", event))
        if target is None:
            return None
        if event == "retake" and self.max_retakes is not None and self.data.retakes >= self.max_retakes:
            return None
        return target

    def _route(self, target: State, event: str) -> State:
        """Skip pre-live steps this shell does not show, and the city step for specs without cities."""
        order = [State.IDLE, *PRE_LIVE, State.LIVE]
        step = -1 if event == "back" else 1

        def skipped(state: State) -> bool:
            if state in self.skip:
                return True
            return state == State.CHOOSE_CITY and self.data.spec is not None and not _spec_needs_city(self.data.spec)

        while target in PRE_LIVE and skipped(target):
            target = order[order.index(target) + step]
        return target

    def _apply(self, event: str, data: dict) -> None:
        d = self.data
        if event == "accept":
            d.consent = True
        elif event == "choose_spec":
            if data.get("spec") is None:
                raise SessionError(messages.text("session.no_spec", "en"))
            d.spec = data["spec"]
        elif event == "choose_city":
            d.city = str(data.get("city") or "")
            d.province = str(data.get("province") or "")
            d.applicant.city = d.city
            d.applicant.province = d.province
        elif event == "capture":
            cap = data.get("capture")
            if cap is None or getattr(cap, "frame", None) is None:
                raise SessionError(messages.text("session.no_capture", "en"))
            if d.spec is None:
                raise SessionError(messages.text("session.no_spec", "en"))
            d.capture = cap
            d.result = None
        elif event in ("processed", "adjusted"):
            d.result = data.get("result")
        elif event == "reprocess":
            if "options" in data:
                d.process_options = data["options"]
        elif event == "approve":
            if data.get("applicant") is not None:
                d.applicant = data["applicant"]
            d.reject_reasons = ()
        elif event == "reject":
            d.reject_reasons = tuple(data.get("reasons") or ())
            if data.get("applicant") is not None:
                d.applicant = data["applicant"]
        elif event == "retake":
            d.retakes += 1
            d.capture = None
            d.result = None
            d.reject_reasons = ()
        elif event == "output_done":
            d.outputs = data.get("outputs")
            if "order" in data:
                d.order = data["order"]
        elif event == "reset":
            d.error = ""

    def _move(self, target: State, event: str, data: dict, guard: bool = True) -> None:
        source = self.state
        tr = Transition(source, target, event, {k: v for k, v in data.items() if k not in ("capture", "result")})
        for hook in self._exit.get(source, []):
            hook(self, tr)
        self.state = target
        self.last_activity = self._clock()
        self.history.append(tr)
        del self.history[:-200]
        if target == State.IDLE:
            self.wipe()  # every way back to the start drops the customer's data
        for hook in self._enter.get(target, []):
            hook(self, tr)
        for listener in list(self._listeners):
            listener(tr)


def _spec_needs_city(spec) -> bool:
    """Only social-security style specs (receipt per city) ask for the applicant's city."""
    family = str(getattr(spec, "family", ""))
    return family in ("sscard", "social_security") or bool(getattr(spec, "city", None)) or "社保" in str(
        getattr(spec, "family_zh", ""))


def _arrays_in(d: SessionData) -> list[np.ndarray]:
    out = []
    if d.capture is not None:
        out.append(d.capture.frame)
        mask = getattr(d.capture.analysis, "person_mask", None)
        if isinstance(mask, np.ndarray):
            out.append(mask)
    if d.result is not None:
        for name in ("photo", "before_image", "original", "matte"):
            val = getattr(d.result, name, None)
            if isinstance(val, np.ndarray):
                out.append(val)
    return [a for a in out if isinstance(a, np.ndarray) and a.flags.writeable]


@dataclass(frozen=True)
class OutputRequest:
    """A snapshot of what the output step needs (safe to hand to a worker thread)."""

    spec: Any
    city: str
    province: str
    capture: Capture | None
    result: Any
    applicant: Applicant
    approved: bool
    reject_reasons: tuple[str, ...]
    order: Any = None


# -- default services (the real pipeline; imported lazily so the core stays light) ----------------
def default_process(rgb: np.ndarray, spec, options=None, analysis=None):
    from .imaging import pipeline

    if options is None:
        options = pipeline.ProcessOptions()
    return pipeline.process_photo(rgb, spec, options, analysis=analysis)


def default_output(req: OutputRequest) -> OutputRecord:
    """Write the photo, sheet and receipt and record the order (operator and kiosk both use it)."""
    return write_order_outputs(req)


def write_order_outputs(req: OutputRequest, settings=None, store=None, resubmit_of: str | None = None,
                        lang: str | None = None, sheet: str = "6inch", more=()) -> OutputRecord:
    """Record the order and write its files through the one order writer
    (:func:`studio_app.services.order_writer.write_order`): ``<output>/<date>/<receipt no>/`` with
    photo.jpg, sheet.jpg + sheet.pdf (print layout, the printer's dpi), report.json and receipt.pdf.
    A rejected photo is recorded with its reasons (no files), so it can be resubmitted later.
    ``more``: ``[(spec, result)]``, the other documents of the same capture (one order).
    Qt-free; both shells use it."""
    import datetime as _dt
    import uuid

    from .services.order_writer import write_order
    from .settings import load_settings, output_dir

    if settings is None:
        settings = load_settings()[0]
    own_store = store is None
    if store is None:
        from .orders import open_store

        store = open_store(settings.database_url or None, station=settings.station_code, settings=settings)
    try:
        a = req.applicant
        if not req.approved:
            result = req.result
            report = result.to_dict(lang or messages.language()) if result is not None and hasattr(
                result, "to_dict") else None
            token = uuid.uuid4().hex
            if resubmit_of:
                order = store.resubmit(resubmit_of, report=report, client_token=token)
            else:
                order = store.create_order(req.spec.id, a.name, a.id_number or None, a.city or None,
                                           phone=a.phone or None, report=report, client_token=token,
                                           more_specs=[sp.id for sp, _r in more])
            order = store.set_status(order.receipt_no, "rejected", list(req.reject_reasons) or ["rejected"])
            return OutputRecord(receipt_no=order.receipt_no, extra={"order": order, "status": order.status})
        written = write_order(store, req.spec, a, req.result, output_dir(settings) / _dt.date.today().isoformat(),
                              settings=settings, sheet=sheet, lang=lang, resubmit_of=resubmit_of, status="exported",
                              more=more)
        order = written.order
        return OutputRecord(receipt_no=order.receipt_no, photo_path=written.first("photo"),
                            sheet_path=written.first("sheet"), sheet_pdf_path=written.first("sheet_pdf"),
                            receipt_path=written.path("receipt.pdf"), folder=written.folder,
                            extra={"order": order, "status": order.status, "image_no": order.image_no})
    finally:
        if own_store:
            store.close()
