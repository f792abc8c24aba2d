"""kill -9 at every disk event of an order of several documents (issue 17): after
`orders check --repair` the store and the files agree for every document (none half-written,
no face on disk the store does not know), and nothing committed is lost. The child process and
the checks are tests/test_reliability_crash.py's; the flow writes 社保卡 + 2寸 from one capture."""

from __future__ import annotations

from pathlib import Path

import test_reliability_crash as crash
from studio_app.orders import open_store
from studio_app.orders.store import sha256_file

DOCUMENTS = '''elif flow == "documents":
    spec2 = get_spec("two_inch")
    photo2 = np.clip(190 + rng.normal(0, 25, (spec2.height_px, spec2.width_px, 3)), 0, 255).astype(np.uint8)
    enc2 = encode_for_spec(photo2, spec2)
    result2 = SimpleNamespace(photo=inspect_jpeg(enc2.data)[1], jpeg=enc2.data, ok=True,
                              to_dict=lambda lang=None: {"ok": True})
    req = OutputRequest(spec=spec, city="深圳市", province="广东省", capture=None, result=result,
                        applicant=Applicant(name="王小明", id_number="11010519491231002X", city="深圳市"),
                        approved=True, reject_reasons=())
    rec = write_order_outputs(req, settings=settings, store=store, more=[(spec2, result2)])
    print(json.dumps({"receipt_no": rec.receipt_no, "jpeg": enc.data.hex(), "jpeg2": enc2.data.hex()}))
elif flow == "receipt":'''


def test_kill_9_at_every_disk_event_of_a_two_document_order(tmp_path, monkeypatch):
    monkeypatch.setattr(crash, "CHILD", crash.CHILD.replace('elif flow == "receipt":', DOCUMENTS))
    from studio_app.receipts import signing

    with open_store() as s:  # schema, ID-number key and receipt-signing key exist: a station that ran before
        s.create_order("sscard", "早先的顾客", "11010519491231002X")
    signing.signing_key()
    baseline, events = crash.run_to_end("documents", tmp_path / "full_run", tmp_path)
    assert sum(e.startswith("fsync") for e in events) >= 9  # 2 photos, 4 sheets, 2 reports, receipt
    crash.assert_store_and_files_agree(tmp_path / "full_run")
    for k in range(1, len(events) + 1):
        out_root = tmp_path / f"out{k}"
        crash.kill_at("documents", k, out_root, tmp_path, seed=k)
        rc, text = crash.repair_cli()
        assert rc == 0, text
        crash.assert_store_and_files_agree(out_root)
    with open_store() as store:
        done = store.get(baseline["receipt_no"])
        assert [i.spec_id for i in done.items] == ["sscard_shenzhen", "two_inch"]
        assert Path(done.items[1].photo_path).read_bytes() == bytes.fromhex(baseline["jpeg2"])
        for o in store.list(limit=1000):
            if o.export_state == "done":  # every document of a finished order is on disk as recorded
                for item in o.items:
                    assert sha256_file(item.photo_path) == item.photo_sha256, (o.receipt_no, item.spec_id)
