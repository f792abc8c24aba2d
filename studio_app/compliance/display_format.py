"""Formatting pieces of the operator's check values (:mod:`.display`): numbers for people, limits
in brackets, catalogue texts in the operator's language. Check modules that add a
``display.FORMATS`` entry build their value from these and their own ``display.<id>.*`` texts."""

from __future__ import annotations

import math
from typing import Any

from .. import messages
from . import display_texts as _texts  # noqa: F401  (registers the value texts and tooltips)


def _en(lang: str | None) -> bool:
    return (lang or messages.language()).lower().startswith("en")


def _say(lang: str | None, key: str, **params: Any) -> str:
    """``key`` of the catalogue (:mod:`.display_texts`) in the operator's language."""
    return messages.text(key, "en" if _en(lang) else "zh_CN", **params)


def _n(x: Any, d: int = 0) -> str:
    """A number for people: rounded, no trailing ``.0``, a real minus sign."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(v):
        return "–"
    s = f"{v:.{d}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return s.replace("-", "−")


def _pct(x: Any, d: int = 0) -> str:
    return f"{_n(float(x) * 100, d)}%"


def _num(x: Any) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _range(limit: Any) -> tuple[float | None, float | None]:
    if isinstance(limit, (list, tuple)) and len(limit) == 2:
        return _num(limit[0]), _num(limit[1])
    return None, None


def _need(lang, lo: float | None, hi: float | None, unit: str = "") -> str:
    """"（要求 390–450 px）" / " (need 390–450 px)"; open ends as ≥ / ≤."""
    if lo is not None and hi is not None and lo > 0:
        body = f"{_n(lo)}–{_n(hi)}{unit}"
    elif hi is not None:
        body = f"≤ {_n(hi)}{unit}"
    elif lo is not None:
        body = f"≥ {_n(lo)}{unit}"
    else:
        return _say(lang, "display.free")
    return _say(lang, "display.need", range=body)


def _lim(lang, text: str) -> str:
    """A limit in brackets: "（≤ 5°）" / " (≤ 5°)"."""
    return _say(lang, "display.limit", text=text)


def _unknown(lang) -> str:
    return _say(lang, "display.unknown")


def _px(lang) -> str:
    return " px" if _en(lang) else ""  # "（要求 390–450）": the Chinese value already says px
