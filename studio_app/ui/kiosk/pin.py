"""Moved to :mod:`studio_app.kiosk_pin` (Qt-free; ``studio-app kiosk set-pin`` uses it and the core
may not import ui); this name stays for older imports. The same module object, not a copy."""

import sys

from ... import kiosk_pin as _moved

sys.modules[__name__] = _moved
