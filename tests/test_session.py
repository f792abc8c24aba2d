"""The Qt-free session state machine: transitions, skipped steps, failsafe, wipe, timeout."""

from __future__ import annotations

import numpy as np
import pytest

from studio_app.session import (Applicant, OutputRecord, Session, SessionError, State)
from studio_app.specs import get_spec


@pytest.fixture
def spec():
    return get_spec("sscard")


class FakeResult:
    def __init__(self, frame):
        self.photo = frame[:10, :10].copy()
        self.ok = True


def fake_process(rgb, spec, options, analysis):
    return FakeResult(rgb)


def make(calls=None, **kw):
    calls = calls if calls is not None else []

    def output(req):
        calls.append(req)
        return OutputRecord(receipt_no="A0112345")

    kw.setdefault("services", {"process": fake_process, "output": output})
    return Session(**kw)


def frame():
    return np.full((40, 30, 3), 200, np.uint8)


def test_kiosk_flow_visits_every_step(spec):
    calls = []
    s = make(calls)
    seen = []
    s.subscribe(lambda tr: seen.append(tr.target))
    assert s.start() == State.CONSENT
    assert s.send("accept") == State.CHOOSE_SPEC
    assert s.choose_spec(spec) == State.CHOOSE_CITY  # social-security cards need the city
    assert s.choose_city("深圳市", "广东省") == State.LIVE
    assert s.data.applicant.city == "深圳市"
    assert s.send("ready") == State.COUNTDOWN
    assert s.capture(frame(), 1234, auto=True) == State.PROCESSING
    assert s.run_processing() == State.REVIEW
    assert isinstance(s.data.result, FakeResult)
    assert s.approve(Applicant(name="张三", id_number="x", city="深圳市")) == State.APPROVED
    assert s.run_output() == State.DONE
    assert calls[0].applicant.name == "张三" and calls[0].approved and calls[0].city == "深圳市"
    assert s.data.outputs.receipt_no == "A0112345"
    assert s.send("finish") == State.IDLE
    assert not s.has_personal_data
    assert seen[:4] == [State.CONSENT, State.CHOOSE_SPEC, State.CHOOSE_CITY, State.LIVE]


def test_operator_skips_consent_and_city_and_keeps_spec(spec):
    s = make(skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=spec)
    assert s.start() == State.CHOOSE_SPEC
    assert s.choose_spec(spec) == State.LIVE
    s.capture(frame())
    s.run_processing()
    s.send("cancel")
    assert s.state == State.IDLE and s.data.capture is None and s.data.spec is spec


def test_city_step_skipped_for_specs_without_cities():
    s = make()
    s.start()
    s.send("accept")
    assert s.choose_spec(get_spec("one_inch")) == State.LIVE
    assert s.send("back") == State.CHOOSE_SPEC  # back also skips the city step


def test_illegal_event_raises_and_keeps_state(spec):
    s = make()
    with pytest.raises(SessionError):
        s.send("approve")
    assert s.state == State.IDLE
    assert "start" in s.allowed_events() and "approve" not in s.allowed_events()


def test_exception_in_hook_falls_into_failsafe_and_reset_wipes(spec):
    s = make(skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=spec)

    def boom(session, tr):
        raise RuntimeError("printer on fire")

    s.on_enter(State.REVIEW, boom)
    s.start()
    s.choose_spec(spec)
    s.capture(frame())
    assert s.run_processing() == State.FAILSAFE
    assert "printer on fire" in s.data.error and "RuntimeError" in s.data.error_detail
    assert not s.can("capture")
    assert s.send("reset") == State.IDLE
    assert s.data.capture is None and s.data.error == ""


def test_failing_service_goes_to_failsafe(spec):
    def bad_process(*a):
        raise ValueError("no face")

    s = Session(skip=[State.CONSENT, State.CHOOSE_CITY], services={"process": bad_process})
    s.start()
    s.choose_spec(spec)
    s.capture(frame())
    assert s.run_processing() == State.FAILSAFE
    assert s.data.error == "no face"


