"""User-facing errors: carry a message key and parameters, not a traceback."""

from __future__ import annotations

from . import messages


class StudioError(Exception):
    """An error a user can act on. ``key`` is looked up in the message catalogue."""

    def __init__(self, message_key: str, /, **params: object) -> None:
        self.key = message_key
        self.params = params
        super().__init__(messages.text(message_key, "en", **params))

    def message(self, lang: str | None = None) -> str:
        return messages.text(self.key, lang, **self.params)

    def both(self) -> str:
        return messages.both(self.key, **self.params)
