"""Receipt and image numbers: station code + date + sequence + check character.

The sequence comes from a counter row in the order database, incremented in the same transaction
that inserts the order (see :mod:`studio_app.orders.store`), so two processes or two stations on
one PostgreSQL server never get the same number, and a number is never handed out again after a
deletion (counter rows are never decremented or deleted) or a crash (an uncommitted increment
was never given to anyone).

The check character is ISO 7064 MOD 37-2 (pure system, prime modulus), which catches every
single-character error and every swap of two neighbours, the check character included. Its 37th
value is "*", which does not belong in a receipt number (file names, barcodes read back by
hand); a sequence value whose check would be "*" is simply never issued (about 1 in 37), so
numbers stay 0-9 A-Z only.
"""

from __future__ import annotations

import datetime as _dt
import re
import string

from .. import messages
from ..errors import StudioError

ALPHABET = string.digits + string.ascii_uppercase  # 36 symbols
DEFAULT_RECEIPT_FORMAT = "{station}{date:%y%m%d}{seq:04d}"
DEFAULT_IMAGE_FORMAT = "{date:%Y%m%d}{station}{seq:06d}"
_FIELDS = {"station", "date", "seq"}

messages.register({
    "orders.number.bad_format": ("编号格式“{fmt}”无效：{problem}（可用字段 {{station}} {{date:%y%m%d}} {{seq:04d}}）",
                                 "Number format “{fmt}” is invalid: {problem} (fields: {{station}} "
                                 "{{date:%y%m%d}} {{seq:04d}})"),
    "orders.number.bad_station": ("站点代码“{code}”无效：只能用 1–8 个大写字母或数字",
                                  "Station code “{code}” is invalid: use 1–8 upper-case letters or digits"),
})


def _value(ch: str) -> int:
    return ALPHABET.index(ch)


def _mod37_2(body: str) -> int:
    p = 0
    for ch in body.upper():
        p = (p + _value(ch)) * 2 % 37
    return (38 - p) % 37


def check_character(body: str) -> str | None:
    """ISO 7064 MOD 37-2 check character of ``body`` (0-9 A-Z), or None when it would be "*"
    (such a body is never issued)."""
    value = _mod37_2(body)
    return ALPHABET[value] if value < 36 else None


def is_valid(number: str) -> bool:
    number = (number or "").strip().upper()
    if len(number) < 2 or any(ch not in ALPHABET for ch in number):
        return False
    return check_character(number[:-1]) == number[-1]


def check_station(code: str) -> str:
    if not re.fullmatch(r"[A-Z0-9]{1,8}", code or ""):
        raise StudioError("orders.number.bad_station", code=code)
    return code


def validate_format(fmt: str) -> None:
    """Raise StudioError when ``fmt`` cannot produce unique numbers (needs {seq}; only known fields)."""
    names = set(re.findall(r"{(\w+)", fmt))
    if "seq" not in names:
        raise StudioError("orders.number.bad_format", fmt=fmt, problem="{seq} missing")
    unknown = names - _FIELDS
    if unknown:
        raise StudioError("orders.number.bad_format", fmt=fmt, problem="unknown " + ", ".join(sorted(unknown)))
    body = format_body(fmt, "A01", _dt.date(2024, 1, 2), 1)
    if not re.fullmatch(r"[A-Z0-9]+", body):
        raise StudioError("orders.number.bad_format", fmt=fmt, problem=f"gives “{body}”: only A-Z and 0-9 allowed")


def format_body(fmt: str, station: str, date: _dt.date, seq: int) -> str:
    try:
        return fmt.format(station=station, date=date, seq=seq).upper()
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:  # e.g. {seq[0]}, {station.x}
        raise StudioError("orders.number.bad_format", fmt=fmt, problem=str(exc)) from None


def make_number(fmt: str, station: str, date: _dt.date, seq: int) -> str | None:
    """The number for sequence value ``seq``, or None when that value is skipped (see above)."""
    body = format_body(fmt, station, date, seq)
    check = check_character(body)
    return body + check if check else None


def first_numbers(fmt: str, station: str, date: _dt.date, count: int, start: int = 1) -> list[str]:
    """The first ``count`` numbers a fresh counter issues from ``start`` (skipped values left out)."""
    out, seq = [], start
    while len(out) < count:
        number = make_number(fmt, station, date, seq)
        if number:
            out.append(number)
        seq += 1
    return out


def counter_scope(kind: str, fmt: str, station: str, date: _dt.date) -> str:
    """The counter row a number draws from: per station, and per day when the format has a date
    (so sequences restart daily yet the number stays unique)."""
    day = date.strftime("%Y%m%d") if "{date" in fmt else ""
    return f"{kind}:{station}:{day}:{fmt}"
