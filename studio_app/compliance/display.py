"""Plain-language values for the operator (Qt-free): one table entry per check id.

``CheckResult.measured``/``limit`` are internal numbers (an eye aspect ratio of 0.316, a smile
score of 0.9, a CIELAB distance...). The operator window shows instead::

    value_text(result, lang)         # "头部 412 px（要求 390–450）", "左转 7°（≤ 5°）", "清晰度 较低"
    explain(result.id, lang)         # tooltip: what the check looks at and where its limits are

Chinese by default (``lang`` None follows :func:`studio_app.messages.language`), English for
``"en"``. Directions are the customer's own left/right, like the live hints. The limit shown is
what the check needs to pass (green); the tooltip gives the warning band. Unknown check ids fall
back to a labelled "measured (limit)" text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from .. import messages
from .checks import T

__all__ = ["FORMATS", "explain", "value_text"]


def _en(lang: str | None) -> bool:
    return (lang or messages.language()).lower().startswith("en")


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
        return "（不限）" if not _en(lang) else " (free)"
    return f" (need {body})" if _en(lang) else f"（要求 {body}）"


def _lim(lang, text: str) -> str:
    return f" ({text})" if _en(lang) else f"（{text}）"


def _t(lang, zh: str, en: str) -> str:
    return en if _en(lang) else zh


def _unknown(lang) -> str:
    return _t(lang, "无法测量", "Not measured")


# --- one formatter per check ---------------------------------------------------------------------
def _single_face(r, lang, a) -> str:
    count = int(r.params.get("count", r.measured or 0) or 0)
    if r.message_key.endswith(".none") or count == 0:
        return _t(lang, "0 人（未检测到人脸）", "0 faces (none found)")
    if r.message_key.endswith(".many"):
        return _t(lang, f"{count} 人（只能 1 人）", f"{count} people (1 allowed)")
    if r.message_key.endswith(".background"):
        extra = max(count - 1, 1)
        return _t(lang, f"1 人，背景另有 {extra} 张小脸", f"1 person, {extra} small face(s) behind")
    return _t(lang, "1 人", "1 person")


_SIDES = {"top": ("上方", "at top"), "bottom": ("下方", "at bottom"),
          "left": ("左侧", "on the left"), "right": ("右侧", "on the right")}


def _face_in_frame(r, lang, a) -> str:
    if r.measured == "cut" or r.message_key.endswith(".cut"):
        return _t(lang, "头部被画面边缘截断", "Head cut by the edge")
    side = r.params.get("side")
    pct = _num(r.params.get("percent", r.measured))
    if side in _SIDES and pct:
        zh, en = _SIDES[side]
        lim = _num(r.limit)
        fix = (_lim(lang, _t(lang, f"可补 ≤ {_n(lim, 1)}%", f"pad ≤ {_n(lim, 1)}%"))
               if lim is not None else "")
        return _t(lang, f"{zh}缺 {_n(pct, 1)}%", f"{_n(pct, 1)}% short {en}") + fix
    return _t(lang, "完整", "Whole head inside")


def _resolution(r, lang, a) -> str:
    need, spec_w = r.params.get("need"), r.params.get("spec_w")
    up = _num(r.measured)
    if up is None or need is None:
        return _t(lang, "无法计算裁剪区域", "Crop unknown")
    if up <= 1.0:
        return _t(lang, f"无需放大（裁剪区 {need} px）", f"No enlarging (crop {need} px)")
    d = 2 if up < 1.1 else 1  # "1.01×", not "1×"
    return _t(lang, f"需放大 {_n(up, d)}×", f"Enlarged {_n(up, d)}×") + \
        _lim(lang, f"≤ {_n(T['upscale_warn'], 2)}×")


def _aspect_ratio(r, lang, a) -> str:
    p = r.params
    if {"w", "h", "sw", "sh"} <= set(p):
        return _t(lang, f"{p['w']}×{p['h']} px（规格 {p['sw']}×{p['sh']}）",
                  f"{p['w']}×{p['h']} px (spec {p['sw']}×{p['sh']})")
    return _t(lang, f"画面 {r.measured}（规格 {r.limit}）", f"Picture {r.measured} (spec {r.limit})")


def _geometry(zh: str, en: str) -> Callable:
    def fmt(r, lang, a) -> str:
        v = _num(r.measured)
        if v is None:
            return _unknown(lang)
        lo, hi = _range(r.limit)
        return _t(lang, f"{zh} {_n(v)} px", f"{en} {_n(v)} px") + _need(lang, lo, hi, " px" if _en(lang) else "")
    return fmt


def _head_size(r, lang, a) -> str:
    if r.params.get("what") == "face_width":
        return _geometry("脸宽", "Face width")(r, lang, a)
    return _geometry("头部", "Head")(r, lang, a)


def _eye_line(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _unknown(lang)
    base = _t(lang, f"距顶部 {_n(v)} px", f"{_n(v)} px from the top")
    if r.limit is None:
        return base + _t(lang, "（此规格不限）", " (free in this spec)")
    lo, hi = _range(r.limit)
    return base + _need(lang, lo, hi, " px" if _en(lang) else "")


def _horizontal_centre(r, lang, a) -> str:
    v = _num(r.measured)
    lo, hi = _range(r.limit)
    if v is None or lo is None or hi is None:
        return _unknown(lang)
    centre, tol = (lo + hi) / 2, (hi - lo) / 2
    off = v - centre
    allowed = _lim(lang, f"±{_n(tol)} px")
    if _n(abs(off)) == "0":
        return _t(lang, "居中", "Centred") + allowed
    # the picture's left/right (what the operator sees), not the customer's
    return _t(lang, f"画面偏{'左' if off < 0 else '右'} {_n(abs(off))} px",
              f"{_n(abs(off))} px {'left' if off < 0 else 'right'} of centre") + allowed


def _pose(pos_zh: str, neg_zh: str, pos_en: str, neg_en: str, level_zh: str, level_en: str) -> Callable:
    def fmt(r, lang, a) -> str:
        v, lim = _num(r.measured), _num(r.limit)
        if v is None:
            return _unknown(lang)
        tail = _lim(lang, f"≤ {_n(lim)}°") if lim is not None else ""
        # whole degrees, unless rounding would land on the limit ("8°（≤ 8°）" on an orange row)
        d = 1 if lim is not None and abs(round(abs(v)) - lim) < 1 else 0
        if _n(abs(v), d) == "0":  # "抬头 0°" reads as a contradiction
            return _t(lang, f"{level_zh} 0°", f"{level_en} 0°") + tail
        zh, en = (pos_zh, pos_en) if v > 0 else (neg_zh, neg_en)
        return _t(lang, f"{zh} {_n(abs(v), d)}°", f"{en} {_n(abs(v), d)}°") + tail
    return fmt


def _eye_state(ear: float | None, lang) -> str:
    if ear is None:
        return _t(lang, "未知", "unknown")
    if ear < T["eye_open_fail"]:
        return _t(lang, "闭眼", "closed")
    if ear < T["eye_open_warn"]:
        return _t(lang, "半闭", "half closed")
    return _t(lang, "睁开", "open")


def _eyes_open(r, lang, a) -> str:
    feats = getattr(a, "features", None) or {}
    # image-left is the customer's right eye (camera frames are not mirrored)
    left, right = _num(feats.get("eye_open_right")), _num(feats.get("eye_open_left"))
    if left is not None and right is not None:
        return _t(lang, f"左眼 {_eye_state(left, lang)} / 右眼 {_eye_state(right, lang)}",
                  f"Left eye {_eye_state(left, lang)} / right eye {_eye_state(right, lang)}")
    ear = _num(r.measured)
    if ear is None:
        return _unknown(lang)
    if ear >= T["eye_open_warn"]:
        return _t(lang, "双眼 睁开", "Both eyes open")
    return _t(lang, f"至少一只眼 {_eye_state(ear, lang)}", f"At least one eye {_eye_state(ear, lang)}")


def _gaze(r, lang, a) -> str:
    g = _num(r.measured)
    if g is None:
        return _t(lang, "眼睛闭合，无法判断", "Eyes closed: unknown")
    lim = _lim(lang, f"≤ {_pct(T['gaze_x_warn'])}")
    if abs(g) <= T["gaze_x_warn"]:
        return _t(lang, f"看镜头，偏 {_pct(abs(g))}", f"At the camera, off {_pct(abs(g))}") + lim
    return _t(lang, f"视线偏 {_pct(abs(g))}", f"Gaze off {_pct(abs(g))}") + lim


def _mouth(r, lang, a) -> str:
    m = _num(r.measured)
    if m is None:
        return _unknown(lang)
    word = (_t(lang, "闭合", "Closed") if m <= T["mouth_warn"] else
            _t(lang, "微张", "Slightly open") if m <= T["mouth_fail"] else _t(lang, "张开", "Open"))
    return word + _t(lang, f"，唇缝 {_pct(m, 1)}（≤ {_pct(T['mouth_warn'], 1)}）",
                     f", lip gap {_pct(m, 1)} (≤ {_pct(T['mouth_warn'], 1)})")


def _expression(r, lang, a) -> str:
    s = _num(r.measured)
    if s is None:
        return _unknown(lang)
    word = (_t(lang, "自然", "Neutral") if s <= T["smile_warn"] else
            _t(lang, "微笑", "Smiling") if s <= T["smile_fail"] else _t(lang, "大笑", "Broad smile"))
    return word + _t(lang, f"，笑容 {_pct(s)}（≤ {_pct(T['smile_warn'])}）",
                     f": smile {_pct(s)} (≤ {_pct(T['smile_warn'])})")


def _eyebrows(r, lang, a) -> str:
    c = _num(r.measured)
    if c is None:
        return _t(lang, "无法判断", "Cannot tell")
    word = (_t(lang, "露出", "Visible") if c <= T["brow_cover_warn"] else
            _t(lang, "可能部分遮挡", "Maybe partly covered") if c <= T["brow_cover_fail"] else
            _t(lang, "被遮挡", "Covered"))
    shown = _pct(min(c, 1.0))  # the score runs past 1 under thick hair; 100% reads as covered
    return word + _t(lang, f"，遮挡 {shown}（≤ {_pct(T['brow_cover_warn'])}）",
                     f", cover {shown} (≤ {_pct(T['brow_cover_warn'])})")


def _ears(r, lang, a) -> str:
    v, lim = _num(r.measured), _num(r.limit)
    if v is None:
        return _t(lang, "无法判断", "Cannot tell")
    word = _t(lang, "露出", "Visible") if lim is None or v >= lim else _t(lang, "可能被遮住", "Maybe covered")
    tail = _lim(lang, f"≥ {_pct(lim)}") if lim is not None else ""  # advisory: the tooltip says so
    return word + _t(lang, f"，皮肤 {_pct(v)}", f", skin {_pct(v)}") + tail


def _headwear(r, lang, a) -> str:
    v, lim = _num(r.measured), _num(r.limit)
    if v is None:
        return _t(lang, "无法判断（无头发区域）", "Cannot tell")
    word = _t(lang, "未见", "None seen") if lim is None or v <= lim else _t(lang, "疑似帽子/头饰", "Possible headwear")
    return word + _t(lang, f"，头顶色差 ΔE {_n(v)}", f", crown colour ΔE {_n(v)}") + \
        (_lim(lang, f"≤ {_n(lim)}") if lim is not None else "")


def _tinted(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _unknown(lang)
    return _t(lang, f"眼部亮度 {_pct(v)}", f"Eyes {_pct(v)} of cheek brightness") + \
        _lim(lang, f"≥ {_pct(T['tint_warn'])}")


def _glare(r, lang, a) -> str:
    v = _num(r.measured)
    if r.message_key.endswith(".none"):
        return _t(lang, "未戴眼镜", "No glasses")
    if v is None:
        return _unknown(lang)
    head = _t(lang, "透明眼镜，" if r.message_key.endswith(".clear") else "镜片", "Clear glasses, " if
              r.message_key.endswith(".clear") else "")
    return head + _t(lang, f"反光 {_pct(v, 1)}", f"glare {_pct(v, 1)}") + \
        _lim(lang, f"≤ {_pct(T['glare_glasses_warn'], 1)}")


def _lighting(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _unknown(lang)
    params = getattr(r, "params", None) or {}
    if getattr(r, "message_key", "").endswith("low_key"):
        # lit face on a near-black backdrop: say that, not a side-to-side number
        bd = params.get("backdrop")
        return _t(lang, f"背景过暗（亮度 {bd}）", f"Backdrop too dark (level {bd})")
    shadow = params.get("shadow")
    if shadow:
        # a shadow on the face (vision.appearance), in stops of light: 1 stop = half as bright
        what = {"shadow_edge": ("阴影边界", "Shadow line"), "brim": ("额头阴影", "Forehead shadow"),
                "socket": ("眼窝阴影", "Eye-socket shadow")}.get(shadow, ("阴影", "Shadow"))
        dark = 1.0 - 2.0 ** (-v / 2.2)
        return _t(lang, f"{what[0]}：暗 {_pct(dark)}", f"{what[1]}: {_pct(dark)} darker") + \
            _lim(lang, f"≤ {_pct(1.0 - 2.0 ** (-_num(r.limit) / 2.2))}")
    diff = max(0.0, 1.0 - v)
    return _t(lang, f"左右亮度差 {_pct(diff)}", f"Sides differ {_pct(diff)}") + \
        _lim(lang, f"≤ {_pct(1 - T['lr_warn'])}")


_EXPOSURE = {
    "check.exposure.dark": ("太暗", "Too dark"),
    "check.exposure.dim": ("偏暗", "A little dark"),
    "check.exposure.glare": ("偏亮/有反光", "A little bright or shiny"),
    "check.exposure.bright": ("过亮", "Too bright"),
}


def _exposure(r, lang, a) -> str:
    lum = _num(r.measured)
    zh, en = _EXPOSURE.get(r.message_key, ("正常", "Normal"))
    if lum is None:
        return _t(lang, zh, en)
    return _t(lang, f"{zh}（面部亮度 {_pct(lum / 255)}）", f"{en} (face brightness {_pct(lum / 255)})")


def _sharpness(r, lang, a) -> str:
    s = _num(r.measured)
    if s is None:
        return _unknown(lang)
    if s < T["sharp_fail"]:
        return _t(lang, "清晰度 模糊", "Sharpness: blurred")
    if s < T["sharp_warn"]:
        return _t(lang, "清晰度 较低", "Sharpness: low")
    return _t(lang, "清晰度 良好", "Sharpness: good")


def _tint_word(av: float, bv: float, lang, a_rng=None, b_rng=None) -> str:
    """The direction of a colour shift in words (a*: green–red, b*: blue–yellow)."""
    (alo, ahi), (blo, bhi) = a_rng or T["a_range"], b_rng or T["b_range"]
    words = []
    if av < alo:
        words.append(_t(lang, "偏绿", "greenish"))
    elif av > ahi:
        words.append(_t(lang, "偏红", "reddish"))
    if bv < blo:
        words.append(_t(lang, "偏蓝", "bluish"))
    elif bv > bhi:
        words.append(_t(lang, "偏黄", "yellowish"))
    return _t(lang, "、", ", ").join(words)


def _natural_colour(r, lang, a) -> str:
    if r.message_key.endswith(".unknown") or r.measured is None:
        return _unknown(lang)
    if r.message_key.endswith(".cast"):
        ca, cb = _num(r.params.get("a")) or 0.0, _num(r.params.get("b")) or 0.0
        # the backdrop's own a*/b* around neutral 0
        words = _tint_word(ca, cb, lang, (-T["cast_warn"] / 2, T["cast_warn"] / 2),
                           (-T["cast_warn"] / 2, T["cast_warn"] / 2)) or _t(lang, "偏色", "tinted")
        return _t(lang, f"背景{words}，色偏 ΔE {_n(math.hypot(ca, cb))}（≤ {_n(T['cast_warn'])}）",
                  f"Backdrop {words}, cast ΔE {_n(math.hypot(ca, cb))} (≤ {_n(T['cast_warn'])})")
    av, bv = (_num(v) for v in r.measured) if isinstance(r.measured, (list, tuple)) else (None, None)
    if av is None or bv is None:
        return _unknown(lang)
    words = _tint_word(av, bv, lang)
    if not words:
        return _t(lang, "肤色正常", "Skin colour normal")
    return _t(lang, f"肤色{words}", f"Skin {words}") + \
        _lim(lang, f"a* {_n(av)} / b* {_n(bv)}")


def _background_plain(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _t(lang, "看不到背景", "No backdrop visible")
    word = (_t(lang, "纯净", "Plain") if v <= T["bg_plain_warn"] else
            _t(lang, "略杂", "Slightly busy") if v <= T["bg_plain_fail"] else _t(lang, "杂乱", "Busy"))
    return word + _t(lang, f"，起伏 ΔE {_n(v)}（≤ {_n(T['bg_plain_warn'])}）",
                     f", variation ΔE {_n(v)} (≤ {_n(T['bg_plain_warn'])})")


def _background_colour(r, lang, a) -> str:
    v = _num(r.measured)
    if v is None:
        return _t(lang, "看不到背景", "No backdrop visible")
    return _t(lang, f"背景色差 ΔE {_n(v)}", f"Backdrop off by ΔE {_n(v)}") + \
        _lim(lang, f"≤ {_n(T['bg_colour_warn'])}")


@dataclass(frozen=True)
class Entry:
    """How one check's value reads; its tooltip is ``display.help.<id>`` in the message catalogue."""

    value: Callable[[Any, str | None, Any], str]


