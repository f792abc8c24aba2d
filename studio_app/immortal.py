"""Keep ``None``, ``True`` and ``False`` alive under PySide6 6.12 on Python 3.11 (Qt-free).

PySide6 6.12's generated bindings return ``None`` from every void method without taking a new
reference (and lose references to ``True``/``False`` somewhere too). On Python 3.12+ they are
immortal and nothing happens; on 3.11 each call drops one reference, and a live preview (tens of
painter calls per frame at 30 fps) drove the count to zero within a minute ("Fatal Python
error: none_dealloc"). Giving them a huge reference count makes them immortal in practice.
Called on import by :mod:`studio_app.ui` and :mod:`studio_app.camera.qt_source`.
"""

from __future__ import annotations

import sys


def keep_none_alive() -> bool:
    """Make ``None``, ``True`` and ``False`` effectively immortal on CPython < 3.12; True when it
    changed anything. (``True``/``False``: a 2 x 15 s live benchmark ended in "Fatal Python error:
    bool_dealloc" at interpreter exit, the same binding bug on bool results.)"""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    changed = False
    for obj in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field of PyObject
        if refcnt.value < (1 << 40):
            refcnt.value += 1 << 42
            changed = True
    return changed


