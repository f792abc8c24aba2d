"""The Qt-free flow driver: countdown, grace, burst, retries, hints, jobs and the failsafe, on a
fake clock with an inline (or a deferred) executor."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from studio_app.flow import FlowDriver, FlowTimings, inline_executor
from studio_app.live import BurstEntry
from studio_app.session import Applicant, OutputRecord, Session, State
from studio_app.specs import get_spec


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


class Frames:
    """The live loop's burst as the driver sees it."""

    def __init__(self):
        self.best = None
        self.last = None
        self.asked = []
        self.resets = 0

    def best_capture(self, require_ok=True):
        self.asked.append(require_ok)
        return self.best

    def reset_hold(self):
        self.resets += 1


def entry(ts=1000, value=200):
    return BurstEntry(np.full((40, 30, 3), value, np.uint8), ts, None, None, True, 5.0)


class Deferred:
    """An executor that keeps jobs until the test runs them (a worker thread, in slow motion)."""

    def __init__(self):
        self.jobs = []

    def __call__(self, job, on_done, on_failed):
        self.jobs.append((job, on_done, on_failed))

    def run_all(self):
        jobs, self.jobs = self.jobs, []
        for job, done, failed in jobs:
            inline_executor(job, done, failed)


def result(ok=False, ready=False):
    return SimpleNamespace(ok=ok, ready=ready)


def make(executor=inline_executor, process=None, output=None, **kw):
    clock = Clock()
    outputs = []

    def default_output(req):
        outputs.append(req)
        return OutputRecord(receipt_no="A0100001", extra={"order": "o-1"})

    session = Session(skip=(State.CONSENT, State.CHOOSE_SPEC, State.CHOOSE_CITY), default_spec=get_spec("sscard"),
                      services={"process": process or (lambda rgb, spec, opt, an: SimpleNamespace(photo=rgb)),
                                "output": output or default_output},
                      clock=clock, max_retakes=kw.pop("max_retakes", None))
    frames = Frames()
    flow = FlowDriver(session, executor=executor, frames=frames, **kw)
    seen, counts = [], []
    flow.subscribe(lambda tr: seen.append(tr.target))
    flow.on_countdown(counts.append)
    session.start()
    assert session.state == State.LIVE
    return SimpleNamespace(flow=flow, session=session, clock=clock, frames=frames, seen=seen, counts=counts,
                           outputs=outputs)


def run_for(f, seconds, step=0.1):
    for _ in range(int(round(seconds / step))):
        f.clock.t += step
        f.flow.tick()


def test_countdown_runs_three_steps_of_one_second_then_captures_the_burst_pick():
    f = make()
    f.frames.best = f.frames.last = entry()
    f.flow.on_live_result(result(ok=True, ready=True))
    assert f.session.state == State.COUNTDOWN and f.counts == [3]
    run_for(f, 0.9)
    assert f.counts == [3]
    run_for(f, 0.2)
    assert f.counts == [3, 2]
    run_for(f, 1.0)
    assert f.counts == [3, 2, 1] and f.session.state == State.COUNTDOWN
    run_for(f, 1.0)
    # captured, processed (inline) and in review; the countdown was cleared on the way out
    assert f.counts == [3, 2, 1, None]
    assert f.seen == [State.LIVE, State.COUNTDOWN, State.PROCESSING, State.REVIEW]
    assert f.session.data.capture.auto and f.session.data.capture.timestamp_ms == 1000
    assert f.frames.asked == [True]


def test_not_ready_grace_is_time_based():
    f = make()
    f.flow.on_live_result(result(ok=True, ready=True))
    f.flow.on_live_result(result(ok=False))  # a blink starts the grace
    f.clock.t += 0.5
    f.flow.on_live_result(result(ok=False))
    assert f.session.state == State.COUNTDOWN
    f.flow.on_live_result(result(ok=True))  # back in place: the grace starts over
    f.clock.t += 0.1
    f.flow.on_live_result(result(ok=False))
    f.clock.t += 0.7
    f.flow.on_live_result(result(ok=False))
    assert f.session.state == State.COUNTDOWN
    f.clock.t += 0.1
    f.flow.on_live_result(result(ok=False))
    assert f.session.state == State.LIVE and f.session.history[-1].event == "not_ready"
    assert f.counts == [3, None]


def test_ready_is_ignored_without_auto_capture_and_turning_it_off_cancels():
    f = make(auto_capture=False)
    f.flow.on_live_result(result(ok=True, ready=True))
    assert f.session.state == State.LIVE
    f.flow.auto_capture = True
    f.flow.on_live_result(result(ok=True, ready=True))
    assert f.session.state == State.COUNTDOWN
    f.flow.set_auto_capture(False)
    assert f.session.state == State.LIVE and f.session.history[-1].event == "cancel_countdown"


def test_countdown_without_a_burst_pick_goes_back_to_live():
    f = make()
    f.flow.on_live_result(result(ok=True, ready=True))
    run_for(f, 3.0)
    assert f.session.state == State.LIVE and f.session.history[-1].event == "not_ready"
    assert f.frames.resets >= 2  # entering LIVE restarts the hold


