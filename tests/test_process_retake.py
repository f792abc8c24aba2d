"""`studio-app process` on a photo that needs a retake (issue 18): nothing printable is written,
only report.json saying why, and the exit code is 3."""

from __future__ import annotations

import json

import pytest

from conftest import PORTRAITS
from studio_app.cli import main as cli_main

PRINTABLE = ("photo.jpg", "sheet.jpg", "sheet.pdf")


@pytest.fixture
def cap_photo():
    path = PORTRAITS / "rb_sunglasses_cap.jpg"  # dark sunglasses, baseball cap, small face
    if not path.is_file():
        pytest.skip("shared portraits not present")
    return path


def test_retake_writes_only_the_report(cap_photo, tmp_path, capsys):
    out = tmp_path / "out"
    rc = cli_main(["--lang", "en", "process", str(cap_photo), "--spec", "sscard", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 3, err
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["retake"] is True and report["ok"] is False
    assert report["files"] == ["report.json"]
    assert report["problems"] and "not written" in report["not_written"]["reason"]
    assert "Retake needed" in err and "需要重拍" in err
    assert "photo.jpg" not in err  # no "Written: .../photo.jpg" line


def test_retake_removes_an_earlier_printable_photo_in_the_same_folder(cap_photo, tmp_path, capsys):
    """A folder reused from an earlier good run must not keep a photo that no longer matches its report."""
    out = tmp_path / "out"
    out.mkdir()
    for name in PRINTABLE:
        (out / name).write_bytes(b"earlier run")
    (out / "notes.txt").write_text("mine")
    rc = cli_main(["process", str(cap_photo), "--spec", "sscard", "--out", str(out)])
    assert rc == 3, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.json"]
