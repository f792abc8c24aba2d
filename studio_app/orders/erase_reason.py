"""Why an order's personal data was erased: a reason code, plus an optional note scrubbed of the
order's own personal data before it reaches the audit log (which is kept for good).

Scrubbed from the note: the name with or without spaces or dots between its characters, every
part of it of two characters or more, and its pinyin (any case, any separators); every run of
digits (separators ``space - . / :`` and 年月日 removed) of four or more that is part of the phone,
the ID number, its visible masked digits or the birth date (YYYYMMDD, DDMMYYYY, MMDDYYYY, YYMMDD).
Control characters become spaces; the note is capped at NOTE_MAX characters after scrubbing."""

from __future__ import annotations

import re
import unicodedata

from .. import messages
from ..errors import StudioError

ERASE_REASONS = ("customer_request", "duplicate", "mistake", "other")
NOTE_MAX = 200
MASK = "***"

messages.register({
    "orders.erase_bad_reason": ("删除原因“{reason}”无效，请选择：{allowed}（说明可写在 --note 中）",
                                "Unknown erase reason “{reason}”: use one of {allowed} (details go in --note)"),
})

_SEP = r"[\s\-·.,_'/]*"
_DIGIT_RUN = re.compile(r"[0-9Xx](?:[\s\-./:年月日]*[0-9Xx])*")


def check_reason(code: str | None) -> str:
    code = (code or "").strip().lower().replace("-", "_")
    if not code:
        raise StudioError("orders.erase_needs_reason")
    if code not in ERASE_REASONS:
        raise StudioError("orders.erase_bad_reason", reason=code[:40], allowed=", ".join(ERASE_REASONS))
    return code


def _pinyin(name: str) -> list[str]:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # a dependency (pyproject); without it only the characters are scrubbed
        return []
    return [s for s in lazy_pinyin(name) if s.isascii() and s.isalpha()]


def _parts(seq: list[str]) -> list[list[str]]:
    """Every contiguous run of two or more items, longest first."""
    n = len(seq)
    return [seq[i:i + k] for k in range(n, 1, -1) for i in range(n - k + 1)]


def _digit_strings(phone: str | None, id_number: str | None, id_masked: str | None) -> list[str]:
    out = []
    if phone:
        out.append(re.sub(r"\D", "", phone))
    if id_number:
        idn = id_number.strip().upper()
        out.append(idn)
        if len(idn) == 18 and idn[6:14].isdigit():
            y, m, d = idn[6:10], idn[10:12], idn[12:14]
            out += [y + m + d, d + m + y, m + d + y, y[2:] + m + d]
    if id_masked:
        out += [p for p in re.split(r"\*+", id_masked.upper()) if p]
    return [s for s in out if len(s) >= 4]


def scrub_note(note: str | None, *, name: str | None = None, phone: str | None = None,
               id_number: str | None = None, id_masked: str | None = None) -> str | None:
    if not note:
        return None
    text = unicodedata.normalize("NFKC", note)  # full-width digits and letters compared as ASCII
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = " ".join(text.split())
    chars = [ch for ch in (name or "") if not ch.isspace() and ch not in "·.-'"]
    for part in _parts(chars):
        text = re.sub(_SEP.join(map(re.escape, part)), MASK, text, flags=re.I)
    for part in _parts(_pinyin("".join(chars))):
        text = re.sub(_SEP.join(map(re.escape, part)), MASK, text, flags=re.I)
    personal = _digit_strings(phone, id_number, id_masked)

    def digits(m: re.Match) -> str:
        run = re.sub(r"[^0-9X]", "", m.group(0).upper())
        if len(run) >= 4 and any(run in p or p in run for p in personal):
            return MASK
        return m.group(0)

    text = _DIGIT_RUN.sub(digits, text)
    return text[:NOTE_MAX] or None