def test_capture_without_spec_is_refused_into_failsafe():
    s = make(skip=[State.CONSENT, State.CHOOSE_SPEC, State.CHOOSE_CITY])
    assert s.start() == State.LIVE
    assert s.capture(frame()) == State.FAILSAFE


def test_wipe_zeroes_the_frames(spec):
    s = make(skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=spec)
    s.start()
    s.choose_spec(spec)
    s.capture(frame())
    s.run_processing()
    captured = s.data.capture.frame
    photo = s.data.result.photo
    s.data.applicant.id_number = "440300199001011234"
    s.send("timeout")
    assert s.state == State.IDLE
    assert captured.max() == 0 and photo.max() == 0
    assert s.data.applicant.id_number == ""


def test_enter_exit_hooks_order(spec):
    s = make(skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=spec)
    order = []
    s.on_exit(State.LIVE, lambda ses, tr: order.append(("exit", tr.source, ses.state)))
    s.on_enter(State.COUNTDOWN, lambda ses, tr: order.append(("enter", tr.target, ses.state)))
    s.start()
    s.choose_spec(spec)
    s.send("ready")
    assert order == [("exit", State.LIVE, State.LIVE), ("enter", State.COUNTDOWN, State.COUNTDOWN)]
    assert s.send("not_ready") == State.LIVE


def test_reject_retake_and_retake_limit(spec):
    s = make(skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=spec, max_retakes=1)
    s.start()
    s.choose_spec(spec)
    s.capture(frame())
    s.run_processing()
    assert s.reject(["hair_covers_eyebrows"]) == State.REJECTED
    assert s.data.reject_reasons == ("hair_covers_eyebrows",)
    assert s.retake() == State.LIVE and s.data.capture is None and s.data.retakes == 1
    s.capture(frame())
    s.run_processing()
    assert not s.can("retake")
    with pytest.raises(SessionError):
        s.retake()


def test_rejected_order_is_output_with_reasons(spec):
    calls = []
    s = make(calls, skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=spec)
    s.start()
    s.choose_spec(spec)
    s.capture(frame())
    s.run_processing()
    s.reject(["earrings"])
    assert s.run_output() == State.DONE
    assert calls[0].approved is False and calls[0].reject_reasons == ("earrings",)


def test_timeout_uses_the_clock(spec):
    now = [100.0]
    s = make(clock=lambda: now[0], skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=spec)
    s.start()
    s.choose_spec(spec)
    now[0] += 30
    assert not s.check_timeout(60)
    s.touch()
    now[0] += 59
    assert not s.check_timeout(60)
    now[0] += 2
    assert s.check_timeout(60)
    assert s.state == State.IDLE
    assert not s.check_timeout(60)  # idle is not timed out again


def test_back_walks_the_steps(spec):
    s = make()
    s.start()
    s.send("accept")
    s.choose_spec(spec)
    assert s.send("back") == State.CHOOSE_SPEC
    assert s.send("back") == State.CONSENT


def test_a_failing_failsafe_hook_does_not_escape(spec):
    s = make(skip=[State.CONSENT, State.CHOOSE_CITY], default_spec=spec)
    s.on_enter(State.LIVE, lambda ses, tr: (_ for _ in ()).throw(RuntimeError("live broke")))
    s.on_enter(State.FAILSAFE, lambda ses, tr: (_ for _ in ()).throw(RuntimeError("failsafe broke too")))
    s.start()
    assert s.choose_spec(spec) == State.FAILSAFE
    assert s.data.error == "live broke"
    assert s.send("reset") == State.IDLE


def test_core_flow_modules_import_no_qt():
    import subprocess
    import sys

    code = ("import sys, studio_app.session, studio_app.live, studio_app.camera, studio_app.camera.files, "
            "studio_app.camera.demo; s = studio_app.camera.DemoSource(realtime=False).start(); s.read(); "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"
