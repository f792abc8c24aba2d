"""The order store on both backends: SQLite (always) and PostgreSQL (when STUDIO_APP_TEST_PG_URL is set)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import create_engine, text

from studio_app.errors import StudioError
from studio_app.orders import open_store, store as store_mod
from studio_app.orders.numbering import first_numbers, is_valid
from studio_app.orders import crypto
from studio_app.orders.schema import LATEST, order_photos
from studio_app.paths import data_dir

ID = "11010519491231002X"


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


def jpeg_bytes(seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    arr = rng.integers(0, 255, (441, 358, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def raw_rows(url: str, sql: str):
    eng = create_engine(store_mod.normalise_url(url))
    try:
        with eng.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        eng.dispose()


def test_create_get_numbers(store):
    o = store.create_order("sscard_shenzhen", "张三", ID, "深圳", phone="13800000000", report={"ok": True})
    assert o.status == "captured" and o.city == "深圳市" and o.province == "广东省"
    assert o.doc_type == "social_security"
    assert o.id_masked == "110***********002X" and o.has_id_number
    today = dt.date.today()
    expected = first_numbers("{station}{date:%y%m%d}{seq:04d}", "A01", today, 2)
    assert o.receipt_no == expected[0] and o.receipt_no.startswith("A01" + today.strftime("%y%m%d"))
    assert is_valid(o.receipt_no) and is_valid(o.image_no) and o.receipt_no != o.image_no
    got = store.get(o.receipt_no.lower())
    assert got == o
    assert store.find(o.image_no).receipt_no == o.receipt_no
    o2 = store.create_order("sscard", "李四")
    assert o2.receipt_no == expected[1]


def test_applicant_validation_errors_are_bilingual(store):
    with pytest.raises(StudioError) as e:
        store.create_order("sscard", "张三", "11010519491231002Y")
    assert e.value.key == "orders.bad_id" and "身份证" in e.value.both() and "ID number" in e.value.both()
    with pytest.raises(StudioError) as e:
        store.create_order("sscard", "张三", ID, "广东省")
    assert e.value.key == "orders.bad_city" and "深圳市" in e.value.message("zh_CN")
    with pytest.raises(StudioError) as e:
        store.create_order("sscard", "张3")
    assert e.value.key == "orders.bad_name"
    assert store.list() == []  # nothing half-written


def test_list_filters(store):
    t0 = dt.datetime(2026, 3, 1, 10, 0).astimezone()
    a = store.create_order("sscard", "王小明", ID, "广州", captured_at=t0)
    b = store.create_order("resident_id", "John Smith", None, "北京", captured_at=t0 + dt.timedelta(days=2))
    c = store.create_order("sscard", "赵六", None, "深圳", captured_at=t0 + dt.timedelta(days=5))
    store.set_status(b.receipt_no, "approved")
    assert [o.receipt_no for o in store.list()] == [c.receipt_no, b.receipt_no, a.receipt_no]
    assert [o.receipt_no for o in store.list(status="approved")] == [b.receipt_no]
    assert {o.receipt_no for o in store.list(status=["captured", "approved"])} == {a.receipt_no, b.receipt_no, c.receipt_no}
    assert [o.receipt_no for o in store.list(search="小明")] == [a.receipt_no]
    assert [o.receipt_no for o in store.list(search="smith")] == [b.receipt_no]  # case-insensitive
    assert [o.receipt_no for o in store.list(search=c.receipt_no[-5:])] == [c.receipt_no]
    got = store.list(since=dt.date(2026, 3, 2), until=dt.date(2026, 3, 3))
    assert [o.receipt_no for o in got] == [b.receipt_no]
    assert [o.receipt_no for o in store.review_queue()] == [a.receipt_no, c.receipt_no]  # oldest first
    with pytest.raises(StudioError):
        store.list(status="lost")


def test_status_flow_and_rejection_reasons(store):
    o = store.create_order("sscard", "张三")
    with pytest.raises(StudioError) as e:
        store.set_status(o.receipt_no, "rejected")
    assert e.value.key == "orders.reject_needs_reason"
    r = store.set_status(o.receipt_no, "rejected", reasons=["头发遮挡眉毛", "背景有阴影"])
    assert r.status == "rejected" and r.reasons == ("头发遮挡眉毛", "背景有阴影")
    with pytest.raises(StudioError) as e:
        store.set_status(o.receipt_no, "approved")
    assert e.value.key == "orders.bad_transition"
    p = store.create_order("sscard", "李四")
    for s in ("approved", "approved", "exported", "printed", "printed"):  # repeats are safe
        p = store.set_status(p.receipt_no, s, operator="counter-1")
    assert p.status == "printed"
    actions = [h["action"] for h in store.audit_entries(p.receipt_no)]
    assert actions == ["created", "approved", "exported", "printed", "printed"]
    with pytest.raises(StudioError):
        store.set_status("A01XXXX", "approved")


def test_resubmit_links_and_keeps_history(store):
    o = store.create_order("sscard_shenzhen", "买买提·艾力", ID, "深圳市")
    with pytest.raises(StudioError) as e:
        store.resubmit(o.receipt_no)
    assert e.value.key == "orders.resubmit_not_rejected"
    store.set_status(o.receipt_no, "rejected", reasons=["耳朵被遮挡"])
    n = store.resubmit(o.receipt_no, report={"ok": True})
    assert n.resubmit_of == o.receipt_no and n.receipt_no != o.receipt_no and n.image_no != o.image_no
    assert n.applicant_name == o.applicant_name and n.spec_id == o.spec_id and n.city == "深圳市"
    assert n.id_masked == o.id_masked and store.id_number(n.receipt_no) == ID
    assert store.get(o.receipt_no).status == "rejected" and store.get(o.receipt_no).reasons == ("耳朵被遮挡",)
    again = store.resubmit(o.receipt_no)  # a retry does not make a second order
    assert again.receipt_no == n.receipt_no
    assert len(store.list()) == 2


def test_audit_is_append_only_and_holds_no_personal_data(store, db_url):
    o = store.create_order("sscard", "张三丰", ID, "深圳", report={"ok": True})
    store.export_photo(o.receipt_no, jpeg_bytes(), data_dir() / "out" / "p.jpg")
    store.set_status(o.receipt_no, "rejected", reasons=["背景不纯"])
    store.id_number(o.receipt_no)
    entries = store.audit_entries()
    blob = json.dumps([{k: str(v) for k, v in e.items()} for e in entries], ensure_ascii=False)
    assert "张三丰" not in blob and ID not in blob and ID[6:14] not in blob
    assert {"created", "export_started", "exported", "rejected", "id_viewed"} <= {e["action"] for e in entries}
    eng = create_engine(store_mod.normalise_url(db_url))
    try:
        for sql in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(Exception, match="append-only"):
                with eng.begin() as conn:
                    conn.execute(text(sql))
    finally:
        eng.dispose()
    assert len(store.audit_entries()) == len(entries)


def test_id_numbers_encrypted_at_rest(store, db_url):
    o = store.create_order("sscard", "张三", ID)
    rows = raw_rows(db_url, "SELECT id_cipher, id_masked FROM orders")
    cipher, masked = rows[0]
    assert ID not in cipher and ID[6:14] not in cipher and masked == "110***********002X"
    key = crypto.key_path()
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert store.id_number(o.receipt_no) == ID
    key.write_bytes(crypto.Fernet.generate_key())  # a wrong key is reported, not garbage
    with pytest.raises(StudioError) as e:
        store.id_number(o.receipt_no)
    # the ciphertext names its key (keyring, tests/test_orders_keys.py): "not in this key file"
    assert e.value.key == "orders.key.missing" and cipher.split(":")[0] in e.value.both()
    with pytest.raises(StudioError) as e:  # an untagged one (older versions) is tried and refused
        crypto.decrypt(cipher.split(":", 1)[1])
    assert e.value.key == "orders.key.wrong"


def test_id_numbers_not_stored_when_configured(db_url):
    with open_store(db_url, store_id_numbers="none") as s:
        o = s.create_order("sscard", "张三", ID)
        assert o.id_masked == "110***********002X" and not o.has_id_number
        assert s.id_number(o.receipt_no) is None
    assert raw_rows(db_url, "SELECT id_cipher FROM orders") == [(None,)]


def test_client_token_makes_create_idempotent(store):
    a = store.create_order("sscard", "张三", client_token="session-42")
    b = store.create_order("sscard", "张三", client_token="session-42")
    assert a == b and len(store.list()) == 1


def test_numbers_never_reused_after_purge(store):
    old = dt.datetime.now().astimezone() - dt.timedelta(days=400)
    gone = [store.create_order("sscard", "张三", captured_at=old) for _ in range(3)]
    assert store.purge_expired(days=90) == 3
    assert store.list() == []
    new = store.create_order("sscard", "李四")
    assert new.receipt_no not in {g.receipt_no for g in gone}
    assert new.receipt_no == first_numbers("{station}{date:%y%m%d}{seq:04d}", "A01", dt.date.today(), 4)[3]
    assert new.image_no not in {g.image_no for g in gone}


def test_purge_deletes_files_then_rows_and_resumes_after_crash(store, tmp_path, monkeypatch):
    old = dt.datetime.now().astimezone() - dt.timedelta(days=100)
    keep = store.create_order("sscard", "新订单")
    olds = [store.create_order("sscard", f"旧订单{'甲乙'[i]}", captured_at=old) for i in range(2)]
    paths = []
    for i, o in enumerate(olds):
        p = tmp_path / f"o{i}" / "photo.jpg"
        store.export_photo(o.receipt_no, jpeg_bytes(i), p)
        receipt = p.parent / "receipt.pdf"
        store.attach_file(o.receipt_no, "receipt", receipt, data=b"%PDF-1.4 test")
        paths += [p, receipt]
    store.set_status(olds[1].receipt_no, "rejected", reasons=["x"])
    child = store.resubmit(olds[1].receipt_no)  # a link to a purged order must not block the purge

    def crash(point):
        if point == "purge:after_files":
            raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(store_mod.crashpoints, "hit", crash)
    with pytest.raises(KeyboardInterrupt):
        store.purge_expired(days=30)
    monkeypatch.setattr(store_mod.crashpoints, "hit", lambda point: None)
    assert not paths[0].exists() and not paths[1].exists()  # files of the first went first
    # the half-purged orders are hidden and reported
    assert {o.receipt_no for o in store.list()} == {keep.receipt_no, child.receipt_no}
    kinds = {p.kind for p in store.check_consistency()}
    assert kinds == {"purge_interrupted"}
    assert store.purge_expired(days=30) == 2
    assert not any(p.exists() for p in paths)
    assert store.check_consistency() == []
    assert store.get(child.receipt_no).resubmit_of is None
    with pytest.raises(StudioError):
        store.get(olds[0].receipt_no)
    assert [e["action"] for e in store.audit_entries(olds[0].receipt_no)][-1] == "purged"


def test_export_photo_and_consistency_repair(store, tmp_path):
    o = store.create_order("sscard", "张三")
    jpeg = jpeg_bytes(3)
    p = tmp_path / "out" / "photo.jpg"
    o = store.export_photo(o.receipt_no, jpeg, p)
    assert o.export_state == "done" and p.read_bytes() == jpeg and o.photo_path == str(p.resolve())
    assert store.photo(o.receipt_no) == jpeg
    assert store.check_consistency() == []
    p.unlink()
    (p.parent / ".photo.jpg.abc.tmp").write_bytes(b"half")
    found = {x.kind for x in store.check_consistency()}
    assert found == {"photo_missing", "temp_file"}
    fixed = store.check_consistency(repair=True)
    assert all(x.repaired for x in fixed)
    assert p.read_bytes() == jpeg and not (p.parent / ".photo.jpg.abc.tmp").exists()
    p.write_bytes(jpeg[:-10] + b"0123456789")  # edited by hand: reported, never overwritten
    changed = store.check_consistency(repair=True)
    assert [(x.kind, x.repaired) for x in changed] == [("photo_changed", False)]


def test_attach_export_verifies_hash_and_moves_status(store, tmp_path):
    o = store.create_order("sscard", "张三")
    p = tmp_path / "photo.jpg"
    p.write_bytes(jpeg_bytes(5))
    sheet = tmp_path / "sheet.jpg"
    sheet.write_bytes(jpeg_bytes(6))
    with pytest.raises(StudioError) as e:
        store.attach_export(o.receipt_no, p, "0" * 64)
    assert e.value.key == "orders.hash_mismatch"
    assert store.get(o.receipt_no).export_state == "none"
    import hashlib

    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    o = store.attach_export(o.receipt_no, p, digest, sheet_path=sheet, status="exported")
    assert o.status == "exported" and o.photo_sha256 == digest and set(o.files) == {"photo", "sheet"}
    assert store.find(digest).receipt_no == o.receipt_no
    with pytest.raises(StudioError):
        store.attach_export(o.receipt_no, tmp_path / "missing.jpg")


def test_schema_versions_and_reopen(db_url):
    with open_store(db_url):
        pass
    assert raw_rows(db_url, "SELECT max(version) FROM schema_version") == [(LATEST,)]
    with open_store(db_url) as s:  # a second open applies nothing
        assert s.list() == []
    assert raw_rows(db_url, "SELECT count(*) FROM schema_version") == [(LATEST,)]
    eng = create_engine(store_mod.normalise_url(db_url))
    with eng.begin() as conn:
        conn.execute(text("INSERT INTO schema_version (version, description, applied_at) "
                          "VALUES (999, 'future', CURRENT_TIMESTAMP)"))
    eng.dispose()
    with pytest.raises(StudioError) as e:
        open_store(db_url)
    assert e.value.key == "orders.schema_newer" and "999" in e.value.message("en")


def test_review_queue_seen_by_another_store_without_restart(db_url):
    counter = open_store(db_url, station="C01")
    kiosk = open_store(db_url, station="K01")
    try:
        rev = counter.revision()
        assert counter.review_queue() == []
        o = kiosk.create_order("sscard", "张三")
        rev2 = counter.wait_for_change(rev, timeout=5, poll=0.05)
        assert rev2 > rev
        assert [q.receipt_no for q in counter.review_queue()] == [o.receipt_no]
        assert o.receipt_no.startswith("K01")
        counter.set_status(o.receipt_no, "approved", operator="counter")
        assert kiosk.wait_for_change(rev2, timeout=5, poll=0.05) > rev2
        assert kiosk.get(o.receipt_no).status == "approved"
        assert counter.review_queue() == []
        assert [e["station"] for e in kiosk.audit_entries(o.receipt_no)] == ["K01", "C01"]
    finally:
        counter.close()
        kiosk.close()


def test_bad_url_and_station_are_clear_errors(tmp_path):
    with pytest.raises(StudioError) as e:
        open_store("mysql://u:secret@h/db")
    assert e.value.key == "orders.bad_url" and "secret" not in e.value.both()
    with pytest.raises(StudioError) as e:
        open_store(f"sqlite:///{tmp_path / 'x.db'}", station="a-1")
    assert e.value.key == "orders.number.bad_station"


def test_default_store_is_sqlite_in_data_dir(monkeypatch):
    from studio_app.paths import data_dir

    with open_store() as s:
        assert s.dialect == "sqlite"
        s.create_order("sscard", "张三")
    assert (data_dir() / "orders.sqlite3").is_file()
    mode = raw_rows(f"sqlite:///{data_dir() / 'orders.sqlite3'}", "PRAGMA journal_mode")
    assert mode == [("wal",)]


@pytest.mark.postgres
def test_postgres_writes_send_notify(db_url, monkeypatch):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    import psycopg
    from sqlalchemy.engine import make_url

    with open_store(db_url) as s:
        listen = psycopg.connect(make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False),
                                 autocommit=True)
        try:
            listen.execute("LISTEN studio_orders")
            s.create_order("sscard", "张三")
            notes = list(listen.notifies(timeout=30, stop_after=1))
            assert [n.channel for n in notes] == ["studio_orders"]
        finally:
            listen.close()
        rev = s.revision()
        import threading

        other = open_store(db_url, station="K09")
        t = threading.Timer(0.2, lambda: other.create_order("sscard", "李四"))

        def no_polling(_seconds):
            raise AssertionError("wait_for_change polled instead of listening")

        monkeypatch.setattr(store_mod.notify.time, "sleep", no_polling)
        s._listener()  # listening before the write starts
        t.start()
        try:
            assert s.wait_for_change(rev, timeout=120, poll=120) > rev  # woken by NOTIFY
        finally:
            t.join()
            monkeypatch.undo()
            other.close()


def test_search_by_full_id_number_uses_a_keyed_hash(store, db_url):
    a = store.create_order("sscard", "张三", ID, "深圳")
    other = "44030419900307123" + __import__("studio_app.orders.idnumber", fromlist=["x"]).check_char(
        "44030419900307123")
    store.create_order("sscard", "张三", other, "深圳")  # same name, other person
    store.create_order("sscard", "李四")
    assert [o.receipt_no for o in store.list(search=ID.lower())] == [a.receipt_no]
    hashes = [r[0] for r in raw_rows(db_url, "SELECT id_hash FROM orders ORDER BY id")]
    assert hashes[0] and hashes[1] and hashes[0] != hashes[1] and hashes[2] is None
    assert ID not in "".join(h for h in hashes if h)
    store.set_status(a.receipt_no, "rejected", reasons=["x"])
    again = store.resubmit(a.receipt_no)
    assert {o.receipt_no for o in store.list(search=ID)} == {a.receipt_no, again.receipt_no}


def test_migration_3_upgrades_an_older_database(db_url):
    with open_store(db_url) as s:
        s.create_order("sscard", "张三", ID)
    # turn the database back into a version-2 one: no id_hash column, no version-3 row
    eng = create_engine(store_mod.normalise_url(db_url))
    with eng.begin() as conn:
        conn.execute(text("DROP INDEX ix_orders_id_hash"))
        conn.execute(text("ALTER TABLE orders DROP COLUMN id_hash"))
        conn.execute(text("DELETE FROM schema_version WHERE version >= 3"))
    eng.dispose()
    with open_store(db_url) as s:
        assert raw_rows(db_url, "SELECT max(version) FROM schema_version") == [(LATEST,)]
        assert raw_rows(db_url, "SELECT id_hash FROM orders") == [(None,)]  # old rows: not searchable by ID
        b = s.create_order("sscard", "李四", ID)
        assert [o.receipt_no for o in s.list(search=ID)] == [b.receipt_no]
        assert len(s.list()) == 2


def test_each_station_purges_and_checks_only_its_own_files(db_url, tmp_path):
    old = dt.datetime.now().astimezone() - dt.timedelta(days=200)
    kiosk = open_store(db_url, station="K01")
    counter = open_store(db_url, station="C01")
    try:
        k = kiosk.create_order("sscard", "张三", captured_at=old)
        kiosk.export_photo(k.receipt_no, jpeg_bytes(1), tmp_path / "kiosk-disk" / "k.jpg")
        c = counter.create_order("sscard", "李四", captured_at=old)
        counter.export_photo(c.receipt_no, jpeg_bytes(2), tmp_path / "counter-disk" / "c.jpg")
        (tmp_path / "kiosk-disk" / "k.jpg").unlink()  # as seen from the counter: not on its disk
        # the counter neither reports nor "repairs" the kiosk's files on its own disk
        assert counter.check_consistency(repair=True) == []
        assert not (tmp_path / "kiosk-disk" / "k.jpg").exists()
        assert [p.kind for p in kiosk.check_consistency()] == ["photo_missing"]
        assert counter.purge_expired(days=90) == 1  # its own order only
        assert not (tmp_path / "counter-disk" / "c.jpg").exists()
        assert [o.receipt_no for o in counter.list()] == [k.receipt_no]
        assert kiosk.purge_expired(days=90) == 1
        assert counter.list() == []
    finally:
        kiosk.close()
        counter.close()


def test_migration_4_upgrades_a_version_3_database(db_url):
    """v4: orders.erased_at and the id_keys registry (erasure, key rotation)."""
    with open_store(db_url) as s:
        s.create_order("sscard", "张三", ID)
    eng = create_engine(store_mod.normalise_url(db_url))
    with eng.begin() as conn:
        conn.execute(text("DROP TABLE id_keys"))
        conn.execute(text("ALTER TABLE orders DROP COLUMN erased_at"))
        conn.execute(text("DELETE FROM schema_version WHERE version >= 4"))
    eng.dispose()
    with open_store(db_url) as s:
        assert raw_rows(db_url, "SELECT max(version) FROM schema_version") == [(LATEST,)]
        o = s.list()[0]
        assert not o.erased and s.id_number(o.receipt_no) == ID
        s.erase(o.receipt_no, reason="customer_request")
        assert s.get(o.receipt_no).erased_at is not None
        assert s.rotate_key()["reencrypted"] == 0


def test_a_full_sqlite_disk_is_reported_at_once_not_as_a_lost_network(tmp_path):
    """SQLite's "database or disk is full" used to be retried for 20 s and then reported as
    "cannot reach the order database … check the network"."""
    import time as _time

    with open_store(f"sqlite:///{tmp_path / 'o.sqlite3'}") as s:
        s.create_order("sscard", "张三")

        def fill(conn):
            conn.exec_driver_sql("PRAGMA max_page_count = 1")  # clamps to the current size: the disk is "full"
            conn.execute(order_photos.insert().values(order_id=1, jpeg=b"x" * 5_000_000, sha256="0" * 64))

        t0 = _time.monotonic()
        with pytest.raises(StudioError) as e:
            s._write(fill, audit=None)
        assert e.value.key == "orders.db_error" and "full" in e.value.both() and _time.monotonic() - t0 < 5
        assert "网络" not in e.value.message("zh_CN")
