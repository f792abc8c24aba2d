"""Plain-language values of the checks (studio_app.compliance.display) on real photos."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from conftest import load_portrait
from studio_app.compliance import REGISTRY, run_checks
from studio_app.compliance.display import FORMATS, explain, value_text
from studio_app.specs import get_spec

# photos chosen so that between them most checks pass, warn, fail and come back unknown
PHOTOS = ("ar_closed_room.jpg", "rb_sunglasses_cap.jpg", "of_lennon_glasses.jpg", "gf_blur_colour.png",
          "ps_dark_uneven.jpg", "fr_obama_and_biden.jpg", "dl_dogs_noface.jpg", "df_musk_light.jpg",
          "fr_harington_turned.jpg")
UNITS = ("px", "°", "%", "×", "ΔE")
# checks whose value is a category, not a quantity: a word (or a count of people) is the unit
CATEGORICAL = {"single_face", "face_in_frame", "eyes_open", "sharpness", "natural_colour", "glasses_glare"}
RAW_FRACTION = re.compile(r"(?<![\d.])[01]\.\d+(?![\d×°%])")  # a bare 0.9, 0.316: internal ratios
CJK = re.compile(r"[\u4e00-\u9fff]")


def _analyses(astronaut):
    from studio_app.vision.analyzer import analyze_still

    out = {"astronaut": analyze_still(astronaut)}
    for name in PHOTOS:
        try:
            out[name] = analyze_still(load_portrait(name))
        except pytest.skip.Exception:
            continue
    return out


@pytest.fixture(scope="module")
def results(request):
    from skimage import data
    import numpy as np

    spec = get_spec("sscard")
    rows = []
    for name, a in _analyses(np.ascontiguousarray(data.astronaut())).items():
        for live in (False, True):
            for r in run_checks(a, spec, live=live).results:
                rows.append((name, live, r, a))
    return rows


def _raw(r) -> str:  # what the checklist used to show
    def f(v):
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:.1f}"
        if isinstance(v, (list, tuple)):
            return "–".join(f(x) for x in v)
        return str(v)
    return f(r.measured) + (f" / {f(r.limit)}" if r.limit not in (None, "") else "")


def test_every_check_has_a_table_entry():
    assert set(REGISTRY) <= set(FORMATS)


def test_every_check_on_real_photos_reads_in_plain_language(results):
    ids = {r.id for _n, _l, r, _a in results}
    assert ids == set(REGISTRY), set(REGISTRY) - ids  # the astronaut alone produces every check
    for name, live, r, a in results:
        for lang in ("zh_CN", "en"):
            for analysis in (a, None):
                text = value_text(r, lang, analysis)
                where = f"{name} live={live} {r.id} {r.status} {lang}: {text!r} (raw {_raw(r)!r})"
                assert text and text != _raw(r), where
                assert not RAW_FRACTION.search(text), where
                if r.id not in CATEGORICAL and r.measured is not None:
                    assert any(u in text for u in UNITS), where
                if lang == "zh_CN":
                    assert CJK.search(text), where
                    # no English words in the Chinese text beyond the units (px, ΔE, a*, b*)
                    assert not re.search(r"[A-Za-z]{3,}", text), where
                else:
                    assert not CJK.search(text) and re.search(r"[A-Za-z]{3,}", text), where


def test_examples_read_as_an_operator_says_them():
    def res(cid, measured, limit=None, key="", **params):
        return SimpleNamespace(id=cid, status="fail", measured=measured, limit=limit, message_key=key,
                               params=params)

    assert value_text(res("head_size", 412.0, [390.0, 450.0], what="head_height"), "zh_CN") == "头部 412 px（要求 390–450）"
    assert value_text(res("head_size", 412.0, [390.0, 450.0], what="head_height"), "en") == \
        "Head 412 px (need 390–450 px)"
    # + yaw: the face turned to image right, i.e. the customer's own left
    assert value_text(res("yaw", 7.2, 5.0, angle=7.2, lim=5.0), "zh_CN") == "左转 7°（≤ 5°）"
    assert value_text(res("yaw", -7.2, 5.0), "en") == "Turned to their right 7° (≤ 5°)"
    # a value that would round onto the limit keeps a decimal
    assert value_text(res("roll", 8.1, 8.0), "zh_CN") == "向左歪 8.1°（≤ 8°）"
    assert value_text(res("pitch", 0.5, 5.0), "zh_CN") == "平视 0°（≤ 5°）"  # not "抬头 0°"
    assert value_text(res("horizontal_centre", 178.6, [162.0, 196.0]), "en") == "Centred (±17 px)"
    assert value_text(res("sharpness", 0.06, 0.05), "zh_CN") == "清晰度 较低"
    assert value_text(res("background_colour", 6.2, 22.0), "zh_CN") == "背景色差 ΔE 6（≤ 10）"
    assert value_text(res("exposure", 45, [55, 225], key="check.exposure.dark"), "zh_CN").startswith("太暗")
    assert value_text(res("exposure", 164, [85, 200], key="check.exposure.pass"), "en").startswith("Normal")
    # each eye, the customer's own left/right (image-left is their right eye)
    a = SimpleNamespace(features={"eye_open_left": 0.14, "eye_open_right": 0.3})
    assert value_text(res("eyes_open", 0.14, 0.12), "zh_CN", a) == "左眼 睁开 / 右眼 半闭"
    assert value_text(res("eyes_open", 0.14, 0.12), "en", a) == "Left eye open / right eye half closed"


def test_language_follows_the_ui_by_default():
    from studio_app import messages

    r = SimpleNamespace(id="sharpness", status="pass", measured=0.2, limit=0.05, message_key="", params={})
    before = messages.language()
    try:
        messages.set_language("en")
        assert value_text(r) == "Sharpness: good" and explain("sharpness").startswith("How crisp")
        messages.set_language("zh_CN")
        assert value_text(r) == "清晰度 良好" and CJK.search(explain("sharpness"))
    finally:
        messages.set_language(before)


def test_unknown_ids_and_odd_values_fall_back_gracefully():
    odd = SimpleNamespace(id="new_check", status="warn", measured=0.9, limit=0.7, message_key="", params={})
    assert value_text(odd, "zh_CN") == "测量值 0.9（限值 0.7）"
    assert value_text(odd, "en") == "measured 0.9 (limit 0.7)"
    assert value_text(SimpleNamespace(id="new_check", measured=None, limit=None), "en") == ""
    assert explain("new_check", "en") and explain("new_check", "zh_CN")
    # a known id with a value of an unexpected shape never raises
    weird = SimpleNamespace(id="horizontal_centre", status="fail", measured="x", limit=object(), message_key="",
                            params={})
    assert isinstance(value_text(weird, "zh_CN"), str)


def test_every_check_has_an_explanation_in_both_languages():
    from studio_app import messages

    for cid in REGISTRY:
        zh, en = explain(cid, "zh_CN"), explain(cid, "en")
        assert len(zh) >= 15 and CJK.search(zh), cid
        assert len(en) >= 30 and not CJK.search(en), cid
        assert zh != messages.text(f"check.{cid}", "zh_CN") and en != messages.text(f"check.{cid}", "en")


def test_low_key_lighting_is_described_as_a_dark_backdrop():
    from studio_app.compliance.report import CheckResult

    r = CheckResult("lighting", "fail", "retake", measured=0.97, limit=0.53,
                    message_key="check.lighting.low_key", params={"stops": 0.05, "backdrop": 12})
    assert value_text(r, "zh_CN") == "背景过暗（亮度 12）"
    assert value_text(r, "en") == "Backdrop too dark (level 12)"
    side = CheckResult("lighting", "warn", "retake", measured=0.6, limit=0.53, message_key="check.lighting")
    assert "左右亮度差 40%" in value_text(side, "zh_CN") and "27%" in value_text(side, "zh_CN")
    assert "2:1" in explain("lighting", "zh_CN") and "4:1" in explain("lighting", "en")


def test_every_tooltip_comes_from_the_message_catalogue_in_both_languages():
    from studio_app import messages
    from studio_app.compliance.display import FORMATS, explain

    for check_id in FORMATS:
        zh, en = explain(check_id, "zh_CN"), explain(check_id, "en")
        assert zh == messages.text(f"display.help.{check_id}", "zh_CN") and zh != f"display.help.{check_id}"
        assert en == messages.text(f"display.help.{check_id}", "en") and en != zh
    assert explain("no_such_check", "en") == "This check's measured value and its limit."