messages.register({
    "display.help.single_face": ('画面里的人数。证件照只能有一个人；背景中的小人脸会提醒。',
        'People in the picture. An ID photo shows one person; small faces behind warn.'),
    "display.help.face_in_frame": ('头部（含头发）是否完整在画面内，以及按规格裁剪时四周空间是否足够。缺少少量空间时可自动补背景，缺得多就要请顾客移动。',
        "Whether the whole head (hair included) is inside the picture and the spec's crop window has room around it. A little missing room is padded with backdrop; more means the customer moves."),
    "display.help.resolution": ('按规格裁出的区域有多少像素。需要放大越多照片越模糊：放大 1.05 倍以内合格，1.35 倍以内提醒，更多请顾客靠近或换高分辨率相机。',
        "How many pixels the spec's crop has. The more it must be enlarged the softer the photo: up to 1.05× passes, up to 1.35× warns, more means coming closer."),
    "display.help.aspect_ratio": ('原图的长宽比例与规格是否相同；不同时裁剪即可，不需要重拍。',
        "Whether the picture has the spec's proportions; if not it is cropped, no retake."),
    "display.help.head_size": ('按成品尺寸（像素）计算的头部高度（头顶到下巴）或脸宽，范围来自规格。在较大的原图中可通过裁剪调整。',
        "Head height (crown to chin) or face width in pixels of the finished photo, against the spec's range. Cropping adjusts it when the picture is large enough."),
    "display.help.crown_margin": ('成品中头顶到照片上边缘的距离（像素），范围来自规格。',
        "Distance from the top of the head to the top edge of the finished photo (px), against the spec's range."),
    "display.help.eye_line": ('成品中双眼连线到照片上边缘的距离（像素）。有的规格不规定，由头顶留白和头部大小决定。',
        'Distance from the eye line to the top edge of the finished photo (px). Some specs set none: it follows from the crown margin and head size.'),
    "display.help.horizontal_centre": ('双眼中点离成品照片中线的距离（像素，按画面左右）。裁剪时自动调整。',
        "How far the midpoint of the eyes is from the photo's centre line (px, the picture's left/right). Cropping adjusts it."),
    "display.help.yaw": ('头部左右转动的角度。方向按顾客本人的左右。规格限值以内合格，两倍以内提醒，超过不合格（ICAO 默认 ±5°，歪头 ±8°）。',
        "Head turned left or right. Directions are the customer's own left/right. Within the spec's limit passes, up to twice it warns, beyond fails (ICAO default ±5°, roll ±8°)."),
    "display.help.pitch": ('抬头或低头的角度。方向按顾客本人的左右。规格限值以内合格，两倍以内提醒，超过不合格（ICAO 默认 ±5°，歪头 ±8°）。',
        "Chin raised or lowered. Directions are the customer's own left/right. Within the spec's limit passes, up to twice it warns, beyond fails (ICAO default ±5°, roll ±8°)."),
    "display.help.roll": ('头部向肩膀歪斜的角度。方向按顾客本人的左右。规格限值以内合格，两倍以内提醒，超过不合格（ICAO 默认 ±5°，歪头 ±8°）。',
        "Head tilted towards a shoulder. Directions are the customer's own left/right. Within the spec's limit passes, up to twice it warns, beyond fails (ICAO default ±5°, roll ±8°)."),
    "display.help.eyes_open": ('每只眼睛上下眼睑的张开程度（顾客本人的左右）：睁开合格，半闭提醒，闭眼不合格。',
        "How far each eye's lids are apart (the customer's own left/right): open passes, half closed warns, closed fails."),
    "display.help.gaze": ('瞳孔偏离眼睛中心的距离（占眼睛宽度的百分比）：10% 以内看着镜头，16% 以上不合格。',
        "How far the iris sits from the centre of the eye (share of the eye's width): within 10% is looking at the camera, beyond 16% fails."),
    "display.help.mouth_closed": ('上下嘴唇间隙占眼睛到下巴距离的百分比：1.5% 以内算闭嘴，3% 以上不合格（张嘴或露齿）。',
        'Gap between the lips as a share of the eye-to-chin distance: up to 1.5% is closed, beyond 3% fails (open mouth or teeth).'),
    "display.help.expression": ('笑容强度（0–100%）：45% 以内为自然表情，70% 以上不合格。',
        'Smile strength (0–100%): up to 45% is neutral, beyond 70% fails.'),
    "display.help.eyebrows_visible": ('眉毛上方区域像头发而不像皮肤的程度：55% 以内合格，75% 以上可能被刘海遮住。仅供参考，请看照片确认。',
        'How much the area above the brows looks like hair rather than skin: up to 55% passes, beyond 75% the fringe may cover them. Advisory: look at the photo.'),
    "display.help.ears_visible": ('耳朵位置露出皮肤的比例。只提醒、不判不合格（多数证件不要求露耳）。',
        'Share of skin where the ears should be. Advisory only, never fails (most documents do not require visible ears).'),
    "display.help.headwear": ('额头上方区域与皮肤和头发颜色的差别（ΔE，CIELAB 色差）：超过 35 疑似帽子或头饰。',
        'Colour difference (ΔE, CIELAB) of the area over the forehead from both skin and hair: beyond 35 suggests a hat or head covering.'),
    "display.help.tinted_glasses": ('眼部亮度与脸颊亮度之比：墨镜约 20%，低于 45% 不合格；戴眼镜时低于 55% 提醒。',
        'Brightness of the eye area relative to the cheeks: sunglasses read about 20%; below 45% fails, below 55% with glasses warns.'),
    "display.help.glasses_glare": ('戴眼镜时，眼部区域中反光亮斑所占比例：1% 以内合格，3% 以上不合格。',
        'With glasses, the share of the eye area that is specular glare: up to 1% passes, beyond 3% fails.'),
    "display.help.lighting": ('面部较暗一侧比较亮一侧暗多少（阴阳脸），按摄影的光比计：2:1（暗约 27%）以内合格，4:1（暗约 47%）以上不合格；脸亮而背景几乎全黑（低调布光）也不合格。',
        'How much darker the darker half of the face is than the brighter one, as a lighting ratio: up to 2:1 (about 27% darker) passes, beyond 4:1 (about 47%) fails; a lit face on a near-black backdrop (low-key light) fails too.'),
    "display.help.exposure": ('面部平均亮度（0–100%）和过暗/过曝的面积。约 33–78% 为正常；略暗或略亮可自动校正，太暗（< 22%）或过曝需要调灯光重拍。',
        'Mean face brightness (0–100%) and the share of crushed or blown pixels. About 33–78% is normal; a little dark or bright is corrected, too dark (< 22%) or blown out needs a retake with other light.'),
    "display.help.sharpness": ('面部细节的锐利程度（对焦、手抖、运动模糊）：良好 / 较低（提醒）/ 模糊（重拍）。',
        'How crisp the face detail is (focus, shake, motion blur): good / low (warns) / blurred (retake).'),
    "display.help.natural_colour": ('脸颊肤色（CIELAB a* 5–25、b* 5–35 为自然）和背景中性色是否偏色；偏色可自动校正。',
        'Cheek colour (CIELAB a* 5–25, b* 5–35 is natural) and whether the neutral backdrop is tinted; a cast is corrected automatically.'),
    "display.help.background_plain": ('背景颜色的起伏（ΔE）：3 以内为纯色，6 以上为杂乱。杂乱背景可自动替换。',
        'How much the backdrop colour varies (ΔE): up to 3 is plain, beyond 6 busy. A busy backdrop can be replaced automatically.'),
    "display.help.background_colour": ('背景颜色与规格要求颜色（白/蓝/红）的色差 ΔE（CIELAB）：10 以内合格，22 以上不合格。不符时可自动替换。',
        "Colour difference ΔE (CIELAB) of the backdrop from the spec's colour (white/blue/red): up to 10 passes, beyond 22 fails. It can be replaced automatically."),
    "display.help.unknown": ("此项检查的测量值与限值。", "This check's measured value and its limit."),
})

FORMATS: dict[str, Entry] = {
    "single_face": Entry(_single_face),
    "face_in_frame": Entry(_face_in_frame),
    "resolution": Entry(_resolution),
    "aspect_ratio": Entry(_aspect_ratio),
    "head_size": Entry(_head_size),
    "crown_margin": Entry(_geometry("留白", "Above head")),
    "eye_line": Entry(_eye_line),
    "horizontal_centre": Entry(_horizontal_centre),
    "yaw": Entry(_pose("左转", "右转", "Turned to their left", "Turned to their right", "正对", "Facing")),
    "pitch": Entry(_pose("抬头", "低头", "Chin up", "Chin down", "平视", "Level")),
    "roll": Entry(_pose("向左歪", "向右歪", "Leaning to their left", "Leaning to their right", "端正", "Upright")),
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
    text = _t(lang, f"测量值 {m}", f"measured {m}")
    return text + (_t(lang, f"（限值 {lim}）", f" (limit {lim})") if lim else "")


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
