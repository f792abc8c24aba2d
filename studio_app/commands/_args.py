"""Argument types shared by the sub-commands: numbers with bounds and a message in zh and en."""

from __future__ import annotations

import argparse

from .. import messages

messages.register({
    "cli.int_range": ("须在 {lo}–{hi} 之间的整数，而不是 {value}", "must be a whole number within {lo}–{hi}, not {value}"),
})


def int_in(lo: int, hi: int):
    """An argparse ``type`` accepting whole numbers in [lo, hi] (a huge or negative value is a
    clear usage error, never an OverflowError deep in the database layer)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not lo <= value <= hi:
            raise argparse.ArgumentTypeError(messages.both("cli.int_range", lo=lo, hi=hi, value=text[:40]))
        return value

    parse.__name__ = "int"
    return parse


def json_lines(text: str) -> str:
    """JSON for a terminal: structural newlines kept, any other control/format character escaped
    (``\\u202e`` is a valid JSON escape of the same character)."""
    from ..termtext import clean

    return "\n".join(clean(line, json=True) for line in text.split("\n"))
