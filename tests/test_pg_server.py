"""PostgreSQL server lost in the middle of a session: stations retry, nothing saved is lost,
nothing is written twice. Needs STUDIO_APP_TEST_PG_URL and STUDIO_APP_TEST_PG_CTL (a pg_ctl
command prefix for the test server, set by .ci/run)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shlex
import subprocess
import threading
import time
from collections import Counter

import pytest

from studio_app.errors import StudioError
from studio_app.orders import open_store
from studio_app.orders.numbering import DEFAULT_RECEIPT_FORMAT, first_numbers
from studio_app.orders.testing import pg_test_url, scratch_schema

pytestmark = pytest.mark.postgres


def _ctl(*args: str) -> None:
    prefix = os.environ.get("STUDIO_APP_TEST_PG_CTL", "")
    subprocess.run(shlex.split(prefix) + list(args), check=True, capture_output=True, timeout=120)


@pytest.fixture
def pg_url():
    if not pg_test_url() or not os.environ.get("STUDIO_APP_TEST_PG_CTL"):
        pytest.skip("STUDIO_APP_TEST_PG_URL / STUDIO_APP_TEST_PG_CTL are not set")
    with scratch_schema() as url:
        yield url


def test_server_restart_mid_session_loses_nothing_and_writes_nothing_twice(pg_url, caplog):
    kiosk = open_store(pg_url, station="K01", retry_seconds=60)
    counter = open_store(pg_url, station="C01", retry_seconds=60)
    try:
        saved = [kiosk.create_order("sscard", "张三", "11010519491231002X", "深圳", client_token=f"pre-{i}")
                 for i in range(3)]
        made: list = []
        errors: list = []
        restart_at = threading.Event()
        restarted = threading.Event()

        def session():
            try:
                i = 0
                after = 0
                while after < 10:  # keep working through the restart and ten orders beyond it
                    if i == 5:
                        restart_at.set()
                    made.append(kiosk.create_order("sscard", "李四", None, "广州", client_token=f"s-{i}"))
                    if i % 3 == 0:
                        counter.set_status(made[-1].receipt_no, "approved")
                    if restarted.is_set():
                        after += 1
                    i += 1
                    time.sleep(0.01)
            except Exception as exc:  # reported below
                errors.append(exc)

        caplog.set_level(logging.WARNING, logger="studio_app.orders.store")
        t = threading.Thread(target=session)
        t.start()
        assert restart_at.wait(60)
        _ctl("-w", "-m", "fast", "restart")  # drops every connection, in-flight transactions abort
        restarted.set()
        t.join(180)
        assert not t.is_alive()
        assert errors == []
        assert any("retrying" in r.getMessage() for r in caplog.records), "the restart hit no call"
        n = len(made)
        everything = kiosk.list(limit=1000)
        assert len(everything) == n + 3
        assert {o.receipt_no for o in saved} <= {o.receipt_no for o in everything}
        numbers = [o.receipt_no for o in everything] + [o.image_no for o in everything]
        assert [x for x, c in Counter(numbers).items() if c > 1] == []
        assert sorted(o.receipt_no for o in everything) == sorted(
            first_numbers(DEFAULT_RECEIPT_FORMAT, "K01", dt.date.today(), n + 3))  # none lost, none doubled
        approved = {o.receipt_no for o in counter.list(status="approved", limit=1000)}
        assert approved == {made[i].receipt_no for i in range(0, n, 3)}
        created = [e for e in kiosk.audit_entries(limit=10000) if e["action"] == "created"]
        assert len(created) == n + 3  # one audit entry per order: no write happened twice
        # a retry of a call whose commit went through returns the stored order
        again = kiosk.create_order("sscard", "李四", None, "广州", client_token="s-7")
        assert again.receipt_no == made[7].receipt_no and len(kiosk.list(limit=1000)) == n + 3
    finally:
        kiosk.close()
        counter.close()


def test_server_down_is_said_plainly_then_the_same_call_succeeds(pg_url):
    store = open_store(pg_url, station="K02", retry_seconds=1.5)
    try:
        first = store.create_order("sscard", "张三", client_token="keep")
        _ctl("-w", "-m", "fast", "stop")
        try:
            with pytest.raises(StudioError) as e:
                store.create_order("sscard", "王五", client_token="while-down")
            assert e.value.key == "orders.db_unreachable"
            text = e.value.both()
            assert "无法连接订单数据库" in text and "Cannot reach the order database" in text
            assert "已保存的订单不会丢失" in text
        finally:
            _ctl("-w", "start")
        # the station kept the customer's data in memory and retries the same call
        second = store.create_order("sscard", "王五", client_token="while-down")
        assert store.get(first.receipt_no) == first
        assert [o.receipt_no for o in store.list()] == [second.receipt_no, first.receipt_no]
    finally:
        store.close()
