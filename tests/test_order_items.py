"""One capture, several documents (issue 17): an order holds items (spec, image number, verdict,
problems, photo files) in the store on SQLite and PostgreSQL; erase, purge and check cover every
item's files; an older database is migrated (each order becomes a one-item order)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import create_engine, text

from studio_app.hashing import sha256_file
from studio_app.orders import open_store, store as store_mod
from studio_app.orders.schema import LATEST
from test_orders_store import jpeg_bytes, raw_rows, store  # noqa: F401 - the store fixture

SPECS = ["resident_id", "sscard", "two_inch"]


def _write(folder: Path, name: str, data: bytes) -> tuple[Path, str]:
    from studio_app.orders.store import sha256_bytes

    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name, sha256_bytes(data)


def _three_item_order(store, tmp_path, **kw):
    order = store.create_order(SPECS[0], "张三", more_specs=SPECS[1:], **kw)
    folder = tmp_path / order.receipt_no
    jpegs = [jpeg_bytes(i) for i in range(3)]
    files = {}
    for pos, (spec, data) in enumerate(zip(SPECS, jpegs)):
        files[("photo", pos)] = _write(folder, f"photo-{spec}.jpg", data)
        files[("sheet", pos)] = _write(folder, f"sheet-{spec}.jpg", data[::-1])
    files[("receipt", None)] = _write(folder, "receipt.pdf", b"%PDF-1.4 receipt")
    items = {pos: {"jpeg": data, "verdict": "ok" if pos != 2 else "problems",
                   "problems": [{"key": "check.lighting.uneven"}] if pos == 2 else []}
             for pos, data in enumerate(jpegs)}
    store.record_export(order.receipt_no, jpegs[0], files, items=items)
    return store.finish_export(order.receipt_no, "exported"), folder, jpegs


def test_an_order_numbers_each_document_and_finds_it_by_its_image_number(store):
    order = store.create_order("resident_id", "张三", more_specs=["sscard", "two_inch", "sscard"])
    assert [i.spec_id for i in order.items] == SPECS  # a document once per order
    assert [i.position for i in order.items] == [0, 1, 2]
    assert order.items[0].image_no == order.image_no
    numbers = [i.image_no for i in order.items]
    assert len(set(numbers)) == 3
    assert [i.doc_type for i in order.items] == ["resident_id", "social_security", "studio_size"]
    for number in numbers:
        assert store.find(number).receipt_no == order.receipt_no
        assert [o.receipt_no for o in store.list(search=number)] == [order.receipt_no]
    other = store.create_order("sscard", "李四")  # a one-document order: one item, its own number
    assert [(i.spec_id, i.image_no) for i in other.items] == [("sscard", other.image_no)]
    assert other.image_no not in numbers
    detail = [e for e in store.audit_entries(order.receipt_no) if e["action"] == "created"][0]["detail"]
    assert "two_inch" in detail and "张三" not in detail


def test_each_document_keeps_its_photo_files_verdict_and_problems(store, tmp_path):
    order, folder, jpegs = _three_item_order(store, tmp_path)
    assert order.export_state == "done"
    assert order.files["photo"]["path"] == str((folder / "photo-resident_id.jpg").resolve())
    assert order.files["receipt"]["path"].endswith("receipt.pdf")
    for item, spec, data in zip(order.items, SPECS, jpegs):
        assert Path(item.files["photo"]["path"]).name == f"photo-{spec}.jpg"
        assert item.files["photo"]["sha256"] == sha256_file(item.files["photo"]["path"])
        assert "sheet" in item.files and "receipt" not in item.files
        assert store.item_photo(order.receipt_no, item.position) == data
    assert [i.verdict for i in order.items] == ["ok", "ok", "problems"]
    assert order.items[2].problems == ({"key": "check.lighting.uneven"},)
    assert store.photo(order.receipt_no) == jpegs[0]
    # an item's photo is found by its hash too (receipt verify of a photo file)
    found, kind = store.find_by_file_hash(order.items[1].files["photo"]["sha256"])
    assert (found.receipt_no, kind) == (order.receipt_no, "photo")
    assert store.check_consistency() == []


def test_erase_deletes_every_documents_files_and_photos(store, tmp_path):
    order, folder, _ = _three_item_order(store, tmp_path)
    store.erase(order.receipt_no, reason="customer_request")
    assert sorted(p.name for p in folder.iterdir()) == []
    assert all(store.item_photo(order.receipt_no, pos) is None for pos in range(3))
    after = store.get(order.receipt_no)
    assert after.erased and all(i.photo_sha256 is None and not i.files for i in after.items)
    assert [i.image_no for i in after.items] == [i.image_no for i in order.items]  # numbers stay


def test_purge_deletes_every_documents_files_and_rows(store, tmp_path, db_url):
    old = dt.datetime.now().astimezone() - dt.timedelta(days=400)
    order, folder, _ = _three_item_order(store, tmp_path, captured_at=old)
    assert len(list(folder.iterdir())) == 7
    assert store.purge_expired(days=90) == 1
    assert list(folder.iterdir()) == []
    assert raw_rows(db_url, "SELECT count(*) FROM order_items") == [(0,)]


def test_check_finds_and_repairs_a_lost_or_changed_document_photo(store, tmp_path):
    order, folder, jpegs = _three_item_order(store, tmp_path)
    lost = folder / "photo-sscard.jpg"
    lost.unlink()
    changed = folder / "photo-two_inch.jpg"
    changed.write_bytes(b"edited by hand")
    problems = store.check_consistency()
    assert sorted((p.kind, Path(p.detail).name) for p in problems) == [
        ("photo_changed", "photo-two_inch.jpg"), ("photo_missing", "photo-sscard.jpg")]
    repaired = store.check_consistency(repair=True)
    assert [p.repaired for p in repaired if p.kind == "photo_missing"] == [True]
    assert lost.read_bytes() == jpegs[1]
    assert changed.read_bytes() == b"edited by hand"  # a changed photo is reported, never overwritten


def test_an_interrupted_multi_document_export_is_finished_by_the_repair(store, tmp_path):
    order = store.create_order(SPECS[0], "张三", more_specs=SPECS[1:2])
    folder = tmp_path / order.receipt_no
    a, b = jpeg_bytes(1), jpeg_bytes(2)
    from studio_app.orders.store import sha256_bytes

    files = {("photo", 0): (folder / "photo-resident_id.jpg", sha256_bytes(a)),
             ("photo", 1): (folder / "photo-sscard.jpg", sha256_bytes(b))}
    store.record_export(order.receipt_no, a, files, items={0: {"jpeg": a}, 1: {"jpeg": b}})
    # the writer died before any file was renamed into place
    problems = store.check_consistency(repair=True)
    assert [(p.kind, p.repaired) for p in problems] == [("interrupted_export", True)]
    assert (folder / "photo-resident_id.jpg").read_bytes() == a
    assert (folder / "photo-sscard.jpg").read_bytes() == b
    assert store.get(order.receipt_no).export_state == "done"


def test_resubmission_keeps_the_documents(store):
    order = store.create_order(SPECS[0], "张三", more_specs=SPECS[1:])
    store.set_status(order.receipt_no, "rejected", ["阴影"])
    again = store.resubmit(order.receipt_no)
    assert [i.spec_id for i in again.items] == SPECS
    assert not {i.image_no for i in again.items} & {i.image_no for i in order.items}
    # the new capture may be for fewer documents: the resubmission has those
    store.set_status(again.receipt_no, "rejected", ["阴影"])
    third = store.resubmit(again.receipt_no, client_token="t3", more_specs=["two_inch"])
    assert [i.spec_id for i in third.items] == ["resident_id", "two_inch"]


def test_migration_5_gives_every_older_order_one_document(db_url, tmp_path):
    with open_store(db_url) as s:
        o = s.create_order("sscard", "张三")
        s.export_photo(o.receipt_no, jpeg_bytes(3), tmp_path / o.receipt_no / "photo.jpg")
        s.create_order("resident_id", "李四")
    # turn the database back into a version-4 one: no order_items, no order_files.item
    eng = create_engine(store_mod.normalise_url(db_url))
    with eng.begin() as conn:
        conn.execute(text("DROP TABLE order_items"))
        conn.execute(text("ALTER TABLE order_files DROP COLUMN item"))
        conn.execute(text("DELETE FROM schema_version WHERE version >= 5"))
    eng.dispose()
    with open_store(db_url) as s:
        assert raw_rows(db_url, "SELECT max(version) FROM schema_version") == [(LATEST,)]
        exported, waiting = s.get(o.receipt_no), [x for x in s.list() if x.receipt_no != o.receipt_no][0]
        assert [(i.spec_id, i.image_no, i.verdict) for i in exported.items] == [("sscard", exported.image_no, "ok")]
        assert exported.items[0].files["photo"] == exported.files["photo"]
        assert exported.items[0].photo_sha256 == exported.photo_sha256
        assert [(i.spec_id, i.verdict) for i in waiting.items] == [("resident_id", None)]
        new = s.create_order("two_inch", "王五", more_specs=["sscard"])
        assert not {i.image_no for i in new.items} & {exported.image_no, waiting.image_no}
        assert s.check_consistency() == []
