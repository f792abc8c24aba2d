"""The kiosk screens, one per file. Each is a plain widget with signals; the window decides what comes next.

Wording is short, plain and polite (elderly first-time users): one instruction per screen, the
main action as the biggest button, "back"/"start over" always in the same place.
"""

from .base import rgb_to_qimage, Screen, BackRow, _text_width, PhotoLabel
from .attract import AttractScreen
from .consent import ConsentScreen
from .document import DocumentScreen
from .choice import ChoiceScreen
from .city import CityScreen
from .guide_view import GuideView
from .live import LiveScreen
from .message import MessageScreen
from .result import ResultScreen
from .number import NumberScreen
from .confirm import ConfirmScreen
from .pickup import PickupScreen
from .admin import AdminScreen
from .idle import IdleOverlay

__all__ = [
    "rgb_to_qimage",
    "Screen",
    "BackRow",
    "_text_width",
    "PhotoLabel",
    "AttractScreen",
    "ConsentScreen",
    "DocumentScreen",
    "ChoiceScreen",
    "CityScreen",
    "GuideView",
    "LiveScreen",
    "MessageScreen",
    "ResultScreen",
    "NumberScreen",
    "ConfirmScreen",
    "PickupScreen",
    "AdminScreen",
    "IdleOverlay",
]
