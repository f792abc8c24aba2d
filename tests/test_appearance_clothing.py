"""Clothing against the backdrop on real portraits and on measured recolourings of their
clothing: white or pale tops on the white backdrop fail for 身份证/社保卡 with "请换深色上衣"
and warn for a 1寸 print (the finished head would float); dark tops pass."""

from __future__ import annotations

import pytest

import edits
from conftest import load_portrait, portraits_dir
from studio_app import messages
from studio_app.compliance import run_checks
from studio_app.specs import get_spec

NAVY = (30, 40, 70)
WHITE = (245, 245, 245)


@pytest.fixture(scope="module")
def analyzer():
    if not portraits_dir().is_dir():
        pytest.skip("../shared/testdata/portraits not present")
    from studio_app.vision.analyzer import FaceAnalyzer

    with FaceAnalyzer("still") as an:
        yield an


def _clothing(analyzer, rgb, spec_id):
    a = analyzer.analyze(rgb)
    return run_checks(a, get_spec(spec_id), only=("clothing",))["clothing"]


@pytest.mark.parametrize("name", ["ldn_004_m_stubble.jpg", "ldn_107_f_older.jpg", "ar_open_room.jpg"])
def test_white_tshirt_fails_on_id_cards_and_a_dark_one_passes(analyzer, name):
    rgb = load_portrait(name)
    for spec_id in ("sscard", "resident_id"):
        r = _clothing(analyzer, rgb, spec_id)
        assert r.status == "fail" and r.category == "retake", (name, spec_id, r.measured)
        assert r.hint_key == "hint.darker_top"
    assert _clothing(analyzer, rgb, "one_inch").status == "warn"  # said, not refused
    a = analyzer.analyze(rgb)
    dark = edits.recolour_clothing(rgb, a, NAVY)
    r = _clothing(analyzer, dark, "sscard")
    assert r.status == "pass", (name, r.measured)


@pytest.mark.parametrize("name", ["fr_obama_official.jpg", "df_bezos.jpg", "df_musk_light.jpg"])
def test_dark_suit_passes_and_the_same_suit_recoloured_white_fails(analyzer, name):
    rgb = load_portrait(name)
    assert _clothing(analyzer, rgb, "sscard").status == "pass"
    a = analyzer.analyze(rgb)
    pale = edits.recolour_clothing(rgb, a, WHITE)
    r = _clothing(analyzer, pale, "sscard")
    assert r.status == "fail", (name, r.measured)
    assert r.measured < 20


def test_hint_text_in_both_languages():
    assert messages.text("hint.darker_top", "zh_CN") == "请换深色上衣"
    assert messages.text("hint.darker_top", "en") == "Please change into a darker top"
