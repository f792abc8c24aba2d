"""Issue 15: every number in a spec file is finite, not a boolean, positive and within sane
bounds; the error names the file and the key in zh and en; a bad studio file never stops start-up."""

from __future__ import annotations

import pytest

from studio_app import messages
from studio_app.specs.loader import SpecError, load_file, load_library

BASE = '''family = "test"
family_zh = "测试"
family_en = "Test"

[[spec]]
id = "t1"
name_zh = "测试"
name_en = "Test"
region = "national"
source = "test"
width_px = 260
height_px = 378
dpi = 300
print_mm = {print_mm}
backgrounds = ["white"]
[spec.geometry]
head_height = {{ min = {hmin}, max = 260, unit = "px" }}
[spec.pose]
yaw = {yaw}
[spec.file]
quality = {quality}
kb = {kb}
'''
GOOD = dict(print_mm="[22, 32]", hmin="224", yaw="5", quality="[70, 98]", kb="[14, 30]")


def _write(tmp_path, **over):
    path = tmp_path / "bad.toml"
    path.write_text(BASE.format(**(GOOD | over)), encoding="utf-8")
    return path


def test_the_good_file_loads(tmp_path):
    (spec,) = load_file(_write(tmp_path))
    assert spec.print_mm == (22.0, 32.0) and spec.file.kb_max == 30


@pytest.mark.parametrize("over,key", [
    ({"print_mm": "[inf, inf]"}, "print_mm"),
    ({"print_mm": "[1e-300, 1e-300]"}, "print_mm"),
    ({"print_mm": "[true, true]"}, "print_mm"),
    ({"print_mm": "[nan, 32]"}, "print_mm"),
    ({"print_mm": "[22, 1e300]"}, "print_mm"),
    ({"kb": "[nan, nan]"}, "kb"),
    ({"kb": "[inf, 30]"}, "kb"),
    ({"kb": "[true, 30]"}, "kb"),
    ({"kb": "[14, 1e12]"}, "kb"),
    ({"quality": "[true, 98]"}, "quality"),
    ({"hmin": "true"}, "head_height"),
    ({"hmin": "nan"}, "head_height"),
    ({"yaw": "true"}, "yaw"),
    ({"yaw": "nan"}, "yaw"),
])
def test_bad_numbers_are_refused_naming_file_and_key(tmp_path, over, key):
    with pytest.raises(SpecError) as err:
        load_file(_write(tmp_path, **over))
    en, zh = err.value.message("en"), err.value.message("zh_CN")
    assert "bad.toml" in en and key in en and "bad.toml" in zh and key in zh
    assert zh != en and "规格文件" in zh


def test_a_bad_studio_file_never_stops_start_up(tmp_path):
    _write(tmp_path, print_mm="[inf, inf]")
    lib = load_library([tmp_path])
    assert "t1" not in lib.specs and len(lib) > 10
    assert any("print_mm" in str(e) for e in lib.errors)
