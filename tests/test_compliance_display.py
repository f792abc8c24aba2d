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


def _value_cases():
    """Fabricated results reaching every branch of every value formatter (ids, keys, values)."""
    def res(cid, measured, limit=None, key="", **params):
        return SimpleNamespace(id=cid, status="fail", measured=measured, limit=limit,
                               message_key=key or f"check.{cid}.fail", params=params)

    eyes = [SimpleNamespace(features={"eye_open_left": el, "eye_open_right": er})
            for el, er in ((0.05, 0.3), (0.14, 0.3))]
    cases = [
        res("single_face", 0, 1, "check.single_face.none", count=0), res("single_face", 3, 1, "check.single_face.many", count=3),
        res("single_face", 1, 1, "check.single_face.background", count=2), res("single_face", 1, 1, "check.single_face.pass", count=1),
        res("face_in_frame", "cut", "inside", "check.face_in_frame.cut"),
        *(res("face_in_frame", 4.5, 10.0, f"check.face_in_frame.pad_{s}", side=s, percent=4.5)
          for s in ("top", "bottom", "left", "right")),
        res("face_in_frame", 0.0, 0.0, "check.face_in_frame.pass"),
        res("resolution", None, None), res("resolution", 0.9, 1.35, need=420, spec_w=358),
        res("resolution", 1.2, 1.35, need=300, spec_w=358),
        res("aspect_ratio", "600x800", "358x441", w=600, h=800, sw=358, sh=441), res("aspect_ratio", "600x800", "358x441"),
        *(res("head_size", v, lim, what=what) for v in (None, 412.0) for lim in ([390.0, 450.0], [0.0, 30.0], [10.0, None], None)
          for what in ("head_height", "face_width")),
        res("crown_margin", 20.0, [10.0, 30.0]), res("eye_line", 150.0, None), res("eye_line", 150.0, [140.0, 160.0]),
        res("eye_line", None), *(res("horizontal_centre", v, [162.0, 196.0]) for v in (178.6, 150.0, 200.0, None)),
        *(res(cid, v, 5.0) for cid in ("yaw", "pitch", "roll") for v in (7.2, -7.2, 0.2, None)),
        *(res("eyes_open", 0.14, 0.12) for _ in (0,)), res("eyes_open", 0.3, 0.12), res("eyes_open", 0.05, 0.12),
        res("eyes_open", None), *(res("gaze", v, 0.16) for v in (None, 0.05, 0.2)),
        *(res("mouth_closed", v, 0.03) for v in (None, 0.01, 0.02, 0.05)),
        *(res("expression", v, 0.7) for v in (None, 0.1, 0.5, 0.8)),
        *(res("eyebrows_visible", v, 0.75) for v in (None, 0.3, 0.6, 1.4)),
        *(res("ears_visible", v, 0.35) for v in (None, 0.5, 0.2)),
        *(res("headwear", v, 35.0) for v in (None, 10.0, 40.0)), res("tinted_glasses", 0.3, 0.45), res("tinted_glasses", None),
        res("glasses_glare", 0.0, 0.03, "check.glasses_glare.none"), res("glasses_glare", 0.004, 0.03, "check.glasses_glare.clear"),
        res("glasses_glare", 0.02, 0.03), res("glasses_glare", None, 0.03),
        res("lighting", 0.97, 0.53, "check.lighting.low_key", backdrop=12), res("lighting", 0.6, 0.53), res("lighting", None),
        *(res("lighting", 1.3, 2.0, f"check.lighting.{s}", shadow=s) for s in ("shadow_edge", "brim", "socket", "other")),
        *(res("exposure", lum, [55, 225], f"check.exposure.{k}") for k in ("dark", "dim", "glare", "bright", "pass")
          for lum in (120, None)),
        *(res("sharpness", v, 0.05) for v in (None, 0.03, 0.06, 0.2)),
        res("natural_colour", None, None, "check.natural_colour.unknown"),
        *(res("natural_colour", [12.0, 20.0], None, "check.natural_colour.cast", a=a, b=b) for a, b in ((4.2, -3.0), (-5.0, 6.0), (0.5, 0.5))),
        *(res("natural_colour", m, None) for m in ([12.0, 20.0], [2.0, 40.0], [30.0, 3.0], [None, 3.0])),
        *(res("background_plain", v, 6.0) for v in (None, 2.0, 4.0, 10.0)),
        res("background_colour", None, 22.0), res("background_colour", 6.2, 22.0),
        res("clothing", None, 20.0), res("clothing", 25.0, 20.0),
        res("new_check", 0.9, 0.7), res("new_check", 0.9, None),
    ]
    return [(c, a) for c in cases for a in ([None] + eyes if c.id == "eyes_open" else [None])]


def test_every_display_text_renders_in_zh_and_en_with_its_placeholders(monkeypatch):
    """Every ``display.*`` value text is used, each renders in both languages with every
    placeholder filled, and no formatter asks for a key the catalogue lacks."""
    import string

    from studio_app import messages

    templates = {k: v for k, v in messages._CATALOGUE.items()
                 if k.startswith("display.") and not k.startswith("display.help.")}
    for key, pair in templates.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(pair[lang]) if f} for lang in ("zh_CN", "en")]
        assert fields[0] == fields[1], (key, pair)
    used = []
    real = messages.text
    monkeypatch.setattr(messages, "text", lambda key, *a, **p: used.append(key) or real(key, *a, **p))
    for r, a in _value_cases():
        for lang in ("zh_CN", "en"):
            text = value_text(r, lang, a)
            where = f"{r.id} {r.measured!r} {r.message_key} {lang}: {text!r}"
            assert text and "{" not in text and "}" not in text and "display." not in text, where
            assert bool(CJK.search(text)) == (lang == "zh_CN"), where
    used = {k for k in used if k.startswith("display.") and not k.startswith("display.help.")}
    assert used <= set(templates), used - set(templates)  # every key asked for exists
    assert set(templates) <= used, set(templates) - used  # and every text is reachable


def test_compliance_modules_hold_no_inline_user_text():
    """Chinese text in compliance/ sits in ``messages.register`` tables only (comments and
    docstrings aside): values, messages and tooltips all come from the catalogue."""
    import ast
    from pathlib import Path

    import studio_app.compliance as pkg

    for path in sorted(Path(pkg.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "register":
                allowed |= {id(n) for arg in node.args for n in ast.walk(arg)}
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node) is not None:
                allowed.add(id(node.body[0].value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value):
                assert id(node) in allowed, (
                    f"{path.name}:{node.lineno}: {node.value!r} - register it as a display.<id>.* (or "
                    "check.*) text with messages.register and render it with display._say(lang, key, **params)")
