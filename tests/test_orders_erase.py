"""``OrderStore.erase``: one order's personal data erased at the customer's request (PIPL), on
SQLite and PostgreSQL: rows, stored photo, every recorded file; the number and an audit entry
without personal data stay; idempotent; a ``kill -9`` at every step is completed by a re-run or by
``check_consistency(repair=True)``; the raw database bytes (SQLite file + WAL; PostgreSQL heap
files when the test server is local) hold neither the name nor the photo afterwards."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio_app.cli import main as cli_main
from studio_app.errors import StudioError
from studio_app.orders import open_store, store as store_mod

NAME = "欧阳娜娜"
OTHER = "司马相如"
ID = "11010519491231002X"
PHONE = "13912345678"


def jpeg_bytes(seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 255, (441, 358, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def make_order(store, out: Path, name=NAME, seed=0):
    o = store.create_order("sscard_shenzhen", name, ID, "深圳", phone=PHONE, report={"face_width": 0.61})
    jpeg = jpeg_bytes(seed)
    photo = out / o.receipt_no / "photo.jpg"
    store.export_photo(o.receipt_no, jpeg, photo)
    store.attach_file(o.receipt_no, "receipt", photo.parent / "receipt.pdf", data=b"%PDF-1.4 " + name.encode())
    store.attach_file(o.receipt_no, "receipt", out / "reprints" / f"{o.receipt_no}.pdf",
                      data=b"%PDF-1.4 reprint " + name.encode())
    store.attach_file(o.receipt_no, "sheet", photo.parent / "sheet.jpg", data=jpeg + b"sheet")
    return store.get(o.receipt_no), jpeg


def files_of(order) -> list[Path]:
    return [Path(f["path"]) for f in order.files.values()]


def sqlite_bytes(url: str) -> bytes:
    db = Path(url.split("sqlite:///", 1)[1])
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))


def pg_heap_bytes(url: str) -> bytes | None:
    """The heap/TOAST files of the order tables, when the test server's data folder is readable
    here (the private cluster of .ci/run); None otherwise."""
    from sqlalchemy import create_engine, text

    eng = create_engine(store_mod.normalise_url(url))
    try:
        with eng.connect() as conn:
            try:
                data_dir = Path(conn.execute(text("SHOW data_directory")).scalar())
            except Exception:
                return None
            conn.execute(text("CHECKPOINT"))
            rels = []
            for table in ("orders", "order_photos", "order_files"):
                rels.append(conn.execute(text("SELECT pg_relation_filepath(:t)"), {"t": table}).scalar())
                toast = conn.execute(text("SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                                     {"t": table}).scalar()
                if toast and toast != "-":
                    rels.append(conn.execute(text("SELECT pg_relation_filepath(:t)"), {"t": toast}).scalar())
    finally:
        eng.dispose()
    out = b""
    for rel in rels:
        if not rel:
            continue
        for p in (data_dir / rel).parent.glob(Path(rel).name + "*"):
            try:
                out += p.read_bytes()
            except OSError:
                return None
    return out


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def test_erase_clears_personal_data_keeps_number_and_audit(store, tmp_path):
    order, jpeg = make_order(store, tmp_path / "out")
    keep = store.create_order("sscard", OTHER, "440305199003071236")
    paths = files_of(order) + [tmp_path / "out" / "reprints" / f"{order.receipt_no}.pdf"]
    assert all(p.is_file() for p in paths)
    store.erase(order.receipt_no.lower(), reason="customer_request", note=f"顾客{NAME}本人申请删除，电话 {PHONE}",
                operator="counter-2")
    assert not any(p.exists() for p in paths)
    gone = store.get(order.receipt_no)  # the number stays known
    assert gone.erased and gone.erase_state == "erased" and gone.erased_at is not None
    assert (gone.receipt_no, gone.image_no, gone.spec_id, gone.city) == \
        (order.receipt_no, order.image_no, order.spec_id, order.city)
    assert gone.applicant_name == "" and gone.id_masked is None and not gone.has_id_number
    assert gone.phone is None and gone.report is None and gone.photo_sha256 is None and gone.files == {}
    assert store.photo(order.receipt_no) is None and store.id_number(order.receipt_no) is None
    assert [o.receipt_no for o in store.list()] == [keep.receipt_no]  # hidden from lists and searches
    assert store.list(search=ID) == [] and store.list(search=NAME) == []
    assert store.find_by_file_hash(order.photo_sha256) is None
    entries = store.audit_entries(order.receipt_no)
    req = [e for e in entries if e["action"] == "erase_requested"]
    assert len(req) == 1 and [e["action"] for e in entries].count("erased") == 1
    detail = json.loads(req[0]["detail"])
    assert detail["operator"] == "counter-2" and detail["reason"] == "customer_request"
    assert "本人申请" in detail["note"]
    blob = json.dumps([{k: str(v) for k, v in e.items()} for e in store.audit_entries()], ensure_ascii=False)
    assert NAME not in blob and PHONE not in blob and ID not in blob  # typed into the reason: scrubbed
    assert store.check_consistency() == []
    # idempotent: again does nothing, writes nothing
    n = len(store.audit_entries())
    store.erase(order.receipt_no, reason="customer_request")
    assert len(store.audit_entries()) == n
    # the erased order cannot be revived or re-issued
    for call in (lambda: store.set_status(order.receipt_no, "printed"),
                 lambda: store.export_photo(order.receipt_no, jpeg, tmp_path / "x" / "photo.jpg")):
        with pytest.raises(StudioError) as e:
            call()
        assert e.value.key == "orders.erased"
    late = tmp_path / "late" / "receipt.pdf"
    with pytest.raises(StudioError) as e:
        store.attach_file(order.receipt_no, "receipt", late, data=b"%PDF " + NAME.encode())
    assert e.value.key == "orders.erased" and not late.exists()  # no unrecorded copy left behind
    # numbers are never reused; the retention purge later removes the tombstone like any order
    new = store.create_order("sscard", "王五")
    assert new.receipt_no not in (order.receipt_no, keep.receipt_no)


def test_erase_refuses_unknown_number_and_empty_reason(store):
    with pytest.raises(StudioError) as e:
        store.erase("A01990101999", reason="customer_request")
    assert e.value.key == "orders.erase_unknown"
    msg = e.value.both()
    assert msg.index("找不到订单") < msg.index("not found") and "A01990101999" in msg
    o = store.create_order("sscard", NAME)
    with pytest.raises(StudioError) as e:
        store.erase(o.receipt_no, reason="  ")
    assert e.value.key == "orders.erase_needs_reason"
    assert store.get(o.receipt_no).applicant_name == NAME


def test_erase_of_a_rejected_order_and_its_resubmission(store, tmp_path):
    a, _ = make_order(store, tmp_path / "out")
    store.set_status(a.receipt_no, "rejected", reasons=["头发遮住眉毛"])
    b = store.resubmit(a.receipt_no)
    assert store.linked_orders(a.receipt_no) == [b.receipt_no]
    store.erase(a.receipt_no, reason="customer_request")
    assert store.get(b.receipt_no).applicant_name == NAME  # the other order is the caller's choice
    assert store.id_number(b.receipt_no) == ID
    with pytest.raises(StudioError) as e:
        store.resubmit(a.receipt_no)
    assert e.value.key == "orders.erased"
    store.erase(b.receipt_no, reason="customer_request")
    assert store.linked_orders(a.receipt_no) == [] and store.list() == []


def test_raw_database_bytes_hold_neither_name_nor_photo_after_erase(db_url, tmp_path):
    other = open_store(db_url)  # another window of the station keeps the database open
    try:
        with open_store(db_url) as store:
            order, jpeg = make_order(store, tmp_path / "out")
            other.create_order("sscard", OTHER)
            probe = jpeg[200:264]
            if db_url.startswith("sqlite"):
                raw = store.engine.raw_connection()  # part of the pages reach the main file
                raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
                raw.close()
                before = sqlite_bytes(db_url)
            else:
                before = pg_heap_bytes(db_url)
            if before is not None:
                assert NAME.encode() in before and probe in before  # the probe can see them
            store.erase(order.receipt_no, reason="customer_request")
        other.create_order("sscard", "王五")  # the station goes on
        if db_url.startswith("sqlite"):
            raw = sqlite_bytes(db_url)
            assert NAME.encode() not in raw, "the erased name is still in the database file or WAL"
            assert probe not in raw and b"\xff\xd8\xff" not in raw, "the erased photo is still in the database"
            assert PHONE.encode() not in raw
        else:
            # PostgreSQL never overwrites a row in place: the old version stays in the table file
            # until VACUUM FULL rewrites it (docs/privacy.md); `orders compact` does that
            with open_store(db_url) as store:
                store.compact()
            raw = pg_heap_bytes(db_url)
            if raw is None:
                pytest.skip("the PostgreSQL data folder is not readable here")
            assert NAME.encode() not in raw, "the erased name is still in the PostgreSQL table files"
            assert probe not in raw, "the erased photo is still in the PostgreSQL table files"
    finally:
        other.close()


def test_erase_cli_confirms_and_reports(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_APP_DATABASE_URL", db_url)
    with open_store() as store:
        order, _ = make_order(store, tmp_path / "out")

    def run(argv, stdin=""):
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdin", _Tty(stdin))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli_main(argv)
        return rc, out.getvalue() + err.getvalue()

    rc, text = run(["orders", "erase", order.receipt_no, "--reason", "customer_request"], stdin="NO\n")
    assert rc == 1 and "未删除" in text
    with open_store() as store:
        assert store.get(order.receipt_no).applicant_name == NAME
    rc, text = run(["orders", "erase", order.receipt_no, "--reason", "customer_request"], stdin=order.receipt_no + "\n")
    assert rc == 0 and order.receipt_no in text, text
    rc, text = run(["orders", "erase", order.receipt_no, "--reason", "customer_request", "--yes"])
    assert rc == 0 and "早已删除" in text
    rc, text = run(["orders", "erase", "A01000000000", "--reason", "customer_request", "--yes"])
    assert rc != 0 and "找不到订单" in text and "Traceback" not in text
    with open_store() as store:
        assert store.get(order.receipt_no).erased


class _Tty(io.StringIO):
    def isatty(self):
        return True


CHILD = r"""
import os, sys, time
from pathlib import Path
receipt_no, kill_at, marker = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
events = []

