"""Malformed spec TOML and settings JSON: the app keeps working and says which file and key.

Builds on tests/test_specs.py and tests/test_settings.py (single broken files): here the studio's
own spec folder holds several broken files at once next to good ones, the CLI is run end to end,
and hypothesis throws arbitrary values at both loaders and at the order store that reads the
settings.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio_app.cli import main as cli_main
from studio_app.errors import StudioError
from studio_app.paths import user_specs_dir
from studio_app.settings import Settings, load_settings, settings_path
from studio_app.specs import default_library, load_library
from studio_app.specs.loader import SpecError

GOOD = """
family = "studio"
family_zh = "本店"
family_en = "Studio"

[[spec]]
id = "{id}"
name_zh = "本店一寸"
name_en = "Studio one inch"
region = "national"
source = "studio"
width_px = 295
height_px = 413
dpi = 300
print_mm = [25, 35]
backgrounds = ["white", "blue"]
[spec.geometry]
face_width = {{ min = 0.45, max = 0.7, unit = "frac" }}
head_height = {{ min = 0.55, max = 0.75, unit = "frac" }}
crown_margin = {{ min = 2, max = 6, unit = "mm" }}
[spec.file]
kb = [10, 60]
"""

BROKEN = {
    "syntax.toml": ("family = [unclosed\n", "(syntax)"),
    "not_utf8.toml": (GOOD.format(id="bad_enc").encode("utf-8").replace("本店".encode(), b"\xb1\xbe\xb5\xea"), "(file)"),
    "wrong_type.toml": (GOOD.format(id="bad_type").replace("width_px = 295", 'width_px = "295"'), "width_px"),
    "impossible.toml": (GOOD.format(id="bad_geo").replace(
        "crown_margin = { min = 2, max = 6, unit = \"mm\" }", "crown_margin = { min = 30, max = 40, unit = \"mm\" }"),
        "head_height"),
    "no_family.toml": (GOOD.format(id="bad_family").replace('family = "studio"\n', ""), "family"),
    "bad_colour.toml": (GOOD.format(id="bad_bg").replace('"blue"', '"#12345"'), "backgrounds"),
}


@pytest.fixture
def spec_folder():
    folder = user_specs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    default_library(reload=True)  # other tests must not see this test's specs


def _write_folder(folder):
    (folder / "good.toml").write_text(GOOD.format(id="studio_own"), encoding="utf-8")
    for name, (text, _key) in BROKEN.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / name).write_bytes(data)


def test_broken_spec_files_are_each_named_and_the_good_ones_still_load(spec_folder):
    _write_folder(spec_folder)
    lib = load_library()
    assert "studio_own" in lib.specs and "sscard" in lib.specs
    named = {e.file: e for e in lib.errors}
    assert set(named) == set(BROKEN)
    for name, (_text, key) in BROKEN.items():
        assert key in named[name].key_path, (name, named[name].key_path)
        msg = named[name].message("zh_CN")
        assert name in msg and "规格文件" in msg
    assert not any(s.id.startswith("bad_") for s in lib)


def test_cli_specs_lists_good_specs_and_names_every_broken_file(spec_folder, capsys):
    _write_folder(spec_folder)
    default_library(reload=True)
    assert cli_main(["specs", "--json"]) == 0
    cap = capsys.readouterr()
    ids = {s["id"] for s in json.loads(cap.out)}  # stdout stays valid JSON
    assert {"studio_own", "sscard", "resident_id"} <= ids
    for name, (_text, key) in BROKEN.items():
        line = next((ln for ln in cap.err.splitlines() if name in ln), None)
        assert line is not None, f"{name} not reported:\n{cap.err}"
        assert key in line
    assert "Traceback" not in cap.err
    assert cli_main(["specs", "show", "studio_own"]) == 0
    assert cli_main(["specs", "show", "bad_type"]) == 2  # skipped, said plainly
    assert "bad_type" in capsys.readouterr().err


def test_broken_settings_do_not_stop_the_commands(spec_folder, capsys, tmp_path):
    settings_path().write_text('{"station_code": "B07", "retention_days": "ninety", "output_dir": 5,'
                               ' "printer_offsets": [1, 2], "kiosk_review_queue": "yes"', encoding="utf-8")
    s, problems = load_settings()
    assert s == Settings() and len(problems) == 1 and "settings.json" in problems[0]
    assert cli_main(["specs"]) == 0
    assert cli_main(["orders", "list"]) == 0
    capsys.readouterr()
    # valid JSON, bad values: every bad key named, the good one kept
    settings_path().write_text(json.dumps({"station_code": "B07", "retention_days": "ninety", "output_dir": 5,
                                           "printer_offsets": [1, 2], "kiosk_review_queue": "yes",
                                           "unknown_key": 1}), encoding="utf-8")
    s, problems = load_settings()
    assert s.station_code == "B07" and s.retention_days == 90 and s.output_dir == ""
    bad = {k for k in ("retention_days", "output_dir", "printer_offsets", "kiosk_review_queue")
           if any(k in p for p in problems)}
    assert bad == {"retention_days", "output_dir", "printer_offsets", "kiosk_review_queue"}
    assert all("settings.json" in p for p in problems)
    assert cli_main(["orders", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("text", ["", "\x00\x00", "[]", "null", "\"text\"", "{\"a\": " * 5000, "\ufeff{}",
                                  "{\"station_code\": \"A01\"}" + "\n" * 3 + "garbage"])
def test_settings_file_garbage_falls_back(text):
    settings_path().write_text(text, encoding="utf-8")
    s, problems = load_settings()
    assert isinstance(s, Settings)
    if text.strip("\ufeff") not in ("{}",):
        assert problems and "settings.json" in problems[0]


def test_settings_path_is_a_folder():
    path = settings_path()
    path.mkdir()
    s, problems = load_settings()
    assert s == Settings() and problems and "settings.json" in problems[0]


# --- hypothesis: arbitrary values for every settings key -------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)
FORMAT_PIECES = ["{station}", "{date:%y%m%d}", "{date:%Y}", "{seq:04d}", "{seq}", "{seq[0]}", "{station.x}",
                 "{seq:>{station}}", "{nope}", "{", "}", "-", "A", "{date:%H}", "{seq!r}", "{0}", "{seq:d}{seq:x}"]
settings_dicts = st.dictionaries(
    st.sampled_from([f.name for f in fields(Settings)]),
    json_values | st.sampled_from(["", "A01", "a-1", "!!", "x" * 40, "encrypted", "none", "sqlite:///",
                                   "postgresql://", "::", "sqlite:////nonexistent/dir/x.db"])
    | st.lists(st.sampled_from(FORMAT_PIECES), min_size=1, max_size=4).map("".join),
    max_size=6)


@settings(max_examples=60, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(raw=settings_dicts)
def test_any_settings_json_loads_and_the_store_opens_or_says_why(raw, tmp_path):
    settings_path().write_text(json.dumps(raw), encoding="utf-8")
    s, problems = load_settings()
    defaults = Settings()
    for f in fields(Settings):
        assert type(getattr(s, f.name)) is type(getattr(defaults, f.name)), f.name
    for p in problems:
        assert "settings.json" in p
    from studio_app.orders import open_store

    url = f"sqlite:///{tmp_path / 'o.sqlite3'}"
    try:
        store = open_store(url)
    except StudioError as exc:  # a bad station code / number format: said plainly
        assert exc.key.startswith("orders."), exc.key
        assert exc.message("zh_CN")
        return
    with store:
        o = store.create_order("sscard", "张三")
        assert re.fullmatch(r"[A-Z0-9]+", o.receipt_no)


@pytest.mark.parametrize("fmt", ["{station}{seq[0]}", "{station.x}{seq}", "{seq:>{station}}", "{0}{seq}", "{seq}{",
                                 "{date}{seq}", "{station}-{seq}", "{seq:04d}", "{seq.real}"])
def test_bad_receipt_number_format_in_settings_is_said_plainly(fmt, tmp_path, capsys):
    settings_path().write_text(json.dumps({"receipt_format": fmt}), encoding="utf-8")
    rc = cli_main(["orders", "list"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if fmt in ("{seq:04d}", "{seq.real}"):  # odd but valid
        assert rc == 0
    else:
        assert rc == 2 and fmt in err, err


# --- hypothesis: arbitrary values in a spec file ---------------------------------------------
SPEC_VALUES = ['"x"', "-5", "0", "1", "1e308", "nan", "inf", "-inf", "true", "[]", "[1]", "[1, 2, 3]", "{}",
               '{ min = "a" }', '{ min = 5, max = 1, unit = "px" }', '{ min = 1e9, unit = "px" }',
               '{ min = 0.1, max = 0.2, unit = "frac", extra = 1 }', '["white", 3]', '"#zzzzzz"',
               "99999999999999999", "2024-01-01", '""', '"national"', '[0, 0]', '[-1, 5]', "0.5",
               '{ min = -3, max = 2, unit = "mm" }', '[ "white" ]']


@st.composite
def mutated_spec(draw) -> str:
    lines = GOOD.format(id="fuzzed").splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        op = draw(st.sampled_from(["value", "value", "delete", "add"]))
        if op == "value" and " = " in line:
            lines[i] = line.split(" = ", 1)[0] + " = " + draw(st.sampled_from(SPEC_VALUES))
        elif op == "delete":
            lines[i] = ""
        elif op == "add" and not line.startswith("["):
            key = draw(st.sampled_from(["dpi", "eye_line_from_top", "inter_eye", "chin_margin", "quality",
                                        "pose", "city", "region", "eye_center_x", "format", "kb"]))
            lines.insert(i + 1, f"{key} = " + draw(st.sampled_from(SPEC_VALUES)))
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=mutated_spec())
def test_any_spec_file_loads_or_names_file_and_key(text, tmp_path_factory):
    folder = tmp_path_factory.mktemp("specs")
    (folder / "mine.toml").write_text(text, encoding="utf-8")
    lib = load_library(extra_dirs=[folder])  # must never raise
    assert "sscard" in lib.specs  # the built-ins are untouched
    if lib.errors:
        (err,) = lib.errors
        assert isinstance(err, SpecError) and err.file == "mine.toml" and err.key_path
        assert "fuzzed" not in lib.specs
    else:
        (spec,) = [s for s in lib if s.origin == "mine.toml"]
        assert spec.width_px > 0 and spec.height_px > 0 and spec.dpi > 0
        assert spec.backgrounds
        for name in ("face_width", "head_height", "crown_y", "chin_margin", "eye_y", "eye_x", "inter_eye"):
            rng = getattr(spec.geometry, name)
            if rng is not None:
                assert rng.lo == rng.lo and rng.lo >= 0  # not NaN, not negative
                assert rng.hi is None or rng.hi >= rng.lo


@pytest.mark.gui
def test_operator_window_starts_and_names_every_bad_file_and_key(qtbot, spec_folder, astronaut):
    """What `studio-app` does at start-up (ui.app.run_gui): settings with problems and a spec
    folder with broken files still give a working window that lists file and key of each."""
    pytest.importorskip("pytestqt")
    from studio_app.camera import ImageSource
    from studio_app.orders import open_store
    from studio_app.ui.main_window import MainWindow

    _write_folder(spec_folder)
    default_library(reload=True)
    settings_path().write_text(json.dumps({"retention_days": "ninety", "default_spec": "studio_own"}),
                               encoding="utf-8")
    s, problems = load_settings()
    store = open_store()
    w = MainWindow(s, frame_source=ImageSource(astronaut), use_qt_camera=False, store=store,
                   startup_problems=problems)
    qtbot.addWidget(w)
    try:
        w.show()
        assert w.session.spec.id == "studio_own"  # the good studio spec is in use
        qtbot.waitUntil(lambda: w.live_view.current_frame() is not None, timeout=15000)
        told = (w.startup_box.informativeText() if getattr(w, "startup_box", None) is not None else "") \
            + w.statusBar().currentMessage()
        assert "settings.json" in told and "retention_days" in told
        for name, (_text, key) in BROKEN.items():
            assert name in told, f"{name} not shown"
            line = next(ln for ln in told.splitlines() if name in ln)
            assert key in line, (name, line)
    finally:
        w.shutdown()
        store.close()


@pytest.mark.parametrize("days", [0, -1, "0"])
def test_a_retention_of_zero_days_in_settings_does_not_wipe_the_orders(days, capsys):
    """A slip in settings.json ("retention_days": 0) must not make the start-up purge (or
    `orders purge`) delete every order: the value is refused, named, and the default is used."""
    from studio_app.orders import open_store

    with open_store() as store:
        today = store.create_order("sscard", "张三")
    settings_path().write_text(json.dumps({"retention_days": days}), encoding="utf-8")
    s, problems = load_settings()
    assert s.retention_days == Settings().retention_days
    assert any("retention_days" in p and "settings.json" in p for p in problems)
    assert cli_main(["orders", "purge"]) == 0
    capsys.readouterr()
    with open_store() as store:
        assert store.get(today.receipt_no).applicant_name == "张三"
