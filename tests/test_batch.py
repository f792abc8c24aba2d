"""`studio-app batch`: a folder of real portraits in worker processes, one folder per photo and
spec, summary.csv (BOM) / summary.json / contact sheet, broken files as rows, retakes never
printable, re-runs skip what is done, a real SIGINT keeps finished work."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio_app.cli import main
from tests.conftest import REPO

GOOD = ["ldn_006_f_bun.jpg", "ldn_021_m_bald.jpg"]


@pytest.fixture(autouse=True)
def keep_language():
    """`main(["--lang", "en", ...])` sets the process-wide language: later tests expect the default."""
    from studio_app import messages

    lang = messages.language()
    yield
    messages.set_language(lang)
RETAKE = "rb_sunglasses_cap.jpg"


def _folder(portraits: Path, tmp_path: Path, names=GOOD + [RETAKE], broken=True) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for n in names:
        shutil.copy(portraits / n, src / n)
    if broken:
        (src / "broken.jpg").write_bytes((portraits / GOOD[0]).read_bytes()[:4000])  # truncated JPEG
        (src / "notes.txt").write_text("not a photo")  # not an image extension: not listed
    return src


def _csv(out: Path) -> list[dict]:
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the Chinese correctly
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_batch_folder_rows_outputs_reports_and_rerun(dressed_portraits, tmp_path, capsys):
    src = _folder(dressed_portraits, tmp_path)
    out = tmp_path / "out"
    code = main(["--lang", "en", "batch", str(src), "--spec", "sscard,one_inch", "--out", str(out), "--workers", "2"])
    assert code == 4  # not all passed: a retake and a broken file
    rows = _csv(out)
    assert len(rows) == 4 * 2  # a row per photo and spec
    by = {(r["file"], r["spec"]): r for r in rows}
    for name in GOOD:
        for spec in ("sscard", "one_inch"):
            r = by[(name, spec)]
            assert r["verdict"] == "passed", r
            folder = out / Path(name).stem / spec
            assert (out / r["photo"]) == folder / "photo.jpg" and (folder / "photo.jpg").is_file()
            assert (folder / "sheet.jpg").is_file() and (folder / "sheet.pdf").is_file()
            assert float(r["total_ms"]) > 0 and float(r["kb"]) > 0
    for spec in ("sscard", "one_inch"):
        r = by[(RETAKE, spec)]
        assert r["verdict"] == "retake" and r["retake_problems"] and r["not_exported"]
        folder = out / Path(RETAKE).stem / spec
        assert sorted(p.name for p in folder.iterdir()) == ["after_thumb.jpg", "batch.json", "before_thumb.jpg",
                                                           "report.json"]  # never printable
        report = json.loads((folder / "report.json").read_text("utf-8"))
        assert report["retake"] and "not_exported" in report
        b = by[("broken.jpg", spec)]
        assert b["verdict"] == "error" and b["error"] and not b["photo"]
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["counts"] == {"ok": 4, "problems": 0, "retake": 2, "error": 2}
    assert summary["processed"] == 8 and summary["skipped"] == 0 and not summary["all_passed"]
    page = (out / "contact_sheet.html").read_text("utf-8")
    for name in GOOD + [RETAKE, "broken.jpg"]:
        assert name in page
    for src_attr in page.split('src="')[1:]:
        assert (out / src_attr.split('"')[0]).is_file()  # every thumbnail the page shows exists
    # a worker loaded the models once and did several photos
    pids = {r["worker"]["pid"] for r in summary["rows"] if "worker" in r}
    assert 1 <= len(pids) <= 2
    capsys.readouterr()

    # a re-run skips everything done (errors too), and is quick
    t0 = time.perf_counter()
    assert main(["batch", str(src), "--spec", "sscard,one_inch", "--out", str(out), "--json"]) == 4
    again = json.loads(capsys.readouterr().out)
    assert again["processed"] == 0 and again["skipped"] == 8 and time.perf_counter() - t0 < 5
    # a changed input is redone; --force redoes all
    os.utime(src / GOOD[0], ns=(time.time_ns(), time.time_ns() + 10**9))
    assert main(["batch", str(src), "--spec", "sscard,one_inch", "--out", str(out), "--json"]) == 4
    again = json.loads(capsys.readouterr().out)
    assert again["processed"] == 2 and again["skipped"] == 6
    # other output options (here the sheet) redo the photos too
    assert main(["batch", str(src), "--spec", "sscard", "--out", str(out), "--json", "--sheet", "a4"]) == 4
    again = json.loads(capsys.readouterr().out)
    assert again["processed"] == 4 and again["skipped"] == 0
    assert main(["batch", str(src), "--spec", "sscard", "--out", str(out), "--json", "--sheet", "a4"]) == 4
    assert json.loads(capsys.readouterr().out)["skipped"] == 4
    assert main(["batch", str(src), "--spec", "sscard", "--out", str(out), "--json", "--force"]) == 4
    again = json.loads(capsys.readouterr().out)
    assert again["processed"] == 4 and again["skipped"] == 0


def test_all_passed_exits_zero_with_a_mixed_sheet_per_photo(dressed_portraits, tmp_path, capsys):
    src = _folder(dressed_portraits, tmp_path, names=GOOD[:1], broken=False)
    (src / "sub").mkdir()
    shutil.copy(dressed_portraits / GOOD[1], src / "sub" / "second.jpg")
    out = tmp_path / "out"
    code = main(["batch", str(src), "--spec", "one_inch,two_inch", "--out", str(out), "--workers", "1",
                 "--recursive", "--sheet-layout", "one_inch:4,two_inch:2"])
    assert code == 0
    rows = _csv(out)
    assert {(r["file"], r["spec"]) for r in rows} == {(GOOD[0], "one_inch"), (GOOD[0], "two_inch"),
                                                      (os.path.join("sub", "second.jpg"), "one_inch"),
                                                      (os.path.join("sub", "second.jpg"), "two_inch")}
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    for folder in (out / Path(GOOD[0]).stem, out / "sub" / "second"):
        page = pdfium.PdfDocument((folder / "sheet.pdf").read_bytes())[0]
        assert len(list(page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]))) == 6
        assert not (folder / "one_inch" / "sheet.pdf").exists()  # one mixed sheet per photo instead
    assert all(r["sheet_pdf"].endswith("sheet.pdf") for r in rows)


def test_bad_arguments_fail_before_any_work(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "nope"), "--spec", "sscard", "--out", str(out)]) == 2
    assert main(["batch", str(src), "--spec", "no_such_spec", "--out", str(out)]) == 2
    assert main(["batch", str(src), "--spec", "sscard", "--out", str(out), "--sheet-layout", "one_inch:2"]) == 2
    assert main(["batch", str(src), "--spec", "sscard", "--out", str(out), "--sheet-layout", "sscard:40"]) == 2
    assert main(["batch", str(src), "--spec", "sscard", "--out", str(out)]) == 2  # an empty folder says so
    assert not out.exists()


def test_progress_bar_on_a_tty_and_plain_lines_otherwise():
    from studio_app.batch.progress import Progress

    t = [0.0]
    tty = io.StringIO()
    p = Progress(tty, tty=True, clock=lambda: t[0])
    t[0] = 10.0
    p([{"file": "a.jpg", "spec": "sscard", "verdict": "ok"}], 5, 20)
    text = tty.getvalue()
    assert text.startswith("\r") and "5/20" in text and "25%" in text and "ETA 0:30" in text and "30/min" in text
    plain = io.StringIO()
    q = Progress(plain, tty=False)
    q([{"file": "a.jpg", "spec": "sscard", "verdict": "retake"}, {"file": "a.jpg", "spec": "cet", "verdict": "ok"}],
      2, 4)
    lines = plain.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in plain.getvalue() and lines[0].startswith("2/4 a.jpg sscard")


def test_ctrl_c_stops_cleanly_and_keeps_finished_work(dressed_portraits, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(12):
        shutil.copy(dressed_portraits / GOOD[i % 2], src / f"p{i:02d}.jpg")
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    cmd = [sys.executable, "-m", "studio_app", "--lang", "en", "batch", str(src), "--spec", "sscard", "--out",
           str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*/sscard/batch.json"))) < 2:
        time.sleep(0.1)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)  # a real Ctrl-C
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, (stdout, stderr)
    assert "Traceback" not in stderr and "Interrupted" in stderr
    done = sorted(p.parent.parent.name for p in out.glob("*/sscard/batch.json"))
    assert 2 <= len(done) < 12
    for name in done:  # every finished photo is complete
        assert (out / name / "sscard" / "photo.jpg").is_file() and (out / name / "sscard" / "sheet.pdf").is_file()
    assert not list(out.glob(".*.tmp")) and not list(out.glob("*/.*.tmp"))  # nothing half-written
    rows = _csv(out)
    assert sorted(Path(r["file"]).stem for r in rows) == done  # the summary lists what was finished
    # running again finishes the rest and skips what is done
    proc = subprocess.run(cmd + ["--json"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["skipped"] == len(done) and summary["processed"] == 12 - len(done)


def test_batch_and_camera_modules_import_no_qt():
    code = ("import sys; import studio_app.batch, studio_app.batch.runner, studio_app.batch.report, "
            "studio_app.commands.batch, studio_app.camera.hotfolder, studio_app.camera.gphoto, studio_app.imaging.sheets; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'studio_app.ui'))]; print(bad); sys.exit(bool(bad))")
    proc = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(REPO)),
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_worker_that_dies_on_one_file_costs_only_that_file(dressed_portraits, tmp_path):
    from studio_app.batch import BatchOptions, run_batch
    from tests.batch_crash_helper import crash_on_name

    src = _folder(dressed_portraits, tmp_path, names=GOOD, broken=False)
    shutil.copy(dressed_portraits / GOOD[0], src / "b_crash.jpg")
    for i in range(3):
        shutil.copy(dressed_portraits / GOOD[1], src / f"z_after_{i}.jpg")
    out = tmp_path / "out"
    summary = run_batch(src, BatchOptions(specs=("sscard",), out=out, workers=2), work=crash_on_name)
    by = {r["file"]: r for r in summary.rows}
    names = GOOD + [f"z_after_{i}.jpg" for i in range(3)]
    assert sorted(by) == sorted(names + ["b_crash.jpg"])
    assert by["b_crash.jpg"]["verdict"] == "error"
    assert "exited unexpectedly" in by["b_crash.jpg"]["error"]["en"]
    assert all(by[n]["verdict"] == "ok" for n in names)  # the others were redone in a fresh worker


def test_workers_leave_when_the_batch_is_killed_outright(dressed_portraits, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        shutil.copy(dressed_portraits / GOOD[0], src / f"p{i}.jpg")
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-m", "studio_app", "batch", str(src), "--spec", "sscard", "--out",
                             str(out), "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        if children.is_file():
            workers = [int(p) for p in children.read_text().split()]
        time.sleep(0.05)
    if not workers:
        pytest.skip("cannot list child processes here")
    proc.kill()  # SIGKILL: no cleanup in the parent
    proc.wait(10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() and
                                              "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]
                                              for w in workers if Path(f"/proc/{w}/stat").exists()):
        time.sleep(0.2)
    alive = [w for w in workers if Path(f"/proc/{w}/stat").exists()
             and Path(f"/proc/{w}/stat").read_text().split()[2] != "Z"]
    for w in alive:  # do not leave them behind if the test fails
        os.kill(w, signal.SIGKILL)
    assert not alive, "orphaned workers kept running"


def test_no_mixed_sheet_when_one_of_its_photos_is_a_retake(dressed_portraits, tmp_path):
    src = _folder(dressed_portraits, tmp_path, names=["df_zuck_white.jpg"], broken=False)  # one_inch passes, sscard: retake
    out = tmp_path / "out"
    assert main(["--lang", "en", "batch", str(src), "--spec", "one_inch,sscard", "--out", str(out), "--workers", "1",
                 "--sheet-layout", "one_inch:4,sscard:2"]) == 4
    by = {r["spec"]: r for r in _csv(out)}
    assert by["sscard"]["verdict"] == "retake" and by["one_inch"]["verdict"] == "passed"
    assert not (out / "df_zuck_white" / "sheet.pdf").exists() and not by["one_inch"]["sheet_pdf"]
    assert "No mixed sheet: sscard" in by["one_inch"]["not_exported"]
    assert (out / "df_zuck_white" / "one_inch" / "photo.jpg").is_file()
