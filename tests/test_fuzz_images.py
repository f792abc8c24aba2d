"""Bad image input, end to end: the corpus (tests/corpus.py) and a hypothesis fuzz of image bytes
through ``load_image`` and through ``studio-app check`` / ``studio-app process`` run in-process.

The rule: a clear, translated error (exit code 2, "错误：…" naming the file) or a correct result —
never a traceback, a Python warning, a hang, or a half-written output folder. The default run
uses a bounded number of examples; ``pytest -m fuzz`` runs the long fuzz.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from corpus import NOT_IMAGE, TOO_LARGE, build_corpus, encode, quadrants  # noqa: E402

from studio_app import messages  # noqa: E402
from studio_app.cli import main as cli_main  # noqa: E402
from studio_app.errors import StudioError  # noqa: E402
from studio_app.imageio import load_image  # noqa: E402

OK_CODES = {"check": {0, 1}, "process": {0, 2, 3, 4}}  # process: 2 = no face (a clear user error)
ALL_CODES = {0, 1, 2, 3, 4}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(autouse=True)
def _chinese():
    old = messages.language()
    messages.set_language("zh_CN")
    yield
    messages.set_language(old)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        import warnings

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            rc = cli_main(argv)
    err_text = err.getvalue()
    # a Python warning is as much a leak of internals as a traceback
    leaked = [w for w in caught if not issubclass(w.category, DeprecationWarning)]
    for w in leaked:
        err_text += f"\n{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}"
    return rc, out.getvalue(), err_text


def assert_clean_stderr(err: str, label: str) -> None:
    assert "Traceback" not in err, f"{label}: traceback\n{err[-3000:]}"
    assert "Warning:" not in err, f"{label}: Python warning leaked\n{err[-2000:]}"
    assert ".py:" not in err and ".py\"" not in err, f"{label}: source path leaked\n{err[-2000:]}"


def assert_no_leftovers(folder: Path) -> None:
    temps = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert temps == [], f"temporary files left: {temps}"


# --- the corpus ------------------------------------------------------------------------------
def test_corpus_loader_verdicts(corpus):
    """Every corpus case gives the expected result: the right StudioError, or the right pixels."""
    wrong = []
    for case in corpus:
        try:
            rgb = load_image(case.path)
        except StudioError as exc:
            if case.expect == "ok" or exc.key not in (case.keys or NOT_IMAGE + TOO_LARGE):
                wrong.append(f"{case.name}: StudioError {exc.key} ({case.note})")
            assert case.path.name in exc.message("zh_CN")
            continue
        if case.expect == "error":
            wrong.append(f"{case.name}: loaded {rgb.shape}, expected {case.keys} ({case.note})")
            continue
        if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3 or not rgb.flags.c_contiguous:
            wrong.append(f"{case.name}: not an RGB uint8 array: {rgb.dtype} {rgb.shape}")
        if case.shape is not None and case.expect == "ok" and rgb.shape[:2] != case.shape:
            wrong.append(f"{case.name}: shape {rgb.shape[:2]} != {case.shape}")
        if case.pixel is not None and case.expect == "ok":
            y, x, want = case.pixel
            got = rgb[y, x].astype(int)
            if np.abs(got - np.array(want)).max() > 40:
                wrong.append(f"{case.name}: pixel {got.tolist()} != {want}")
    assert wrong == [], "\n".join(wrong)
    assert len(corpus) >= 50


def test_every_exif_orientation_is_turned_upright(corpus):
    cases = [c for c in corpus if "upright" in c.extra]
    assert sorted(int(c.name.split("_")[-1][0]) for c in cases) == list(range(1, 9))
    results = {}
    for case in cases:
        rgb = load_image(case.path)
        want = case.extra["upright"]
        assert rgb.shape == want.shape, case.name
        assert np.abs(rgb.astype(int) - want).mean() < 6, case.name
        results[case.name] = rgb
    # the eight orientations give eight different pictures (none silently ignored)
    assert len({r[2, 2].tobytes() + r[-3, -3].tobytes() + r[2, -3].tobytes() + bytes(r.shape[:2])
                for r in results.values()}) == 8


def test_decompression_bomb_is_refused_before_decoding(corpus, monkeypatch):
    """The 144-Mpx bomb is rejected from its header: decoding it would allocate 144 MB."""
    bomb = next(c for c in corpus if c.name == "bomb.png")
    assert bomb.path.stat().st_size < 1_000_000
    calls = []
    real_load = Image.Image.load

    def spy(self, *a, **kw):
        calls.append(self.size)
        return real_load(self, *a, **kw)

    monkeypatch.setattr(Image.Image, "load", spy)
    with pytest.raises(StudioError) as info:
        load_image(bomb.path)
    assert info.value.key == "image.too_large"
    assert not any(w * h > 50_000_000 for w, h in calls)


@pytest.mark.parametrize("command", ["check", "process"])
def test_corpus_through_the_cli(corpus, tmp_path, command):
    """Each corpus file through ``studio-app check`` / ``process``: exit code, message, no leftovers."""
    wrong = []
    for case in corpus:
        argv = [command, str(case.path), "--spec", "sscard"]
        out_dir = tmp_path / f"out_{case.name}"
        if command == "process":
            argv += ["--out", str(out_dir), "--sheet", "none"]
        rc, out, err = run_cli(argv)
        assert_clean_stderr(err, f"{command} {case.name}")
        if case.expect == "error":
            if rc != 2:
                wrong.append(f"{case.name}: exit {rc}, expected 2")
            elif not err.startswith("错误：") or case.path.name not in err:
                wrong.append(f"{case.name}: unclear message {err[:200]!r}")
        elif case.expect == "ok" and rc not in OK_CODES[command] | ({2} if command == "process" else set()):
            wrong.append(f"{case.name}: exit {rc} on a valid image\n{err[:300]}")
        elif rc not in ALL_CODES:
            wrong.append(f"{case.name}: exit {rc}")
        if command == "check" and rc in (0, 1):
            assert out.strip(), case.name  # a verdict table was printed
        if command == "process":
            if rc == 2:
                assert not out_dir.exists(), f"{case.name}: an output folder was left after an error"
            elif rc in (0, 3, 4):
                assert (out_dir / "photo.jpg").is_file() and (out_dir / "report.json").is_file()
    assert wrong == [], "\n".join(wrong)
    assert_no_leftovers(tmp_path)


def test_rotated_and_converted_portrait_gets_the_same_verdict(astronaut, tmp_path):
    """A correct result, not just no crash: the same face stored sideways (EXIF 6/8/3), as CMYK
    and as 16-bit grey is found, upright, at the upright size."""
    im = Image.fromarray(astronaut)
    variants = {"upright.jpg": encode(im, "JPEG", quality=92)}
    for value, k in ((6, 1), (8, -1), (3, 2)):  # stored turned; the tag turns it back
        stored = Image.fromarray(np.ascontiguousarray(np.rot90(astronaut, k)))
        exif = stored.getexif()
        exif[0x0112] = value
        variants[f"orient{value}.jpg"] = encode(stored, "JPEG", quality=92, exif=exif.tobytes())
    variants["cmyk.jpg"] = encode(im.convert("CMYK"), "JPEG", quality=92)
    reports = {}
    for name, data in variants.items():
        p = tmp_path / name
        p.write_bytes(data)
        rc, out, err = run_cli(["check", str(p), "--spec", "sscard", "--json"])
        assert_clean_stderr(err, name)
        assert rc in (0, 1), err
        reports[name] = json.loads(out)
    base = reports["upright.jpg"]
    assert base["faces"] == 1
    for name, rep in reports.items():
        assert rep["faces"] == 1, name
        assert rep["image_size"] == base["image_size"], name
        assert rep["ok"] == base["ok"], name


# --- hypothesis fuzz ------------------------------------------------------------------------
def _seeds() -> list[bytes]:
    q = quadrants(48, 40)
    face = np.full((96, 80, 3), 235, np.uint8)
    yy, xx = np.mgrid[0:96, 0:80]
    face[((xx - 40) / 18.0) ** 2 + ((yy - 40) / 24.0) ** 2 < 1] = (205, 160, 130)
    im, fim = Image.fromarray(q), Image.fromarray(face)
    exif = im.getexif()
    exif[0x0112] = 6
    return [
        encode(fim, "JPEG", quality=80), encode(im, "JPEG", quality=90, exif=exif.tobytes()),
        encode(im, "JPEG", quality=70, progressive=True), encode(fim, "PNG"), encode(im.convert("P"), "PNG"),
        encode(im, "WEBP", quality=80), encode(im, "BMP"), encode(im, "TIFF"), encode(im.convert("CMYK"), "TIFF"),
        encode(im, "GIF"),
    ]


SEEDS = _seeds()


@st.composite
def mutated_images(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    n = draw(st.integers(1, 6))
    for _ in range(n):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "header", "splice", "zero"]))
        size = len(data)
        if size == 0:
            break
        if op == "flip":
            i = draw(st.integers(0, size - 1))
            data[i] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[draw(st.integers(0, size - 1)):]
        elif op == "insert":
            i = draw(st.integers(0, size))
            data[i:i] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            i = draw(st.integers(0, size - 1))
            del data[i:i + draw(st.integers(1, 64))]
        elif op == "header":  # the first 64 bytes hold the sizes, modes and markers
            i = draw(st.integers(0, min(63, size - 1)))
            data[i] = draw(st.integers(0, 255))
        elif op == "splice":
            other = draw(st.sampled_from(SEEDS))
            i = draw(st.integers(0, size))
            data[i:] = other[draw(st.integers(0, len(other) - 1)):]
        elif op == "zero":
            i = draw(st.integers(0, size - 1))
            data[i:i + draw(st.integers(1, 256))] = bytes(min(256, size - i))
    return bytes(data)


image_bytes = st.one_of(mutated_images(), st.binary(max_size=2048))


def _load_once(data: bytes) -> None:
    try:
        rgb = load_image(data)
    except StudioError as exc:
        assert exc.key.startswith("image."), exc.key
        assert exc.message("zh_CN") and exc.message("en")
        return
    assert rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.size > 0


_cli_count = {"n": 0}


def _cli_once(data: bytes, folder: Path, command: str) -> None:
    _cli_count["n"] += 1
    name = f"f{_cli_count['n']}.{random.Random(len(data)).choice(['jpg', 'png', 'webp', 'tif'])}"
    path = folder / name
    path.write_bytes(data)
    argv = [command, str(path), "--spec", "sscard"]
    out_dir = folder / f"out{_cli_count['n']}"
    if command == "process":
        argv += ["--out", str(out_dir), "--sheet", "none"]
    rc, out, err = run_cli(argv)
    assert_clean_stderr(err, name)
    assert rc in ALL_CODES, (rc, err[-500:])
    if rc == 2:
        assert err.startswith("错误："), err[:300]
        if command == "process":
            assert not out_dir.exists()
    elif command == "check":
        assert rc in (0, 1) and out.strip()
    path.unlink()


FAST = settings(max_examples=250, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CLI = settings(max_examples=80, deadline=None, database=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.function_scoped_fixture])


@FAST
@given(data=image_bytes)
def test_fuzz_load_image(data):
    _load_once(data)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("command", ["check", "process"])
def test_fuzz_cli(tmp_path, command):
    @CLI
    @given(data=image_bytes)
    def run(data):
        _cli_once(data, tmp_path, command)

    run()
    assert_no_leftovers(tmp_path)


# --- the long fuzz (pytest -m fuzz) -----------------------------------------------------------
LONG = int(os.environ.get("STUDIO_APP_FUZZ_EXAMPLES", "3000"))


@pytest.mark.fuzz
@pytest.mark.timeout(3600)
def test_fuzz_load_image_long():
    @settings(max_examples=LONG * 3, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=image_bytes)
    def run(data):
        _load_once(data)

    run()


@pytest.mark.fuzz
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("command", ["check", "process"])
def test_fuzz_cli_long(tmp_path, command):
    @settings(max_examples=LONG // 3, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(data=image_bytes)
    def run(data):
        _cli_once(data, tmp_path, command)

    run()
    assert_no_leftovers(tmp_path)
