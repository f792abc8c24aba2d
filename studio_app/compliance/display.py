"""Plain-language values for the operator (Qt-free): one table entry per check id.

``CheckResult.measured``/``limit`` are internal numbers (an eye aspect ratio of 0.316, a smile
score of 0.9, a CIELAB distance...). The operator window shows instead::

    value_text(result, lang)         # "头部 412 px（要求 390–450）", "左转 7°（≤ 5°）", "清晰度 较低"
    explain(result.id, lang)         # tooltip: what the check looks at and where its limits are

Chinese by default (``lang`` None follows :func:`studio_app.messages.language`), English for
``"en"``. Directions are the customer's own left/right, like the live hints. The limit shown is
what the check needs to pass (green); the tooltip gives the warning band. Unknown check ids fall
back to a labelled "measured (limit)" text. The texts (``display.<id>.*``, ``display.help.<id>``)
are in :mod:`.display_texts`; numbers and limits are formatted by :mod:`.display_format`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from .. import messages
from .checks import T
from .display_format import _en, _lim, _n, _need, _num, _pct, _px, _range, _say, _unknown  # noqa: F401

__all__ = ["FORMATS", "explain", "value_text"]


# --- one formatter per check ---------------------------------------------------------------------
def _single_face(r, lang, a) -> str:
    count = int(r.params.get("count", r.measured or 0) or 0)
    if r.message_key.endswith(".none") or count == 0:
        return _say(lang, "display.single_face.none")
    if r.message_key.endswith(".many"):
        return _say(lang, "display.single_face.many", count=count)
    if r.message_key.endswith(".background"):
        return _say(lang, "display.single_face.background", extra=max(count - 1, 1))
    return _say(lang, "display.single_face.one")


_SIDES = frozenset(("top", "bottom", "left", "right"))


def _face_in_frame(r, lang, a) -> str:
    if r.measured == "cut" or r.message_key.endswith(".cut"):
        return _say(lang, "display.face_in_frame.cut")
    side = r.params.get("side")
    pct = _num(r.params.get("percent", r.measured))
    if side in _SIDES and pct:
        lim = _num(r.limit)
        fix = _lim(lang, _say(lang, "display.face_in_frame.pad", pct=_n(lim, 1))) if lim is not None else ""
        return _say(lang, "display.face_in_frame.short", side=_say(lang, f"display.side.{side}"),
                    pct=_n(pct, 1)) + fix
    return _say(lang, "display.face_in_frame.whole")


def _resolution(r, lang, a) -> str:
    need, spec_w = r.params.get("need"), r.params.get("spec_w")
    up = _num(r.measured)
    if up is None or need is None:
        return _say(lang, "display.resolution.unknown")
    if up <= 1.0:
        return _say(lang, "display.resolution.none", need=need)
    d = 2 if up < 1.1 else 1  # "1.01×", not "1×"
    return _say(lang, "display.resolution.enlarged", up=_n(up, d)) + _lim(lang, f"≤ {_n(T['upscale_warn'], 2)}×")


def _aspect_ratio(r, lang, a) -> str:
    p = r.params
    if {"w", "h", "sw", "sh"} <= set(p):
        return _say(lang, "display.aspect_ratio.size", w=p["w"], h=p["h"], sw=p["sw"], sh=p["sh"])
    return _say(lang, "display.aspect_ratio.raw", measured=r.measured, limit=r.limit)


def _geometry(key: str) -> Callable:
    def fmt(r, lang, a) -> str:
        v = _num(r.measured)
        if v is None:
            return _unknown(lang)
        lo, hi = _range(r.limit)
        return _say(lang, key, v=_n(v)) + _need(lang, lo, hi, _px(lang))
    return fmt


def _head_size(r, lang, a) -> str:
    if r.params.get("what") == "face_width":
        return _geometry("display.head_size.face_width")(r, lang, a)
    return _geometry("display.head_size.head")(r, lang, a)


def _eye_line(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _unknown(lang)
    base = _say(lang, "display.eye_line", v=_n(v))
    if r.limit is None:
        return base + _say(lang, "display.eye_line.free")
    lo, hi = _range(r.limit)
    return base + _need(lang, lo, hi, _px(lang))


def _horizontal_centre(r, lang, a) -> str:
    v = _num(r.measured)
    lo, hi = _range(r.limit)
    if v is None or lo is None or hi is None:
        return _unknown(lang)
    centre, tol = (lo + hi) / 2, (hi - lo) / 2
    off = v - centre
    allowed = _lim(lang, f"±{_n(tol)} px")
    if _n(abs(off)) == "0":
        return _say(lang, "display.horizontal_centre.centred") + allowed
    # the picture's left/right (what the operator sees), not the customer's
    side = "left" if off < 0 else "right"
    return _say(lang, f"display.horizontal_centre.{side}", off=_n(abs(off))) + allowed


def _pose(check_id: str) -> Callable:
    """``display.<id>.pos`` for a positive angle, ``.neg`` for a negative one, ``.level`` at 0°."""
    def fmt(r, lang, a) -> str:
        v, lim = _num(r.measured), _num(r.limit)
        if v is None:
            return _unknown(lang)
        tail = _lim(lang, f"≤ {_n(lim)}°") if lim is not None else ""
        # whole degrees, unless rounding would land on the limit ("8°（≤ 8°）" on an orange row)
        d = 1 if lim is not None and abs(round(abs(v)) - lim) < 1 else 0
        if _n(abs(v), d) == "0":  # "抬头 0°" reads as a contradiction
            return _say(lang, f"display.{check_id}.level") + tail
        return _say(lang, f"display.{check_id}.{'pos' if v > 0 else 'neg'}", deg=_n(abs(v), d)) + tail
    return fmt


def _eye_state(ear: float, lang) -> str:
    if ear < T["eye_open_fail"]:
        return _say(lang, "display.eye.closed")
    if ear < T["eye_open_warn"]:
        return _say(lang, "display.eye.half")
    return _say(lang, "display.eye.open")


def _eyes_open(r, lang, a) -> str:
    feats = getattr(a, "features", None) or {}
    # image-left is the customer's right eye (camera frames are not mirrored)
    left, right = _num(feats.get("eye_open_right")), _num(feats.get("eye_open_left"))
    if left is not None and right is not None:
        return _say(lang, "display.eyes_open.each", left=_eye_state(left, lang), right=_eye_state(right, lang))
    ear = _num(r.measured)
    if ear is None:
        return _unknown(lang)
    if ear >= T["eye_open_warn"]:
        return _say(lang, "display.eyes_open.both")
    return _say(lang, "display.eyes_open.one", state=_eye_state(ear, lang))


def _gaze(r, lang, a) -> str:
    g = _num(r.measured)
    if g is None:
        return _say(lang, "display.gaze.unknown")
    lim = _lim(lang, f"≤ {_pct(T['gaze_x_warn'])}")
    if abs(g) <= T["gaze_x_warn"]:
        return _say(lang, "display.gaze.camera", off=_pct(abs(g))) + lim
    return _say(lang, "display.gaze.off", off=_pct(abs(g))) + lim


def _mouth(r, lang, a) -> str:
    m = _num(r.measured)
    if m is None:
        return _unknown(lang)
    word = "closed" if m <= T["mouth_warn"] else "slightly" if m <= T["mouth_fail"] else "open"
    return _say(lang, "display.mouth_closed", word=_say(lang, f"display.mouth.{word}"), gap=_pct(m, 1),
                lim=_pct(T["mouth_warn"], 1))


def _expression(r, lang, a) -> str:
    s = _num(r.measured)
    if s is None:
        return _unknown(lang)
    word = "neutral" if s <= T["smile_warn"] else "smiling" if s <= T["smile_fail"] else "broad"
    return _say(lang, "display.expression", word=_say(lang, f"display.smile.{word}"), smile=_pct(s),
                lim=_pct(T["smile_warn"]))


def _eyebrows(r, lang, a) -> str:
    c = _num(r.measured)
    if c is None:
        return _say(lang, "display.cannot_tell")
    word = "visible" if c <= T["brow_cover_warn"] else "partly" if c <= T["brow_cover_fail"] else "covered"
    shown = _pct(min(c, 1.0))  # the score runs past 1 under thick hair; 100% reads as covered
    return _say(lang, "display.eyebrows_visible", word=_say(lang, f"display.brows.{word}"), cover=shown,
                lim=_pct(T["brow_cover_warn"]))


def _ears(r, lang, a) -> str:
    v, lim = _num(r.measured), _num(r.limit)
    if v is None:
        return _say(lang, "display.cannot_tell")
    word = "visible" if lim is None or v >= lim else "covered"
    tail = _lim(lang, f"≥ {_pct(lim)}") if lim is not None else ""  # advisory: the tooltip says so
    return _say(lang, "display.ears_visible", word=_say(lang, f"display.ears.{word}"), skin=_pct(v)) + tail


def _headwear(r, lang, a) -> str:
    v, lim = _num(r.measured), _num(r.limit)
    if v is None:
        return _say(lang, "display.headwear.unknown")
    word = "none" if lim is None or v <= lim else "possible"
    return _say(lang, "display.headwear", word=_say(lang, f"display.headwear.{word}"), d=_n(v)) + \
        (_lim(lang, f"≤ {_n(lim)}") if lim is not None else "")


def _tinted(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _unknown(lang)
    return _say(lang, "display.tinted_glasses", v=_pct(v)) + _lim(lang, f"≥ {_pct(T['tint_warn'])}")


def _glare(r, lang, a) -> str:
    v = _num(r.measured)
    if r.message_key.endswith(".none"):
        return _say(lang, "display.glasses_glare.none")
    if v is None:
        return _unknown(lang)
    kind = "clear" if r.message_key.endswith(".clear") else "lens"
    return _say(lang, f"display.glasses_glare.{kind}", glare=_pct(v, 1)) + \
        _lim(lang, f"≤ {_pct(T['glare_glasses_warn'], 1)}")


_SHADOWS = frozenset(("shadow_edge", "brim", "socket"))


def _lighting(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _unknown(lang)
    params = getattr(r, "params", None) or {}
    if getattr(r, "message_key", "").endswith("low_key"):
        # lit face on a near-black backdrop: say that, not a side-to-side number
        return _say(lang, "display.lighting.low_key", level=params.get("backdrop"))
    shadow = params.get("shadow")
    if shadow:
        # a shadow on the face (vision.appearance), in stops of light: 1 stop = half as bright
        what = _say(lang, f"display.shadow.{shadow if shadow in _SHADOWS else 'other'}")
        dark = 1.0 - 2.0 ** (-v / 2.2)
        return _say(lang, "display.lighting.shadow", what=what, dark=_pct(dark)) + \
            _lim(lang, f"≤ {_pct(1.0 - 2.0 ** (-_num(r.limit) / 2.2))}")
    diff = max(0.0, 1.0 - v)
    return _say(lang, "display.lighting.sides", diff=_pct(diff)) + _lim(lang, f"≤ {_pct(1 - T['lr_warn'])}")


_EXPOSURE = {
    "check.exposure.dark": "display.exposure.dark",
    "check.exposure.dim": "display.exposure.dim",
    "check.exposure.glare": "display.exposure.glare",
    "check.exposure.bright": "display.exposure.bright",
}


def _exposure(r, lang, a) -> str:
    lum = _num(r.measured)
    word = _say(lang, _EXPOSURE.get(r.message_key, "display.exposure.normal"))
    if lum is None:
        return word
    return _say(lang, "display.exposure", word=word, lum=_pct(lum / 255))


def _sharpness(r, lang, a) -> str:
    s = _num(r.measured)
    if s is None:
        return _unknown(lang)
    if s < T["sharp_fail"]:
        return _say(lang, "display.sharpness.blurred")
    if s < T["sharp_warn"]:
        return _say(lang, "display.sharpness.low")
    return _say(lang, "display.sharpness.good")


def _tint_word(av: float, bv: float, lang, a_rng=None, b_rng=None) -> str:
    """The direction of a colour shift in words (a*: green–red, b*: blue–yellow)."""
    (alo, ahi), (blo, bhi) = a_rng or T["a_range"], b_rng or T["b_range"]
    words = []
    if av < alo:
        words.append(_say(lang, "display.tint.greenish"))
    elif av > ahi:
        words.append(_say(lang, "display.tint.reddish"))
    if bv < blo:
        words.append(_say(lang, "display.tint.bluish"))
    elif bv > bhi:
        words.append(_say(lang, "display.tint.yellowish"))
    return _say(lang, "display.list_sep").join(words)


def _natural_colour(r, lang, a) -> str:
    if r.message_key.endswith(".unknown") or r.measured is None:
        return _unknown(lang)
    if r.message_key.endswith(".cast"):
        ca, cb = _num(r.params.get("a")) or 0.0, _num(r.params.get("b")) or 0.0
        # the backdrop's own a*/b* around neutral 0
        words = _tint_word(ca, cb, lang, (-T["cast_warn"] / 2, T["cast_warn"] / 2),
                           (-T["cast_warn"] / 2, T["cast_warn"] / 2)) or _say(lang, "display.tint.any")
        return _say(lang, "display.natural_colour.cast", words=words, d=_n(math.hypot(ca, cb)),
                    lim=_n(T["cast_warn"]))
    av, bv = (_num(v) for v in r.measured) if isinstance(r.measured, (list, tuple)) else (None, None)
    if av is None or bv is None:
        return _unknown(lang)
    words = _tint_word(av, bv, lang)
    if not words:
        return _say(lang, "display.natural_colour.normal")
    return _say(lang, "display.natural_colour.skin", words=words) + _lim(lang, f"a* {_n(av)} / b* {_n(bv)}")


def _background_plain(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _say(lang, "display.no_backdrop")
    word = "plain" if v <= T["bg_plain_warn"] else "slightly_busy" if v <= T["bg_plain_fail"] else "busy"
    return _say(lang, "display.background_plain", word=_say(lang, f"display.backdrop.{word}"), v=_n(v),
                lim=_n(T["bg_plain_warn"]))


def _background_colour(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _say(lang, "display.no_backdrop")
    return _say(lang, "display.background_colour", v=_n(v)) + _lim(lang, f"≤ {_n(T['bg_colour_warn'])}")


@dataclass(frozen=True)
class Entry:
    """How one check's value reads; its tooltip is ``display.help.<id>`` in the message catalogue."""

    value: Callable[[Any, str | None, Any], str]


