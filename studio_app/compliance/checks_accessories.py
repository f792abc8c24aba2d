"""The seed's accessory rules (社保卡 photo rules: 不能佩戴耳环、项链、发卡等饰品; 头发不能遮挡肩膀):
earrings, a necklace, a hair clip or headband, hair over the shoulders. Each only warns (the
operator looks at the marked place and decides; the kiosk asks the customer to take it off), and
a warning carries ``params["region"]`` so the review marks the place on the photo.

Measures: :mod:`studio_app.vision.accessories` (thresholds and the photos they were set on:
docs/compliance-accuracy.md, "Accessories"). Live frames are judged on the measure of the last
slow-cadence run (vision.analyzer), so a warning may lag the sitter by a fraction of a second.
"""

from __future__ import annotations

import math

from .. import messages
from ..specs import Spec
from ..vision.types import FaceAnalysis
from . import display
from .checks import _res, check
from .report import PASS, RETAKE, WARN, CheckResult

#: Score at or above which each warns (units: vision.accessories), set in the gap between the 27
#: shared photos with a judged face and painted accessories (docs/compliance-accuracy.md,
#: "Accessories"). Blob areas are px of a 100-px-wide face: gold studs 0.036 face widths across
#: read 6.7-9.0 on studio portraits, the shared photos at most 4.3. Necklace: face widths of neck
#: crossed by thin non-skin lines, painted chains 0.29-0.54, photos at most 0.26. Hair clip: a
#: painted clip 76-83, photos at most 5.9. Hair: how far down towards the shoulder joints hair
#: joined to the head's reaches (1 = the joints), painted long hair 1.17-1.33, photos at most 0.74.
LIMITS = {"earrings": 6.0, "necklace": 0.3, "hair_accessory": 12.0, "hair_shoulders": 0.9}
#: check id -> hint key (the kiosk's voice prompt: ui.kiosk.wording.HINT_PROMPTS)
HINTS = {"earrings": "hint.remove_earrings", "necklace": "hint.remove_necklace",
         "hair_accessory": "hint.remove_hair_clip", "hair_shoulders": "hint.hair_behind_shoulders"}

messages.register({
    "check.earrings": ("耳环", "Earrings"),
    "check.earrings.pass": ("未见耳环", "No earrings seen"),
    "check.earrings.warn": ("疑似佩戴耳环", "Earrings seen"),
    "check.necklace": ("项链", "Necklace"),
    "check.necklace.pass": ("未见项链", "No necklace seen"),
    "check.necklace.warn": ("疑似佩戴项链", "Necklace seen"),
    "check.hair_accessory": ("发卡、发箍", "Hair clips, headbands"),
    "check.hair_accessory.pass": ("未见发卡或发箍", "No hair clip or headband seen"),
    "check.hair_accessory.warn": ("疑似戴有发卡或发箍", "Hair clip or headband seen"),
    "check.hair_shoulders": ("头发遮挡肩膀", "Hair over the shoulders"),
    "check.hair_shoulders.pass": ("头发未遮挡肩膀", "Shoulders clear of hair"),
    "check.hair_shoulders.warn": ("头发垂到肩上", "Hair falls over the shoulders"),
    "check.accessory.unknown": ("无法判断", "Not judged"),
    "hint.remove_earrings": ("请摘下耳环", "Please take off your earrings"),
    "hint.remove_necklace": ("请摘下项链", "Please take off your necklace"),
    "hint.remove_hair_clip": ("请摘下发卡、发箍", "Please take out hair clips and headbands"),
    "hint.hair_behind_shoulders": ("请把头发拨到肩膀后面", "Please move your hair behind your shoulders"),
})


def _judge(a: FaceAnalysis, cid: str) -> CheckResult:
    found = (a.accessories or {}).get(cid)
    score = float("nan") if found is None else float(found.score)
    limit = LIMITS[cid]
    if math.isnan(score):
        return _res(cid, PASS, None, limit, key="check.accessory.unknown")
    if score < limit:
        return _res(cid, PASS, round(score, 2), limit)
    extra = {"region": [int(v) for v in found.region]} if found.region is not None else {}
    return _res(cid, WARN, round(score, 2), limit, key=f"check.{cid}.warn", hint=HINTS[cid], **extra)


@check("earrings", RETAKE)
def earrings(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    return _judge(a, "earrings")


@check("necklace", RETAKE)
def necklace(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    return _judge(a, "necklace")


@check("hair_accessory", RETAKE)
def hair_accessory(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    return _judge(a, "hair_accessory")


@check("hair_shoulders", RETAKE)
def hair_shoulders(a: FaceAnalysis, spec: Spec, live: bool) -> CheckResult:
    return _judge(a, "hair_shoulders")


ACCESSORY_CHECKS = tuple(LIMITS)


messages.register({
    "display.accessory.unknown": ("无法判断", "Not judged"),
    "display.accessory.seen": ("发现", "seen"),
    "display.accessory.none": ("未见", "none"),
    "display.accessory.value": ("{word} · {v}", "{word} · {v}"),
    "display.accessory.limit": ("≥ {lim}", "≥ {lim}"),
})


def _value(kind: str):
    """Short words for the checklist (its column is narrow; the help text gives the units): blob
    areas in px of a 100-px face, the necklace as a share of the face width, the hair as a share
    of the way from the chin to the shoulder joints."""
    def fmt(r, lang, a) -> str:
        v, lim = display._num(r.measured), display._num(r.limit)
        if v is None or lim is None:
            return display._say(lang, "display.accessory.unknown")
        word = display._say(lang, "display.accessory.seen" if v >= lim else "display.accessory.none")
        show = (lambda x: f"{display._n(x)} px") if kind == "area" else display._pct
        return display._say(lang, "display.accessory.value", word=word, v=show(v)) + \
            display._lim(lang, display._say(lang, "display.accessory.limit", lim=show(lim)))
    return fmt


messages.register({
    "display.help.earrings": (
        "耳垂附近（下颌两侧、脸外）最大的高亮或高饱和小块的面积（按脸宽 100 像素折算的像素数）：金、银饰品反光或颜色鲜艳；"
        "达到 6 提醒，请看照片上标出的位置。",
        "Area of the largest bright or saturated spot beside the jaw at the ear lobes (px at a 100-px face width): "
        "gold and silver shine, coloured studs stand out; 6 or more warns, look at the place marked on the photo."),
    "display.help.necklace": (
        "颈部皮肤上横穿的细线（上下都是皮肤、本身不是皮肤颜色、不发暗）跨过的宽度（占脸宽的百分比）：达到 30% 提醒。",
        "Width (as a share of the face width) spanned by thin lines across the neck skin (skin above and below, not skin-coloured, "
        "not dark): 30% or more warns."),
    "display.help.hair_accessory": (
        "头发区域（眉毛以上、脸外）里最大的高亮或高饱和色块面积（按脸宽 100 像素折算的像素数）：达到 12 提醒（发卡、发箍）。",
        "Area of the largest bright or saturated patch in the hair (above the brows, off the face; px at a 100-px "
        "face width): 12 or more warns (a clip or headband)."),
    "display.help.hair_shoulders": (
        "与头顶头发相连、颜色相同的像素在颈部两侧向下延伸到多远（占下巴到肩关节距离的百分比）：达到 90% 提醒；"
        "头发与上衣颜色相近时无法判断。",
        "How far hair joined to the hair on the head reaches down beside the neck (share of the chin-to-shoulder-joint "
        "distance): 90% or more warns; not judged when the hair and the top are alike in colour."),
})
display.FORMATS["earrings"] = display.Entry(_value("area"))
display.FORMATS["hair_accessory"] = display.Entry(_value("area"))
display.FORMATS["necklace"] = display.Entry(_value("neck"))
display.FORMATS["hair_shoulders"] = display.Entry(_value("hair"))
