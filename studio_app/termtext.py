"""Stored fields printed on a terminal: control characters shown as escapes, never obeyed.

A phone or name holding ``\\x1b[2J`` or a newline must not clear the screen, move the cursor or
fake another line in ``orders show`` / ``orders list`` / ``receipt verify``.
"""

from __future__ import annotations

import unicodedata


def clean(value, json: bool = False) -> str:
    """``value`` as text with every control/format character (C0, DEL, C1, bidi overrides,
    line/paragraph separators) written as a visible ``\\xNN``/``\\uNNNN`` escape (``json``: always
    ``\\uNNNN``, a valid escape inside a JSON string)."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cs"):  # spaces like U+3000 stay
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 and not json else f"\\u{code:04x}")
    return "".join(out)
