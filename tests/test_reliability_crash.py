"""Process death: ``kill -9`` in the middle of the output step, of a receipt write and of a
retention purge; then ``studio-app orders check --repair`` and the store and the files agree.

tests/test_orders_concurrency.py kills ``OrderStore.export_photo`` at its named points. Here the
whole output step of the operator window (session.write_order_outputs: order, photo, sheets,
receipt), a receipt re-issue and a purge run in a child process that stops itself at the k-th
"disk event" (an ``fsync``, an ``os.replace``, an ``os.unlink`` or a store hook) and is killed
there with SIGKILL, for every k: every moment at which a power cut changes what is on disk.

After each kill: the repair reports and fixes; afterwards the store is consistent, every file the
store records exists with its recorded hash, no temporary file is left, no file with a customer's
face lies in the output folder without the store knowing it, and nothing committed is lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from studio_app.cli import main as cli_main
from studio_app.orders import open_store
from studio_app.orders.store import sha256_file

CHILD = r"""
import json, os, sys, time, datetime as dt
from pathlib import Path

flow, kill_at, marker, out_root = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
events = []

def event(tag):
    events.append(tag)
    if len(events) == kill_at:
        marker.write_text(tag)
        time.sleep(600)  # the parent kills us here

import studio_app.orders.store as store_mod
real_fsync, real_replace, real_unlink = os.fsync, os.replace, os.unlink

def fsync(fd):
    event("fsync")
    return real_fsync(fd)

def replace(a, b, *args, **kw):
    event(f"replace {Path(b).name}")
    return real_replace(a, b, *args, **kw)

def unlink(p, *args, **kw):
    event(f"unlink {Path(p).name}")
    return real_unlink(p, *args, **kw)

store_mod.crashpoints.hit = lambda point: event(point)

import numpy as np
from types import SimpleNamespace
from studio_app.imaging.encode import encode_for_spec, inspect_jpeg
from studio_app.orders import open_store
from studio_app.services.orders import issue_receipt
from studio_app.session import Applicant, OutputRequest, write_order_outputs
from studio_app.settings import Settings
from studio_app.specs import get_spec

spec = get_spec("sscard_shenzhen")
rng = np.random.default_rng(int(sys.argv[5]))
photo = np.clip(200 + rng.normal(0, 25, (spec.height_px, spec.width_px, 3)), 0, 255).astype(np.uint8)
enc = encode_for_spec(photo, spec)
result = SimpleNamespace(photo=inspect_jpeg(enc.data)[1], jpeg=enc.data, ok=True, to_dict=lambda lang=None: {"ok": True})
settings = Settings(output_dir=str(out_root))
store = open_store()
os.fsync, os.replace, os.unlink = fsync, replace, unlink  # from here on every disk event counts

if flow == "output":
    req = OutputRequest(spec=spec, city="深圳市", province="广东省", capture=None, result=result,
                        applicant=Applicant(name="王小明", id_number="11010519491231002X", city="深圳市"),
                        approved=True, reject_reasons=())
    rec = write_order_outputs(req, settings=settings, store=store)
    print(json.dumps({"receipt_no": rec.receipt_no, "jpeg": enc.data.hex()}))
elif flow == "receipt":
    order = store.list()[0]
    path, _ = issue_receipt(store, order.receipt_no, out_root / "reissued" / "receipt.pdf", settings=settings)
    print(json.dumps({"receipt_no": order.receipt_no}))
elif flow == "purge":
    n = store.purge_expired(days=30)
    print(json.dumps({"purged": n}))
