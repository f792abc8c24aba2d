"""Qt widgets: the operator window (this package) and the kiosk shell (:mod:`.kiosk`).

Importing this package (the kiosk and the Qt camera source do too) first applies
:func:`keep_none_alive`: PySide6 6.12's generated bindings return ``None`` from every void
method without taking a new reference (and lose references to ``True``/``False`` somewhere too). On Python 3.12+ ``None`` is immortal and nothing
happens; on 3.11 each call drops one reference from ``None``, and a live preview (tens of
painter calls per frame at 30 fps) drove the count to zero within a minute — "Fatal Python
error: none_dealloc". Giving ``None`` a huge reference count makes it immortal in practice.
"""

from __future__ import annotations

from ..immortal import keep_none_alive  # Qt-free; camera/qt_source calls it too

keep_none_alive()


def safe_override(method):
    """Decorate a Qt virtual override (event handlers) so an exception is logged, never raised
    back into Qt: PySide6 6.12 on Python 3.11 can crash (segfault in PepException_GetArgs) while
    reporting an exception from an override that a Python call triggered (``widget.close()``,
    ``QTest.keyClick``)."""
    import functools
    import logging

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception:  # noqa: BLE001
            logging.getLogger(method.__module__).exception("%s failed", method.__qualname__)
            return None

    return wrapper
