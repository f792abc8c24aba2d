"""The self-service kiosk shell (``studio-app --kiosk``).

``run_kiosk(app, args, settings) -> int`` opens the full-screen kiosk window and runs until an
administrator leaves it (hidden gesture + PIN). :class:`~studio_app.ui.kiosk.window.KioskWindow`
is the window itself; see docs/kiosk.md.
"""

from __future__ import annotations

import logging
import sys

from ... import messages

log = logging.getLogger(__name__)

__all__ = ["KioskWindow", "create_window", "run_kiosk", "open_kiosk_source"]

messages.register({
    "kiosk.no_pin": ("自助模式需要先设置管理员密码：studio-app kiosk set-pin",
                     "The kiosk needs an admin PIN first: studio-app kiosk set-pin"),
})


def __getattr__(name: str):
    if name == "KioskWindow":
        from .window import KioskWindow

        return KioskWindow
    raise AttributeError(name)


def open_kiosk_source(args, settings):
    """``--source`` when given (file, folder, video, camera index, demo), else the Qt camera; the
    demo when the machine has no camera at all (as the operator window does), so `make kiosk`
    on a laptop without one shows a face rather than 暂停服务. A camera that exists but fails
    later is still the camera: the kiosk pauses and recovers when it comes back."""
    from ...camera import DemoSource, open_source

    text = getattr(args, "source", None)
    if text:
        return open_source(text)
    from ...camera.qt_source import QtCameraSource, camera_devices

    if not camera_devices():
        log.warning("no camera found: the kiosk runs on the demo source")
        return DemoSource()

    source = QtCameraSource()
    source.want_device = settings.camera_device
    source.want_format = settings.camera_format
    return source


def create_window(settings, args):
    """The kiosk window, full screen once shown (``studio_app.ui.app.run_gui`` shows it and runs
    the event loop). With no admin PIN yet, staff set one on the screen first (first_pin.py);
    raises StudioError("kiosk.no_pin") only when they choose "later"."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ...errors import StudioError
    from . import pin
    from .services import KioskServices
    from .window import KioskWindow

    if not pin.is_configured(settings.kiosk_admin_pin_hash):
        from . import first_pin

        settings = first_pin.ask_first_pin(settings)
        if settings is None:
            raise StudioError("kiosk.no_pin")
    source = open_kiosk_source(args, settings)
    window = KioskWindow(settings, KioskServices(settings), source)
    app = QApplication.instance()
    if app is not None:
        window.exitRequested.connect(app.quit)
    previous_hook = sys.excepthook

    def hook(exc_type, exc, tb):  # an exception escaping any slot lands in the failsafe
        if issubclass(exc_type, Exception) and not window.allow_close:
            window.handle_error(exc)
        else:
            previous_hook(exc_type, exc, tb)

    sys.excepthook = hook
    window.exitRequested.connect(lambda: setattr(sys, "excepthook", previous_hook))
    screen = QApplication.primaryScreen()
    if screen is not None:  # also without a window manager (Xvfb) the window covers the screen
        window.setGeometry(screen.geometry())
    window.setWindowState(Qt.WindowState.WindowFullScreen)
    return window


def run_kiosk(app, args, settings) -> int:
    """Open the kiosk and run until an administrator leaves it; 2 when no PIN is set."""
    from ...errors import StudioError

    try:
        window = create_window(settings, args)
    except StudioError as exc:
        print(exc.both(), file=sys.stderr)
        return 2
    window.show_kiosk()
    return int(app.exec())