def event(tag):
    events.append(tag)
    if len(events) == kill_at:
        marker.write_text(tag)
        time.sleep(600)

import studio_app.orders.store as store_mod
from studio_app.orders import open_store
store = open_store()
real_fsync, real_unlink = os.fsync, os.unlink

def fsync(fd):
    event("fsync")
    return real_fsync(fd)

def unlink(p, *a, **kw):
    event("unlink " + Path(p).name)
    return real_unlink(p, *a, **kw)

os.fsync, os.unlink = fsync, unlink
store_mod.crashpoints.hit = event
store.erase(receipt_no, reason="customer_request", operator="k")
import json
print(json.dumps(events))
"""


def _spawn(receipt_no, k, marker, env):
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), receipt_no, str(k), str(marker)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_kill_9_at_every_step_of_an_erase_is_completed(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_APP_DATABASE_URL", db_url)
    env = os.environ.copy()
    with open_store() as store:
        order, jpeg = make_order(store, tmp_path / "first")
    p = _spawn(order.receipt_no, 0, tmp_path / "never", env)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err[-3000:]
    events = json.loads(out.strip().splitlines()[-1])
    # mark (commit), then per file: overwrite+fsync, unlink; then the final commit
    assert events[0] == "erase:after_mark" and "erase:after_files" in events
    assert sum(e.startswith("unlink") for e in events) == 4 and events.count("fsync") >= 4, events
    for k in range(1, len(events) + 1):
        with open_store() as store:
            order, jpeg = make_order(store, tmp_path / f"out{k}", seed=k)
        paths = files_of(order) + [tmp_path / f"out{k}" / "reprints" / f"{order.receipt_no}.pdf"]
        marker = tmp_path / f"m{k}"
        p = _spawn(order.receipt_no, k, marker, env)
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert p.poll() is None, p.communicate()[1][-3000:]
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(p.pid, signal.SIGKILL)
        p.communicate()
        with open_store() as store:
            half = store.get(order.receipt_no)
            # the personal data in the database went in the first commit: never half
            assert half.applicant_name == "" and half.erase_state == "erasing" and store.photo(half.receipt_no) is None
            assert half.receipt_no not in {o.receipt_no for o in store.list()}
            problems = store.check_consistency()
            assert [p_.kind for p_ in problems if p_.receipt_no == order.receipt_no] == ["erase_interrupted"]
            if k % 2:
                store.erase(order.receipt_no, reason="customer_request")
            else:
                fixed = store.check_consistency(repair=True)
                assert all(p_.repaired for p_ in fixed), fixed
            done = store.get(order.receipt_no)
            assert done.erase_state == "erased" and done.files == {}
            assert store.check_consistency() == []
            actions = [e["action"] for e in store.audit_entries(order.receipt_no)]
            assert actions.count("erase_requested") == 1 and actions.count("erased") == 1
        assert not any(x.exists() for x in paths), [str(x) for x in paths if x.exists()]
        left = [str(x) for x in (tmp_path / f"out{k}").rglob("*") if x.is_file()]
        assert left == [], left  # no temp copy either
        if db_url.startswith("sqlite"):
            raw = sqlite_bytes(db_url)
            assert NAME.encode() not in raw and jpeg[200:264] not in raw


def test_an_export_running_while_the_order_is_erased_leaves_no_file(store, tmp_path, monkeypatch):
    """The operator erases while another window is writing the order's photo: the photo written
    after the erasure is deleted, not recorded, and the order stays erased."""
    o = store.create_order("sscard", NAME, ID)
    path = tmp_path / "out" / o.receipt_no / "photo.jpg"

    def erase_now(point):
        if point == "export:after_intent":
            monkeypatch.setattr(store_mod.crashpoints, "hit", lambda p: None)
            store.erase(o.receipt_no, reason="customer_request")

    monkeypatch.setattr(store_mod.crashpoints, "hit", erase_now)
    with pytest.raises(StudioError) as e:
        store.export_photo(o.receipt_no, jpeg_bytes(3), path)
    assert e.value.key == "orders.erased"
    assert not path.exists() and list(path.parent.glob("*")) == []
    gone = store.get(o.receipt_no)
    assert gone.erase_state == "erased" and gone.files == {} and store.photo(o.receipt_no) is None
    assert store.check_consistency() == []
