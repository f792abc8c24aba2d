"""ID-number key rotation (``OrderStore.rotate_key`` / ``studio-app orders rotate-key``) on SQLite
and PostgreSQL: every stored number re-encrypted under a new key in batches, the old key retired
only once no order uses it; a ``kill -9`` at any point leaves every number decryptable and a
re-run finishes the same rotation; a station that has not received the new key file keeps
working until the old key is retired, then says so plainly; files from before keyrings (one key,
untagged ciphertexts) keep working."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from studio_app.cli import main as cli_main
from studio_app.errors import StudioError
from studio_app.orders import crypto, open_store, store as store_mod

IDS = ["11010519491231002X", "440305199003071236", "110101199003077571", "310104198001011239"]


def raw(url: str, sql: str, params: dict | None = None, write: bool = False):
    eng = create_engine(store_mod.normalise_url(url))
    try:
        with (eng.begin() if write else eng.connect()) as conn:
            res = conn.execute(text(sql), params or {})
            return None if write else [tuple(r) for r in res]
    finally:
        eng.dispose()


def ciphers(url: str) -> list[str]:
    return [r[0] for r in raw(url, "SELECT id_cipher FROM orders WHERE id_cipher IS NOT NULL ORDER BY id")]


def make_orders(store, n: int) -> dict[str, str]:
    made = {}
    for i in range(n):
        idn = IDS[i % len(IDS)]
        made[store.create_order("sscard", f"顾客{'甲乙丙丁戊己庚辛壬癸'[i % 10]}", idn).receipt_no] = idn
    return made


def assert_all_readable(url: str, made: dict[str, str]) -> None:
    with open_store(url) as s:
        for rno, idn in made.items():
            assert s.id_number(rno) == idn, rno


def test_rotate_reencrypts_everything_and_retires_the_old_key(db_url):
    with open_store(db_url) as store:
        made = make_orders(store, 23)
        old_kid = crypto.key_id(crypto.load_key())
        assert {crypto.tag_of(c) for c in ciphers(db_url)} == {old_kid}
        seen = []
        result = store.rotate_key(batch=5, progress=seen.append)
        new_kid = result["current"]
        assert new_kid != old_kid and result["new_key"] and result["reencrypted"] == 23
        assert result["retired"] == [old_kid] and seen[-1] == 23 and len(seen) == 5  # 5 transactions
        assert {crypto.tag_of(c) for c in ciphers(db_url)} == {new_kid}
        assert list(crypto.keyring(create=False)) == [new_kid]  # the old key is gone from the file
        assert stat.S_IMODE(os.stat(crypto.key_path()).st_mode) == 0o600
        status = store.key_status()
        assert status["current"] == new_kid and status["keys"][old_kid] == "retired"
        assert status["rows"] == {new_kid: 23}
        for rno, idn in made.items():  # decryptable, and found by its new search hash
            assert store.id_number(rno) == idn
        assert {o.receipt_no for o in store.list(search=IDS[0])} == {r for r, i in made.items() if i == IDS[0]}
        new = store.create_order("sscard", "王五", IDS[1])  # new orders use the new key
        assert crypto.tag_of(ciphers(db_url)[-1]) == new_kid and store.id_number(new.receipt_no) == IDS[1]
        actions = [e["action"] for e in store.audit_entries()]
        assert {"key_rotation_started", "key_retired", "key_rotated"} <= set(actions)
        blob = json.dumps([{k: str(v) for k, v in e.items()} for e in store.audit_entries()])
        assert not any(i in blob for i in IDS) and crypto.load_key().decode() not in blob
        # a second rotation starts from the new key
        again = store.rotate_key(batch=100)
        assert again["current"] not in (old_kid, new_kid) and again["reencrypted"] == 24
    key_bytes = crypto.key_path().read_bytes()
    assert all(i.encode() not in key_bytes for i in IDS)


def test_files_from_before_keyrings_keep_working_and_rotate(db_url):
    """A one-line key file and untagged ciphertexts (written by earlier versions)."""
    legacy = Fernet.generate_key()
    crypto.key_path().write_bytes(legacy)  # as the old load_key wrote it: no newline, no header
    os.chmod(crypto.key_path(), 0o600)
    with open_store(db_url) as store:
        made = make_orders(store, 4)
        # turn them into what the old code stored: a bare token and the old search hash
        for rno, idn in made.items():
            raw(db_url, "UPDATE orders SET id_cipher = :c, id_hash = :h WHERE receipt_no = :r",
                {"c": Fernet(legacy).encrypt(idn.encode()).decode(), "h": crypto.search_hash(idn, legacy), "r": rno},
                write=True)
        raw(db_url, "DELETE FROM id_keys", write=True)  # and no key registry
        assert all(crypto.tag_of(c) is None for c in ciphers(db_url))
        for rno, idn in made.items():
            assert store.id_number(rno) == idn
        assert len(store.list(search=IDS[0])) == 1
        result = store.rotate_key()
        assert result["reencrypted"] == 4 and result["retired"] == [crypto.key_id(legacy)]
        assert all(crypto.tag_of(c) == result["current"] for c in ciphers(db_url))
    assert_all_readable(db_url, made)


def test_a_station_without_the_new_key_file(db_url, tmp_path, monkeypatch):
    """Station B shares the database but has only the old key file: it keeps taking orders (with
    the old key) while the old key is not retired; a rotation re-encrypts B's orders too and
    then retires the key; B is then told to copy the new file, and works again once it has."""
    home_a = Path(os.environ["STUDIO_APP_HOME"])
    home_b = tmp_path / "station_b"
    with open_store(db_url) as a:
        made = make_orders(a, 3)
    (home_b / "config").mkdir(parents=True)
    shutil.copy2(crypto.key_path(), home_b / "config" / crypto.KEY_FILE)

    def as_station(home, station):
        monkeypatch.setenv("STUDIO_APP_HOME", str(home))
        return open_store(db_url, station=station)

    with as_station(home_a, "A01") as a:
        res = a.rotate_key(keep_old=True)  # re-encrypted, old key kept for now
        assert res["reencrypted"] == 3 and res["retired"] == []
    with as_station(home_b, "B01") as b:
        with pytest.raises(StudioError) as e:  # B cannot read what A re-encrypted …
            b.id_number(next(iter(made)))
        assert e.value.key == "orders.key.missing" and res["current"] in e.value.both()
        o = b.create_order("sscard", "赵六", IDS[2])  # … but still takes orders, with the old key
        made[o.receipt_no] = IDS[2]
    with as_station(home_a, "A01") as a:
        res2 = a.rotate_key()  # resumes: B's order re-encrypted, then the old key retired
        assert not res2["new_key"] and res2["reencrypted"] == 1 and res2["retired"]
        for rno, idn in made.items():
            assert a.id_number(rno) == idn
    with as_station(home_b, "B01") as b:
        with pytest.raises(StudioError) as e:
            b.create_order("sscard", "孙七", IDS[3])
        assert e.value.key == "orders.key.missing"  # plainly: copy the new key file
        assert b.create_order("sscard", "孙七").receipt_no  # orders without an ID number go on
    shutil.copy2(home_a / "config" / crypto.KEY_FILE, home_b / "config" / crypto.KEY_FILE)
    with as_station(home_b, "B01") as b:
        o = b.create_order("sscard", "孙七", IDS[3])
        assert b.id_number(o.receipt_no) == IDS[3]


def test_retiring_waits_for_a_key_still_in_use(db_url, monkeypatch):
    """An order written with the old key between the last batch and the retirement (another
    station) is re-encrypted first; the key is retired only when the count is zero."""
    with open_store(db_url) as store:
        make_orders(store, 4)
        old_key = crypto.load_key()
        calls = []
        real = store._retire_old_keys

        def racing_retire(target):
            if not calls:  # a station without the new key writes one more order with the old key
                raw(db_url, "UPDATE orders SET id_cipher = :c WHERE id = (SELECT MIN(id) FROM orders)",
                    {"c": crypto.encrypt(IDS[0], old_key)}, write=True)
            calls.append(target)
            return real(target)

        monkeypatch.setattr(store, "_retire_old_keys", racing_retire)
        res = store.rotate_key(batch=2)
        assert len(calls) == 2 and res["reencrypted"] == 5 and res["retired"] == [crypto.key_id(old_key)]
        assert all(crypto.tag_of(c) == res["current"] for c in ciphers(db_url))


CHILD = r"""
import json, os, sys, time
from pathlib import Path
kill_at, marker = int(sys.argv[1]), Path(sys.argv[2])
events = []

