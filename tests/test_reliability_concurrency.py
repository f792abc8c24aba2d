"""Several processes at once on one SQLite store, through the whole output step.

tests/test_orders_concurrency.py races bare ``create_order`` calls. Here each process runs what a
station does per customer (session.write_order_outputs: order, photo, sheets, receipt PDF with
an encrypted ID number), on a store that has never been used (so the processes also race to
create the schema and the ID-number key), while another process lists, checks consistency and
purges, and another approves orders through the CLI. Nothing may surface as "database is
locked", no receipt or image number may repeat, every ID number must decrypt with the one key, and the
purges running in between remove exactly the expired orders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

from studio_app.orders import open_store
from studio_app.orders.numbering import is_valid
from studio_app.orders.store import sha256_file

WRITERS = 4
EACH = 6

WRITER = r"""
import json, sys, time
from pathlib import Path
from types import SimpleNamespace
import numpy as np
from studio_app.imaging.encode import encode_for_spec, inspect_jpeg
from studio_app.orders import open_store
from studio_app.session import Applicant, OutputRequest, write_order_outputs
from studio_app.settings import Settings
from studio_app.specs import get_spec

wid, n, go, out_root = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
spec = get_spec("sscard_shenzhen")
rng = np.random.default_rng(wid)
settings = Settings(output_dir=str(out_root))
ids = ["11010519491231002X", "440305199003071236", "110105194912310003"]
while not go.exists():
    time.sleep(0.005)
store = open_store()
done = []
for i in range(n):
    photo = np.clip(200 + rng.normal(0, 25, (spec.height_px, spec.width_px, 3)), 0, 255).astype(np.uint8)
    enc = encode_for_spec(photo, spec)
    result = SimpleNamespace(photo=inspect_jpeg(enc.data)[1], jpeg=enc.data, ok=True,
                             to_dict=lambda lang=None: {"ok": True})
    idn = ids[(wid + i) % len(ids)]
    req = OutputRequest(spec=spec, city="深圳市", province="广东省", capture=None, result=result,
                        applicant=Applicant(name="顾客" + "甲乙丙丁戊己庚辛"[wid] + "子丑寅卯辰巳午未"[i], id_number=idn, city="深圳市"),
                        approved=True, reject_reasons=())
    rec = write_order_outputs(req, settings=settings, store=store)
    done.append({"receipt_no": rec.receipt_no, "image_no": rec.extra["image_no"], "id": idn})
store.close()
print(json.dumps(done))
"""

ADMIN = r"""
import json, sys, time
from pathlib import Path
from studio_app.orders import open_store
go, stop = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
rounds = 0
while not stop.exists() or rounds < 3:
    store = open_store(station="Z99")  # the back office: its own numbers, its own expired orders
    store.list(limit=1000)
    problems = [p for p in store.check_consistency() if p.kind not in ("interrupted_export", "temp_file")]
    assert not problems, problems   # mid-write states are normal while writers run
    old = store.create_order("sscard", "过期顾客", captured_at=__import__("datetime").datetime(2020, 1, 1))
    store.attach_file(old.receipt_no, "receipt", Path(sys.argv[3]) / f"{old.receipt_no}.pdf", data=b"%PDF-1.4 old")
    assert store.purge_expired(days=365) >= 1   # a real purge (files, rows, WAL checkpoint) amid the writers
    store.revision()
    store.close()
    rounds += 1
print(json.dumps({"rounds": rounds}))
"""

APPROVER = r"""
import io, contextlib, json, sys, time
from pathlib import Path
from studio_app.cli import main
from studio_app.orders import open_store
go, stop = Path(sys.argv[1]), Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
printed = set()
while not stop.exists():
    with open_store() as s:
        todo = [o.receipt_no for o in s.list(status="exported") if o.receipt_no not in printed]
        for rno in todo[:3]:
            s.set_status(rno, "printed", operator="counter")
            printed.add(rno)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["orders", "list", "--json"]) == 0
    json.loads(buf.getvalue())
    time.sleep(0.05)
