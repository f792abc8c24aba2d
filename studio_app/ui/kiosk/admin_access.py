"""The kiosk's staff door and what the customer cannot do: five taps in the top-left corner open
the PIN screen (locked out after repeated failures, every failure audited), the admin screen saves
the kiosk settings, resumes service or leaves kiosk mode; Escape, Alt+F4 and Back do nothing.

A mixin of :class:`~studio_app.ui.kiosk.window.KioskWindow` (its ``tr`` context stays "KioskWindow").
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from ...session import State
from .screens import AttractScreen

ADMIN_TAPS = 5  # taps in the top-left corner ...
ADMIN_TAP_WINDOW_S = 4.0  # ... within this many seconds open the PIN screen
ADMIN_CORNER_PX = AttractScreen.corner_px


class KioskAdminAccess:
    """The admin gesture, the PIN check and the admin screen's actions."""

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        et = event.type()
        if et in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress):
            if self.session.state != State.IDLE:
                self.session.touch()
            if self.overlay.isVisible() and et != QEvent.Type.KeyPress:
                self.overlay.hide()
            if et == QEvent.Type.MouseButtonPress and isinstance(obj, QWidget) and obj.window() is self:
                # a press propagating from a child to its parents is one tap, not several
                stamp = (event.timestamp(), event.globalPosition().toPoint().toTuple())
                if stamp != self._last_press:
                    self._last_press = stamp
                    self._corner_tap(obj.mapTo(self, event.position().toPoint()))
        if et in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F4, Qt.Key.Key_Back, Qt.Key.Key_Close):
                return True  # swallowed: nothing happens
        return False

    def _corner_tap(self, pos: QPoint) -> None:
        if not QRect(0, 0, ADMIN_CORNER_PX, ADMIN_CORNER_PX).contains(pos):
            self._admin_taps.clear()
            return
        now = self.clock()
        self._admin_taps = [t for t in self._admin_taps if now - t <= ADMIN_TAP_WINDOW_S] + [now]
        if len(self._admin_taps) >= ADMIN_TAPS:
            self._admin_taps.clear()
            self.open_admin()

    def open_admin(self) -> None:
        self._before_admin = self.stack.currentWidget()
        self.admin.reset()
        self._show(self.admin)

    def _check_pin(self, pin: str) -> None:
        ok, locked = self.pin_guard.check(pin, self.settings.kiosk_admin_pin_hash)
        if ok:
            self.admin.unlocked(self.settings)
            return
        self._audit_store("kiosk_pin_failed", {"locked_s": locked})
        self.admin.wrong(locked)

    def _audit_store(self, action: str, detail: dict) -> None:
        """Also into the order store's audit log when it is open (never opened just for this)."""
        store = getattr(self.services, "_store", None)
        if store is not None:
            try:
                store.audit(action, detail=detail)
            except Exception:  # noqa: BLE001 - the file audit (pin.PinGuard) already holds it
                pass

    def _admin_save(self, values: dict) -> None:
        """Apply and store the kiosk settings changed on the admin screen."""
        from ...settings import load_settings, save_settings

        stored, _problems = load_settings()
        save_settings(stored.with_changes(**values))
        self.settings = self.settings.with_changes(**values)
        self.session.max_retakes = max(0, int(self.settings.kiosk_max_retries))
        self.services.settings = self.settings
        self.admin.message.setText(self.tr("已保存"))

    def _admin_resume(self) -> None:
        self.admin.reset()
        if self._paused:
            self._show(self.paused)
        elif getattr(self, "_before_admin", None) is not None:
            self._show(self._before_admin)
        else:
            self._show_for_state(self.session.state)

    def _admin_exit(self) -> None:
        if self.session.state != State.IDLE:
            self.session.send("cancel")
        self.wipe()
        self.allow_close = True
        self.exitRequested.emit()
        self.close()
