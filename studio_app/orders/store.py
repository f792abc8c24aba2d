"""The order store: one code path (SQLAlchemy Core) for SQLite and PostgreSQL.

* SQLite (default): ``<data>/orders.sqlite3``, WAL, foreign keys on, ``synchronous=FULL``, write
  transactions start with ``BEGIN IMMEDIATE`` so two processes never dead-lock on an upgrade.
* PostgreSQL: ``postgresql://user:pass@host/db`` (psycopg 3, the ``postgres`` extra), READ
  COMMITTED; counter rows are locked by ``UPDATE ... RETURNING`` so numbering is serial.

Every write runs in one transaction that also appends to the audit log and bumps the
``revision`` counter (what a review window polls). Writes that lose the server connection are
retried with back-off; ``create_order`` carries a client token so a retry after a commit whose
acknowledgement was lost returns the stored order instead of writing a second one.
"""

from __future__ import annotations

import datetime as _dt
import glob
import hashlib
import json
import logging
import os
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import and_, bindparam, create_engine, delete, event, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ..hashing import sha256_file  # noqa: F401 (re-exported)
from .. import messages
from ..atomic import write_bytes_atomic
from ..errors import StudioError
from ..paths import data_dir
from . import crypto, numbering
from .idnumber import validate, validate_name
from .regions import check_city
from .schema import audit_log, counters, id_keys, migrate, order_files, order_photos, orders

log = logging.getLogger(__name__)

STATUSES = ("captured", "approved", "rejected", "exported", "printed")
# status -> statuses it may move to
TRANSITIONS = {
    "captured": {"approved", "rejected", "exported", "printed"},
    "approved": {"exported", "printed", "rejected"},
    "exported": {"printed", "approved", "rejected"},
    "printed": {"printed", "rejected"},
    "rejected": set(),  # a rejected photo is resubmitted as a new, linked order
}
FILE_KINDS = ("photo", "receipt", "sheet", "sheet_pdf", "other")

messages.register({
    "orders.not_found": ("找不到订单 {receipt_no}", "Order {receipt_no} not found"),
    "orders.bad_status": ("未知的订单状态“{status}”（可用：{allowed}）", "Unknown order status “{status}” ({allowed})"),
    "orders.bad_transition": ("订单 {receipt_no} 不能从“{old}”改为“{new}”",
                              "Order {receipt_no} cannot go from “{old}” to “{new}”"),
    "orders.reject_needs_reason": ("退回订单须说明原因", "A rejection needs at least one reason"),
    "orders.resubmit_not_rejected": ("只有被退回的订单才能重新提交（{receipt_no} 的状态是“{status}”）",
                                     "Only a rejected order can be resubmitted ({receipt_no} is “{status}”)"),
    "orders.already_resubmitted": ("订单 {receipt_no} 已重新提交为 {other}",
                                   "Order {receipt_no} was already resubmitted as {other}"),
    "orders.hash_mismatch": ("文件 {path} 的 SHA-256 与记录不符", "The SHA-256 of {path} does not match"),
    "orders.file_missing": ("文件不存在：{path}", "File not found: {path}"),
    "orders.bad_id": ("身份证号码无效：{message}", "Invalid ID number: {message}"),
    "orders.bad_name": ("姓名无效：{message}", "Invalid name: {message}"),
    "orders.bad_city": ("城市无效：{message}", "Invalid city: {message}"),
    "orders.db_unreachable": (
        "无法连接订单数据库 {url}（{problem}）。已保存的订单不会丢失；请检查网络或服务器后重试",
        "Cannot reach the order database {url} ({problem}). Saved orders are safe; check the network "
        "or server and try again"),
    "orders.db_error": ("订单数据库 {url} 无法写入：{problem}（请检查磁盘空间与文件权限；已保存的订单不会丢失）",
                        "The order database {url} cannot be written: {problem} (check free disk space and file "
                        "permissions; saved orders are safe)"),
    "orders.db_busy": ("订单数据库正忙（{problem}），请稍后重试", "The order database is busy ({problem}); try again"),
    "orders.bad_url": ("订单数据库地址无效：{url}（支持 sqlite:///文件 或 postgresql://用户:密码@主机/库）",
                       "Invalid order database URL: {url} (use sqlite:///FILE or postgresql://user:pass@host/db)"),
    "orders.no_driver": ("使用 PostgreSQL 需要安装 psycopg：pip install 'studio-app[postgres]'",
                         "PostgreSQL needs psycopg: pip install 'studio-app[postgres]'"),
    "orders.erase_unknown": ("找不到订单 {receipt_no}，没有删除任何数据（请核对回执号）",
                             "Order {receipt_no} not found; nothing was erased (check the receipt number)"),
    "orders.erase_needs_reason": ("删除个人信息须说明原因（例如：顾客本人申请）",
                                  "Erasing personal data needs a reason (e.g. the customer's request)"),
    "orders.erased": ("订单 {receipt_no} 的个人信息已按申请删除，不能再修改或出具",
                      "The personal data of order {receipt_no} was erased on request; it cannot be changed or "
                      "issued again"),
    "orders.key.retired": ("本工位用于加密身份证号码的密钥 {kid} 已停用：请从执行密钥轮换的工位复制最新的密钥文件"
                           "（docs/multi-station.md）",
                           "This station's ID-number key {kid} has been retired: copy the current key file from "
                           "the station that rotated the key (docs/multi-station.md)"),
    "orders.key.still_used": ("旧密钥仍被 {n} 个订单使用（工位 {stations}），未停用；请先给这些工位复制新的密钥文件，"
                              "再运行 studio-app orders rotate-key",
                              "The old key is still used by {n} orders (stations {stations}) and was kept: give those "
                              "stations the new key file, then run studio-app orders rotate-key again"),
})

ERASE_STATES = ("erasing", "erased")  # orders.purge_state of an order erased at the customer's request