print(json.dumps(sorted(printed)))
"""


def _spawn(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy())


def test_stations_writing_orders_at_once_lose_nothing_and_share_no_number(tmp_path):
    go, stop, out_root = tmp_path / "go", tmp_path / "stop", tmp_path / "output"
    writers = [_spawn(WRITER, str(w), str(EACH), str(go), str(out_root)) for w in range(WRITERS)]
    admin = _spawn(ADMIN, str(go), str(stop), str(tmp_path / "expired"))
    approver = _spawn(APPROVER, str(go), str(stop))
    time.sleep(1.0)  # let them all import and wait at the gate: the race starts at once
    go.write_text("go")
    made = []
    errors = []
    for p in writers:
        out, err = p.communicate(timeout=400)
        errors.append(err)
        assert p.returncode == 0, err[-3000:]
        made += json.loads(out.strip().splitlines()[-1])
    stop.write_text("stop")
    for p in (admin, approver):
        out, err = p.communicate(timeout=200)
        errors.append(err)
        assert p.returncode == 0, err[-3000:]
    printed = set(json.loads(out.strip().splitlines()[-1]))
    for err in errors:
        assert "locked" not in err.lower() and "busy" not in err.lower(), err[-2000:]
        assert "Traceback" not in err, err[-3000:]

    total = WRITERS * EACH
    receipts = [m["receipt_no"] for m in made]
    images = [m["image_no"] for m in made]
    assert len(receipts) == total
    assert [n for n, c in Counter(receipts + images).items() if c > 1] == []
    assert all(is_valid(n) for n in receipts + images)
    # Gaps in a station's sequence are allowed by design: a value whose check character would be
    # '*' is never issued, and the number of an order that is later purged stays used (numbers
    # are never reused). Only the writers draw from station A01's counter here: the admin makes
    # and purges its expired orders as station Z99. (When it made them as A01, the purged orders'
    # numbers -- 1, 2, 3, 4, 6, 9, ... -- showed up as gaps in the writers' receipts; checked below
    # through the audit log.) So on A01 any other gap is a number lost or handed out twice in a race.
    import datetime as dt

    from studio_app.orders.numbering import DEFAULT_RECEIPT_FORMAT, make_number

    assert all(r.startswith("A01") for r in receipts), receipts
    by_day: dict[str, list[int]] = {}
    for r in receipts:  # per day: the sequence restarts at midnight, which a slow run may straddle
        by_day.setdefault(r[3:9], []).append(int(r[-5:-1]))
    for day, seqs in by_day.items():
        date = dt.datetime.strptime(day, "%y%m%d").date()
        skipped = [n for n in range(1, max(seqs) + 1) if n not in seqs]
        assert all(make_number(DEFAULT_RECEIPT_FORMAT, "A01", date, n) is None for n in skipped), (day, skipped)
        assert len(skipped) < total // 4

    with open_store() as store:
        assert store.check_consistency() == []
        orders = {o.receipt_no: o for o in store.list(limit=1000)}
        assert set(orders) == set(receipts)  # the expired orders the admin made were purged, no other
        # every A01 number went to exactly one writer order: none to another (since purged) order,
        # none to a second order made for the same customer
        created = [e["receipt_no"] for e in store.audit_entries(limit=10**6)
                   if e["action"] == "created" and (e["receipt_no"] or "").startswith("A01")]
        assert sorted(created) == sorted(receipts)
        assert not any((tmp_path / "expired").glob("*.pdf"))
        for m in made:
            o = orders[m["receipt_no"]]
            assert o.status in ("exported", "printed")
            assert (o.status == "printed") == (o.receipt_no in printed)
            # every ID number decrypts with the single key all processes ended up sharing
            assert store.id_number(o.receipt_no) == m["id"]
            for info in o.files.values():
                assert sha256_file(info["path"]) == info["sha256"]
            assert Path(o.receipt_path).read_bytes().startswith(b"%PDF")
        assert len({o.photo_sha256 for o in orders.values()}) == total
