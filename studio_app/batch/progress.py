"""Progress on the terminal: one redrawn bar with count, rate and ETA on a TTY; one plain line
per finished photo-spec otherwise (a log file or CI keeps every line)."""

from __future__ import annotations

import sys
import time

from .. import messages


def clock_text(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` from an hour); "?" when not known (NaN)."""
    if seconds != seconds:
        return "?"
    s = int(round(max(0.0, seconds)))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def estimate(elapsed: float, done: int, total: int) -> tuple[float, float]:
    """(photo-specs per minute, seconds left; NaN before the first is done) — the terminal bar and
    the operator window's batch panel say the same."""
    rate = done / elapsed * 60.0 if elapsed > 0 else 0.0
    eta = elapsed / done * (total - done) if done else float("nan")
    return rate, eta


class Progress:
    def __init__(self, stream=None, tty: bool | None = None, width: int = 28, clock=time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.width = width
        self.clock = clock
        self.t0 = clock()
        self._drawn = False

    def line(self, done: int, total: int) -> str:
        elapsed = self.clock() - self.t0
        frac = done / total if total else 1.0
        rate, eta = estimate(elapsed, done, total)
        bar = "#" * int(round(frac * self.width))
        eta_s = clock_text(eta)
        return f"[{bar:<{self.width}}] {done}/{total} {frac * 100:3.0f}%  {rate:.0f}/min  ETA {eta_s}"

    def __call__(self, rows: list[dict], done: int, total: int) -> None:
        lang = messages.language()
        if self.tty:
            self.stream.write("\r\x1b[K" + self.line(done, total))
            self._drawn = True
        else:
            for r in rows:
                verdict = messages.text(f"batch.verdict.{r['verdict']}", lang)
                self.stream.write(f"{done}/{total} {r['file']} {r['spec']}: {verdict}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
