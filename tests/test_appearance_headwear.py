"""Customary headwear: a headwear failure carries a flag the operator can confirm when the spec
allows customary headwear (少数民族 customs), and none when it does not."""

from __future__ import annotations

import dataclasses

from studio_app.compliance import run_checks
from studio_app.specs import get_spec


def test_headwear_failure_is_confirmable_only_where_the_spec_allows_it(astronaut):
    from studio_app.vision.analyzer import analyze_still

    a = analyze_still(astronaut)
    spec = get_spec("resident_id")
    assert run_checks(a, spec, only=("headwear",))["headwear"].params.get("confirmable") is None
    covered = dataclasses.replace(a, features={**a.features, "headwear": 60.0})  # a measured cap colour
    r = run_checks(covered, spec, only=("headwear",))["headwear"]
    assert r.status == "fail" and r.params["confirmable"] is True
    strict = dataclasses.replace(spec, rules=dataclasses.replace(spec.rules, customary_headwear=False))
    r = run_checks(covered, strict, only=("headwear",))["headwear"]
    assert r.status == "fail" and "confirmable" not in r.params


# --- dark coverings on real photos (issue 16): the cloth's smoothness ------------------------------
import pytest  # noqa: E402

from conftest import load_portrait, portraits_dir  # noqa: E402


@pytest.fixture(scope="module")
def still():
    if not portraits_dir().is_dir():
        pytest.skip("../shared/testdata/portraits not present")
    from studio_app.vision.analyzer import FaceAnalyzer

    with FaceAnalyzer("still") as an:
        yield an


@pytest.mark.parametrize("name", ["zoom_45cm_headwrap.jpg", "rb_sunglasses_cap.jpg"])
def test_dark_wrap_and_cap_fail_as_cloth(still, name):
    from studio_app.compliance.display import value_text

    a = still.analyze(load_portrait(name))
    r = run_checks(a, get_spec("sscard"), only=("headwear",))["headwear"]
    assert r.status == "fail" and r.category == "retake", (r.measured, a.features.get("cover_texture"))
    assert r.message_key == "check.headwear.cover" and r.params["cloth"] is True
    assert r.params["confirmable"] is True and len(r.params["region"]) == 4
    # what the review's row says: never "none seen" next to the failure
    assert "未见" not in value_text(r, "zh_CN", a) and "头巾" in value_text(r, "zh_CN", a)
    assert "None seen" not in value_text(r, "en", a) and "cap" in value_text(r, "en", a)


@pytest.mark.parametrize("name", ["df_dicaprio_studio.jpg", "ldn_006_f_bun.jpg", "ldn_021_m_bald.jpg",
                                  "ar_open_room.jpg", "fr_obama_official.jpg", "fr_biden_busy.jpg",
                                  "ldn_107_f_older.jpg"])
def test_dark_hair_buns_bald_and_grey_hair_pass(still, name):
    """Slicked-back dark hair (the smoothest hair of the set), a bun, a bald head, short curly
    hair, short black hair, grey hair combed flat, light hair tied back."""
    a = still.analyze(load_portrait(name))
    r = run_checks(a, get_spec("sscard"), only=("headwear",))["headwear"]
    assert r.status == "pass", (name, a.features.get("cover_texture"), a.features.get("cover_thickness"),
                                a.features.get("cover_lightness"))


def test_a_painted_dark_cap_fails_and_its_hair_passes(still):
    """The bun sitter with a plain dark cap painted over her hair (tests/edits.paint_cap, the
    photo's grain kept): the same measure that passes her hair fails the cap."""
    import edits

    rgb = load_portrait("ldn_006_f_bun.jpg")
    a = still.analyze(rgb)
    b = still.analyze(edits.paint_cap(rgb, a))
    assert a.features["cover_texture"] > 2.0 > 1.0 > b.features["cover_texture"], (
        a.features["cover_texture"], b.features["cover_texture"])
    assert run_checks(b, get_spec("sscard"), only=("headwear",))["headwear"].status == "fail"
    assert run_checks(a, get_spec("sscard"), only=("headwear",))["headwear"].status == "pass"
