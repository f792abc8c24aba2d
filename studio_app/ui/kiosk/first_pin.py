"""First kiosk start without an admin PIN: staff set it on the screen (twice, 6-12 digits) instead
of meeting a dead-end error dialog. Only the salted hash is saved (settings.json), as with
``studio-app kiosk set-pin``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from . import pin as pinlib
from .widgets import NumPad, button, kiosk_stylesheet


class FirstPinDialog(QDialog):
    """Enter the new PIN, then again; ``pin_hash`` holds the saved hash after ``accept()``."""

    def __init__(self, parent=None, iterations: int = pinlib.ITERATIONS):
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置管理员密码"))
        self.setStyleSheet(kiosk_stylesheet())  # the kiosk's own large touch targets
        self.iterations = iterations
        self.pin_hash = ""
        self._first: str | None = None
        layout = QVBoxLayout(self)
        self.message = QLabel()
        self.message.setObjectName("firstPinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 28px;")
        layout.addWidget(self.message)
        self.pad = NumPad(pinlib.MAX_LENGTH, secret=True, submit_text=self.tr("确定"))
        self.pad.submitted.connect(self._submitted)
        layout.addWidget(self.pad)
        self.later = button(self.tr("以后再设置（退出自助模式）"), "secondary", object_name="firstPinLater")
        self.later.clicked.connect(self.reject)
        layout.addWidget(self.later)
        self._ask_first()

    def _ask_first(self, problem: str = "") -> None:
        self._first = None
        self.message.setText((problem + "\n" if problem else "")
                             + self.tr("首次使用：请工作人员设置管理员密码（6–12 位数字），用于退出自助模式"))
        self.pad.clear()
        self.pad.setFocus()

    def _submitted(self, value: str) -> None:
        if self._first is None:
            if not pinlib.valid_pin_text(value):
                self._ask_first(self.tr("密码必须是 6–12 位数字"))
                return
            self._first = value
            self.pad.clear()
            self.message.setText(self.tr("请再输入一次"))
            return
        if value != self._first:
            self._ask_first(self.tr("两次输入不一致，请重新设置"))
            return
        from ...settings import load_settings, save_settings

        self.pin_hash = pinlib.hash_pin(value, iterations=self.iterations)
        stored, _problems = load_settings()
        save_settings(stored.with_changes(kiosk_admin_pin_hash=self.pin_hash))
        self.accept()


def ask_first_pin(settings):
    """The settings with a PIN set on the screen, or None when staff chose "later"."""
    dialog = FirstPinDialog()
    dialog.setWindowState(Qt.WindowState.WindowFullScreen)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return settings.with_changes(kiosk_admin_pin_hash=dialog.pin_hash)
