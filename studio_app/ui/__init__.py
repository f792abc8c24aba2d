"""Qt widgets: the operator window (this package) and the kiosk shell (:mod:`.kiosk`).

Importing this package (the kiosk and the Qt camera source do too) first applies
:func:`keep_none_alive`: PySide6 6.12's generated bindings return ``None`` from every void
method without taking a new reference. On Python 3.12+ ``None`` is immortal and nothing
happens; on 3.11 each call drops one reference from ``None``, and a live preview (tens of
painter calls per frame at 30 fps) drove the count to zero within a minute — "Fatal Python
error: none_dealloc". Giving ``None`` a huge reference count makes it immortal in practice.
"""

from __future__ import annotations

import sys


def keep_none_alive() -> bool:
    """Make ``None`` effectively immortal on CPython < 3.12; True when it changed anything."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    refcnt = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field of PyObject
    if refcnt.value > (1 << 40):
        return False
    refcnt.value += 1 << 42
    return True


keep_none_alive()