print("EVENTS " + json.dumps(events))
"""


def spawn(flow: str, kill_at: int, marker: Path, out_root: Path, seed: int = 1) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), flow, str(kill_at), str(marker),
                             str(out_root), str(seed)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ.copy())


def run_to_end(flow: str, out_root: Path, tmp_path: Path, seed: int = 1) -> tuple[dict, list[str]]:
    p = spawn(flow, 0, tmp_path / "never", out_root, seed)
    out, err = p.communicate(timeout=240)
    assert p.returncode == 0, err[-3000:]
    lines = out.strip().splitlines()
    return json.loads(lines[0]), json.loads(lines[-1][len("EVENTS "):])


def kill_at(flow: str, k: int, out_root: Path, tmp_path: Path, seed: int = 1) -> str:
    marker = tmp_path / f"marker-{flow}-{k}"
    p = spawn(flow, k, marker, out_root, seed)
    deadline = time.monotonic() + 240
    while not marker.exists():
        if p.poll() is not None:
            raise AssertionError(f"child ended before event {k}: {p.communicate()[1][-3000:]}")
        assert time.monotonic() < deadline, "child never reached the kill point"
        time.sleep(0.02)
    os.kill(p.pid, signal.SIGKILL)
    p.communicate()
    assert p.returncode == -signal.SIGKILL
    return marker.read_text()


def repair_cli() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli_main(["orders", "check", "--repair"])
    assert "Traceback" not in err.getvalue()
    return rc, out.getvalue() + err.getvalue()


def recorded_files(store) -> list[tuple[str, str, str]]:
    from sqlalchemy import select

    from studio_app.orders.schema import order_files

    return store._read(lambda conn: [(r.kind, r.path, r.sha256) for r in conn.execute(
        select(order_files.c.kind, order_files.c.path, order_files.c.sha256))])


def assert_store_and_files_agree(out_root: Path) -> None:
    with open_store() as store:
        assert store.check_consistency() == []
        orders = store.list(limit=10_000)
        known = set()
        for kind, path, digest in recorded_files(store):  # every row (an order may hold several receipts)
            p = Path(path)
            assert p.is_file(), f"recorded {kind} {p} is missing"
            assert sha256_file(p) == digest, f"{kind} {p} differs from its record"
            known.add(p.resolve())
        for o in orders:
            if o.status in ("exported", "printed"):
                assert o.export_state == "done" and o.photo_path and Path(o.photo_path).is_file()
            if o.export_state != "none":
                assert store.photo(o.receipt_no) is not None
    if out_root.exists():
        temps = [str(p) for p in out_root.rglob("*") if ".tmp" in p.name]
        assert temps == [], temps
        faces = [str(p) for p in out_root.rglob("*") if p.is_file() and p.suffix in (".jpg", ".pdf")
                 and p.resolve() not in known]
        assert faces == [], f"personal files the store does not know (the purge would miss them): {faces}"


def test_kill_9_at_every_disk_event_of_the_output_step(tmp_path):
    from studio_app.receipts import signing

    with open_store() as s:  # schema, ID-number key and receipt-signing key exist: a station that ran before
        s.create_order("sscard", "早先的顾客", "11010519491231002X")
    signing.signing_key()
    baseline, events = run_to_end("output", tmp_path / "full_run", tmp_path)
    assert len(events) >= 8, events  # photo, 2 sheets, receipt: fsync + replace each, hooks
    assert_store_and_files_agree(tmp_path / "full_run")
    killed_at = []
    for k in range(1, len(events) + 1):
        out_root = tmp_path / f"out{k}"
        killed_at.append(kill_at("output", k, out_root, tmp_path, seed=k))
        rc, text = repair_cli()
        assert rc == 0, text
        assert_store_and_files_agree(out_root)
    with open_store() as store:
        orders = store.list(limit=1000)
        # nothing committed was lost: the earlier order and the completed run are intact
        assert any(o.applicant_name == "早先的顾客" for o in orders)
        done = store.get(baseline["receipt_no"])
        assert done.status == "exported" and done.receipt_path and Path(done.receipt_path).is_file()
        assert done.photo_path and Path(done.photo_path).read_bytes() == bytes.fromhex(baseline["jpeg"])
        # an order whose photo was committed before the kill has it on disk after the repair
        for o in orders:
            if o.export_state == "done":
                assert sha256_file(o.photo_path) == o.photo_sha256
        numbers = [o.receipt_no for o in orders]
        assert len(numbers) == len(set(numbers))
    assert len(killed_at) == len(events)


def test_kill_9_during_a_receipt_write_keeps_the_old_receipt(tmp_path):
    out_root = tmp_path / "out"
    first, _ = run_to_end("output", out_root, tmp_path)
    with open_store() as store:
        order = store.get(first["receipt_no"])
        old_receipt = Path(order.receipt_path).read_bytes()
    _, events = run_to_end("receipt", out_root, tmp_path)
    assert events and any(e.startswith("replace receipt.pdf") for e in events)
    for k in range(1, len(events) + 1):
        kill_at("receipt", k, out_root, tmp_path)
        rc, text = repair_cli()
        assert rc == 0, text
        assert_store_and_files_agree(out_root)
        # the first receipt is untouched whatever happened to the re-issue
        assert Path(order.receipt_path).read_bytes() == old_receipt
    from studio_app.receipts import verify

    with open_store() as store:
        assert verify(str(order.receipt_path), store).status == "valid"
        reissued = out_root / "reissued" / "receipt.pdf"
        if reissued.exists():  # complete, and known to the store (else it would have been reported)
            assert verify(str(reissued), store).status == "valid"


def test_kill_9_during_a_retention_purge(tmp_path):
    out_root = tmp_path / "out"
    old = dt.datetime.now().astimezone() - dt.timedelta(days=200)
    with open_store() as store:
        keep = store.create_order("sscard", "新顾客")
        expired = []
        for i in range(3):
            o = store.create_order("sscard", f"旧顾客{'甲乙丙'[i]}", captured_at=old)
            photo = out_root / o.receipt_no / "photo.jpg"
            store.export_photo(o.receipt_no, f"jpeg-{i}".encode() * 100, photo)
            store.attach_file(o.receipt_no, "receipt", photo.parent / "receipt.pdf", data=b"%PDF-1.4 " + bytes([i]))
            if i == 0:  # a receipt re-issued into another folder is a second file of the same order
                store.attach_file(o.receipt_no, "receipt", out_root / "reprints" / f"{o.receipt_no}.pdf",
                                  data=b"%PDF-1.4 again")
            expired.append(o.receipt_no)
    files = [p for p in out_root.rglob("*") if p.is_file()]
    assert len(files) == 7
    _, events = run_to_end("purge", out_root, tmp_path)
    assert sum(e.startswith("unlink") for e in events) == 7 and events.count("purge:after_files") == 3
    for k in (1, 2, 3, 4, 6, len(events)):
        # restore the world before the purge, then kill it at event k
        _restore(out_root, expired, old)
        kill_at("purge", k, out_root, tmp_path)
        with open_store() as store:
            visible = {o.receipt_no for o in store.list()}
            assert keep.receipt_no in visible
            # an order whose files have started to go is hidden, never shown half-deleted
            for rno in expired:
                o = next((x for x in store.list() if x.receipt_no == rno), None)
                if o is not None:
                    assert all(Path(f["path"]).is_file() for f in o.files.values())
        rc, text = repair_cli()
        assert rc == 0, text
        with open_store() as store:
            left = {o.receipt_no for o in store.list()}
            assert keep.receipt_no in left
            assert store.check_consistency() == []
        # whatever the purge had marked is gone completely after the repair: rows and files
        for rno in expired:
            if rno not in left:
                assert not (out_root / rno).exists() or not any((out_root / rno).iterdir())
                assert not (out_root / "reprints" / f"{rno}.pdf").exists()
        assert_store_and_files_agree(out_root)


def _restore(out_root: Path, expired: list, old) -> None:
    """Put back three expired orders with files (the purge of the previous round removed them)."""
    with open_store() as store:
        store.purge_expired(days=30)  # finish anything left
        for i, rno in enumerate(list(expired)):
            o = store.create_order("sscard", f"旧顾客{'甲乙丙'[i]}", captured_at=old)
            photo = out_root / o.receipt_no / "photo.jpg"
            store.export_photo(o.receipt_no, f"jpeg-{i}".encode() * 100, photo)
            store.attach_file(o.receipt_no, "receipt", photo.parent / "receipt.pdf", data=b"%PDF-1.4 " + bytes([i]))
            if i == 0:  # a receipt re-issued into another folder is a second file of the same order
                store.attach_file(o.receipt_no, "receipt", out_root / "reprints" / f"{o.receipt_no}.pdf",
                                  data=b"%PDF-1.4 again")
            expired[i] = o.receipt_no


PROCESS_CHILD = r"""
import os, sys, time
from pathlib import Path
kill_at, marker = int(sys.argv[1]), Path(sys.argv[2])
n = [0]
real_fsync, real_replace = os.fsync, os.replace

