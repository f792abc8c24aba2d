"""Tables (SQLAlchemy Core) and the schema migrations of the order store.

Why not Alembic: the schema is a handful of tables, the app ships frozen (PyInstaller) where
Alembic's script folder and Mako templates are awkward, and every station migrates at start-up,
so the runner must hold a lock anyway. Instead ``schema_version`` holds one row per applied
migration and :func:`migrate` applies the missing ones in order, inside one transaction, under a
lock (PostgreSQL advisory lock / SQLite ``BEGIN IMMEDIATE``). DDL is transactional on both
backends, so a crash mid-migration leaves the previous version intact.

Rules: a published migration is never edited; add a new one at the end of ``MIGRATIONS``. The
``Table`` objects below describe the *latest* schema and are what the store queries; migration 1
creates tables from them, so a later migration checks whether its change is already there.
"""

from __future__ import annotations

import datetime as _dt
from typing import Callable

from sqlalchemy import (
    BigInteger, Column, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text,
    UniqueConstraint, func, insert, inspect, select, text,
)
from sqlalchemy.engine import Connection

from .. import messages
from ..errors import StudioError

messages.register({
    "orders.schema_newer": ("订单数据库的版本（{found}）比本程序（{supported}）新，请升级程序",
                            "The order database is version {found}, newer than this program supports "
                            "({supported}): update the program"),
})

metadata = MetaData()
# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets BIGINT identity columns.
_ID = BigInteger().with_variant(Integer(), "sqlite")

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(200), nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

