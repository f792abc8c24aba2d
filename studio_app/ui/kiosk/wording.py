"""What the kiosk says and shows in words: its translation, the spoken prompt for a live hint, a
masked phone number."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QApplication

from ... import messages

log = logging.getLogger(__name__)


def install_kiosk_translator(lang: str | None = None):
    """Install the kiosk's English translation (resources/i18n/kiosk_en.qm) when the station
    language is English; Chinese is the source language and needs none."""
    from PySide6.QtCore import QTranslator

    from ...paths import resource

    app = QApplication.instance()
    if app is None or (lang or messages.language()) != "en":
        return None
    translator = QTranslator(app)
    if not translator.load(str(resource("i18n", "kiosk_en.qm"))):
        log.warning("kiosk English translation missing")
        return None
    app.installTranslator(translator)
    return translator


#: live-guidance hint keys (studio_app.compliance) -> recorded prompts
HINT_PROMPTS = {
    "hint.face_camera": "face_forward", "hint.one_person": "one_person", "hint.move_left": "move_left",
    "hint.move_right": "move_right", "hint.move_up": "move_up", "hint.move_down": "move_down",
    "hint.move_back": "move_back", "hint.move_closer": "move_closer", "hint.turn_left": "face_forward",
    "hint.turn_right": "face_forward", "hint.chin_up": "chin_up", "hint.chin_down": "chin_down",
    "hint.tilt_left": "level_head", "hint.tilt_right": "level_head", "hint.open_eyes": "open_eyes",
    "hint.look_camera": "look_camera", "hint.close_mouth": "natural_face", "hint.neutral": "natural_face",
    "hint.hair_brows": "hair_brows", "hint.hair_ears": "show_ears", "hint.remove_hat": "remove_accessories",
    "hint.remove_glasses": "remove_glasses", "hint.light_even": "lighting", "hint.more_light": "lighting",
    "hint.less_light": "lighting", "hint.hold_still": "hold_still", "hint.good": "hold_still",
    "hint.darker_top": "dark_top", "hint.light_front": "lighting",
    "hint.remove_earrings": "remove_earrings", "hint.remove_necklace": "remove_necklace",
    "hint.remove_hair_clip": "remove_hair_clip", "hint.hair_behind_shoulders": "hair_behind_shoulders",
}


def accessory_warning(report):
    """The first accessory warning of a live report (earrings, necklace, hair clip, hair over the
    shoulders): they only warn, so the live hint never names them; the kiosk says them instead of
    "hold still" while the customer can still take the thing off."""
    from ...compliance.checks_accessories import ACCESSORY_CHECKS

    for r in getattr(report, "results", ()) or ():
        if r.id in ACCESSORY_CHECKS and r.status == "warn" and r.hint_key:
            return r
    return None


def voice_key_for_hint(hint) -> str:
    """The recorded prompt for a live hint: by its key, else by direction, else by words in the key."""
    key = str(getattr(hint, "key", "") or "").lower()
    if key in HINT_PROMPTS:
        return HINT_PROMPTS[key]
    direction = str(getattr(hint, "direction", "") or "").lower()
    by_direction = {
        "closer": "move_closer", "forward": "move_closer", "back": "move_back", "farther": "move_back",
        "away": "move_back", "left": "move_left", "right": "move_right", "up": "move_up", "down": "move_down",
        "chin_down": "chin_down", "chin_up": "chin_up", "tilt": "level_head", "turn": "face_forward",
    }
    if direction in by_direction:
        return by_direction[direction]
    for words, prompt in (
        (("no_face", "face_missing", "not_found"), "no_face"),
        (("glasses",), "remove_glasses"),
        (("brow",), "hair_brows"),
        (("hair", "ear"), "show_ears"),
        (("eye", "blink"), "open_eyes"),
        (("mouth", "smile", "expression", "jaw", "neutral"), "natural_face"),
        (("hat", "earring", "necklace", "accessor", "clip"), "remove_accessories"),
        (("yaw", "turn", "frontal"), "face_forward"),
        (("roll", "tilt"), "level_head"),
        (("pitch",), "chin_down"),
        (("too_small", "far", "small"), "move_closer"),
        (("too_large", "close", "large"), "move_back"),
    ):
        if any(w in key for w in words):
            return prompt
    return key or "look_camera"


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone
