"""Resident ID numbers (GB 11643-1999) and applicant names.

An 18-character number is 6 digits of region code, 8 digits of birth date (YYYYMMDD), a 3-digit
sequence (odd = male) and a check character from ISO 7064 MOD 11-2. The old 15-digit numbers
(before 1999: 2-digit year, no check character) are recognised and explained, and their 18-digit
form is computed, but they are not accepted for a new document.

Every problem names the part that is wrong, in Chinese and English. Outside validation, ID
numbers are only shown masked (:func:`mask_id`).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field

from .. import messages
from .regions import PROVINCE_CODES

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
OLDEST_BIRTH = _dt.date(1890, 1, 1)

messages.register({
    "orders.id.empty": ("请输入身份证号码", "Enter the resident ID number"),
    "orders.id.length": ("身份证号码应为 18 位，现在是 {length} 位",
                         "A resident ID number has 18 characters; this one has {length}"),
    "orders.id.chars": ("身份证号码第 {position} 位“{char}”无效：前 17 位只能是数字，最后一位是数字或 X",
                        "Character {position} (“{char}”) is invalid: the first 17 must be digits, "
                        "the last a digit or X"),
    "orders.id.region": ("地区码 {code} 无效（前 6 位）：{reason}",
                         "Region code {code} (first 6 digits) is invalid: {reason}"),
    "orders.id.region.province": ("没有省级代码 {prefix}", "there is no province code {prefix}"),
    "orders.id.region.zero": ("不是县级行政区划代码", "it is not a county-level code"),
    "orders.id.birth": ("出生日期 {text} 无效（第 7–14 位）：{reason}",
                        "Birth date {text} (characters 7–14) is invalid: {reason}"),
    "orders.id.birth.not_a_date": ("不是有效日期", "not a calendar date"),
    "orders.id.birth.future": ("在今天之后", "it lies in the future"),
    "orders.id.birth.too_old": ("早于 1890 年", "before 1890"),
    "orders.id.check": ("校验码错误（第 18 位）：应为 {expected}，输入的是 {given}；请核对每一位数字",
                        "Check character (18th) is wrong: expected {expected}, got {given}; "
                        "check every digit"),
    "orders.id.old15": (
        "这是 1999 年以前的 15 位旧身份证号码（两位年份、无校验码），已停止使用；请使用 18 位号码{upgrade}",
        "This is an old 15-digit ID number (issued before 1999: two-digit year, no check "
        "character) that is no longer used; enter the 18-digit number{upgrade}"),
    "orders.id.old15.upgrade": ("（对应的 18 位号码应为 {number}）", " (its 18-digit form would be {number})"),
    "orders.id.ok": ("身份证号码有效（{province}，{birth}，{sex}）", "Valid ID number ({province}, {birth}, {sex})"),
    "orders.sex.m": ("男", "male"),
    "orders.sex.f": ("女", "female"),
    "orders.name.empty": ("请输入申请人姓名", "Enter the applicant's name"),
    "orders.name.too_long": ("姓名过长（最多 {max} 个字符）", "The name is too long (at most {max} characters)"),
    "orders.name.bad_char": ("姓名中有无效字符“{char}”：只能使用汉字、间隔号 · 或拉丁字母",
                             "Invalid character “{char}” in the name: use Chinese characters, the middle dot · "
                             "or Latin letters"),
    "orders.name.dot": ("间隔号 · 只能用在两个名字部分之间，不能在开头、结尾或连续出现",
                        "The middle dot · goes between two parts of a name, not at the start, the end or twice "
                        "in a row"),
    "orders.name.mixed": ("姓名不能混用汉字和拉丁字母", "A name cannot mix Chinese characters and Latin letters"),
})


def check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdProblem:
    part: str  # length | chars | region | birth | check | old15
    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        if self.part == "old15":
            up = self.params.get("upgraded")
            extra = messages.text("orders.id.old15.upgrade", lang, number=up) if up else ""
            return messages.text(self.key, lang, upgrade=extra)
        # "@key" parameters are sub-messages (a reason), translated in the same language
        params = {k: (messages.text(v[1:], lang, **self.params) if isinstance(v, str) and v.startswith("@") else v)
                  for k, v in self.params.items()}
        return messages.text(self.key, lang, **params)


@dataclass(frozen=True)
class IdCheck:
    ok: bool
    number: str  # normalised (upper-case X, no spaces)
    kind: str | None = None  # "18" | "15" | None
    problems: tuple[IdProblem, ...] = ()
    birth: _dt.date | None = None
    sex: str | None = None  # "m" | "f"
    province: str | None = None
    upgraded: str | None = None  # 18-digit form of a 15-digit number

    @property
    def part(self) -> str | None:
        return self.problems[0].part if self.problems else None

    def message(self, lang: str | None = None) -> str:
        if self.ok:
            return messages.text("orders.id.ok", lang, province=self.province or "",
                                 birth=self.birth.isoformat() if self.birth else "",
                                 sex=messages.text(f"orders.sex.{self.sex}", lang))
        return "；".join(p.message(lang) for p in self.problems) if (lang or messages.language()) != "en" \
            else "; ".join(p.message(lang) for p in self.problems)

    @property
    def masked(self) -> str:
        return mask_id(self.number)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\-]", "", text).upper()


def _check_region(code: str) -> IdProblem | None:
    if code[:2] not in PROVINCE_CODES:
        return IdProblem("region", "orders.id.region",
                         {"code": code, "reason": "@orders.id.region.province", "prefix": code[:2]})
    if code[2:] == "0000":
        return IdProblem("region", "orders.id.region", {"code": code, "reason": "@orders.id.region.zero"})
    return None


def _check_birth(text: str, today: _dt.date) -> tuple[_dt.date | None, IdProblem | None]:
    try:
        birth = _dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None, IdProblem("birth", "orders.id.birth", {"text": text, "reason": "@orders.id.birth.not_a_date"})
    if birth > today:
        return birth, IdProblem("birth", "orders.id.birth", {"text": text, "reason": "@orders.id.birth.future"})
    if birth < OLDEST_BIRTH:
        return birth, IdProblem("birth", "orders.id.birth", {"text": text, "reason": "@orders.id.birth.too_old"})
    return birth, None


def validate(text: str, today: _dt.date | None = None) -> IdCheck:
    """Check a resident ID number; ``problems`` names each wrong part (region, birth, check...)."""
    today = today or _dt.date.today()
    number = _normalise(text)
    if not number:
        return IdCheck(False, number, None, (IdProblem("length", "orders.id.empty"),))
    if len(number) == 15 and number.isdigit():
        problems = []
        region = _check_region(number[:6])
        if region:
            problems.append(region)
        birth, bad_birth = _check_birth("19" + number[6:12], today)
        if bad_birth:
            problems.append(bad_birth)
        upgraded = None
        if not problems:
            first17 = number[:6] + "19" + number[6:15]
            upgraded = first17 + check_char(first17)
        problems.insert(0, IdProblem("old15", "orders.id.old15", {"upgraded": upgraded}))
        return IdCheck(False, number, "15", tuple(problems), birth, "m" if int(number[14]) % 2 else "f",
                       PROVINCE_CODES.get(number[:2]), upgraded)
    if len(number) != 18:
        return IdCheck(False, number, None, (IdProblem("length", "orders.id.length", {"length": len(number)}),))
    for i, ch in enumerate(number):
        if not (ch.isdigit() and ch.isascii()) and not (i == 17 and ch == "X"):
            return IdCheck(False, number, "18", (IdProblem("chars", "orders.id.chars",
                                                           {"position": i + 1, "char": ch}),))
    problems = []
    region = _check_region(number[:6])
    if region:
        problems.append(region)
    birth, bad_birth = _check_birth(number[6:14], today)
    if bad_birth:
        problems.append(bad_birth)
    expected = check_char(number[:17])
    if expected != number[17]:
        problems.append(IdProblem("check", "orders.id.check", {"expected": expected, "given": number[17]}))
    return IdCheck(not problems, number, "18", tuple(problems), birth, "m" if int(number[16]) % 2 else "f",
                   PROVINCE_CODES.get(number[:2]))


def mask_id(number: str | None) -> str:
    """110***********123X: first 3 and last 4 characters kept, the birth date and sequence hidden."""
    number = _normalise(number or "")
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


# --- names -----------------------------------------------------------------------------------

MIDDLE_DOTS = "·•‧・･∙⋅●"
NAME_MAX = 50


@dataclass(frozen=True)
class NameCheck:
    ok: bool
    name: str
    message_key: str | None = None
    params: dict = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return messages.text(self.message_key, lang, **self.params) if self.message_key else ""


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F
            or 0xF900 <= cp <= 0xFAFF or ch == "〇")


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and "LATIN" in unicodedata.name(ch, "")


def validate_name(text: str) -> NameCheck:
    """Chinese names (with the middle dot · of minority and foreign names) or Latin names."""
    name = unicodedata.normalize("NFC", (text or "").strip())
    name = "".join("·" if ch in MIDDLE_DOTS else ch for ch in name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"\s*·\s*", "·", name)
    if not name:
        return NameCheck(False, name, "orders.name.empty")
    if len(name) > NAME_MAX:
        return NameCheck(False, name, "orders.name.too_long", {"max": NAME_MAX})
    cjk = latin = False
    for ch in name:
        if _is_cjk(ch):
            cjk = True
        elif _is_latin(ch):
            latin = True
        elif ch in "·" or (ch in " -'." and not cjk):
            continue
        else:
            return NameCheck(False, name, "orders.name.bad_char", {"char": ch})
    if cjk and latin:
        return NameCheck(False, name, "orders.name.mixed")
    if cjk and (" " in name or any(c in "-'." for c in name)):
        bad = next(c for c in name if c in " -'.")
        return NameCheck(False, name, "orders.name.bad_char", {"char": bad})
    if name[0] == "·" or name[-1] == "·" or "··" in name:
        return NameCheck(False, name, "orders.name.dot")
    return NameCheck(True, name)
