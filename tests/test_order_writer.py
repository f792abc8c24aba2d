"""The one order writer (issue 14): CLI `process`, operator and kiosk orders from the bytes in
memory, each in its own folder, every face-bearing file recorded; no overwrite; no half order."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PORTRAITS
from studio_app.cli import main as cli_main
from studio_app.errors import StudioError
from studio_app.hashing import sha256_file
from studio_app.orders import open_store

FACE_FILES = {"photo.jpg", "sheet.jpg", "sheet.pdf", "report.json", "receipt.pdf"}
REPO = Path(__file__).resolve().parent.parent
ID = "11010519491231002X"  # 居民身份证 orders need it (services.id_rule)


def _portrait(name: str) -> Path:
    if not (PORTRAITS / name).is_file():
        pytest.skip("shared portraits not present")
    from conftest import dressed_portrait

    return dressed_portrait(name)  # in a navy top: passes 社保卡's clothing rule


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _assert_recorded_files_match(store, order) -> None:
    for kind, info in order.files.items():
        p = Path(info["path"])
        assert p.is_file(), (order.receipt_no, kind)
        assert sha256_file(p) == info["sha256"], f"{order.receipt_no} {kind}: file is not the recorded one"


def test_two_concurrent_cli_orders_into_one_folder_keep_their_own_faces(db_url, tmp_path, isolated_home):
    """Two `process --out DIR --name ...` at once (real processes): each order stores its own
    face and its files sit in its own folder (before: both recorded DIR/photo.jpg, read back)."""
    ldn = sorted(PORTRAITS.glob("ldn_*.jpg")) if PORTRAITS.is_dir() else []
    if len(ldn) < 2:
        pytest.skip("needs two ldn portraits")
    from conftest import dressed_portrait

    faces = {"王小明": dressed_portrait(ldn[0].name), "李四": dressed_portrait(ldn[-1].name)}
    out = tmp_path / "shared_out"
    env = {**os.environ, "STUDIO_APP_HOME": str(isolated_home), "STUDIO_APP_DATABASE_URL": db_url,
           "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    procs = [subprocess.Popen([sys.executable, "-m", "studio_app", "process", str(img), "--spec", "resident_id",
                               "--out", str(out), "--name", name, "--id-number", ID, "--sheet", "6inch"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name, img in faces.items()]
    for p in procs:
        stdout, stderr = p.communicate(timeout=600)
        assert p.returncode == 0, stderr[-2000:]
    with open_store(db_url) as store:
        orders = store.list()
        assert sorted(o.applicant_name for o in orders) == sorted(faces)
        photos = {o.receipt_no: store.photo(o.receipt_no) for o in orders}
        assert len(set(photos.values())) == 2, "the same face was stored under both applicants"
        folders = set()
        for o in orders:
            assert FACE_FILES <= {Path(i["path"]).name for i in o.files.values()}
            _assert_recorded_files_match(store, o)
            photo = Path(o.files["photo"]["path"])
            assert photo.read_bytes() == photos[o.receipt_no]
            assert photo.parent == (out / o.receipt_no).resolve()
            folders.add(photo.parent)
        assert len(folders) == 2
        assert not store.check_consistency()


def _cli_order(img: Path, out: Path, name: str, *extra: str) -> int:
    """A 居民身份证 order (it needs the ID number: services.id_rule)."""
    ident = () if "--id-number" in extra else ("--id-number", ID)
    return cli_main(["process", str(img), "--spec", "resident_id", "--out", str(out), "--name", name, *ident,
                     *extra])


def test_a_plain_export_into_an_orders_folder_is_refused_and_force_retires_that_order(tmp_path, capsys):
    img = _portrait("ldn_006_f_bun.jpg")
    out = tmp_path / "out"
    assert _cli_order(img, out, "王小明") == 0
    with open_store() as store:
        (order,) = store.list()
    folder = Path(order.files["photo"]["path"]).parent
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    capsys.readouterr()
    # a second run into that order's own folder must not overwrite its photo and receipt
    rc = cli_main(["process", str(img), "--spec", "resident_id", "--out", str(folder)])
    assert rc != 0
    err = capsys.readouterr().err
    assert order.receipt_no in err and "--force" in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # a new order given that folder gets a folder of its own inside it: nothing overwritten
    assert _cli_order(img, folder, "李四") == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    # --force replaces: the old order's files are retired through the store first, so erasing
    # that order later cannot delete the new files
    assert cli_main(["process", str(img), "--spec", "resident_id", "--out", str(folder), "--force"]) == 0
    with open_store() as store:
        old = store.get(order.receipt_no)
        assert old.files == {}
        assert store.photo(order.receipt_no) == before["photo.jpg"]  # still stored: can be issued again
        assert any(e["action"] == "files_retired" for e in store.audit_entries(order.receipt_no))
        store.erase(order.receipt_no, reason="customer_request")
    assert (folder / "photo.jpg").is_file()


@pytest.mark.parametrize("how", ["erase", "purge"])
def test_erase_and_purge_leave_no_face_bearing_file(db_url, tmp_path, how):
    img = _portrait("ldn_006_f_bun.jpg")
    out = tmp_path / "out"
    os.environ["STUDIO_APP_DATABASE_URL"] = db_url
    try:
        assert _cli_order(img, out, "王小明", "--id-number", "11010519491231002X") == 0
        with open_store(db_url) as store:
            (order,) = store.list()
            assert FACE_FILES <= {p.name for p in _files_under(out)}
            if how == "erase":
                store.erase(order.receipt_no, reason="customer_request")
            else:
                import datetime as dt

                store.purge_expired(days=1, now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3))
        assert _files_under(out) == [], f"left behind: {_files_under(out)}"
    finally:
        del os.environ["STUDIO_APP_DATABASE_URL"]


def _enospc_on(monkeypatch, name: str) -> None:
    """A full disk: fsync of a file called ``name`` (or a temporary copy of it) fails with ENOSPC,
    as a real full disk does at write or fsync time."""
    real = os.fsync

    def fsync(fd):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if Path(target).name.startswith(name) or Path(target).name.startswith(f".{name}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_full_disk_in_the_shells_writer_leaves_no_half_order(db_url, tmp_path):
    """The operator/kiosk path (session.write_order_outputs): the disk fills while the sheet PDF
    is written; before, the order stayed "approved" with a photo and a sheet on disk."""
    from studio_app.imageio import load_image
    from studio_app.imaging.pipeline import ProcessOptions, process_photo
    from studio_app.session import Applicant, OutputRequest, write_order_outputs
    from studio_app.settings import Settings
    from studio_app.specs import get_spec

    spec = get_spec("resident_id")
    result = process_photo(load_image(_portrait("ldn_006_f_bun.jpg")), spec, ProcessOptions())
    assert result.ok
    settings = Settings(output_dir=str(tmp_path / "out"))
    req = OutputRequest(spec=spec, city="", province="", capture=None, result=result,
                        applicant=Applicant(name="王小明", id_number=ID), approved=True, reject_reasons=())
    with open_store(db_url) as store:
        # its own patch context: monkeypatch.undo() would also drop the test's isolated home
        # (the ID number's key file would then be looked up in the real user's folder)
        with pytest.MonkeyPatch.context() as full, pytest.raises(StudioError) as caught:
            _enospc_on(full, "sheet.pdf")
            write_order_outputs(req, settings=settings, store=store)
        assert "No space" in caught.value.message("en")
        assert store.list() == []  # rolled back
        assert not store.check_consistency()
        assert _files_under(tmp_path / "out") == []
        # the same request goes through once there is space again
        rec = write_order_outputs(req, settings=settings, store=store)
        assert FACE_FILES <= {p.name for p in Path(rec.folder).iterdir()}
        _assert_recorded_files_match(store, store.get(rec.receipt_no))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_full_disk_in_a_cli_order_leaves_no_half_order(tmp_path, capsys):
    img = _portrait("ldn_006_f_bun.jpg")
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as full:  # not monkeypatch.undo(): that drops the isolated home
        _enospc_on(full, "receipt.pdf")
        rc = _cli_order(img, out, "王小明")
    assert rc != 0
    assert "No space" in capsys.readouterr().err
    with open_store() as store:
        assert store.list() == []
        assert not store.check_consistency()
    assert _files_under(out) == []
