"""Message catalogue for the Qt-free core (zh_CN first, en).

Core code returns message *keys*; the CLI and the shells look them up here. Each core
package registers its own messages with :func:`register` so no one file collects them all.
Qt widgets use Qt's own translation system for their UI strings.
"""

from __future__ import annotations

import os
from typing import Mapping

_CATALOGUE: dict[str, dict[str, str]] = {}
_LANG = os.environ.get("STUDIO_APP_LANG", "zh_CN")
# Whether a language was chosen (--lang, STUDIO_APP_LANG, the settings): until then the CLI's
# messages and errors are printed in both languages (see :func:`chosen_or_both`).
_CHOSEN = "STUDIO_APP_LANG" in os.environ
LANGUAGES = ("zh_CN", "en")


def register(messages: Mapping[str, tuple[str, str]]) -> None:
    """Add ``key -> (zh_CN, en)`` entries."""
    for key, (zh, en) in messages.items():
        _CATALOGUE[key] = {"zh_CN": zh, "en": en}


def set_language(lang: str) -> None:
    global _LANG, _CHOSEN
    _LANG = "en" if lang.lower().startswith("en") else "zh_CN"
    _CHOSEN = True


def language() -> str:
    return _LANG


def text(key: str, lang: str | None = None, /, **params: object) -> str:
    """The message for ``key`` in ``lang`` (default: current), formatted with ``params``."""
    entry = _CATALOGUE.get(key)
    if entry is None:
        return key
    template = entry[lang or _LANG] if (lang or _LANG) in entry else entry["zh_CN"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def both(key: str, /, **params: object) -> str:
    """Chinese first, English after: for errors shown before a language is chosen."""
    zh = text(key, "zh_CN", **params)
    en = text(key, "en", **params)
    return zh if zh == en else f"{zh}\n{en}"


def chosen_or_both(render) -> str:
    """``render(lang)`` in the chosen language, or Chinese then English when none was chosen."""
    if _CHOSEN:
        return render(_LANG)
    zh, en = render("zh_CN"), render("en")
    return zh if zh == en else f"{zh}\n{en}"


def say(key: str, /, **params: object) -> str:
    """A CLI message: :func:`text` in the chosen language, else :func:`both`."""
    return chosen_or_both(lambda lang: text(key, lang, **params))


def has(key: str) -> bool:
    return key in _CATALOGUE
