"""The engine job: one SQLAlchemy Core engine for SQLite and PostgreSQL, transactions with retry
on a lost connection, the counters (numbering, revision), the audit log, rows -> ``Order``, and
the low-level SQLite checkpoint / PostgreSQL VACUUM the privacy jobs need."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import time
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import create_engine, event, insert, select, text, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ...errors import StudioError
from ...paths import data_dir
from ..schema import audit_log, counters, migrate, order_files, order_items, orders
from .config import StoreConfig, redact
from .model import ERASE_STATES, Order, OrderItem, utcnow

log = logging.getLogger(__name__)

_SQLITE_FATAL = re.compile(r"full|read-?only|disk i/o|malformed|not a database|no such table|no such column", re.I)


def _is_disconnect(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, OperationalError):
        text_ = str(exc.orig if getattr(exc, "orig", None) else exc).lower()
        if "locked" in text_ or "busy" in text_:
            return False
        return True
    try:
        import psycopg

        return isinstance(getattr(exc, "orig", None), psycopg.OperationalError)
    except ImportError:  # pragma: no cover - psycopg absent
        return False


class StoreEngine:
    """Built from a :class:`StoreConfig`; reads no settings file."""

    NOTIFY_CHANNEL = "studio_orders"  # PostgreSQL: every write NOTIFYs it (see notify.py)

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self.url = config.url
        self.station = config.station
        self.receipt_format = config.receipt_format
        self.image_format = config.image_format
        self.store_id_numbers = config.store_id_numbers
        self.retention_days = config.retention_days
        self.retry_seconds = config.retry_seconds
        self.engine = self._make_engine()
        self.dialect = self.engine.dialect.name
        self._write(lambda conn: migrate(conn), audit=None)

    def _make_engine(self) -> Engine:
        if self.url.startswith("sqlite"):
            path = make_url(self.url).database
            if path and path != ":memory:":
                folder = Path(path).parent
                if not folder.exists() or folder.resolve() == data_dir().resolve():
                    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                    _private(folder, 0o700)  # names, phones, photos: not for other local users
            engine = create_engine(self.url, connect_args={"timeout": 60, "check_same_thread": False})

            @event.listens_for(engine, "connect")
            def _connect(dbapi_conn, _record):
                dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA busy_timeout=60000")
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA synchronous=FULL")
                cur.execute("PRAGMA secure_delete=ON")  # purged names, photos, IDs overwritten, not left in free pages
                cur.close()
                if path and path != ":memory:":
                    for f in (path, path + "-wal", path + "-shm"):
                        _private(f, 0o600)

            @event.listens_for(engine, "begin")
            def _begin(conn):
                mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
                conn.exec_driver_sql(f"BEGIN {mode}")

            return engine
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StudioError("orders.no_driver") from None
        return create_engine(self.url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                             isolation_level="READ COMMITTED",
                             connect_args={"connect_timeout": 5, "application_name": f"studio-app {self.station}"})

    def close(self) -> None:
        self._close_listener()
        self.engine.dispose()

    def __enter__(self) -> "OrderStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- transactions with retry -------------------------------------------------------------
    def _run(self, fn: Callable[[Connection], Any], write: bool) -> Any:
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.2
        while True:
            try:
                if write:
                    with self.engine.begin() as conn:
                        return fn(conn)
                with self.engine.connect() as conn:
                    conn = conn.execution_options(sqlite_begin="DEFERRED")
                    with conn.begin():
                        return fn(conn)
            except (OperationalError, DBAPIError) as exc:
                if isinstance(exc, IntegrityError):
                    raise
                problem = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200] if str(exc) else type(exc).__name__
                if self.dialect == "sqlite" and _SQLITE_FATAL.search(problem):
                    # a full disk or a read-only/damaged file is no lost connection: say so at once
                    # (not after 20 s of retries, nor as "check the network")
                    raise StudioError("orders.db_error", url=redact(self.url), problem=problem) from exc
                if not _is_disconnect(exc):
                    raise StudioError("orders.db_busy", problem=problem) from exc
                if time.monotonic() >= deadline:
                    raise StudioError("orders.db_unreachable", url=redact(self.url).replace("+psycopg", ""),
                                      problem=problem) from exc
                log.warning("order database unreachable (%s); retrying in %.1fs", problem, delay)
                self.engine.dispose()
                time.sleep(delay)
                delay = min(delay * 2, 2.0)

    def _write(self, fn: Callable[[Connection], Any], audit: str | None, receipt_no: str | None = None,
               detail: dict | None = None) -> Any:
        def tx(conn: Connection):
            result = fn(conn)
            if audit:
                rno = receipt_no if receipt_no is not None else getattr(result, "receipt_no", None)
                self._audit(conn, audit, rno, detail)
                self._bump(conn, "revision")
            return result

        return self._run(tx, write=True)

    def _read(self, fn: Callable[[Connection], Any]) -> Any:
        return self._run(fn, write=False)

    # --- counters ----------------------------------------------------------------------------
    def _bump(self, conn: Connection, scope: str) -> int:
        """Increment and return the counter ``scope`` (row-locked until the transaction ends).
        Bumping ``revision`` on PostgreSQL also sends NOTIFY (delivered at commit)."""
        if scope == "revision" and self.dialect == "postgresql":
            conn.execute(text("SELECT pg_notify(:c, '')"), {"c": self.NOTIFY_CHANNEL})
        stmt = update(counters).where(counters.c.scope == scope).values(value=counters.c.value + 1) \
            .returning(counters.c.value)
        value = conn.execute(stmt).scalar()
        if value is None:
            if self.dialect == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as dialect_insert
            else:
                from sqlalchemy.dialects.sqlite import insert as dialect_insert
            conn.execute(dialect_insert(counters).values(scope=scope, value=0).on_conflict_do_nothing())
            value = conn.execute(stmt).scalar()
        return int(value)

    def revision(self) -> int:
        """Increases with every change from any process or station: poll it to refresh a view."""
        return self._read(lambda conn: conn.execute(
            select(counters.c.value).where(counters.c.scope == "revision")).scalar() or 0)

    # --- audit -------------------------------------------------------------------------------
    def _audit(self, conn: Connection, action: str, receipt_no: str | None, detail: dict | None) -> None:
        conn.execute(insert(audit_log).values(
            at=utcnow(), station=self.station, action=action[:32], receipt_no=receipt_no,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None))

    def audit(self, action: str, receipt_no: str | None = None, detail: dict | None = None) -> None:
        """Append an entry (e.g. "printed", "viewed"). Never pass images, names or full ID numbers."""
        self._write(lambda conn: None, audit=action, receipt_no=receipt_no, detail=detail)

    def audit_entries(self, receipt_no: str | None = None, limit: int = 1000) -> list[dict]:
        def q(conn):
            stmt = select(audit_log).order_by(audit_log.c.id)
            if receipt_no:
                stmt = stmt.where(audit_log.c.receipt_no == receipt_no)
            return [dict(r._mapping) for r in conn.execute(stmt.limit(limit))]

        return self._read(q)

    # --- rows -> Order -----------------------------------------------------------------------
    def _load(self, conn: Connection, where) -> list[Order]:
        parent = orders.alias("parent")
        stmt = (select(orders, parent.c.receipt_no.label("parent_receipt"))
                .select_from(orders.outerjoin(parent, parent.c.id == orders.c.resubmit_of))
                .where(where))
        return self._rows(conn, stmt)

    def _rows(self, conn: Connection, stmt) -> list[Order]:
        rows = list(conn.execute(stmt))
        if not rows:
            return []
        ids = [r.id for r in rows]
        files: dict[int, dict] = {}
        item_files: dict[tuple[int, int], dict] = {}
        for f in conn.execute(select(order_files).where(order_files.c.order_id.in_(ids)).order_by(order_files.c.id)):
            info = {"path": f.path, "sha256": f.sha256}
            if f.item is None or f.item == 0:  # the order's own files are those of its first document
                files.setdefault(f.order_id, {})[f.kind] = info
            if f.item is not None:
                item_files.setdefault((f.order_id, f.item), {})[f.kind] = info
        items: dict[int, list[OrderItem]] = {}
        for i in conn.execute(select(order_items.c.order_id, order_items.c.position, order_items.c.spec_id,
                                     order_items.c.doc_type, order_items.c.image_no, order_items.c.verdict,
                                     order_items.c.problems, order_items.c.photo_sha256).where(
                order_items.c.order_id.in_(ids)).order_by(order_items.c.order_id, order_items.c.position)):
            items.setdefault(i.order_id, []).append(OrderItem(
                i.position, i.spec_id, i.doc_type, i.image_no, i.verdict,
                tuple(json.loads(i.problems)) if i.problems else (), i.photo_sha256,
                item_files.get((i.order_id, i.position), {})))
        return [Order(
            id=r.id, receipt_no=r.receipt_no, image_no=r.image_no, station=r.station, spec_id=r.spec_id,
            doc_type=r.doc_type, province=r.province, city=r.city, applicant_name=r.applicant_name,
            id_masked=r.id_masked, has_id_number=r.id_cipher is not None, phone=r.phone, status=r.status,
            reasons=tuple(json.loads(r.reasons)) if r.reasons else (),
            report=json.loads(r.report) if r.report else None, photo_sha256=r.photo_sha256,
            export_state=r.export_state, resubmit_of=r.parent_receipt, captured_at=r.captured_at,
            created_at=r.created_at, updated_at=r.updated_at, files=files.get(r.id, {}),
            erase_state=r.purge_state if r.purge_state in ERASE_STATES else None, erased_at=r.erased_at,
            items=tuple(items.get(r.id, ())),
        ) for r in rows]

    def _get(self, conn: Connection, receipt_no: str) -> Order:
        found = self._load(conn, orders.c.receipt_no == receipt_no.strip().upper())
        if not found:
            raise StudioError("orders.not_found", receipt_no=receipt_no)
        return found[0]

    def _refuse_erased(self, order: Order) -> None:
        if order.erased:
            raise StudioError("orders.erased", receipt_no=order.receipt_no)

    def _checkpoint(self) -> None:
        """SQLite: fold the WAL into the database file and empty it, so the old versions of
        deleted rows and pages (names, photos) are not left in it. Never blocks the station."""
        if self.dialect != "sqlite":
            return
        raw = self.engine.raw_connection()  # outside a transaction (BEGIN would block the checkpoint)
        try:
            cur = raw.cursor()
            cur.execute("PRAGMA busy_timeout=2000")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            row = cur.fetchone()
            if row and row[0]:
                log.info("WAL checkpoint incomplete (busy readers); the next checkpoint finishes it")
        except Exception as exc:  # noqa: BLE001 - busy readers: the next checkpoint does it
            log.info("WAL checkpoint deferred (%s)", exc)
        finally:
            try:
                raw.cursor().execute("PRAGMA busy_timeout=60000")
            finally:
                raw.close()

    def _vacuum(self, full: bool = False) -> None:
        """PostgreSQL keeps the old version of an updated or deleted row in the table file until
        VACUUM: plain VACUUM (no lock on the stations) frees it for reuse; VACUUM FULL rewrites
        the tables into new files so the old bytes are gone from the database files (an exclusive
        lock while it runs: a quiet hour). Best effort: needs the table owner's rights."""
        if self.dialect != "postgresql":
            return
        tables = "orders, order_photos, order_files, order_items"
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.exec_driver_sql(f"VACUUM {'FULL ' if full else ''}{tables}")
        except Exception as exc:  # noqa: BLE001 - never fail an erase or a purge for it
            log.info("VACUUM%s deferred (%s)", " FULL" if full else "", exc)

    def _mine(self, all_stations: bool = False):
        return orders.c.id.isnot(None) if all_stations else orders.c.station == self.station

    def _close_listener(self) -> None:
        """Overridden by the notifications part (a LISTEN connection on PostgreSQL)."""


def _private(path: str | os.PathLike, mode: int) -> None:
    """POSIX: tighten a file or folder to ``mode`` when it is looser (Windows: the installer's ACL)."""
    if os.name != "posix":
        return
    try:
        st = os.stat(path)
        if stat.S_IMODE(st.st_mode) & ~mode:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except OSError as exc:  # not the owner: say so, never stop the station
        log.warning("cannot make %s private: %s", path, exc)