def utcnow() -> _dt.datetime:
    """Naive UTC (both backends store ``timestamp without time zone``)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Order:
    id: int
    receipt_no: str
    image_no: str
    station: str
    spec_id: str
    doc_type: str
    province: str | None
    city: str | None
    applicant_name: str
    id_masked: str | None
    has_id_number: bool
    phone: str | None
    status: str
    reasons: tuple[str, ...]
    report: dict | None
    photo_sha256: str | None
    export_state: str
    resubmit_of: str | None  # receipt number of the rejected order this one resubmits
    captured_at: _dt.datetime  # naive UTC
    created_at: _dt.datetime
    updated_at: _dt.datetime
    files: dict = field(default_factory=dict)  # kind -> {"path", "sha256"}
    erase_state: str | None = None  # "erasing" (personal data gone, files being deleted) | "erased"
    erased_at: _dt.datetime | None = None  # naive UTC

    @property
    def erased(self) -> bool:
        """Personal data erased at the customer's request (only the numbers and dates are left)."""
        return self.erase_state is not None

    @property
    def photo_path(self) -> str | None:
        f = self.files.get("photo")
        return f["path"] if f else None

    @property
    def receipt_path(self) -> str | None:
        f = self.files.get("receipt")
        return f["path"] if f else None

    def captured_local(self) -> _dt.datetime:
        return self.captured_at.replace(tzinfo=_dt.timezone.utc).astimezone()

    def to_dict(self) -> dict:
        """JSON-ready; contains the masked ID number only."""
        return {
            "receipt_no": self.receipt_no, "image_no": self.image_no, "station": self.station,
            "spec_id": self.spec_id, "doc_type": self.doc_type, "province": self.province, "city": self.city,
            "applicant_name": self.applicant_name, "id_masked": self.id_masked, "phone": self.phone,
            "status": self.status, "reasons": list(self.reasons), "photo_sha256": self.photo_sha256,
            "export_state": self.export_state, "resubmit_of": self.resubmit_of,
            "captured_at": self.captured_local().isoformat(timespec="seconds"),
            "created_at": self.created_at.replace(tzinfo=_dt.timezone.utc).isoformat(timespec="seconds"),
            "updated_at": self.updated_at.replace(tzinfo=_dt.timezone.utc).isoformat(timespec="seconds"),
            "files": self.files, "report": self.report, "erase_state": self.erase_state,
            "erased_at": self.erased_at.replace(tzinfo=_dt.timezone.utc).isoformat(timespec="seconds")
            if self.erased_at else None,
        }


@dataclass(frozen=True)
class Problem:
    kind: str  # interrupted_export | photo_missing | photo_changed | purge_interrupted | temp_file | integrity
    receipt_no: str | None
    detail: str
    repaired: bool = False


def default_url() -> str:
    env = os.environ.get("STUDIO_APP_DATABASE_URL", "").strip()
    if env:
        return env
    try:
        from ..settings import load_settings

        configured = load_settings()[0].database_url.strip()
    except Exception:  # settings problems never stop the store
        configured = ""
    return configured or f"sqlite:///{data_dir() / 'orders.sqlite3'}"


def normalise_url(url: str) -> str:
    url = url.strip()
    if "://" not in url:  # a bare file path means SQLite
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    try:
        parsed = make_url(url)
    except Exception:
        raise StudioError("orders.bad_url", url=redact(url)) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    if backend == "sqlite":
        return url
    raise StudioError("orders.bad_url", url=redact(url))


