"""JPEG encoder (KB band, DPI, sRGB, no padding) and the atomic export."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from studio_app.errors import StudioError
from studio_app.imaging import encode as E
from studio_app.imaging import export as X
from studio_app.specs import get_spec


def _photo(w: int, h: int, detail: float = 1.0, seed: int = 0) -> np.ndarray:
    """A portrait-like test card: smooth gradients plus textured 'hair'/'clothes' areas."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.empty((h, w, 3), np.float32)
    img[..., 0] = 255 * (xx / w)
    img[..., 1] = 255 * (yy / h)
    img[..., 2] = 128 + 100 * np.sin(xx / 17.0) * np.cos(yy / 23.0)
    noise = rng.normal(0, 40 * detail, (h, w, 3))
    mask = ((xx - w / 2) ** 2 / (0.3 * w) ** 2 + (yy - h / 2) ** 2 / (0.4 * h) ** 2) < 1
    img[mask] += noise[mask]
    img[~mask] = 255.0
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("spec_id", ["resident_id", "sscard_shenzhen", "exit_entry_digital_gd", "cet", "china_visa"])
def test_lands_inside_the_kb_band_with_dpi_and_srgb(spec_id):
    spec = get_spec(spec_id)
    photo = _photo(*spec.size, detail=0.35)
    enc = E.encode_for_spec(photo, spec)
    facts, pixels = E.inspect_jpeg(enc.data)
    assert (facts.width, facts.height) == spec.size
    assert facts.dpi == (spec.dpi, spec.dpi)
    assert facts.icc
    assert pixels.shape == (spec.height_px, spec.width_px, 3)
    assert enc.in_band, (enc.kb, spec.file)
    assert spec.file.kb_min * 1024 <= len(enc.data) <= spec.file.kb_max * 1024
    assert spec.file.quality_min <= enc.quality <= spec.file.quality_max
    # JFIF density really is in the header (units = dots per inch)
    im = Image.open(io.BytesIO(enc.data))
    assert im.info["jfif_unit"] == 1 and im.info["jfif_density"] == (spec.dpi, spec.dpi)


def test_prefers_the_highest_quality_that_fits():
    photo = _photo(358, 441, detail=0.5)
    enc = E.encode_in_band(photo, 350, 50, 95, 10 * 1024, 24 * 1024)
    assert enc.in_band
    if enc.quality < 95:
        # one step up in quality with the same settings would overflow the band
        bigger = E.encode_once(photo, enc.quality + 1, {"4:4:4": 0, "4:2:2": 1, "4:2:0": 2}[enc.subsampling], 350,
                               enc.optimize)
        assert len(bigger) > 24 * 1024


def test_never_pads_a_file_that_is_too_small():
    flat = np.full((192, 144, 3), 255, np.uint8)  # almost nothing to encode
    enc = E.encode_in_band(flat, 300, 80, 95, 40 * 1024, 60 * 1024)
    assert not enc.in_band
    assert enc.problem == "file.too_small"
    assert len(enc.data) < 40 * 1024  # the truth, not padded up to the band
    # the reported size is the real size of a valid JPEG
    assert enc.kb == pytest.approx(len(enc.data) / 1024)
    Image.open(io.BytesIO(enc.data)).verify()


def test_says_when_even_the_lowest_quality_is_too_big():
    rng = np.random.default_rng(3)
    noise = rng.integers(0, 256, (600, 600, 3), dtype=np.uint8)
    enc = E.encode_in_band(noise, 300, 80, 95, None, 20 * 1024)
    assert not enc.in_band and enc.problem == "file.too_large"


def test_no_band_means_best_allowed_quality():
    spec = get_spec("one_inch")
    enc = E.encode_for_spec(_photo(*spec.size), spec)
    assert enc.in_band and enc.quality == spec.file.quality_max and enc.subsampling == "4:4:4"


def test_wrong_photo_size_is_refused():
    with pytest.raises(ValueError):
        E.encode_for_spec(_photo(100, 100), get_spec("one_inch"))


# --- atomic export -----------------------------------------------------------------------------

class _FakeReport:
    def __init__(self, ok=True):
        self.ok = ok
        self.needs_retake = False
        self.results = ()

    def to_dict(self, lang=None):
        return {"ok": self.ok}


def _result(spec_id="one_inch"):
    from studio_app.imaging.pipeline import ProcessResult

    spec = get_spec(spec_id)
    photo = _photo(*spec.size, detail=0.3)
    enc = E.encode_for_spec(photo, spec)
    _, decoded = E.inspect_jpeg(enc.data)
    return ProcessResult(spec=spec, photo=decoded, jpeg=enc.data, before=_FakeReport(), after=_FakeReport(),
                         corrections=[], geometry={}, file={"kb": enc.kb}, background=spec.default_background,
                         ok=True, retake=False, problems=[], warnings=[])


def test_write_outputs_creates_every_file(tmp_path):
    res = _result()
    out = tmp_path / "order-1"
    paths = X.write_outputs(res, out, sheet="6inch", dpi=300, caption="R-0001")
    assert sorted(p.name for p in out.iterdir()) == ["photo.jpg", "report.json", "sheet.jpg", "sheet.pdf"]
    assert paths["photo.jpg"].read_bytes() == res.jpeg
    report = json.loads(paths["report.json"].read_text("utf-8"))
    assert report["ok"] is True and report["sheet"]["copies"] >= 8 and report["spec"] == "one_inch"
    assert paths["sheet.pdf"].read_bytes().startswith(b"%PDF")
    # no temp folders left beside it
    assert [p.name for p in tmp_path.iterdir()] == ["order-1"]


def test_write_outputs_replaces_files_in_an_existing_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "photo.jpg").write_bytes(b"old")
    (out / "keep.txt").write_text("mine")
    X.write_outputs(_result(), out, sheet=None)
    assert (out / "photo.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert (out / "keep.txt").read_text() == "mine"
    assert not (out / "sheet.pdf").exists()


def test_failure_leaves_no_partial_files(tmp_path, monkeypatch):
    out = tmp_path / "out"
    calls = []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 3:  # the third file fails to reach the disk
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(X.os, "fsync", failing_fsync)
    with pytest.raises(StudioError) as info:
        X.write_outputs(_result(), out, sheet="6inch")
    assert info.value.key == "export.failed"
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # temp folder cleaned up


def test_unknown_sheet_is_a_user_error(tmp_path):
    with pytest.raises(StudioError) as info:
        X.write_outputs(_result(), tmp_path / "o", sheet="7inch")
    assert info.value.key == "sheet.unknown"
    assert not (tmp_path / "o").exists()
