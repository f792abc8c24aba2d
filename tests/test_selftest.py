"""studio_app.selftest: the file verifiers, the stage runner, and the whole run on the sample."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio_app import selftest
from studio_app.selftest import Context, SelfTestFailure, StageResult, jpeg_facts, pdf_facts, run_stages

REPO = Path(__file__).resolve().parent.parent


def _jpeg(size=(120, 160), dpi=(300, 300), quality=90) -> bytes:
    rng = np.random.default_rng(1)
    arr = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=quality, dpi=dpi)
    return buf.getvalue()


def _pdf(pages=2, image=True) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        c.setFont("Helvetica", 12)
        c.drawString(72, 720, f"page {i + 1}")
        if image:
            c.drawImage(ImageReader(io.BytesIO(_jpeg())), 72, 400, width=120, height=160)
        c.showPage()
    c.save()
    return buf.getvalue()


# -- JPEG -----------------------------------------------------------------------------------------

def test_jpeg_facts_reads_size_dpi_and_kb():
    data = _jpeg(size=(358, 441), dpi=(350, 350))
    facts = jpeg_facts(data)
    assert facts["size"] == (358, 441)
    assert facts["dpi"] == (350, 350)
    assert facts["kb"] == pytest.approx(len(data) / 1024)


def test_jpeg_facts_rejects_truncated_and_non_jpeg():
    data = _jpeg()
    with pytest.raises(Exception):
        jpeg_facts(data[: len(data) // 2])
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, "PNG")
    with pytest.raises(SelfTestFailure):
        jpeg_facts(png.getvalue())


# -- PDF ------------------------------------------------------------------------------------------

def test_pdf_facts_parses_reportlab_output():
    facts = pdf_facts(_pdf(pages=2, image=True))
    assert facts["pages"] == 2
    assert facts["images"] >= 1
    assert "Helvetica" in facts["fonts"]


def test_pdf_facts_counts_no_image_when_there_is_none():
    assert pdf_facts(_pdf(pages=1, image=False))["images"] == 0


def test_pdf_facts_rejects_truncated_pdf():
    data = _pdf()
    with pytest.raises(SelfTestFailure):
        pdf_facts(data[: len(data) - 200])


def test_pdf_facts_rejects_a_wrong_xref_offset():
    data = _pdf()
    m = re.search(rb"xref\s+0 \d+\s+\d{10} 65535 f\s*\r?\n(\d{10}) 00000 n", data)
    assert m
    off = int(m.group(1))
    bad = data[: m.start(1)] + f"{off + 7:010d}".encode() + data[m.end(1):]
    with pytest.raises(SelfTestFailure, match="xref offset"):
        pdf_facts(bad)


def test_pdf_facts_rejects_a_corrupt_stream():
    data = bytearray(_pdf(pages=1, image=False))
    # Damage the compressed page content (same length, so the xref stays valid).
    s = data.find(b"stream\n") + len(b"stream\n") + 20
    data[s:s + 12] = b"@@@@@@@@@@@@"
    with pytest.raises(SelfTestFailure, match="does not decode"):
        pdf_facts(bytes(data))


# -- runner ---------------------------------------------------------------------------------------

def test_a_failed_stage_skips_its_dependents_and_is_named(tmp_path):
    calls = []

    def ok(ctx):
        calls.append("a")
        return "fine"

    def boom(ctx):
        calls.append("b")
        raise SelfTestFailure("坏了 / broken")

    def never(ctx):  # pragma: no cover - must be skipped
        calls.append("c")
        return ""

    def independent(ctx):
        calls.append("d")
        return "ran"

    out = io.StringIO()
    results = run_stages(Context(out_dir=tmp_path), out, stages=[
        ("resources", ok, ()), ("analyze", boom, ("resources",)),
        ("export", never, ("analyze",)), ("qt", independent, ("resources",)),
    ])
    assert [r.status for r in results] == ["pass", "fail", "skip", "pass"]
    assert calls == ["a", "b", "d"]
    text = out.getvalue()
    assert "[失败 FAIL] 人脸分析 / face analysis" in text
    assert "坏了 / broken" in text
    assert "[跳过 SKIP]" in text and "analyze" in text


def test_an_unexpected_exception_is_reported_not_raised(tmp_path):
    def crash(ctx):
        raise KeyError("nope")

    out = io.StringIO()
    (res,) = run_stages(Context(out_dir=tmp_path), out, stages=[("load", crash, ())])
    assert res == StageResult("load", "fail", res.seconds, "KeyError: 'nope'")


def test_chinese_output_survives_a_latin1_stream(tmp_path):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="latin-1")
    run_stages(Context(out_dir=tmp_path), stream, stages=[("load", lambda c: "ok", ())])
    stream.flush()
    assert "读取样张".encode("utf-8") in raw.getvalue()


# -- the whole pipeline ---------------------------------------------------------------------------

def test_self_test_passes_on_the_bundled_sample(tmp_path):
    out = io.StringIO()
    code = selftest.run_self_test(tmp_path / "out", stream=out)
    text = out.getvalue()
    assert code == 0, text
    for key, _func, _needs in selftest.STAGES:
        assert re.search(rf"\[通过 PASS\] {re.escape(selftest._stage_name(key))}", text), (key, text)
    assert "Self-test passed" in text and "自检通过" in text
    # What it left behind when asked to keep it: the receipt and the exported photo.
    kept = tmp_path / "out"
    # the order the self-test made through the one order writer: its own folder, every file
    (folder,) = (kept / "orders").iterdir()
    assert {"photo.jpg", "sheet.jpg", "sheet.pdf", "report.json", "receipt.pdf"} <= {p.name for p in folder.iterdir()}
    assert pdf_facts((folder / "receipt.pdf").read_bytes())["pages"] >= 1
    assert any(p.suffix.lower() in (".jpg", ".jpeg") for p in (kept / "export").rglob("*"))


def test_self_test_cleans_its_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(selftest.tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("STUDIO_APP_SELFTEST_OUT", raising=False)
    out = io.StringIO()
    ctx_stages = [("resources", lambda c: (c.out_dir / "x.txt").write_text("x") and "", ())]
    monkeypatch.setattr(selftest, "STAGES", ctx_stages)
    assert selftest.run_self_test(stream=out) == 0
    assert not any(tmp_path.glob("studio-selftest-*"))


def test_self_test_fails_and_names_the_stage_when_a_model_is_corrupt(tmp_path, monkeypatch):
    res = tmp_path / "resources"
    shutil.copytree(REPO / "resources", res, ignore=shutil.ignore_patterns("sounds", "demo"))
    (res / "demo").mkdir()
    shutil.copy(REPO / "resources" / "demo" / "astronaut.png", res / "demo")
    model = res / "models" / "face_landmarker.task"
    data = bytearray(model.read_bytes())
    data[1000] ^= 0xFF
    model.write_bytes(bytes(data))
    monkeypatch.setenv("STUDIO_APP_RESOURCES", str(res))
    out = io.StringIO()
    code = selftest.run_self_test(tmp_path / "out", stream=out)
    text = out.getvalue()
    assert code == 1
    assert "[失败 FAIL] 模型与资源 / models and resources" in text
    assert "face_landmarker.task" in text
    assert "Self-test FAILED: resources" in text
    assert text.count("[跳过 SKIP]") == len(selftest.STAGES) - 1


def test_self_test_fails_at_analysis_on_a_photo_without_a_face(tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("RGB", (400, 500), (200, 200, 200)).save(blank)
    out = io.StringIO()
    code = selftest.run_self_test(tmp_path / "out", stream=out, sample=blank)
    text = out.getvalue()
    assert code == 1
    assert "[失败 FAIL] 人脸分析 / face analysis" in text
    assert "[通过 PASS] 界面运行库 / Qt runtime" in text  # independent of the photo
    assert re.search(r"Self-test FAILED: analyze, checks, correct, export, receipt$", text.strip())
