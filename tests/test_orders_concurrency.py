"""Several processes at once, and processes killed (SIGKILL) in the middle of a write, on both backends."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from studio_app.orders import open_store
from studio_app.orders.numbering import DEFAULT_RECEIPT_FORMAT, first_numbers, is_valid

PROCS = 4
ORDERS_EACH = 25


def _spawn(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy())


HAMMER = """
import json, os, sys, time
from pathlib import Path
from studio_app.orders import open_store
url, station, n, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
store = open_store(url, station=station)
while not go.exists():
    time.sleep(0.01)
out = []
for i in range(n):
    o = store.create_order("sscard", "张三", None, "深圳", client_token=f"{station}-{os.getpid()}-{i}")
    out.append([o.receipt_no, o.image_no])
print(json.dumps(out))
"""


def test_many_processes_never_share_a_number(db_url, tmp_path):
    with open_store(db_url):  # schema first, so the workers race on numbering, not on migration
        pass
    go = tmp_path / "go"
    stations = ["A01", "A01", "B02", "B02"][:PROCS]
    procs = [_spawn(HAMMER, db_url, st, str(ORDERS_EACH), str(go)) for st in stations]
    time.sleep(0.5)
    go.write_text("go")
    results = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        results += json.loads(out)
    receipts = [r for r, _ in results]
    images = [i for _, i in results]
    total = PROCS * ORDERS_EACH
    assert len(receipts) == total
    dup = [n for n, c in Counter(receipts + images).items() if c > 1]
    assert dup == []
    assert all(is_valid(n) for n in receipts + images)
    for st in set(stations):  # per station exactly the first N numbers: none lost or doubled
        mine = sorted(r for r in receipts if r.startswith(st))
        assert mine == sorted(first_numbers(DEFAULT_RECEIPT_FORMAT, st, dt.date.today(),
                                            stations.count(st) * ORDERS_EACH))
    with open_store(db_url) as s:
        assert len(s.list(limit=1000)) == total


CRASHER = """
import sys, time
from pathlib import Path
import studio_app.orders.store as store_mod
from studio_app.orders import open_store
url, point, marker, out = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
JPEG = Path(sys.argv[5]).read_bytes()

def hang():
    marker.write_text("here")
    time.sleep(120)

def hook(name):
    if name == point:
        hang()

