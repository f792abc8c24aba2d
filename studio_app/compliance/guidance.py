"""Live guidance: the failing checks of one frame become one prioritised hint.

The order is what a person can act on first: be there alone, get into the frame, face the
camera, then details (glasses, hat, eyes, mouth, expression), then light. Directions are the
person's own (camera frames are not mirrored; a mirrored preview shows them the same way).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import messages
from .report import FAIL, WARN, ComplianceReport

PRIORITY = (
    "single_face", "face_in_frame", "resolution", "yaw", "pitch", "roll", "tinted_glasses",
    "glasses_glare", "headwear", "eyes_open", "gaze", "mouth_closed", "expression",
    "eyebrows_visible", "lighting", "exposure", "sharpness", "ears_visible",
)
#: Checks whose failure means nothing can be judged yet (the overlay turns red).
BLOCKING = ("single_face",)


@dataclass(frozen=True)
class Hint:
    key: str
    text: str
    direction: str | None
    state: str  # "good" | "adjust" | "bad"
    check_id: str | None = None


def _rank(check_id: str) -> int:
    try:
        return PRIORITY.index(check_id)
    except ValueError:
        return len(PRIORITY)


def live_hint(report: ComplianceReport, lang: str | None = None, *, include_warnings: bool = False) -> Hint:
    """The single most useful instruction for this frame, and the overlay state.

    ``state`` is "bad" when no single face is there, "adjust" while any check fails, "good"
    when every check passes (warnings allowed). With ``include_warnings`` a warning's hint is
    given when nothing fails (the state stays "good").
    """
    failing = [r for r in report.results if r.status == FAIL and r.hint_key]
    failing.sort(key=lambda r: _rank(r.id))
    if failing:
        top = failing[0]
        state = "bad" if top.id in BLOCKING else "adjust"
        return Hint(top.hint_key, messages.text(top.hint_key, lang, **top.params), top.direction, state, top.id)
    if include_warnings:
        warns = [r for r in report.results if r.status == WARN and r.hint_key and r.id in PRIORITY]
        warns.sort(key=lambda r: _rank(r.id))
        if warns:
            top = warns[0]
            return Hint(top.hint_key, messages.text(top.hint_key, lang, **top.params), top.direction, "good", top.id)
    return Hint("hint.good", messages.text("hint.good", lang), None, "good", None)


class HintStabiliser:
    """Keeps the shown hint steady: a new hint replaces the shown one only after it has been the
    frame's hint for ``hold_ms`` (a blink or one noisy frame does not flash a message), except
    that a "bad" state (no face, several people) shows at once.

        stab = HintStabiliser()
        shown = stab.update(live_hint(report), timestamp_ms)
    """

    def __init__(self, hold_ms: int = 400) -> None:
        self.hold_ms = int(hold_ms)
        self._shown: Hint | None = None
        self._candidate: Hint | None = None
        self._since: int | None = None

    @staticmethod
    def _same(a: Hint | None, b: Hint | None) -> bool:
        return a is not None and b is not None and (a.key, a.direction, a.state) == (b.key, b.direction, b.state)

    def update(self, hint: Hint, now_ms: int) -> Hint:
        if self._shown is None or hint.state == "bad" or self._same(hint, self._shown):
            self._shown, self._candidate, self._since = hint, None, None
            return hint
        if not self._same(hint, self._candidate):
            self._candidate, self._since = hint, int(now_ms)
        elif int(now_ms) - int(self._since) >= self.hold_ms:
            self._shown, self._candidate, self._since = hint, None, None
        return self._shown

    def reset(self) -> None:
        self._shown = self._candidate = None
        self._since = None