counters = Table(
    "counters", metadata,
    Column("scope", String(200), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

orders = Table(
    "orders", metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("receipt_no", String(40), nullable=False, unique=True),
    Column("image_no", String(40), nullable=False, unique=True),
    Column("client_token", String(64), unique=True),  # idempotent create after a lost connection
    Column("station", String(16), nullable=False),
    Column("spec_id", String(80), nullable=False),
    Column("doc_type", String(80), nullable=False),
    Column("province", String(40)),
    Column("city", String(40)),
    Column("applicant_name", String(100), nullable=False),
    Column("id_masked", String(24)),
    Column("id_cipher", Text),  # Fernet token, or NULL when the studio stores no ID numbers
    Column("id_hash", String(64)),  # keyed hash of the full number, to find an order by it (v3)
    Column("phone", String(32)),
    Column("status", String(16), nullable=False),
    Column("reasons", Text),  # JSON list of rejection reasons
    Column("report", Text),  # JSON check report
    Column("photo_sha256", String(64)),
    Column("export_state", String(16), nullable=False, server_default="none"),  # none|writing|done
    Column("resubmit_of", _ID, ForeignKey("orders.id", ondelete="SET NULL")),
    Column("purge_state", String(16)),  # NULL | pending (purge) | erasing | erased (v4)
    Column("erased_at", DateTime),  # personal data erased at the customer's request (v4)
    Column("captured_at", DateTime, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_orders_status_created", "status", "created_at"),
    Index("ix_orders_created", "created_at"),
    Index("ix_orders_photo_sha", "photo_sha256"),
    Index("ix_orders_id_hash", "id_hash"),
)

order_photos = Table(  # the finished JPEG lives with the order, so any station can review/reprint it
    "order_photos", metadata,
    Column("order_id", _ID, ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True),
    Column("jpeg", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
)

order_files = Table(  # files written for the order (photo, receipt, sheet...), deleted on purge
    "order_files", metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("order_id", _ID, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(64)),
    Column("created_at", DateTime, nullable=False),
    Column("item", Integer),  # position of the order item the file belongs to; NULL: the whole order (v5)
    Index("ix_order_files_order", "order_id"),
    Index("ix_order_files_sha", "sha256"),
)

order_items = Table(  # one capture, several documents: one row per document of the order (v5)
    "order_items", metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("order_id", _ID, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),  # 0: the order's own spec, image number and photo
    Column("spec_id", String(80), nullable=False),
    Column("doc_type", String(80), nullable=False),
    Column("image_no", String(40), nullable=False, unique=True),
    Column("verdict", String(16)),  # ok | problems (approved with fixable problems) | NULL: not written yet
    Column("problems", Text),  # JSON list of {"key", "params"} (message keys: no personal data)
    Column("photo_sha256", String(64)),
    Column("jpeg", LargeBinary),  # the item's finished JPEG; NULL at position 0 (order_photos holds it)
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("order_id", "position", name="uq_order_items_position"),
    Index("ix_order_items_order", "order_id"),
)

id_keys = Table(  # ids (fingerprints) of the ID-number keys, never a key; which one encrypts (v4)
    "id_keys", metadata,
    Column("key_id", String(16), primary_key=True),
    Column("state", String(16), nullable=False),  # current | old | retired
    Column("added_at", DateTime, nullable=False),
    Column("changed_at", DateTime, nullable=False),
)

audit_log = Table(  # append-only (triggers); never images, names or full ID numbers
    "audit_log", metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("station", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("receipt_no", String(40)),
    Column("detail", Text),
    Index("ix_audit_receipt", "receipt_no"),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[counters, orders, order_photos, order_files, audit_log])
    # (tables added by later migrations are created there: v1 stays what it was)


def _v2(conn: Connection) -> None:
    """The audit log refuses UPDATE and DELETE at the database level."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(
            "CREATE OR REPLACE FUNCTION studio_audit_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql"))
        conn.execute(text(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION studio_audit_append_only()"))
    else:
        for op in ("UPDATE", "DELETE"):
            conn.execute(text(
                f"CREATE TRIGGER audit_log_no_{op.lower()} BEFORE {op} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"))


def _v3(conn: Connection) -> None:
    """orders.id_hash: find an order by the applicant's full ID number."""
    # v1 builds tables from the latest metadata, so on a new database the column already exists;
    # later migrations therefore check before they alter.
    columns = {c["name"] for c in inspect(conn).get_columns("orders")}
    if "id_hash" not in columns:
        conn.execute(text("ALTER TABLE orders ADD COLUMN id_hash VARCHAR(64)"))
    if "ix_orders_id_hash" not in {i["name"] for i in inspect(conn).get_indexes("orders")}:
        conn.execute(text("CREATE INDEX ix_orders_id_hash ON orders (id_hash)"))


def _v4(conn: Connection) -> None:
    """orders.erased_at (erasure at the customer's request) and the id_keys registry (key rotation)."""
    columns = {c["name"] for c in inspect(conn).get_columns("orders")}
    if "erased_at" not in columns:
        conn.execute(text("ALTER TABLE orders ADD COLUMN erased_at TIMESTAMP"))
    id_keys.create(conn, checkfirst=True)


def _v5(conn: Connection) -> None:
    """order_items (one capture, several documents) and order_files.item; every existing order
    becomes an order with one item (its spec, document type, image number and photo hash)."""
    order_items.create(conn, checkfirst=True)
    columns = {c["name"] for c in inspect(conn).get_columns("order_files")}
    if "item" not in columns:
        conn.execute(text("ALTER TABLE order_files ADD COLUMN item INTEGER"))
    conn.execute(text(
        "INSERT INTO order_items (order_id, position, spec_id, doc_type, image_no, verdict, photo_sha256, "
        "created_at) SELECT o.id, 0, o.spec_id, o.doc_type, o.image_no, "
        "CASE WHEN o.export_state = 'done' THEN 'ok' END, o.photo_sha256, o.created_at FROM orders o "
        "WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)"))
    # the photo and sheets of a one-document order are its item's files
    conn.execute(text("UPDATE order_files SET item = 0 WHERE item IS NULL AND kind IN ('photo', 'sheet', 'sheet_pdf')"))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "orders, photos, files, counters, audit log", _v1),
    (2, "audit log append-only triggers", _v2),
    (3, "orders.id_hash for search by full ID number", _v3),
    (4, "orders.erased_at; id_keys registry for ID-key rotation", _v4),
    (5, "order_items (several documents from one capture); order_files.item", _v5),
]
LATEST = MIGRATIONS[-1][0]
_LOCK_KEY = 0x5354_5544_494F  # "STUDIO": PostgreSQL advisory lock for migrations


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0


def migrate(conn: Connection) -> list[int]:
    """Apply missing migrations inside the caller's transaction; returns the versions applied."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    schema_version.create(conn, checkfirst=True)
    found = current_version(conn)
    if found > LATEST:
        raise StudioError("orders.schema_newer", found=found, supported=LATEST)
    applied = []
    for version, description, step in MIGRATIONS:
        if version <= found:
            continue
        step(conn)
        conn.execute(insert(schema_version).values(
            version=version, description=description,
            applied_at=_dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)))
        applied.append(version)
    return applied
