"""Moved to :mod:`studio_app.codes.regions` (receipts use it too and may not import orders); this
name stays so older imports keep working. It is the same module object, not a copy."""

import sys

from ..codes import regions as _moved

sys.modules[__name__] = _moved