FORMATS: dict[str, Entry] = {
    "single_face": Entry(_single_face),
    "face_in_frame": Entry(_face_in_frame),
    "resolution": Entry(_resolution),
    "aspect_ratio": Entry(_aspect_ratio),
    "head_size": Entry(_head_size),
    "crown_margin": Entry(_geometry("display.crown_margin")),
    "eye_line": Entry(_eye_line),
    "horizontal_centre": Entry(_horizontal_centre),
    "yaw": Entry(_pose("yaw")),
    "pitch": Entry(_pose("pitch")),
    "roll": Entry(_pose("roll")),
    "eyes_open": Entry(_eyes_open),
    "gaze": Entry(_gaze),
    "mouth_closed": Entry(_mouth),
    "expression": Entry(_expression),
    "eyebrows_visible": Entry(_eyebrows),
    "ears_visible": Entry(_ears),
    "headwear": Entry(_headwear),
    "tinted_glasses": Entry(_tinted),
    "glasses_glare": Entry(_glare),
    "lighting": Entry(_lighting),
    "exposure": Entry(_exposure),
    "sharpness": Entry(_sharpness),
    "natural_colour": Entry(_natural_colour),
    "background_plain": Entry(_background_plain),
    "background_colour": Entry(_background_colour),
}


def _fallback(r, lang) -> str:
    def raw(v):
        if v is None or v == "":
            return ""
        if isinstance(v, float):
            return _n(v, 2)
        if isinstance(v, (list, tuple)):
            return "–".join(raw(x) for x in v)
        return str(v)

    m, lim = raw(getattr(r, "measured", None)), raw(getattr(r, "limit", None))
    if not m:
        return ""
    if lim:
        return _say(lang, "display.fallback.limit", m=m, lim=lim)
    return _say(lang, "display.fallback", m=m)


def value_text(result, lang: str | None = None, analysis=None) -> str:
    """The plain-language measured value of one CheckResult (with the limit to pass)."""
    entry = FORMATS.get(str(getattr(result, "id", "")))
    if entry is None:
        return _fallback(result, lang)
    try:
        return entry.value(result, lang, analysis)
    except Exception:  # noqa: BLE001 - an odd value must not break the checklist
        return _fallback(result, lang)


def explain(check_id: str, lang: str | None = None) -> str:
    """What the check means, for a tooltip."""
    key = f"display.help.{check_id}" if check_id in FORMATS else "display.help.unknown"
    return messages.text(key, "en" if _en(lang) else "zh_CN")
