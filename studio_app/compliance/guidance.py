"""Live guidance: the failing checks of one frame become one prioritised hint and a state.

The order is what a person can act on first: be there alone, get into the frame, then what they
must take off or move out of the way (glasses, hat, hair; the light is the operator's), then face
the camera, then eyes, mouth, expression, exposure. Directions are the person's own (camera frames
are not mirrored; a mirrored preview shows them the same way).

The state is what an operator reads from the overlay colour at a glance:

* "bad" (red): the photo cannot be taken by posing alone: nobody or several people, or a
  retake-class obstruction the customer must remove (tinted glasses, glare on glasses, headwear,
  hair over the brows) or a lighting fault the operator must fix. Any such failure makes the
  frame red, whichever hint is shown first.
* "adjust" (orange): only posing is left: position, distance, head pose, gaze, eyes, mouth,
  expression, exposure settling (the customer is adjusting; one more move and it is good).
* "good" (green): every check passes (warnings allowed).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import messages
from .report import FAIL, WARN, ComplianceReport

PRIORITY = (
    "single_face", "face_in_frame", "tinted_glasses", "glasses_glare", "headwear", "eyebrows_visible",
    "lighting", "resolution", "yaw", "pitch", "roll", "eyes_open", "gaze", "mouth_closed", "expression",
    "exposure", "sharpness", "ears_visible",
    "earrings", "necklace", "hair_accessory", "hair_shoulders",  # warn only (checks_accessories)
)
#: Checks whose failure means nothing can be judged yet (shown at once, without the hold).
BLOCKING = ("single_face",)
#: Failures that posing cannot fix: the frame is red ("bad") while any of them fails.
MUST_FIX = BLOCKING + ("tinted_glasses", "glasses_glare", "headwear", "eyebrows_visible", "lighting")


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

    ``state`` is "bad" while any :data:`MUST_FIX` check fails, "adjust" while other checks fail,
    "good" when every check passes (warnings allowed); the hint is the first failing check in
    :data:`PRIORITY`. With ``include_warnings`` a warning's hint is given when nothing fails (the
    state stays "good").
    """
    failing = [r for r in report.results if r.status == FAIL and r.hint_key]
    failing.sort(key=lambda r: _rank(r.id))
    if failing:
        top = failing[0]
        state = "bad" if any(r.id in MUST_FIX for r in failing) else "adjust"
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
    that nobody or several people in front of the camera (a :data:`BLOCKING` check, or a "bad"
    hint from no check) shows at once. Other red states wait like any hint, so one noisy frame
    does not flash the overlay red.

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
        blocking = hint.state == "bad" and (hint.check_id is None or hint.check_id in BLOCKING)
        if self._shown is None or blocking or self._same(hint, self._shown):
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
