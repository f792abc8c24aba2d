"""Disk faults: the output folder is missing, read-only or in the way, or the disk is full.

A full disk is simulated where every careful writer meets it: ``os.fsync`` fails with ENOSPC
(written data that cannot reach the disk). Read-only is simulated by making directory and temp
file creation fail with EROFS (the tests run as root, which ignores permission bits).

The promise: the export fails with a clear message, leaves no partial or temporary file, keeps
the previous files byte-for-byte, and the order keeps its previous state with its photo safe in
the store, so `studio-app orders check --repair` finishes the export once there is space again.
No file with the customer's face is left on disk without the store knowing it (the retention
purge only deletes files the store knows).
"""

from __future__ import annotations

import contextlib
import errno
import json
import io
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from studio_app import atomic, messages
from studio_app.cli import main as cli_main
from studio_app.errors import StudioError
from studio_app.orders import crypto, open_store
from studio_app.orders.store import sha256_file
from studio_app.session import Applicant, OutputRequest, write_order_outputs
from studio_app.settings import Settings, load_settings, save_settings, settings_path
from studio_app.specs import get_spec

ID = "11010519491231002X"


class DiskFull:
    """``os.fsync`` raises ENOSPC after ``allow`` successful calls (counts every fsync)."""

    def __init__(self, monkeypatch, allow: int = 0):
        self.allow = allow
        self.calls = 0
        self.on = True
        real = os.fsync

        def fsync(fd):
            self.calls += 1
            if self.on and self.calls > self.allow:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(fd)

        monkeypatch.setattr(os, "fsync", fsync)


def read_only(monkeypatch, under: Path) -> None:
    """Creating folders or temp files under ``under`` fails with EROFS."""
    real_mkdir, real_mkstemp, real_mkdtemp = os.mkdir, tempfile.mkstemp, tempfile.mkdtemp

    def guard(path):
        if str(Path(path).resolve()).startswith(str(under.resolve())):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    def mkdir(path, *a, **kw):
        guard(path)
        return real_mkdir(path, *a, **kw)

    def mkstemp(*a, dir=None, **kw):
        guard(dir or ".")
        return real_mkstemp(*a, dir=dir, **kw)

    def mkdtemp(*a, dir=None, **kw):
        guard(dir or ".")
        return real_mkdtemp(*a, dir=dir, **kw)

    monkeypatch.setattr(os, "mkdir", mkdir)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temp_files(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.name.endswith(".tmp") or ".tmp" in p.name]


def run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli_main(argv)
    return rc, out.getvalue(), err.getvalue()


# --- atomic writes ----------------------------------------------------------------------------
def test_atomic_write_on_a_full_disk_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "photo.jpg"
    target.write_bytes(b"old photo")
    DiskFull(monkeypatch)
    with pytest.raises(OSError) as info:
        atomic.write_bytes_atomic(target, b"new photo" * 1000)
    assert info.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old photo"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_settings_saved_on_a_full_disk_keep_the_old_settings(monkeypatch):
    save_settings(Settings(studio_name="旧店名", retention_days=30))
    disk = DiskFull(monkeypatch)
    with pytest.raises(OSError):
        save_settings(Settings(studio_name="新店名"))
    disk.on = False
    s, problems = load_settings()
    assert s.studio_name == "旧店名" and s.retention_days == 30 and problems == []
    assert [p.name for p in settings_path().parent.iterdir() if p.name.endswith(".tmp")] == []


# --- studio-app process -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def portrait_file(tmp_path_factory):
    from skimage import data

    p = tmp_path_factory.mktemp("in") / "astronaut.jpg"
    Image.fromarray(data.astronaut()).save(p, quality=92)
    return p


@pytest.fixture(scope="module")
def printable_file():
    """A real portrait that passes: its run writes several files (a retake writes only the report)."""
    from conftest import PORTRAITS

    path = PORTRAITS / "ldn_006_f_bun.jpg"
    if path.is_file():
        from conftest import dressed_portrait

        path = dressed_portrait(path.name)  # in a navy top: passes 社保卡's clothing rule
    if not path.is_file():
        pytest.skip("shared portraits not present")
    return path


@pytest.fixture(autouse=True)
def _english():
    old = messages.language()
    messages.set_language("en")
    yield
    messages.set_language(old)


