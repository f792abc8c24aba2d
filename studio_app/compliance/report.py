"""Check results and the compliance report (frozen dataclasses, Qt-free)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .. import messages

PASS, WARN, FAIL = "pass", "warn", "fail"
RETAKE, FIXABLE = "retake", "fixable"


def _clean(value: Any) -> Any:
    """JSON-friendly: round floats, NaN/inf -> None, tuples -> lists."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return None if not math.isfinite(value) else round(value, 4)
    if isinstance(value, (int, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    try:
        return _clean(float(value))
    except (TypeError, ValueError):
        return str(value)


@dataclass(frozen=True)
class CheckResult:
    """One check on one image. ``measured`` and ``limit`` are numbers (or short tuples/strings)
    in the unit the message states; ``message_key``/``hint_key`` index the message catalogue."""

    id: str
    status: str  # "pass" | "warn" | "fail"
    category: str  # "retake" | "fixable": what a failure means for the operator
    measured: Any = None
    limit: Any = None
    message_key: str = ""
    hint_key: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    direction: str | None = None  # for live guidance: left/right/up/down/closer/back/chin_up/...

    @property
    def passed(self) -> bool:
        return self.status == PASS

    @property
    def failed(self) -> bool:
        return self.status == FAIL

    def title(self, lang: str | None = None) -> str:
        return messages.text(f"check.{self.id}", lang)

    def message(self, lang: str | None = None) -> str:
        return messages.text(self.message_key, lang, **self.params)

    def hint(self, lang: str | None = None) -> str | None:
        return messages.text(self.hint_key, lang, **self.params) if self.hint_key else None

    def to_dict(self, lang: str | None = None) -> dict:
        return {
            "id": self.id,
            "title": self.title(lang),
            "status": self.status,
            "class": self.category,
            "measured": _clean(self.measured),
            "limit": _clean(self.limit),
            "message": self.message(lang),
            "hint": self.hint(lang),
            "direction": self.direction,
        }


@dataclass(frozen=True)
class ComplianceReport:
    results: tuple[CheckResult, ...]
    spec_id: str = ""
    live: bool = False

    @property
    def ok(self) -> bool:
        """No check failed (warnings allowed)."""
        return not any(r.failed for r in self.results)

    @property
    def failed(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.failed)

    @property
    def warnings(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.status == WARN)

    @property
    def needs_retake(self) -> bool:
        """A failed check that no correction can fix: shoot again."""
        return any(r.failed and r.category == RETAKE for r in self.results)

    @property
    def fixable_only(self) -> bool:
        """Something failed, but every failure is fixable by the correction pipeline."""
        return bool(self.failed) and not self.needs_retake

    def get(self, check_id: str) -> CheckResult | None:
        for r in self.results:
            if r.id == check_id:
                return r
        return None

    def __getitem__(self, check_id: str) -> CheckResult:
        r = self.get(check_id)
        if r is None:
            raise KeyError(check_id)
        return r

    def __contains__(self, check_id: str) -> bool:
        return self.get(check_id) is not None

    def verdict_key(self) -> str:
        if self.ok:
            return "report.ok"
        return "report.retake" if self.needs_retake else "report.fixable"

    def to_dict(self, lang: str | None = None) -> dict:
        return {
            "spec": self.spec_id,
            "live": self.live,
            "ok": self.ok,
            "needs_retake": self.needs_retake,
            "verdict": messages.text(self.verdict_key(), lang),
            "failed": [r.id for r in self.failed],
            "checks": [r.to_dict(lang) for r in self.results],
        }


messages.register({
    "report.ok": ("照片符合规格要求", "The photo meets the specification"),
    "report.retake": ("需要重拍", "Retake needed"),
    "report.fixable": ("可自动修正（无需重拍）", "Fixable by correction (no retake needed)"),
})
