"""GB 11643 ID numbers, names, the province -> city list."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from studio_app.orders import idnumber, regions
from studio_app.orders.idnumber import check_char, mask_id, validate, validate_name

TODAY = dt.date(2026, 6, 1)


def make_id(region="440304", birth="19900307", seq="123") -> str:
    first17 = region + birth + seq
    return first17 + check_char(first17)


def test_check_character_known_values():
    # the standard's worked example and a well-known sample number
    assert check_char("11010519491231002") == "X"
    assert check_char("44030419900307123") == make_id()[-1]
    total = sum(int(d) * w for d, w in zip("44030419900307123", idnumber.WEIGHTS))
    assert make_id()[-1] == "10X98765432"[total % 11]


def test_valid_number_reports_province_birth_sex():
    c = validate("11010519491231002x", today=TODAY)  # lower-case x accepted
    assert c.ok and c.number == "11010519491231002X" and c.kind == "18"
    assert c.birth == dt.date(1949, 12, 31) and c.sex == "f" and c.province == "北京市"
    c = validate(make_id(seq="123"), today=TODAY)
    assert c.ok and c.sex == "m" and c.province == "广东省"
    assert "广东省" in c.message("zh_CN") and "male" in c.message("en")


def test_wrong_check_character_names_the_check_part():
    good = make_id()
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    c = validate(wrong, today=TODAY)
    assert not c.ok and c.part == "check"
    assert f"应为 {good[-1]}" in c.message("zh_CN") and "Check character" in c.message("en")


@pytest.mark.parametrize("number,part,zh,en", [
    (make_id(region="990304"), "region", "地区码 990304", "province code 99"),
    (make_id(region="440000"), "region", "不是县级", "county-level"),
    (make_id(birth="19900230"), "birth", "19900230", "not a calendar date"),
    (make_id(birth="20300101"), "birth", "在今天之后", "future"),
    (make_id(birth="18800101"), "birth", "1890", "before 1890"),
    ("4403041990030712", "length", "18 位", "this one has 16"),
    ("44030419900307A23X", "chars", "第 15 位", "Character 15"),
    ("", "length", "请输入", "Enter"),
])
def test_bad_numbers_say_which_part_is_wrong(number, part, zh, en):
    c = validate(number, today=TODAY)
    assert not c.ok
    assert c.part == part
    assert zh in c.message("zh_CN")
    assert en in c.message("en")


def test_old_15_digit_number_is_recognised_and_explained():
    c = validate("110105491231002", today=TODAY)
    assert not c.ok and c.kind == "15" and c.part == "old15"
    assert c.upgraded == "11010519491231002X"
    assert "15 位旧身份证" in c.message("zh_CN") and "11010519491231002X" in c.message("zh_CN")
    assert "old 15-digit" in c.message("en") and "11010519491231002X" in c.message("en")
    bad = validate("110105491331002", today=TODAY)  # month 13
    assert bad.kind == "15" and bad.upgraded is None and {p.part for p in bad.problems} == {"old15", "birth"}


@settings(max_examples=150, deadline=None)
@given(pos=st.integers(0, 16), delta=st.integers(1, 9))
def test_any_single_digit_error_is_caught(pos, delta):
    good = make_id()
    digits = list(good)
    digits[pos] = str((int(digits[pos]) + delta) % 10)
    c = validate("".join(digits), today=TODAY)
    assert not c.ok


def test_mask_keeps_first3_last4():
    assert mask_id("11010519491231002X") == "110***********002X"
    assert len(mask_id("11010519491231002X")) == 18
    assert mask_id("110105491231002") == "110********1002"
    assert mask_id("") == "" and mask_id("123") == "***"


@pytest.mark.parametrize("name,ok,normalised", [
    ("张三", True, "张三"),
    ("  欧阳娜娜 ", True, "欧阳娜娜"),
    ("买买提·艾力", True, "买买提·艾力"),
    ("阿依古丽 • 买买提", True, "阿依古丽·买买提"),  # other dots normalised to U+00B7
    ("爱新觉罗・溥仪", True, "爱新觉罗·溥仪"),
    ("John Smith", True, "John Smith"),
    ("Zoë O'Neil-Brown", True, "Zoë O'Neil-Brown"),
    ("·张三", False, None),
    ("张三·", False, None),
    ("张··三", False, None),
    ("张三John", False, None),
    ("张3", False, None),
    ("张 三", False, None),
    ("", False, None),
    ("李" * 51, False, None),
])
def test_names(name, ok, normalised):
    r = validate_name(name)
    assert r.ok is ok, (name, r.message("en"))
    if ok:
        assert r.name == normalised
    else:
        assert r.message("zh_CN") and r.message("en")


def test_regions_cover_all_provinces_and_prefectures():
    assert len(regions.PROVINCES) == 34
    assert len(regions.PROVINCE_CODES) == 34
    mainland = [p for p in regions.PROVINCES if p not in ("台湾省", "香港特别行政区", "澳门特别行政区")]
    prefectures = sum(len(regions.cities(p)) for p in mainland if p not in regions.MUNICIPALITIES)
    assert prefectures >= 333  # 333 prefecture-level divisions + directly administered county-level cities
    assert "深圳市" in regions.cities("广东省") and len(regions.cities("广东省")) == 21
    assert regions.province_of("延边朝鲜族自治州") == "吉林省"
    assert len(set(regions.all_cities())) == len(regions.all_cities()), "a city listed twice"


def test_city_check_warns_province_not_city():
    c = regions.check_city("广东省")
    assert not c.ok and c.province == "广东省"
    assert "深圳市" in c.message("zh_CN") and "not 广东省" in c.message("en")
    assert not regions.check_city("广东").ok
    assert regions.check_city("深圳").city == "深圳市"
    assert regions.check_city("深圳市").province == "广东省"
    assert regions.check_city("北京").city == "北京市"  # a municipality is its own city
    assert regions.check_city("上海市").ok
    assert not regions.check_city("不存在市").ok
    assert not regions.check_city("").ok
