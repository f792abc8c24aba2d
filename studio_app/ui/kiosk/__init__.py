"""The self-service kiosk shell (``studio-app --kiosk``).

``run_kiosk(app, args, settings) -> int`` opens the full-screen kiosk window and runs until an
administrator leaves it (hidden gesture + PIN). :class:`~studio_app.ui.kiosk.window.KioskWindow`
is the window itself; see docs/kiosk.md.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

__all__ = ["KioskWindow", "run_kiosk", "open_kiosk_source"]


def __getattr__(name: str):
    if name == "KioskWindow":
        from .window import KioskWindow

        return KioskWindow
    raise AttributeError(name)


def open_kiosk_source(args, settings):
    """``--source`` when given (file, folder, video, camera index, demo), else the Qt camera."""
    from ...camera import open_source

    text = getattr(args, "source", None)
    if text:
        return open_source(text)
    from ...camera.qt_source import QtCameraSource

    source = QtCameraSource()
    source.want_device = settings.camera_device
    source.want_format = settings.camera_format
    return source


def run_kiosk(app, args, settings) -> int:
    from ... import messages
    from . import pin
    from .services import KioskServices
    from .window import KioskWindow

    messages.register({
        "kiosk.no_pin": ("自助模式需要先设置管理员密码：studio-app kiosk set-pin",
                         "The kiosk needs an admin PIN first: studio-app kiosk set-pin"),
    })
    if not pin.is_configured(settings.kiosk_admin_pin_hash):
        print(messages.both("kiosk.no_pin"), file=sys.stderr)
        return 2
    source = open_kiosk_source(args, settings)
    services = KioskServices(settings)
    window = KioskWindow(settings, services, source)
    window.exitRequested.connect(app.quit)
    previous_hook = sys.excepthook

    def hook(exc_type, exc, tb):  # an exception escaping any slot lands in the failsafe
        if issubclass(exc_type, Exception):
            window.handle_error(exc)
        else:
            previous_hook(exc_type, exc, tb)

    sys.excepthook = hook
    try:
        window.show_kiosk()
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook
