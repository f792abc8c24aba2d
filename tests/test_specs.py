"""Spec library: built-ins load, numbers convert once, bad files fail with file + key."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from studio_app.cli import main as cli_main
from studio_app.specs import SpecError, load_file, load_library

GOOD = """
family = "test"
family_zh = "测试"
family_en = "Test"

[[spec]]
id = "t1"
name_zh = "测试"
name_en = "Test"
region = "city"
region_name = "深圳市"
city = "深圳市"
source = "unit test"
width_px = 358
height_px = 441
dpi = 350
print_mm = [26, 32]
backgrounds = ["white", "#102030"]
[spec.geometry]
face_width = { min = 179, max = 255, unit = "px" }
head_height = { min = 20, max = 25, unit = "mm" }
crown_margin = { min = 0.02, max = 0.05, unit = "frac" }
eye_line_from_bottom = { min = 207, unit = "px" }
[spec.file]
kb = [14, 40]
"""


def write(tmp_path: Path, text: str, name: str = "t.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_builtin_library_has_all_families_and_no_errors():
    lib = load_library(extra_dirs=[])
    assert lib.errors == ()
    assert len(lib) >= 18
    for needed in ("sscard", "sscard_shenzhen", "sscard_guangzhou", "resident_id", "exit_entry",
                   "driving_licence", "one_inch", "small_one_inch", "large_one_inch", "two_inch",
                   "small_two_inch", "xuexin", "cet", "us_passport", "us_visa", "schengen_visa",
                   "china_visa"):
        assert needed in lib.specs, needed
    for spec in lib:
        assert spec.source, f"{spec.id} cites no source"
        assert spec.geometry.face_width or spec.geometry.head_height


def test_units_convert_once_to_pixels(tmp_path):
    spec = load_file(write(tmp_path, GOOD))[0]
    g = spec.geometry
    assert g.face_width.lo == 179 and g.face_width.hi == 255
    # 441 px over 32 mm: 20 mm -> 275.6 px
    assert g.head_height.lo == pytest.approx(20 * 441 / 32)
    assert g.crown_y.lo == pytest.approx(0.02 * 441)
    # eye line >= 207 px above the bottom -> eye_y (from the top) <= 441 - 207
    assert g.eye_y.hi == pytest.approx(234) and g.eye_y.lo == 0
    assert spec.backgrounds[1].rgb == (0x10, 0x20, 0x30)
    assert spec.file.kb_min == 14 and spec.file.kb_max == 40
    assert spec.city == "深圳市"


def test_resident_id_numbers_match_ga461():
    spec = load_library(extra_dirs=[]).get("resident_id")
    assert spec.size == (358, 441) and spec.dpi == 350
    assert spec.geometry.face_width.lo == 193 and spec.geometry.face_width.hi == 221
    assert spec.geometry.crown_y.lo == 7 and spec.geometry.crown_y.hi == 21
    assert spec.geometry.eye_y.hi == 441 - 207


@pytest.mark.parametrize("mutate, key, words", [
    (lambda t: t.replace('width_px = 358\n', ''), "width_px", "missing"),
    (lambda t: t.replace('unit = "mm"', 'unit = "cm"'), "head_height.unit", "unit must be"),
    (lambda t: t.replace('min = 179, max = 255', 'min = 255, max = 179'), "face_width", "inverted"),
    (lambda t: t.replace('"#102030"', '"purple"'), "backgrounds[1]", "unknown background"),
    (lambda t: t.replace('dpi = 350', 'dpi = "350"'), "dpi", "expected a number"),
    (lambda t: t.replace('kb = [14, 40]', 'kb = [40, 14]'), "file.kb", "inverted"),
    (lambda t: t.replace('head_height = { min = 20, max = 25, unit = "mm" }',
                         'head_height = { min = 20, max = 40, unit = "mm" }\nchin_margin = { min = 30, unit = "mm" }'),
     "chin_margin", "exceed"),
    (lambda t: t.replace('face_width =', 'face_wdth ='), "face_wdth", "unknown geometry key"),
])
def test_broken_files_name_file_and_key(tmp_path, mutate, key, words):
    path = write(tmp_path, mutate(GOOD), "broken.toml")
    with pytest.raises(SpecError) as info:
        load_file(path)
    err = info.value
    assert err.file == "broken.toml"
    assert key in err.key_path
    assert words in err.problem
    assert "broken.toml" in err.message("zh_CN") and "规格文件" in err.message("zh_CN")


def test_toml_syntax_error_is_reported_not_raised_by_library(tmp_path):
    write(tmp_path, "family = [unclosed", "syntax.toml")
    write(tmp_path, GOOD.replace('id = "t1"', 'id = "studio_own"'), "good.toml")
    lib = load_library(extra_dirs=[tmp_path])
    assert "studio_own" in lib.specs  # the good file still loads
    assert "sscard" in lib.specs  # and the built-ins
    assert len(lib.errors) == 1 and lib.errors[0].file == "syntax.toml"


def test_studio_override_replaces_builtin_by_id(tmp_path):
    write(tmp_path, GOOD.replace('id = "t1"', 'id = "sscard"').replace("[14, 40]", "[20, 30]"), "mine.toml")
    lib = load_library(extra_dirs=[tmp_path])
    assert lib.get("sscard").file.kb_min == 20


def test_city_variant_follows_city():
    lib = load_library(extra_dirs=[])
    assert lib.for_city("social_security", "深圳市").id == "sscard_shenzhen"
    assert lib.for_city("social_security", "杭州市").id == "sscard"


def test_cli_specs_table_and_json(capsys):
    assert cli_main(["specs"]) == 0
    out = capsys.readouterr().out
    assert "社保卡（全国）" in out and "resident_id" in out
    assert cli_main(["specs", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) >= 18
    assert cli_main(["specs", "show", "exit_entry", "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["geometry"]["head_height"]["mm"] == [28, 33]
    assert math.isclose(one["geometry"]["head_height"]["px"][0], 28 * 567 / 48, abs_tol=0.1)


def test_cli_unknown_spec_is_a_clear_error(capsys):
    assert cli_main(["specs", "show", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