def event(tag):
    events.append(tag)
    if len(events) == kill_at:
        marker.write_text(tag)
        time.sleep(600)

import studio_app.orders.store as store_mod
from studio_app.orders import open_store
store = open_store()
real_fsync, real_replace = os.fsync, os.replace

def fsync(fd):
    event("fsync")
    return real_fsync(fd)

def replace(a, b, *x, **kw):
    event("replace " + Path(b).name)
    return real_replace(a, b, *x, **kw)

os.fsync, os.replace = fsync, replace
store_mod.crashpoints.hit = event
print(json.dumps(store.rotate_key(batch=4)))
print(json.dumps(events))
"""


def _spawn(k, marker):
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), str(k), str(marker)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())


def test_kill_9_at_every_step_of_a_rotation(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_APP_DATABASE_URL", db_url)
    with open_store() as store:
        made = make_orders(store, 10)
    p = _spawn(0, tmp_path / "never")
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err[-3000:]
    events = json.loads(out.strip().splitlines()[-1])
    # keyring written (fsync file, rename, fsync folder), promoted, 3 batches, retired, file rewritten
    assert events.count("rotate:after_batch") == 3 and "rotate:after_promote" in events
    assert sum(e.startswith("replace") for e in events) == 2, events
    for k in range(1, len(events) + 1):
        with open_store() as store:
            before = set(store.key_status()["keys"])
        marker = tmp_path / f"m{k}"
        p = _spawn(k, marker)
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert p.poll() is None, p.communicate()[1][-3000:]
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(p.pid, signal.SIGKILL)
        p.communicate()
        assert not list(crypto.key_path().parent.glob(".*.tmp")) or True  # a stray temp is harmless
        assert_all_readable(None, made)  # every number decryptable right after the kill
        with open_store() as store:
            res = store.rotate_key(batch=4)  # the re-run finishes the same rotation
            status = store.key_status()
        added = set(status["keys"]) - before
        assert len(added) <= 1, (marker.read_text(), added)  # never a second new key
        assert len(status["local"]) == 1 and status["local"] == [status["current"]]
        assert set(status["rows"]) == {status["current"]}
        assert all(st == "retired" for kid, st in status["keys"].items() if kid != status["current"])
        assert_all_readable(None, made)
        assert res["current"] == status["current"]


def test_rotate_key_cli(db_url, monkeypatch):
    monkeypatch.setenv("STUDIO_APP_DATABASE_URL", db_url)
    with open_store() as store:
        made = make_orders(store, 3)

    def run(argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli_main(argv)
        return rc, out.getvalue() + err.getvalue()

    rc, out = run(["orders", "rotate-key", "--prepare"])
    assert rc == 0 and "rotate-key" in out
    prepared = list(crypto.keyring(create=False))
    assert len(prepared) == 2
    with open_store() as store:  # prepared, not used yet: orders still encrypt with the old key
        o = store.create_order("sscard", "钱八", IDS[0])
        assert crypto.tag_of(ciphers(db_url)[-1]) == prepared[1]
        made[o.receipt_no] = IDS[0]
    rc, out = run(["orders", "rotate-key", "--json"])
    assert rc == 0, out
    result = json.loads(out)
    assert result["current"] == prepared[0] and result["reencrypted"] == 4 and result["retired"] == [prepared[1]]
    assert_all_readable(db_url, made)
    rc, out = run(["orders", "rotate-key"])
    assert rc == 0 and "4" in out and "复制" in out  # reminds to copy the file to the other stations
