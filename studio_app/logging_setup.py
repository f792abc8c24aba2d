"""Logging to a rotating file in the user data folder (never names or ID numbers)."""

from __future__ import annotations

import logging
import logging.handlers

from .paths import log_dir

_DONE = False


def setup_logging(level: int = logging.INFO, console: bool = False) -> None:
    global _DONE
    if _DONE:
        return
    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        handler = logging.handlers.RotatingFileHandler(
            log_dir() / "studio_app.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(fmt)
        root.addHandler(handler)
    except OSError:  # a read-only profile must not stop the app
        pass
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(fmt)
        root.addHandler(stream)
    for noisy in ("absl", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _DONE = True