def redact(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


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


class OrderStore:
    """Orders, their photos and files, numbering and the audit log. Thread-safe, multi-process safe."""

    def __init__(self, url: str | None = None, *, station: str | None = None,
                 receipt_format: str | None = None, image_format: str | None = None,
                 store_id_numbers: str | None = None, retry_seconds: float = 20.0) -> None:
        from ..settings import load_settings

        settings = load_settings()[0]
        self.url = normalise_url(url or default_url())
        self.station = numbering.check_station(station or settings.station_code)
        self.receipt_format = receipt_format or settings.receipt_format or numbering.DEFAULT_RECEIPT_FORMAT
        self.image_format = image_format or numbering.DEFAULT_IMAGE_FORMAT
        numbering.validate_format(self.receipt_format)
        numbering.validate_format(self.image_format)
        self.store_id_numbers = store_id_numbers or settings.store_id_numbers
        self.retention_days = settings.retention_days
        self.retry_seconds = retry_seconds
        self.engine = self._make_engine()
        self.dialect = self.engine.dialect.name
        self._write(lambda conn: migrate(conn), audit=None)

    # --- engine ------------------------------------------------------------------------------
    def _make_engine(self) -> Engine:
        if self.url.startswith("sqlite"):
            path = make_url(self.url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
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

    def wait_for_change(self, since: int, timeout: float = 10.0, poll: float = 0.5) -> int:
        """Block until :meth:`revision` exceeds ``since`` or ``timeout`` passes; returns the revision.
        On PostgreSQL it sleeps on LISTEN (every write sends NOTIFY) and wakes at once; elsewhere,
        or when listening fails, it polls every ``poll`` seconds. Call it from one thread."""
        end = time.monotonic() + timeout
        listener = self._listener() if self.dialect == "postgresql" else None
        while True:
            rev = self.revision()
            remaining = end - time.monotonic()
            if rev > since or remaining <= 0:
                return rev
            if listener is not None:
                try:
                    for _note in listener.notifies(timeout=min(remaining, max(poll, 1.0)), stop_after=1):
                        pass
                    continue
                except Exception as exc:  # connection lost: fall back to polling, listen again later
                    log.info("LISTEN connection lost (%s); polling", exc)
                    self._close_listener()
                    listener = None
            time.sleep(min(poll, remaining))

    _listen_conn = None
    NOTIFY_CHANNEL = "studio_orders"

    def _listener(self):
        if self._listen_conn is None:
            try:
                import psycopg

                url = make_url(self.url).set(drivername="postgresql")
                conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True,
                                       connect_timeout=5)
                conn.execute(f"LISTEN {self.NOTIFY_CHANNEL}")
                self._listen_conn = conn
            except Exception as exc:
                log.info("cannot LISTEN (%s); polling", exc)
                return None
        return self._listen_conn

    def _close_listener(self) -> None:
        conn, self._listen_conn = self._listen_conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

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
        for f in conn.execute(select(order_files).where(order_files.c.order_id.in_(ids)).order_by(order_files.c.id)):
            files.setdefault(f.order_id, {})[f.kind] = {"path": f.path, "sha256": f.sha256}
        return [Order(
            id=r.id, receipt_no=r.receipt_no, image_no=r.image_no, station=r.station, spec_id=r.spec_id,
            doc_type=r.doc_type, province=r.province, city=r.city, applicant_name=r.applicant_name,
            id_masked=r.id_masked, has_id_number=r.id_cipher is not None, phone=r.phone, status=r.status,
            reasons=tuple(json.loads(r.reasons)) if r.reasons else (),
            report=json.loads(r.report) if r.report else None, photo_sha256=r.photo_sha256,
            export_state=r.export_state, resubmit_of=r.parent_receipt, captured_at=r.captured_at,
            created_at=r.created_at, updated_at=r.updated_at, files=files.get(r.id, {}),
            erase_state=r.purge_state if r.purge_state in ERASE_STATES else None, erased_at=r.erased_at,
        ) for r in rows]

    def _get(self, conn: Connection, receipt_no: str) -> Order:
        found = self._load(conn, orders.c.receipt_no == receipt_no.strip().upper())
        if not found:
            raise StudioError("orders.not_found", receipt_no=receipt_no)
        return found[0]

    # --- orders ------------------------------------------------------------------------------
    def create_order(self, spec_id: str, name: str, id_number: str | None = None, city: str | None = None, *,
                     phone: str | None = None, report: dict | None = None, doc_type: str | None = None,
                     client_token: str | None = None, captured_at: _dt.datetime | None = None,
                     status: str = "captured", _resubmit_of: int | None = None,
                     _id_carry: tuple[str | None, str | None, str | None] | None = None) -> Order:
        """Validate the applicant, number and insert a new order. Returns it with receipt/image numbers.

        ``client_token`` (any unique string per customer session) makes the call idempotent: a
        repeat with the same token returns the order already stored.
        """
        name_check = validate_name(name)
        if not name_check.ok:
            raise StudioError("orders.bad_name", message=name_check.message())
        id_masked = id_cipher = id_hash = None
        if id_number and id_number.strip():
            idc = validate(id_number)
            if not idc.ok:
                raise StudioError("orders.bad_id", message=idc.message())
            id_masked = idc.masked
            if self.store_id_numbers == "encrypted":
                key = self._encryption_key()
                id_cipher = crypto.encrypt(idc.number, key)
                id_hash = crypto.search_hash(idc.number, key)
        if _id_carry is not None:  # resubmission: keep the (encrypted) number without decrypting it
            id_masked, id_cipher, id_hash = _id_carry
        province = None
        if city:
            cc = check_city(city)
            if not cc.ok:
                raise StudioError("orders.bad_city", message=cc.message())
            province, city = cc.province, cc.city
        if status not in STATUSES:
            raise StudioError("orders.bad_status", status=status, allowed=", ".join(STATUSES))
        if doc_type is None:
            doc_type = _doc_type_of(spec_id)
        token = client_token or uuid.uuid4().hex
        captured = captured_at.astimezone(_dt.timezone.utc).replace(tzinfo=None) if (
            captured_at and captured_at.tzinfo) else (captured_at or utcnow())
        today = _dt.datetime.now().date()

        def tx(conn: Connection) -> Order:
            existing = self._load(conn, orders.c.client_token == token)
            if existing:
                return existing[0]
            id_masked_, id_cipher_, id_hash_ = id_masked, id_cipher, id_hash
            if _id_carry is not None and _resubmit_of is not None:
                # re-read the parent's cipher here: a key rotation may have re-encrypted it (and
                # retired the key of the copy read earlier) since
                for _attempt in range(5):
                    row = conn.execute(select(orders.c.id_masked, orders.c.id_cipher, orders.c.id_hash).where(
                        orders.c.id == _resubmit_of)).first()
                    if row is not None:
                        id_masked_, id_cipher_, id_hash_ = row.id_masked, row.id_cipher, row.id_hash
                    if self._lock_cipher_key(conn, id_cipher_):
                        break
                else:
                    raise StudioError("orders.key.retired", kid=crypto.tag_of(id_cipher_))
            elif id_cipher_ is not None and not self._lock_cipher_key(conn, id_cipher_):
                raise StudioError("orders.key.retired", kid=crypto.tag_of(id_cipher_))
            now = utcnow()
            # a number already taken (a changed format, or stations sharing a format without
            # {station}) is skipped, never reused, as is one whose check character would be "*";
            # the counter moves past it in this transaction
            receipt_no = image_no = None
            for kind, fmt, column in (("receipt", self.receipt_format, orders.c.receipt_no),
                                      ("image", self.image_format, orders.c.image_no)):
                scope = numbering.counter_scope(kind, fmt, self.station, today)
                for _skip in range(100_000):
                    number = numbering.make_number(fmt, self.station, today, self._bump(conn, scope))
                    if number and not conn.execute(
                            select(func.count()).select_from(orders).where(column == number)).scalar():
                        break
                if kind == "receipt":
                    receipt_no = number
                else:
                    image_no = number
            conn.execute(insert(orders).values(
                receipt_no=receipt_no, image_no=image_no, client_token=token, station=self.station,
                spec_id=spec_id, doc_type=doc_type, province=province, city=city,
                applicant_name=name_check.name, id_masked=id_masked_, id_cipher=id_cipher_, id_hash=id_hash_,
                phone=phone or None,
                status=status, reasons=None, report=json.dumps(report, ensure_ascii=False) if report else None,
                export_state="none", resubmit_of=_resubmit_of, captured_at=captured, created_at=now,
                updated_at=now))
            order = self._get(conn, receipt_no)
            self._audit(conn, "created", receipt_no, {"spec": spec_id, "status": status, "image_no": image_no,
                                                      **({"resubmits": order.resubmit_of} if _resubmit_of else {})})
            self._bump(conn, "revision")
            _hook("create:before_commit")
            return order

        attempts = 60
        for attempt in range(attempts):
            try:
                return self._run(tx, write=True)
            except IntegrityError:
                # the same client token committed by a concurrent call: return that order; else a
                # number another station took in the same instant (a format without {station}):
                # run again after a random pause (stations racing in step would collide again);
                # the committed number is then seen and skipped
                found = self._read(lambda conn: self._load(conn, orders.c.client_token == token))
                if found:
                    return found[0]
                if attempt == attempts - 1:
                    raise
                log.info("number collision on create; retrying")
                time.sleep(random.uniform(0, 0.02 * min(attempt + 1, 10)))

    def get(self, receipt_no: str) -> Order:
        return self._read(lambda conn: self._get(conn, receipt_no))

    def find(self, number: str) -> Order | None:
        """An order by receipt number, image number or photo SHA-256; None when unknown."""
        key = number.strip()
        def q(conn):
            found = self._load(conn, or_(orders.c.receipt_no == key.upper(), orders.c.image_no == key.upper(),
                                         orders.c.photo_sha256 == key.lower()))
            return found[0] if found else None

        return self._read(q)

    def list(self, status: str | Iterable[str] | None = None, search: str | None = None,
             since: _dt.datetime | _dt.date | None = None, until: _dt.datetime | _dt.date | None = None,
             limit: int = 500, oldest_first: bool = False, station: str | None = None) -> list[Order]:
        """Orders, newest first. ``search`` matches receipt/image number, name, city, phone or the
        masked ID's visible digits, or (exactly) a full ID number when numbers are stored encrypted;
        ``since``/``until`` filter the capture time (local dates)."""
        conds = [orders.c.purge_state.is_(None)]
        if status:
            wanted = [status] if isinstance(status, str) else list(status)
            for s in wanted:
                if s not in STATUSES:
                    raise StudioError("orders.bad_status", status=s, allowed=", ".join(STATUSES))
            conds.append(orders.c.status.in_(wanted))
        if station:
            conds.append(orders.c.station == station)
        if search and search.strip() and validate(search).ok:
            # a full ID number: exact match on its keyed hash (the number itself is only stored encrypted)
            conds.append(orders.c.id_hash.in_(crypto.search_hashes(validate(search).number) or [""]))
        elif search and search.strip():
            term = f"%{search.strip()}%"
            conds.append(or_(orders.c.receipt_no.ilike(term), orders.c.image_no.ilike(term),
                             orders.c.applicant_name.ilike(term), orders.c.city.ilike(term),
                             orders.c.phone.ilike(term), orders.c.id_masked.ilike(term)))
        if since is not None:
            conds.append(orders.c.captured_at >= _to_utc(since))
        if until is not None:
            conds.append(orders.c.captured_at < _to_utc(until, end=True))
        order_by = (orders.c.captured_at.asc(), orders.c.id.asc()) if oldest_first else \
            (orders.c.captured_at.desc(), orders.c.id.desc())
        parent = orders.alias("parent")
        stmt = (select(orders, parent.c.receipt_no.label("parent_receipt"))
                .select_from(orders.outerjoin(parent, parent.c.id == orders.c.resubmit_of))
                .where(and_(*conds)).order_by(*order_by).limit(limit))
        return self._read(lambda conn: self._rows(conn, stmt))

    def review_queue(self, limit: int = 200) -> list[Order]:
        """Orders awaiting approval, oldest first (the counter's review window polls this)."""
        return self.list(status="captured", oldest_first=True, limit=limit)

    def set_status(self, receipt_no: str, status: str, reasons: Iterable[str] | None = None,
                   operator: str | None = None) -> Order:
        """Move an order along captured -> approved/rejected -> exported -> printed. Setting the
        status it already has is a no-op (safe to retry)."""
        if status not in STATUSES:
            raise StudioError("orders.bad_status", status=status, allowed=", ".join(STATUSES))
        reasons = [r.strip() for r in (reasons or []) if r and r.strip()]
        if status == "rejected" and not reasons:
            raise StudioError("orders.reject_needs_reason")

        def tx(conn: Connection) -> Order:
            order = self._get(conn, receipt_no)
            self._refuse_erased(order)
            if order.status == status and status != "printed":
                return order
            if status not in TRANSITIONS[order.status]:
                raise StudioError("orders.bad_transition", receipt_no=order.receipt_no, old=order.status, new=status)
            values: dict[str, Any] = {"status": status, "updated_at": utcnow()}
            if status == "rejected":
                values["reasons"] = json.dumps(reasons, ensure_ascii=False)
            conn.execute(update(orders).where(orders.c.id == order.id).values(**values))
            detail = {"from": order.status, "to": status}
            if reasons:
                detail["reasons"] = reasons
            if operator:
                detail["operator"] = operator
            self._audit(conn, status, order.receipt_no, detail)
            self._bump(conn, "revision")
            return self._get(conn, order.receipt_no)

        return self._run(tx, write=True)

    def resubmit(self, receipt_no: str, *, report: dict | None = None, client_token: str | None = None,
                 captured_at: _dt.datetime | None = None) -> Order:
        """A free resubmission of a rejected order: a new order (new numbers) linked to the old one,
        same applicant and spec; the rejected order and its history stay."""
        def fetch(conn):
            old = self._get(conn, receipt_no)
            row = conn.execute(select(orders.c.id_cipher, orders.c.id_hash).where(orders.c.id == old.id)).one()
            child = conn.execute(select(orders.c.receipt_no).where(orders.c.resubmit_of == old.id)).scalar()
            return old, (row.id_cipher, row.id_hash), child

        old, (cipher, id_hash), child = self._read(fetch)
        self._refuse_erased(old)
        if old.status != "rejected":
            raise StudioError("orders.resubmit_not_rejected", receipt_no=old.receipt_no, status=old.status)
        token = client_token or f"resubmit:{old.receipt_no}"
        if child and not client_token:
            existing = self.find(child)
            if existing is not None:
                return existing
        return self.create_order(old.spec_id, old.applicant_name, None, old.city, phone=old.phone, report=report,
                                 doc_type=old.doc_type, client_token=token, captured_at=captured_at,
                                 _resubmit_of=old.id, _id_carry=(old.id_masked, cipher, id_hash))

    def id_number(self, receipt_no: str) -> str | None:
        """The full ID number (decrypted), audited; None when the studio does not store them."""
        def q(conn):
            row = conn.execute(select(orders.c.id_cipher, orders.c.receipt_no).where(
                orders.c.receipt_no == receipt_no.strip().upper())).first()
            if row is None:
                raise StudioError("orders.not_found", receipt_no=receipt_no)
            return row.id_cipher

        cipher = self._read(q)
        if not cipher:
            return None
        self.audit("id_viewed", receipt_no.strip().upper())
        return crypto.decrypt(cipher)

    # --- photos and files --------------------------------------------------------------------
    def photo(self, receipt_no: str) -> bytes | None:
        """The finished JPEG stored with the order (any station can show or reprint it)."""
        def q(conn):
            order = self._get(conn, receipt_no)
            return conn.execute(select(order_photos.c.jpeg).where(order_photos.c.order_id == order.id)).scalar()

        return self._read(q)

    def export_photo(self, receipt_no: str, jpeg: bytes, path: str | os.PathLike) -> Order:
        """Store the JPEG with the order and write it to ``path``, crash-safe in three steps:
        1. commit the bytes, hash and path with ``export_state='writing'``;
        2. write the file atomically (temp + fsync + rename);
        3. commit ``export_state='done'``.
        After a crash anywhere, :meth:`check_consistency` (repair=True) finishes step 2/3 from the
        stored bytes; nothing is half-written."""
        path = Path(path).resolve()
        digest = sha256_bytes(jpeg)

        def intent(conn: Connection) -> Order:
            order = self._get(conn, receipt_no)
            self._refuse_erased(order)
            self._put_photo(conn, order.id, jpeg, digest)
            self._put_file(conn, order.id, "photo", str(path), digest)
            conn.execute(update(orders).where(orders.c.id == order.id).values(
                photo_sha256=digest, export_state="writing", updated_at=utcnow()))
            return order

        order = self._write(intent, audit="export_started", receipt_no=receipt_no.strip().upper(),
                            detail={"sha256": digest})
        _hook("export:after_intent")
        write_bytes_atomic(path, jpeg)
        _hook("export:after_write")
        try:
            return self._finish_export(order.receipt_no)
        except StudioError as exc:
            if exc.key == "orders.erased":  # erased while the file was being written: it goes too
                _shred_quietly(path)
            raise

    def _finish_export(self, receipt_no: str) -> Order:
        def done(conn: Connection) -> Order:
            order = self._get(conn, receipt_no)
            self._refuse_erased(order)
            conn.execute(update(orders).where(orders.c.id == order.id).values(export_state="done",
                                                                               updated_at=utcnow()))
            return self._get(conn, receipt_no)

        return self._write(done, audit="exported", receipt_no=receipt_no)

    def attach_export(self, receipt_no: str, photo_path: str | os.PathLike, sha256: str | None = None, *,
                      receipt_path: str | os.PathLike | None = None, sheet_path: str | os.PathLike | None = None,
                      extra: dict[str, str | os.PathLike] | None = None, status: str | None = None) -> Order:
        """Record files already written by the export (imaging.export.write_outputs): the photo's
        bytes and hash go into the store (hash verified against ``sha256`` when given), the other
        paths are recorded with their hashes. One transaction; optionally moves the status."""
        photo_path = Path(photo_path).resolve()
        if not photo_path.is_file():
            raise StudioError("orders.file_missing", path=str(photo_path))
        jpeg = photo_path.read_bytes()
        digest = sha256_bytes(jpeg)
        if sha256 and sha256.lower() != digest:
            raise StudioError("orders.hash_mismatch", path=str(photo_path))
        others: list[tuple[str, Path, str]] = []
        for kind, p in (("receipt", receipt_path), ("sheet", sheet_path), *((extra or {}).items())):
            if p is None:
                continue
            p = Path(p).resolve()
            if not p.is_file():
                raise StudioError("orders.file_missing", path=str(p))
            others.append((kind, p, sha256_file(p)))

        def tx(conn: Connection) -> Order:
            order = self._get(conn, receipt_no)
            self._refuse_erased(order)
            self._put_photo(conn, order.id, jpeg, digest)
            self._put_file(conn, order.id, "photo", str(photo_path), digest)
            for kind, p, h in others:
                self._put_file(conn, order.id, kind, str(p), h)
            values = {"photo_sha256": digest, "export_state": "done", "updated_at": utcnow()}
            if status and status != order.status:
                if status not in TRANSITIONS[order.status]:
                    raise StudioError("orders.bad_transition", receipt_no=order.receipt_no,
                                      old=order.status, new=status)
                values["status"] = status
            conn.execute(update(orders).where(orders.c.id == order.id).values(**values))
            return self._get(conn, order.receipt_no)

        try:
            return self._write(tx, audit="exported", receipt_no=receipt_no.strip().upper(),
                               detail={"sha256": digest, "files": sorted(k for k, _, _ in others)})
        except StudioError as exc:
            if exc.key == "orders.erased":  # erased while it was being exported: its files go too
                for p in (photo_path, *(p for _, p, _ in others)):
                    _shred_quietly(p)
            raise

    def attach_file(self, receipt_no: str, kind: str, path: str | os.PathLike, data: bytes | None = None) -> Order:
        """Record one more file of the order (e.g. the receipt PDF); writes ``data`` atomically first
        when given. Receipts recorded here are what ``receipt verify`` accepts as genuine."""
        path = Path(path).resolve()
        if data is not None:
            write_bytes_atomic(path, data)
        if not path.is_file():
            raise StudioError("orders.file_missing", path=str(path))
        digest = sha256_file(path)

        def tx(conn: Connection) -> Order:
            order = self._get(conn, receipt_no)
            self._refuse_erased(order)
            self._put_file(conn, order.id, kind, str(path), digest, replace=(kind != "receipt"))
            return self._get(conn, order.receipt_no)

        try:
            return self._write(tx, audit=f"file_{kind}"[:32], receipt_no=receipt_no.strip().upper(),
                               detail={"sha256": digest})
        except StudioError as exc:
            if exc.key == "orders.erased" and data is not None:  # never leave an unrecorded copy
                _shred_quietly(path)
            raise

    def issued_file_hashes(self, receipt_no: str, kind: str = "receipt") -> set[str]:
        def q(conn):
            order = self._get(conn, receipt_no)
            return {r.sha256 for r in conn.execute(select(order_files.c.sha256).where(and_(
                order_files.c.order_id == order.id, order_files.c.kind == kind)))}

        return self._read(q)

    def find_by_file_hash(self, digest: str) -> tuple[Order, str] | None:
        """(order, kind) of a recorded file with this SHA-256."""
        def q(conn):
            row = conn.execute(select(order_files.c.order_id, order_files.c.kind).where(
                order_files.c.sha256 == digest.lower()).limit(1)).first()
            if row is None:
                return None
            found = self._load(conn, orders.c.id == row.order_id)
            return (found[0], row.kind) if found else None

        return self._read(q)

    def _put_photo(self, conn: Connection, order_id: int, jpeg: bytes, digest: str) -> None:
        conn.execute(delete(order_photos).where(order_photos.c.order_id == order_id))
        conn.execute(insert(order_photos).values(order_id=order_id, jpeg=jpeg, sha256=digest))

    def _put_file(self, conn: Connection, order_id: int, kind: str, path: str, digest: str | None,
                  replace: bool = True) -> None:
        if replace:
            conn.execute(delete(order_files).where(and_(order_files.c.order_id == order_id,
                                                        order_files.c.kind == kind)))
        else:
            conn.execute(delete(order_files).where(and_(order_files.c.order_id == order_id,
                                                        order_files.c.kind == kind, order_files.c.path == path,
                                                        order_files.c.sha256 == digest)))
        conn.execute(insert(order_files).values(order_id=order_id, kind=kind, path=path, sha256=digest,
                                                created_at=utcnow()))

    # --- ID-number keys (see crypto.py: a keyring file; the database names the current key) ----
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
            _hook("rotate:after_keyring")
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
            _hook("rotate:after_promote")
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
            _hook("rotate:after_retire")
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
            _hook("rotate:after_batch")
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

    # --- erasure at the customer's request (PIPL) --------------------------------------------
    def erase(self, receipt_no: str, *, reason: str, operator: str | None = None) -> None:
        """Erase one order's personal data now: name, ID number (cipher, hash, masked form),
        phone, rejection reasons, check report, the stored photo, and every file recorded for it
        (overwritten, then deleted). The order keeps its numbers, spec, city, status and dates
        (numbers are never reused) and an audit entry (who, when, why; no personal data).

        Crash-safe like the purge: one transaction clears the row's personal fields and deletes
        the stored photo, marking the order ``erasing``; then the files go; then the order is
        marked ``erased``. A run cut short is completed by calling ``erase`` again, by
        :meth:`check_consistency` (repair=True) or the next purge. Idempotent: erasing an erased
        order does nothing. On SQLite the freed pages are overwritten (secure_delete) and the WAL
        is checkpointed and truncated. Files of an order from another station are deleted when
        found here (a shared folder), else by that station's next purge/repair."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise StudioError("orders.erase_needs_reason")
        rno = (receipt_no or "").strip().upper()

        def mark(conn: Connection) -> tuple[int, bool]:
            row = conn.execute(select(orders.c.id, orders.c.station, orders.c.purge_state, orders.c.applicant_name,
                                      orders.c.phone, orders.c.id_masked).where(orders.c.receipt_no == rno)).first()
            if row is None:
                raise StudioError("orders.erase_unknown", receipt_no=(receipt_no or "").strip())
            if row.purge_state == "erased":
                return row.id, False
            if row.purge_state != "erasing":
                conn.execute(update(orders).where(orders.c.id == row.id).values(
                    applicant_name="", id_masked=None, id_cipher=None, id_hash=None, phone=None, reasons=None,
                    report=None, photo_sha256=None, export_state="none", purge_state="erasing",
                    updated_at=utcnow()))
                conn.execute(delete(order_photos).where(order_photos.c.order_id == row.id))
                detail = {"reason": _scrub(reason, row.applicant_name, row.phone, row.id_masked),
                          "order_station": row.station}
                if operator:
                    detail["operator"] = operator.strip()[:64]
                self._audit(conn, "erase_requested", rno, detail)
                self._bump(conn, "revision")
            return row.id, True

        order_id, todo = self._run(mark, write=True)
        if todo:
            _hook("erase:after_mark")
            self._finish_erasures(ids=[order_id])

    def linked_orders(self, receipt_no: str) -> list[str]:
        """Receipt numbers of the orders linked to this one by resubmission (same applicant),
        not erased: a customer asking for erasure usually means those too."""
        def q(conn):
            me = conn.execute(select(orders.c.id, orders.c.resubmit_of).where(
                orders.c.receipt_no == receipt_no.strip().upper())).first()
            if me is None:
                return []
            seen, todo, out = {me.id}, [me.id] + ([me.resubmit_of] if me.resubmit_of else []), []
            while todo:
                oid = todo.pop()
                for r in conn.execute(select(orders.c.id, orders.c.receipt_no, orders.c.resubmit_of,
                                             orders.c.purge_state).where(
                        or_(orders.c.id == oid, orders.c.resubmit_of == oid))):
                    for nxt in (r.id, r.resubmit_of):
                        if nxt is not None and nxt not in seen:
                            seen.add(nxt)
                            todo.append(nxt)
                    if r.id != me.id and r.purge_state not in ERASE_STATES and r.receipt_no not in out:
                        out.append(r.receipt_no)
            return sorted(out)

        return self._read(q)

    def _finish_erasures(self, all_stations: bool = False, ids: list[int] | None = None) -> int:
        """Delete the files of orders marked ``erasing`` and mark them ``erased``."""
        where = [orders.c.purge_state == "erasing"]
        where.append(orders.c.id.in_(ids) if ids is not None else self._mine(all_stations))
        pending = self._read(lambda conn: [(r.id, r.receipt_no, r.station) for r in conn.execute(
            select(orders.c.id, orders.c.receipt_no, orders.c.station).where(and_(*where)))])
        done = 0
        for oid, rno, station in pending:
            paths = self._read(lambda conn, oid=oid: [r.path for r in conn.execute(
                select(order_files.c.path).where(order_files.c.order_id == oid))])
            complete = True
            for path in paths:
                try:
                    found = shred_file(path)
                except OSError as exc:  # keep the records: the next run tries again
                    log.warning("erase: cannot delete %s: %s", path, exc)
                    complete = False
                    break
                if not found and station != self.station and not all_stations:
                    complete = False  # may be on the other station's disk: that station finishes it
            if not complete:
                continue
            _hook("erase:after_files")

            def finish(conn: Connection, oid=oid) -> None:
                conn.execute(delete(order_files).where(order_files.c.order_id == oid))
                conn.execute(update(orders).where(and_(orders.c.id == oid, orders.c.purge_state == "erasing"))
                             .values(purge_state="erased", erased_at=utcnow(), updated_at=utcnow()))

            self._write(finish, audit="erased", receipt_no=rno, detail={"files": len(paths)})
            done += 1
        if done:
            self._checkpoint()
            self._vacuum()
        return done

    def _vacuum(self, full: bool = False) -> None:
        """PostgreSQL keeps the old version of an updated or deleted row in the table file until
        VACUUM: plain VACUUM (no lock on the stations) frees it for reuse; VACUUM FULL rewrites
        the tables into new files so the old bytes are gone from the database files (an exclusive
        lock while it runs: a quiet hour). Best effort: needs the table owner's rights."""
        if self.dialect != "postgresql":
            return
        tables = "orders, order_photos, order_files"
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
                conn.exec_driver_sql(f"VACUUM {'FULL ' if full else ''}{tables}")
        except Exception as exc:  # noqa: BLE001 - never fail an erase or a purge for it
            log.info("VACUUM%s deferred (%s)", " FULL" if full else "", exc)

    def compact(self) -> None:
        """Remove the bytes of erased and purged orders from the database files now: SQLite
        checkpoints and truncates the WAL (deleted content is already overwritten in place);
        PostgreSQL runs VACUUM FULL on the order tables (locks them for its duration)."""
        if self.dialect == "postgresql":
            self._vacuum(full=True)
        else:
            self._checkpoint()

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

    # --- retention ---------------------------------------------------------------------------
    def purge_expired(self, days: int | None = None, now: _dt.datetime | None = None,
                      all_stations: bool = False) -> int:
        """Delete orders (and their files) captured more than ``days`` ago. Crash-safe: rows are
        first marked ``purge_state='pending'`` (hidden from lists), then files are deleted, then
        rows; a purge cut short is finished by the next purge or by check_consistency(repair).
        A station purges its own orders (their files are on its disk) unless ``all_stations``."""
        days = self.retention_days if days is None else days
        cutoff = (now or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc).replace(tzinfo=None) \
            - _dt.timedelta(days=days)

        def mark(conn: Connection) -> int:
            return conn.execute(update(orders).where(and_(orders.c.captured_at < cutoff,
                                                          or_(orders.c.purge_state.is_(None),
                                                              orders.c.purge_state == "erased"),
                                                          self._mine(all_stations)))
                                .values(purge_state="pending")).rowcount

        marked = self._write(mark, audit="purge_marked", detail={"days": days})
        log.info("purge: %d orders marked", marked)
        return self._finish_purges(all_stations)

    def _mine(self, all_stations: bool = False):
        return orders.c.id.isnot(None) if all_stations else orders.c.station == self.station

    def _finish_purges(self, all_stations: bool = False) -> int:
        pending = self._read(lambda conn: self._rows(conn, select(
            orders, orders.c.receipt_no.label("parent_receipt")).where(
                and_(orders.c.purge_state == "pending", self._mine(all_stations)))))
        done = 0
        for order in pending:
            # every recorded file, not order.files (one per kind): a re-issued receipt is a second file
            paths = self._read(lambda conn, oid=order.id: [r.path for r in conn.execute(
                select(order_files.c.path).where(order_files.c.order_id == oid))])
            for path in paths:
                try:
                    shred_file(path)
                except OSError as exc:  # keep the row: the next purge tries again
                    log.warning("purge: cannot delete %s: %s", path, exc)
                    break
            else:
                _hook("purge:after_files")
                self._write(lambda conn, oid=order.id: conn.execute(delete(orders).where(orders.c.id == oid)),
                            audit="purged", receipt_no=order.receipt_no)
                done += 1
        # erasures cut short (or left for this station by another one) are finished here too
        erased = self._finish_erasures(all_stations)
        if done and not erased:  # the WAL still holds the old pages: fold it in and empty it
            self._checkpoint()
            self._vacuum()  # PostgreSQL: dead rows of the purged orders freed for reuse
        return done

    # --- consistency -------------------------------------------------------------------------
    def check_consistency(self, repair: bool = False, all_stations: bool = False) -> list[Problem]:
        """Find what a crash or a hand-edited folder left behind; with ``repair``, fix what can be
        fixed from the store (interrupted exports rewritten from the stored JPEG, purges finished,
        stray temp files removed). A changed photo file is reported, never overwritten. Files are
        checked for this station's orders only (another station's paths are on its own disk)."""
        problems: list[Problem] = []
        if self.dialect == "sqlite":
            def integrity(conn):
                res = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                fk = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
                return res, fk

            res, fk = self._read(integrity)
            if res != ["ok"]:
                problems.append(Problem("integrity", None, "; ".join(res)[:500]))
            if fk:
                problems.append(Problem("integrity", None, f"{len(fk)} foreign-key violations"))

        def scan(conn):
            rows = self._rows(conn, select(orders, orders.c.receipt_no.label("parent_receipt")).where(
                self._mine(all_stations)))
            photos = {r.order_id: r.sha256 for r in conn.execute(select(order_photos.c.order_id,
                                                                         order_photos.c.sha256))}
            return rows, photos

        rows, photos = self._read(scan)
        folders: set[Path] = set()
        pending = self._read(lambda conn: {r.receipt_no for r in conn.execute(
            select(orders.c.receipt_no).where(and_(orders.c.purge_state == "pending",
                                                   self._mine(all_stations))))})
        erasing = False
        for o in rows:
            for info in o.files.values():
                folders.add(Path(info["path"]).parent)
            if o.erase_state == "erasing":
                erasing = True
                problems.append(Problem("erase_interrupted", o.receipt_no, "erasure was cut short"))
                continue
            if o.erased:
                continue
            if o.receipt_no in pending:
                problems.append(Problem("purge_interrupted", o.receipt_no, "purge was cut short"))
                continue
            photo = o.files.get("photo")
            if o.export_state == "writing":
                fixed = False
                if repair and photo and o.id in photos:
                    fixed = self._repair_export(o, Path(photo["path"]))
                problems.append(Problem("interrupted_export", o.receipt_no,
                                        f"export to {photo['path'] if photo else '?'} was cut short", fixed))
                continue
            if o.export_state == "done" and photo:
                p = Path(photo["path"])
                if not p.is_file():
                    fixed = bool(repair and o.id in photos and self._repair_export(o, p))
                    problems.append(Problem("photo_missing", o.receipt_no, str(p), fixed))
                elif sha256_file(p) != photo["sha256"]:
                    problems.append(Problem("photo_changed", o.receipt_no, str(p)))
            if o.status in ("exported", "printed") and o.export_state != "done":
                problems.append(Problem("status_without_export", o.receipt_no, o.status))
        if pending and repair:
            self._finish_purges(all_stations)
            problems = [Problem(p.kind, p.receipt_no, p.detail, True) if p.kind == "purge_interrupted" else p
                        for p in problems]
        if erasing and repair:
            self._finish_erasures(all_stations)
            still = self._read(lambda conn: {r.receipt_no for r in conn.execute(select(orders.c.receipt_no).where(
                and_(orders.c.purge_state == "erasing", self._mine(all_stations))))})
            problems = [Problem(p.kind, p.receipt_no, p.detail, p.receipt_no not in still)
                        if p.kind == "erase_interrupted" else p for p in problems]
        for folder in sorted(folders):
            if not folder.is_dir():
                continue
            for tmp in folder.glob(".*.tmp"):
                removed = False
                if repair:
                    try:
                        tmp.unlink()
                        removed = True
                    except OSError:
                        pass
                problems.append(Problem("temp_file", None, str(tmp), removed))
        return problems

    def _repair_export(self, order: Order, path: Path) -> bool:
        jpeg = self._read(lambda conn: conn.execute(select(order_photos.c.jpeg).where(
            order_photos.c.order_id == order.id)).scalar())
        if jpeg is None or sha256_bytes(jpeg) != order.photo_sha256:
            return False
        if not (path.is_file() and sha256_file(path) == order.photo_sha256):
            write_bytes_atomic(path, jpeg)
        self._finish_export(order.receipt_no)
        return True


def _to_utc(value: _dt.datetime | _dt.date, end: bool = False) -> _dt.datetime:
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime.combine(value + _dt.timedelta(days=1) if end else value, _dt.time())
    if value.tzinfo is None:
        value = value.astimezone()  # naive values are local time
    return value.astimezone(_dt.timezone.utc).replace(tzinfo=None)


def _doc_type_of(spec_id: str) -> str:
    try:
        from ..specs import get_spec

        return get_spec(spec_id).family
    except Exception:
        return spec_id


def shred_file(path: str | os.PathLike) -> bool:
    """Overwrite a file with zeros (fsync), then delete it; also its leftover temporary copies
    (``.NAME.*.tmp`` of an interrupted atomic write). True when the file existed. Raises OSError
    when it cannot be deleted. (On SSDs and copy-on-write file systems an overwrite does not
    reach every old block; the file is gone from the file system either way.)"""
    p = Path(path)
    try:
        for tmp in p.parent.glob(f".{glob.escape(p.name)}.*.tmp"):
            _shred_quietly(tmp, temps=False)
    except OSError:
        pass
    try:
        fd = os.open(p, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return False
    except (PermissionError, IsADirectoryError):
        fd = None
    if fd is not None:
        try:
            size = os.fstat(fd).st_size
            zeros = bytes(min(size, 1 << 20))
            left = size
            while left > 0:
                left -= os.write(fd, zeros[:left])
            os.fsync(fd)
        finally:
            os.close(fd)
    try:
        os.unlink(p)
    except FileNotFoundError:
        pass
    return True


def _shred_quietly(path: str | os.PathLike, temps: bool = True) -> None:
    try:
        if temps:
            shred_file(path)
        else:
            p = Path(path)
            with open(p, "r+b") as fh:
                fh.write(bytes(os.fstat(fh.fileno()).st_size))
                fh.flush()
                os.fsync(fh.fileno())
            p.unlink()
    except OSError as exc:
        log.warning("cannot delete %s: %s", path, exc)


def _scrub(text_: str, *personal: str | None) -> str:
    """An erase reason for the audit log, without the applicant's data typed into it by mistake."""
    for value in personal:
        if value and len(value.strip()) >= 2:
            text_ = text_.replace(value.strip(), "***")
    text_ = re.sub(r"\d{6,}[\dXx]*|[\d*]{6,}[Xx]?", "***", text_)  # ID, phone and masked numbers
    return text_[:200]


def _hook(point: str) -> None:
    """Test seam: crash tests replace this to stop a process at a named point. No-op otherwise."""


def open_store(url: str | None = None, **kwargs) -> OrderStore:
    """The order store at ``url`` (default: STUDIO_APP_DATABASE_URL, then settings.database_url,
    then SQLite in the data folder). Creates or migrates the schema."""
    return OrderStore(url, **kwargs)
