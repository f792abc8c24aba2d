"""The ID-number keys job (see ../crypto.py: a keyring file per station; the database names the
current key): the key new numbers are encrypted with, key status, crash-safe rotation."""

from __future__ import annotations

import logging
import time
from typing import Callable

from sqlalchemy import and_, bindparam, func, select, update
from sqlalchemy.engine import Connection

from ...errors import StudioError
from .. import crypto
from ..schema import audit_log, id_keys, orders
from . import crashpoints
from .model import utcnow

log = logging.getLogger(__name__)


class KeysMixin:
    """Part of :class:`OrderStore`."""

    def _key_states(self, conn: Connection) -> dict[str, str]:
        return {r.key_id: r.state for r in conn.execute(select(id_keys.c.key_id, id_keys.c.state)
                                                        .order_by(id_keys.c.added_at.desc()))}

    def _encryption_key(self) -> bytes:
        """The key new ID numbers are encrypted with: the database's current key when this
        station holds it, else (a station that has not received the new key file yet) an older
        key that is not retired; on a new database the newest key of the local ring."""
        ring = crypto.keyring(create=True)
        states = self._read(self._key_states)
        current = next((k for k, st in states.items() if st == "current"), None)
        if current is None or current in ring:
            return ring[current] if current else next(iter(ring.values()))
        for kid, key in ring.items():
            if states.get(kid) == "old":
                log.warning("ID-number key %s (current) is not in this station's key file; using %s", current, kid)
                return key
        raise StudioError("orders.key.missing", kid=current, file=str(crypto.key_path()))

    def _lock_cipher_key(self, conn: Connection, cipher: str | None) -> bool:
        """Inside a write: the key of ``cipher`` is registered and not retired, and stays so until
        commit (PostgreSQL: FOR SHARE on its id_keys row, which retiring updates; SQLite writes are
        serial anyway). False when it has been retired."""
        if cipher is None:
            return True
        kid = crypto.tag_of(cipher)
        pg = self.dialect == "postgresql"
        if kid is None:  # untagged (from before keyrings): hold every live key row
            stmt = select(id_keys.c.key_id).where(id_keys.c.state != "retired")
            conn.execute(stmt.with_for_update(read=True) if pg else stmt).all()
            return True
        stmt = select(id_keys.c.state).where(id_keys.c.key_id == kid)
        state = conn.execute(stmt.with_for_update(read=True) if pg else stmt).scalar()
        if state is None:
            has_current = conn.execute(select(func.count()).select_from(id_keys).where(
                id_keys.c.state == "current")).scalar()
            self._register_key(conn, kid, "old" if has_current else "current")
            state = conn.execute(stmt.with_for_update(read=True) if pg else stmt).scalar()
        return state != "retired"

    def _register_key(self, conn: Connection, kid: str, state: str) -> None:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        now = utcnow()
        conn.execute(dialect_insert(id_keys).values(key_id=kid, state=state, added_at=now, changed_at=now)
                     .on_conflict_do_nothing())

    def key_status(self) -> dict:
        """{"current": key id, "keys": {key id: state}, "local": [key ids in this station's file],
        "rows": {key id or "untagged": number of orders}} (no key material)."""
        def q(conn):
            states = self._key_states(conn)
            rows: dict[str, int] = {}
            for (cipher,) in conn.execute(select(orders.c.id_cipher).where(orders.c.id_cipher.isnot(None))):
                tag = crypto.tag_of(cipher) or "untagged"
                rows[tag] = rows.get(tag, 0) + 1
            return states, rows

        states, rows = self._read(q)
        try:
            local = list(crypto.keyring(create=False))
        except StudioError:
            local = []
        return {"current": next((k for k, st in states.items() if st == "current"), None), "keys": states,
                "local": local, "rows": rows}

    def rotate_key(self, *, batch: int = 500, keep_old: bool = False, prepare: bool = False,
                   progress: Callable[[int], None] | None = None) -> dict:
        """Re-encrypt every stored ID number under a new key, then retire the old key(s).

        Crash-safe at every point (every ID stays decryptable): 1. the new key is added to the
        keyring file (atomic rename; the old keys stay in it); 2. it becomes the database's
        current key (stations holding it encrypt with it from now on); 3. orders are
        re-encrypted ``batch`` at a time, one transaction each (ciphertext and search hash
        together); 4. the old keys are marked retired in the database only if no order uses them
        any more (same transaction as the count, so no station can write with them after);
        5. they are removed from this station's keyring file. A run cut short is finished by
        running it again: a key in the file the database does not know yet, or orders under an
        old key, mean a rotation is under way and it is resumed (no second new key).

        ``prepare``: only step 1 (copy the file to the other stations, then rotate).
        ``keep_old``: stop after step 3 (the next run retires them). Returns counts and timings."""
        t0 = time.monotonic()
        ring = crypto.keyring(create=True)
        states = self._read(self._key_states)
        if not states:  # a database from before keyrings: the local newest key is the current one
            first = next(iter(ring))
            self._write(lambda conn: self._register_key(conn, first, "current"), audit=None)
            states = self._read(self._key_states)
        current = next((k for k, st in states.items() if st == "current"), None)
        if current is not None and current not in ring:
            raise StudioError("orders.key.missing", kid=current, file=str(crypto.key_path()))
        unregistered = [k for k in ring if k not in states]
        old_live = [k for k, st in states.items() if st == "old"]
        # retired keys still in the file, or a rotation started and never reported done (the audit
        # log says): the last steps of a rotation were cut short, finish that one
        old_live += [k for k in ring if states.get(k) == "retired"]
        last = self._read(lambda conn: conn.execute(
            select(audit_log.c.action).where(audit_log.c.action.in_(("key_rotation_started", "key_rotated")))
            .order_by(audit_log.c.id.desc()).limit(1)).scalar())
        if last == "key_rotation_started" and current is not None:
            old_live.append(current)

        def pending_rows(conn, target):
            return conn.execute(select(func.count()).select_from(orders).where(and_(
                orders.c.id_cipher.isnot(None), orders.c.id_cipher.notlike(f"{target}:%")))).scalar()

        created = False
        if unregistered:  # prepared earlier, or a run killed after writing the file
            target = unregistered[0]
        elif prepare or not (old_live or self._read(lambda conn: conn.execute(
                select(func.count()).select_from(orders).where(and_(
                    orders.c.id_cipher.like("%:%"), orders.c.id_cipher.notlike(f"{current}:%")))).scalar())):
            # nothing under way (untagged ciphertexts from before keyrings are no rotation): a new key
            new = crypto.generate_key()
            crypto.save_keys([new, *ring.values()])
            crashpoints.hit("rotate:after_keyring")
            target, created = crypto.key_id(new), True
            ring = crypto.keyring(create=False)
        else:
            target = current  # resume a rotation cut short
        if prepare:
            return {"prepared": target, "current": current, "seconds": round(time.monotonic() - t0, 3)}
        if target != current:
            def promote(conn):
                now = utcnow()
                conn.execute(update(id_keys).where(id_keys.c.state == "current").values(state="old", changed_at=now))
                self._register_key(conn, target, "current")
                conn.execute(update(id_keys).where(id_keys.c.key_id == target).values(state="current",
                                                                                     changed_at=now))

            self._write(promote, audit="key_rotation_started", detail={"new_key": target, "old_key": current})
            crashpoints.hit("rotate:after_promote")
        key = ring[target]
        fernet_ring = dict(ring)
        reencrypted = 0
        for _round in range(5):
            reencrypted += self._reencrypt_all(target, key, fernet_ring, batch, progress)
            if keep_old:
                break
            retired = self._retire_old_keys(target)
            if retired is not None:
                break
        else:
            n, stations = self._read(lambda conn: (pending_rows(conn, target), sorted({r[0] for r in conn.execute(
                select(orders.c.station).where(and_(orders.c.id_cipher.isnot(None),
                                                    orders.c.id_cipher.notlike(f"{target}:%"))).distinct())})))
            raise StudioError("orders.key.still_used", n=n, stations=", ".join(stations))
        result = {"current": target, "new_key": created, "reencrypted": reencrypted, "retired": []}
        if not keep_old:
            crashpoints.hit("rotate:after_retire")
            states = self._read(self._key_states)
            keep = [k for kid, k in crypto.keyring(create=False).items() if states.get(kid) != "retired"]
            dropped = [kid for kid in crypto.keyring(create=False) if states.get(kid) == "retired"]
            if dropped:
                crypto.save_keys(keep)
            result["retired"] = retired or []
            result["removed_from_file"] = dropped
            self.audit("key_rotated", detail={"key": target, "reencrypted": reencrypted, "retired": retired or []})
        result["seconds"] = round(time.monotonic() - t0, 3)
        return result

    def _reencrypt_all(self, target: str, key: bytes, ring: dict[str, bytes], batch: int,
                       progress: Callable[[int], None] | None) -> int:
        from cryptography.fernet import Fernet

        new_fernet = Fernet(key)
        prefix = f"{target}:"
        last_id, total = 0, 0
        while True:
            def tx(conn: Connection) -> tuple[int, int]:
                stmt = (select(orders.c.id, orders.c.id_cipher).where(and_(
                    orders.c.id > last_id, orders.c.id_cipher.isnot(None), orders.c.id_cipher.notlike(f"{prefix}%")))
                    .order_by(orders.c.id).limit(batch))
                if self.dialect == "postgresql":
                    stmt = stmt.with_for_update()
                rows = conn.execute(stmt).all()
                params = []
                for r in rows:
                    number = crypto.decrypt(r.id_cipher, ring)
                    params.append({"oid": r.id, "c": prefix + new_fernet.encrypt(number.encode("utf-8")).decode("ascii"),
                                   "h": crypto.search_hash(number, key)})
                if params:  # one executemany (a pipeline on psycopg 3), not a round trip per order
                    conn.execute(update(orders).where(orders.c.id == bindparam("oid")).values(
                        id_cipher=bindparam("c"), id_hash=bindparam("h")), params)
                    self._bump(conn, "revision")
                return len(rows), (rows[-1].id if rows else last_id)

            n, last_id = self._run(tx, write=True)
            if not n:
                return total
            total += n
            crashpoints.hit("rotate:after_batch")
            if progress:
                progress(total)

    def _retire_old_keys(self, target: str) -> list[str] | None:
        """Mark every old key retired, in the transaction that checks no order uses one; None (and
        nothing retired) when some order still does (a station wrote with an old key meanwhile)."""
        class _StillUsed(Exception):
            pass

        def tx(conn: Connection) -> list[str]:
            old = [r.key_id for r in conn.execute(select(id_keys.c.key_id).where(id_keys.c.state == "old"))]
            if not old:
                return []
            conn.execute(update(id_keys).where(id_keys.c.key_id.in_(old)).values(state="retired",
                                                                                 changed_at=utcnow()))
            left = conn.execute(select(func.count()).select_from(orders).where(and_(
                orders.c.id_cipher.isnot(None), orders.c.id_cipher.notlike(f"{target}:%")))).scalar()
            if left:
                raise _StillUsed()
            self._audit(conn, "key_retired", None, {"keys": old})
            return old

        try:
            return self._run(tx, write=True)
        except _StillUsed:
            return None