def test_process_into_a_missing_folder_creates_it(portrait_file, tmp_path):
    out = tmp_path / "not" / "there" / "yet"
    rc, _out, err = run_cli(["process", str(portrait_file), "--spec", "sscard", "--out", str(out), "--sheet", "none"])
    assert rc in (0, 3, 4), err
    assert (out / "report.json").is_file()
    assert (out / "photo.jpg").is_file() == (rc != 3)  # a retake is never written as a photo


@pytest.mark.parametrize("fault", ["full_new", "full_existing", "read_only", "file_in_the_way", "out_is_a_file"])
def test_process_export_fault_fails_cleanly(printable_file, tmp_path, monkeypatch, fault):
    portrait_file = printable_file
    out = tmp_path / "out"
    if fault == "full_existing":  # a previous run's files must survive untouched
        rc, _o, err = run_cli(["process", str(portrait_file), "--spec", "sscard", "--out", str(out)])
        assert rc == 0, err
        (out / "keep.txt").write_text("operator's note")
    before = snapshot(tmp_path)
    if fault.startswith("full"):
        DiskFull(monkeypatch, allow=1)  # the first file reaches the disk, the second does not
    elif fault == "read_only":
        read_only(monkeypatch, tmp_path)
    elif fault == "file_in_the_way":
        (tmp_path / "blocker").write_text("x")
        out = tmp_path / "blocker" / "out"
        before = snapshot(tmp_path)
    elif fault == "out_is_a_file":
        out.write_text("x")
        before = snapshot(tmp_path)
    rc, stdout, err = run_cli(["process", str(portrait_file), "--spec", "sscard", "--out", str(out)])
    assert rc == 2, err
    assert err.startswith("Error: Writing the output files failed"), err
    assert "Traceback" not in err
    assert snapshot(tmp_path) == before  # nothing new, nothing changed, nothing half-written
    assert temp_files(tmp_path) == []


# --- the operator's output step (session.write_order_outputs) -------------------------------
def _result(spec):
    from studio_app.imaging.encode import encode_for_spec, inspect_jpeg

    rng = np.random.default_rng(3)
    h, w = spec.height_px, spec.width_px
    photo = np.clip(np.full((h, w, 3), 200.0) + rng.normal(0, 25, (h, w, 3)), 0, 255).astype(np.uint8)
    enc = encode_for_spec(photo, spec)
    _facts, decoded = inspect_jpeg(enc.data)
    return SimpleNamespace(photo=decoded, jpeg=enc.data, ok=True, to_dict=lambda lang=None: {"ok": True})


def _request(spec, result, name="王小明"):
    return OutputRequest(spec=spec, city="深圳市", province="广东省", capture=None, result=result,
                         applicant=Applicant(name=name, id_number=ID, city="深圳市"), approved=True,
                         reject_reasons=())


def _untracked(store, folder: Path) -> list[str]:
    known = {Path(f["path"]).resolve() for o in store.list(limit=10_000) for f in o.files.values()}
    return [str(p) for p in folder.rglob("*") if p.is_file() and p.resolve() not in known]


@pytest.mark.parametrize("allow", [0, 1, 2, 3, 4], ids=["photo", "sheet_jpg", "sheet_pdf", "report", "receipt"])
def test_full_disk_during_output_loses_nothing(tmp_path, monkeypatch, allow):
    """Issue 14: a full disk at any file rolls the order back: no order, no file, no temp file;
    the same request succeeds once there is space (before: an "approved" order without files)."""
    spec = get_spec("sscard_shenzhen")
    settings = Settings(output_dir=str(tmp_path / "output"))
    result = _result(spec)
    with open_store() as store:
        crypto.load_key()  # a station that has run before has its ID-number key already
        disk = DiskFull(monkeypatch, allow=allow)
        with pytest.raises(StudioError):
            write_order_outputs(_request(spec, result), settings=settings, store=store)
        disk.on = False
        assert store.list() == []
        assert temp_files(tmp_path) == []
        out = tmp_path / "output"
        assert [p for p in out.rglob("*") if p.is_file()] == [] if out.exists() else True
        assert store.check_consistency() == []
        rec = write_order_outputs(_request(spec, result), settings=settings, store=store)
        order = store.get(rec.receipt_no)
        assert order.export_state == "done" and Path(order.photo_path).read_bytes() == result.jpeg
        for info in order.files.values():
            assert sha256_file(info["path"]) == info["sha256"]
        assert _untracked(store, out) == []
        # and the retention purge removes every file of it: no photo survives its order
        import datetime as dt

        assert store.purge_expired(days=0, now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)) == 1
    leftover = [p for p in (tmp_path / "output").rglob("*") if p.is_file()]
    assert leftover == []


