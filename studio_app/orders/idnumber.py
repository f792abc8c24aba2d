"""Moved to :mod:`studio_app.codes.idnumber` (receipts use it too and may not import orders); this
name stays so older imports keep working. It is the same module object, not a copy."""

import sys

from ..codes import idnumber as _moved

sys.modules[__name__] = _moved
