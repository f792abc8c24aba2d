"""The shells' Qt stylesheets, kept as files in resources/styles/ (shipped with the bundle)."""

from __future__ import annotations

import logging
from string import Template

from ..paths import resource

log = logging.getLogger(__name__)


def load_stylesheet(name: str, **values: str) -> str:
    """``resources/styles/<name>.qss`` with ``$KEY`` placeholders filled from ``values``.

    A missing file leaves the window unstyled (still usable) and says so in the log; a
    placeholder without a value is an error in the code, so it raises."""
    path = resource("styles", f"{name}.qss")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet %s is missing; the window is unstyled", path)
        return ""
    return Template(text).substitute(values)
