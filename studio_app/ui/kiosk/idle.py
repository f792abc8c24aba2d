"""The idle timeout (a warning, then everything wiped) and the wipe itself, screens to disk.

A mixin of :class:`~studio_app.ui.kiosk.window.KioskWindow` (its ``tr`` context stays "KioskWindow").
"""

from __future__ import annotations

import gc
import shutil
import uuid
from pathlib import Path

from ...session import State


class KioskIdle:
    """Needs from the window: settings, session, loop, stack, clock, flow, timers."""

    def _warning_seconds(self) -> int:
        return max(5, min(15, int(self.settings.kiosk_idle_seconds) // 3))

    def tick_idle(self) -> None:
        """Called every second: show the warning, then end and wipe the session."""
        state = self.session.state
        if state in (State.IDLE, State.FAILSAFE, State.PROCESSING, State.OUTPUT) or \
                self.stack.currentWidget() is self.admin:
            self.overlay.hide()
            return
        limit = max(10, int(self.settings.kiosk_idle_seconds))
        idle = self.session.idle_for()
        if idle >= limit:
            self.overlay.hide()
            self.session.send("timeout")  # -> IDLE -> wipe
            return
        left = limit - idle
        if left <= self._warning_seconds():
            self.overlay.set_seconds(int(left + 0.999))
            self.overlay.setGeometry(self.rect())
            if not self.overlay.isVisible():
                self.overlay.show()
                self.overlay.raise_()
                self.voice.say("idle_warning")
        else:
            self.overlay.hide()

    def _keep_alive(self) -> None:
        self.session.touch()
        self.overlay.hide()

    def _new_temp_dir(self) -> Path:
        from ...paths import data_dir

        root = data_dir() / "kiosk" / "sessions"
        self.temp_dir = root / uuid.uuid4().hex
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        return self.temp_dir

    def sessions_root(self) -> Path:
        from ...paths import data_dir

        return data_dir() / "kiosk" / "sessions"

    def wipe(self) -> None:
        """Forget the customer: screens, numbers, frames, the record, the temporary folder."""
        self.substep = ""
        self._id_number = ""
        self.record = None
        self._review_timer.stop()
        self._countdown_timer.stop()
        self.flow.reset_hints()
        for i in range(self.stack.count()):
            self.stack.widget(i).clear_personal()
        if self.loop is not None:
            self.loop.clear()
        if self.session.has_personal_data:
            self.session.wipe()
        root = self.sessions_root()
        if root.is_dir():
            for child in root.iterdir():  # this session's folder and any left by a crash
                shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
        self.temp_dir = None
        gc.collect()