def test_burst_pick_older_than_the_window_is_not_this_moment():
    f = make(require_ok=False)
    f.frames.best = entry(ts=1000)
    f.frames.last = SimpleNamespace(timestamp_ms=1000 + 1501)
    assert f.flow.pick_burst() is None
    f.frames.last = SimpleNamespace(timestamp_ms=1000 + 1500)
    assert f.flow.pick_burst() is f.frames.best
    assert f.frames.asked == [False, False]


def test_jobs_run_through_the_executor_and_listeners_see_every_state_in_order():
    ex = Deferred()
    f = make(executor=ex, auto_output=True)
    f.session.capture(np.zeros((40, 30, 3), np.uint8))
    assert f.session.state == State.PROCESSING and len(ex.jobs) == 1
    ex.run_all()
    assert f.session.state == State.REVIEW
    f.session.approve(Applicant(name="张三"))
    # APPROVED sends "output" by itself (operator) after every listener saw APPROVED
    assert f.session.state == State.OUTPUT and len(ex.jobs) == 1
    ex.run_all()
    assert f.session.state == State.DONE
    assert f.seen == [State.LIVE, State.PROCESSING, State.REVIEW, State.APPROVED, State.OUTPUT, State.DONE]
    assert f.session.data.outputs.receipt_no == "A0100001" and f.session.data.order == "o-1"
    assert f.outputs[0].applicant.name == "张三"


def test_without_auto_output_the_shell_confirms():
    f = make()
    f.session.capture(np.zeros((40, 30, 3), np.uint8))
    f.session.approve(Applicant(name="李四"))
    assert f.session.state == State.APPROVED
    f.flow.post("output")
    assert f.session.state == State.DONE


def test_a_late_job_result_after_cancel_is_dropped():
    ex = Deferred()
    f = make(executor=ex)
    f.session.capture(np.zeros((40, 30, 3), np.uint8))
    f.session.send("cancel")  # the customer walked away while processing
    assert f.session.state == State.IDLE
    ex.run_all()
    assert f.session.state == State.IDLE and f.session.data.result is None


def test_processing_failure_is_a_failsafe_unless_the_shell_handles_it():
    def boom(*a):
        raise ValueError("no face")

    f = make(process=boom)
    f.session.capture(np.zeros((40, 30, 3), np.uint8))
    assert f.session.state == State.FAILSAFE and "no face" in f.session.data.error

    handled = []

    def keep_in_review(exc):
        handled.append(str(exc))
        f2.flow.post("processed", result=None)
        return True

    f2 = make(process=boom, on_processing_failed=keep_in_review)
    f2.session.capture(np.zeros((40, 30, 3), np.uint8))
    assert handled == ["no face"] and f2.session.state == State.REVIEW


def test_output_failure_and_a_failing_listener_land_in_failsafe():
    def full(req):
        raise OSError(28, "No space left on device")

    f = make(output=full)
    f.session.capture(np.zeros((40, 30, 3), np.uint8))
    f.session.approve(Applicant(name="王五"))
    f.flow.post("output")
    assert f.session.state == State.FAILSAFE and "No space" in f.session.data.error

    g = make()
    g.flow.subscribe(lambda tr: 1 / 0 if tr.target == State.COUNTDOWN else None)
    g.flow.on_live_result(result(ok=True, ready=True))
    assert g.session.state == State.FAILSAFE
    assert g.session.send("reset") == State.IDLE


def test_a_failing_countdown_step_is_a_failsafe():
    f = make()
    f.frames.best = f.frames.last = entry()
    f.flow.on_countdown(lambda n: 1 / 0 if n == 2 else None)
    f.flow.on_live_result(result(ok=True, ready=True))
    run_for(f, 1.0)
    assert f.session.state == State.FAILSAFE and f.counts[-1] is None


def test_retries_left_counts_down_and_the_last_retake_is_refused():
    f = make(max_retakes=1)
    assert f.flow.retries_left == 1
    f.session.capture(np.zeros((40, 30, 3), np.uint8))
    f.session.retake()
    assert f.flow.retries_left == 0
    f.session.capture(np.zeros((40, 30, 3), np.uint8))
    assert not f.session.can("retake")
    assert make().flow.retries_left is None


def test_hint_is_spoken_after_it_holds_and_not_repeated_too_soon():
    f = make()
    t = FlowTimings()
    assert not f.flow.hint_due("turn_left")  # new hint: starts holding
    f.clock.t += t.hint_hold_s - 0.1
    assert not f.flow.hint_due("turn_left")
    f.clock.t += 0.1
    assert f.flow.hint_due("turn_left")
    f.flow.hint_spoken("turn_left")
    f.clock.t += t.hint_repeat_s - 0.5
    assert not f.flow.hint_due("turn_left")
    f.clock.t += 0.5
    assert f.flow.hint_due("turn_left")
    # a different hint must hold on its own, and is then said even right after the other one
    f.flow.hint_spoken("turn_left")
    assert not f.flow.hint_due("chin_up")
    f.clock.t += t.hint_hold_s
    assert f.flow.hint_due("chin_up")


@pytest.mark.parametrize("timings", [FlowTimings(countdown_from=2, countdown_step_s=0.5)])
def test_timings_are_settings(timings):
    f = make(timings=timings)
    f.frames.best = f.frames.last = entry()
    f.flow.on_live_result(result(ok=True, ready=True))
    run_for(f, 0.5)
    assert f.counts == [2, 1]
    run_for(f, 0.5)
    assert f.session.state == State.REVIEW