def event():
    n[0] += 1
    if n[0] == kill_at:
        marker.write_text(str(n[0]))
        time.sleep(600)

def fsync(fd):
    event()
    return real_fsync(fd)

def replace(a, b, *args, **kw):
    event()
    return real_replace(a, b, *args, **kw)

os.fsync, os.replace = fsync, replace
from studio_app.cli import main
sys.exit(main(sys.argv[3:]))
"""


def test_kill_9_during_studio_app_process_leaves_no_hidden_copy_behind(tmp_path):
    """A batch ``studio-app process`` killed while writing: the output folder is the old one or
    the new one (never a mix), and the next run leaves no hidden temporary copy of the photo."""
    from conftest import PORTRAITS

    src = PORTRAITS / "ldn_006_f_bun.jpg"  # passes (in a navy top), so the run writes a photo and a report
    if src.is_file():
        from conftest import dressed_portrait

        src = dressed_portrait(src.name)
    if not src.is_file():
        pytest.skip("shared portraits not present")
    out = tmp_path / "batch" / "out"
    argv = ["process", str(src), "--spec", "sscard", "--out", str(out), "--sheet", "none"]
    for k in (1, 2, 3, 4):  # photo, report fsync; the folder rename (first run) / file renames
        marker = tmp_path / f"m{k}"
        p = subprocess.Popen([sys.executable, "-c", textwrap.dedent(PROCESS_CHILD), str(k), str(marker), *argv],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
        deadline = time.monotonic() + 240
        while not marker.exists() and p.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
        p.communicate()
        if out.exists():  # whole or absent, never half
            assert sorted(x.name for x in out.iterdir()) == ["photo.jpg", "report.json"]
    old = dt.datetime.now().timestamp() - 3600  # the killed runs were an hour ago
    for stale in out.parent.glob(".*.tmp"):
        os.utime(stale, (old, old))
    out_, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out_), contextlib.redirect_stderr(err):
        rc = cli_main(argv)
    assert rc == 0, err.getvalue()
    assert sorted(x.name for x in out.iterdir()) == ["photo.jpg", "report.json"]
    hidden = [str(x) for x in out.parent.rglob("*") if ".tmp" in x.name]
    assert hidden == [], f"copies of the photo left behind: {hidden}"