def test_output_folder_in_the_way_leaves_no_half_order(tmp_path):
    spec = get_spec("sscard")
    (tmp_path / "output").write_text("not a folder")
    settings = Settings(output_dir=str(tmp_path / "output"))
    result = _result(spec)
    with open_store() as store:
        with pytest.raises((OSError, StudioError)):
            write_order_outputs(_request(spec, result), settings=settings, store=store)
        assert store.list() == []  # rolled back: the operator fixes the folder and saves again
        assert (tmp_path / "output").read_text() == "not a folder"
        (tmp_path / "output").unlink()
        rec = write_order_outputs(_request(spec, result), settings=settings, store=store)
        assert Path(rec.photo_path).read_bytes() == result.jpeg


def test_output_into_a_missing_folder_tree(tmp_path):
    spec = get_spec("sscard")
    settings = Settings(output_dir=str(tmp_path / "usb" / "studio" / "photos"))
    result = _result(spec)
    with open_store() as store:
        rec = write_order_outputs(_request(spec, result), settings=settings, store=store)
        order = store.get(rec.receipt_no)
        assert order.status == "exported" and Path(rec.photo_path).read_bytes() == result.jpeg
        assert Path(rec.receipt_path).read_bytes().startswith(b"%PDF")
        assert store.check_consistency() == []
        assert _untracked(store, tmp_path / "usb") == []


def test_kiosk_output_on_a_full_disk_leaves_no_half_order(tmp_path, monkeypatch):
    """The kiosk writes through the same order writer: a full disk rolls the order back."""
    from studio_app.ui.kiosk.services import KioskServices

    spec = get_spec("sscard")
    settings = Settings(output_dir=str(tmp_path / "kiosk_out"), printer_dpi=254)
    services = KioskServices(settings)
    result = _result(spec)
    crypto.load_key()
    disk = DiskFull(monkeypatch)
    with pytest.raises(StudioError):
        services.output(_request(spec, result))
    disk.on = False
    store = services.store()
    try:
        assert store.list() == [] and store.check_consistency() == []
        assert temp_files(tmp_path) == [] and not [p for p in (tmp_path / "kiosk_out").rglob("*") if p.is_file()]
        rec = services.output(_request(spec, result))  # space again: the customer's order goes through
        order = store.get(rec.receipt_no)
        assert {"photo", "sheet", "sheet_pdf", "report", "receipt"} <= set(order.files)
        assert json.loads(Path(order.files["report"]["path"]).read_text())["sheet"]["dpi"] == 254  # the printer's
    finally:
        store.close()


def test_receipt_and_repair_commands_on_a_bad_disk_say_so_plainly(tmp_path, monkeypatch):
    spec = get_spec("sscard")
    settings = Settings(output_dir=str(tmp_path / "output"))
    with open_store() as store:
        rec = write_order_outputs(_request(spec, _result(spec)), settings=settings, store=store)
    (tmp_path / "blocker").write_text("x")
    rc, _out, err = run_cli(["receipt", rec.receipt_no, "--out", str(tmp_path / "blocker" / "r.pdf")])
    assert rc == 2 and err.startswith("Error:") and "blocker" in err and "Traceback" not in err
    # the photo vanished and the disk is full: the repair reports it cannot write, and keeps trying later
    Path(rec.photo_path).unlink()
    disk = DiskFull(monkeypatch)
    rc, _out, err = run_cli(["orders", "check", "--repair"])
    assert rc == 2 and err.startswith("Error:") and "Traceback" not in err, err
    assert not Path(rec.photo_path).exists() and temp_files(tmp_path) == []
    disk.on = False
    rc, out, err = run_cli(["orders", "check", "--repair"])
    assert rc == 0, out + err
    assert Path(rec.photo_path).is_file()
    with open_store() as store:
        assert store.check_consistency() == []