store_mod.crashpoints.hit = hook
if point == "export:mid_write":
    real = store_mod.files.write_bytes_atomic
    def half_write(path, data):
        tmp = Path(path).with_name("." + Path(path).name + ".crash.tmp")
        tmp.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data[: len(data) // 2])
            fh.flush()
        hang()
    store_mod.files.write_bytes_atomic = half_write
store = open_store(url)
order = store.create_order("sscard", "张三", "11010519491231002X", "深圳", client_token="crash-1")
store.export_photo(order.receipt_no, JPEG, out)
print("finished")
"""


@pytest.mark.parametrize("point", ["create:before_commit", "export:after_intent", "export:mid_write",
                                   "export:after_write"])
def test_kill_9_mid_export_leaves_a_consistent_store(db_url, tmp_path, point):
    from PIL import Image
    import io
    import numpy as np

    buf = io.BytesIO()
    Image.fromarray(np.full((441, 358, 3), 200, np.uint8)).save(buf, "JPEG")
    jpeg_file = tmp_path / "in.jpg"
    jpeg_file.write_bytes(buf.getvalue())
    with open_store(db_url) as s:
        before = s.create_order("sscard", "李四")  # an order that existed before the crash
    marker, out = tmp_path / "marker", tmp_path / "out" / "photo.jpg"
    p = _spawn(CRASHER, db_url, point, str(marker), str(out), str(jpeg_file))
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert p.poll() is None, p.communicate()[1][-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert p.returncode == -signal.SIGKILL

    with open_store(db_url) as s:
        orders = {o.receipt_no: o for o in s.list()}
        assert before.receipt_no in orders
        problems = s.check_consistency()
        if point == "create:before_commit":
            assert len(orders) == 1 and problems == []  # the transaction vanished whole
            after = s.create_order("sscard", "王五")
            assert after.receipt_no != before.receipt_no
            return
        assert len(orders) == 2
        crashed = next(o for o in orders.values() if o.receipt_no != before.receipt_no)
        assert crashed.export_state == "writing"
        kinds = {pr.kind for pr in problems}
        assert "interrupted_export" in kinds
        if point == "export:mid_write":
            assert "temp_file" in kinds and not out.exists()
        repaired = s.check_consistency(repair=True)
        assert repaired and all(pr.repaired for pr in repaired)
        assert s.check_consistency() == []
        fixed = s.get(crashed.receipt_no)
        assert fixed.export_state == "done"
        assert out.read_bytes() == jpeg_file.read_bytes() == s.photo(fixed.receipt_no)
        assert not list(out.parent.glob(".*.tmp"))
        # numbering carries on after the crash without reusing a number
        nxt = s.create_order("sscard", "王五")
        assert nxt.receipt_no not in orders and nxt.image_no not in {o.image_no for o in orders.values()}


KIOSK = """
import sys
from studio_app.orders import open_store
url = sys.argv[1]
kiosk = open_store(url, station="K01")
order = kiosk.create_order("sscard_shenzhen", "张三", "11010519491231002X", "深圳", client_token="kiosk-session-1")
print(order.receipt_no, flush=True)
rev = kiosk.revision()
while True:  # the kiosk waits for the counter's decision, then prints
    rev = kiosk.wait_for_change(rev, timeout=5, poll=0.1)
    status = kiosk.get(order.receipt_no).status
    if status == "approved":
        kiosk.set_status(order.receipt_no, "printed")
        print("printed", flush=True)
        break
    if status == "rejected":
        print("rejected", flush=True)
        break
"""


def test_kiosk_to_counter_review_round_trip(db_url):
    with open_store(db_url, station="C01") as counter:
        rev = counter.revision()
        kiosk = _spawn(KIOSK, db_url)
        try:
            receipt_no = kiosk.stdout.readline().strip()
            assert receipt_no.startswith("K01"), kiosk.stderr.read()[-2000:]
            # the order appears in the counter's queue without a restart
            for _ in range(20):
                if counter.review_queue():
                    break
                rev = counter.wait_for_change(rev, timeout=10, poll=0.1)
            queue = counter.review_queue()
            assert [o.receipt_no for o in queue] == [receipt_no]
            assert queue[0].id_masked == "110***********002X" and queue[0].city == "深圳市"
            counter.set_status(receipt_no, "approved", operator="counter-1")
            assert kiosk.stdout.readline().strip() == "printed"
            assert kiosk.wait(60) == 0
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
        done = counter.get(receipt_no)
        assert done.status == "printed"
        trail = [(e["station"], e["action"]) for e in counter.audit_entries(receipt_no)]
        assert trail == [("K01", "created"), ("C01", "approved"), ("K01", "printed")]


def test_stations_sharing_a_format_without_station_code_still_never_collide(db_url, tmp_path):
    """"{seq:06d}" has no station part: two stations draw the same sequence values, so uniqueness
    rests on the unique constraints and the retry; run them at once from several processes."""
    code = HAMMER.replace("store = open_store(url, station=station)",
                          "store = open_store(url, station=station, receipt_format='{seq:06d}', "
                          "image_format='{seq:08d}')")
    with open_store(db_url, receipt_format="{seq:06d}", image_format="{seq:08d}"):
        pass
    go = tmp_path / "go"
    procs = [_spawn(code, db_url, st, "15", str(go)) for st in ("A01", "B02", "C03")]
    time.sleep(0.5)
    go.write_text("go")
    results = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        results += json.loads(out)
    numbers = [r for r, _ in results] + [i for _, i in results]
    assert len(results) == 45
    assert [n for n, c in Counter(numbers).items() if c > 1] == []
