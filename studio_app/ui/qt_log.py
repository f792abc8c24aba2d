"""Qt's own messages go to the log file, not the terminal.

Every start printed ten ``qt.multimedia.symbolsresolver`` lines (optional VA-API / PipeWire
libraries not found), the FFmpeg banner, ``PulseAudioService: pa_context_connect() failed`` and
``This plugin does not support propagateSizeHints()``: harmless, but a newcomer takes them for
errors. :func:`route_qt_messages` installs a Qt message handler (before the QApplication exists,
so the first plugin's lines are caught too) that logs them under ``qt.<category>``; critical and
fatal messages also still reach stderr.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_installed = False


def _handler(mode, context, message) -> None:
    category = getattr(context, "category", None) or "default"
    name = category if category.startswith("qt") else f"qt.{category}"
    level = _LEVELS.get(mode, logging.WARNING)
    logging.getLogger(name).log(level, "%s", message)
    if level >= logging.ERROR:
        try:
            sys.stderr.write(f"{message}\n")
        except Exception:  # noqa: BLE001 - no stderr (a windowed app): the log has it
            pass


def route_qt_messages() -> None:
    """Install the handler once (idempotent)."""
    global _installed
    if _installed:
        return
    qInstallMessageHandler(_handler)
    _installed = True
