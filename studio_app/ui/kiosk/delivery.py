"""After the order is confirmed: the operator's review (optional), printing or the pick-up code, thank-you.

A mixin of :class:`~studio_app.ui.kiosk.window.KioskWindow` (its ``tr`` context stays "KioskWindow").
"""

from __future__ import annotations

import logging

from ...session import State
from ..workers import run_job

log = logging.getLogger(__name__)


class KioskDelivery:
    """Needs from the window: settings, services, session, record, temp_dir, screens, voice, _guard."""

    def _after_done(self) -> None:
        self.record = self.session.data.outputs
        if self.settings.kiosk_review_queue:
            self.pickup.show_code(self.services.pickup_code(self.record))
            self.waiting.set_body(self.tr("工作人员正在审核您的照片，审核通过后自动打印。\n取件号码：{code}").format(
                code=self.services.pickup_code(self.record)))
            self._show(self.waiting)
            self.voice.say("wait_review")
            self._review_polls = 0
            self._review_timer.start()
            self._poll_review()
        else:
            self._deliver()

    def _poll_review(self) -> None:
        if self.session.state != State.DONE or self.record is None:
            self._review_timer.stop()
            return
        status = self.services.review_status(self.record)
        if status == "approved":
            self._review_timer.stop()
            self._deliver()
        elif status == "rejected":
            self._review_timer.stop()
            self._ask_staff(self.tr("工作人员没有通过这张照片，请到柜台办理。"))

    def _ask_staff(self, text: str) -> None:
        self.staff.set_body(text)
        self._show(self.staff)
        self.voice.say("ask_staff")
        self._auto_timer.start(30000)

    def _deliver(self) -> None:
        """Print the receipt and the sheet, or show the pick-up code when there is no printer."""
        code = self.services.pickup_code(self.record)
        if self.services.can_print():
            self._show(self.printing)
            self.voice.say("printing")
            record, folder = self.record, self.temp_dir or self._new_temp_dir()
            run_job(lambda: self.services.print_order(record, folder), self._guard(lambda _r: self._printed()), None,
                    self, on_error=self._guard(self._print_failed))
        else:
            self.pickup.show_code(code, self.tr("凭此号码到柜台领取照片和回执"))
            self._show(self.pickup)
            self.voice.say("pickup")

    def _printed(self) -> None:
        if self.session.state != State.DONE:
            return
        self._show(self.thanks)
        self.voice.say("thanks")
        self._auto_timer.start(10000)

    def _print_failed(self, exc: BaseException) -> None:
        """The order is confirmed and stored: a printer problem sends the customer to the counter
        with the pick-up code instead of to the failsafe."""
        log.error("kiosk printing failed", exc_info=exc)
        if self.session.state != State.DONE:
            return
        self.pickup.show_code(self.services.pickup_code(self.record),
                              self.tr("打印机暂时不能用，请凭此号码到柜台领取照片和回执"))
        self._show(self.pickup)
        self.voice.say("pickup")

    def _finish(self) -> None:
        if self.session.state == State.DONE:
            self.session.send("finish")
        self._show(self.thanks)
        self.voice.say("thanks")
        self._auto_timer.start(6000)

    def restart(self) -> None:
        """"Start over" / timeout: back to the attract screen, everything wiped."""
        self._auto_timer.stop()
        if self.session.state == State.FAILSAFE:
            self.session.send("reset")
        elif self.session.state != State.IDLE:
            self.session.send("cancel")
        else:
            self.wipe()
            self._show(self.attract)

    def _auto_return(self) -> None:
        if self.session.state == State.FAILSAFE:
            self.session.send("reset")
        elif self.session.state == State.DONE:
            self.session.send("finish")
        elif self.session.state != State.IDLE:
            self.session.send("cancel")
        if self.session.state == State.IDLE:
            self._show(self.attract)
