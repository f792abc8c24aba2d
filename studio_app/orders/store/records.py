"""The orders job: create (validated, numbered), read, list and search, move status, resubmit,
read the full ID number."""

from __future__ import annotations

import datetime as _dt
import json
import logging
import random
import re
import time
import uuid
from typing import Any, Iterable

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ...codes import numbering
from ...codes.idnumber import validate, validate_name
from ...codes.regions import check_city
from ...errors import StudioError
from .. import crypto
from ..schema import order_items, orders
from . import crashpoints
from .model import STATUSES, TRANSITIONS, Order, utcnow

log = logging.getLogger(__name__)


class OrdersMixin:
    """Part of :class:`OrderStore` (needs the engine's ``_run``/``_read``/``_load``)."""

    def create_order(self, spec_id: str, name: str, id_number: str | None = None, city: str | None = None, *,
                     phone: str | None = None, report: dict | None = None, doc_type: str | None = None,
                     client_token: str | None = None, captured_at: _dt.datetime | None = None,
                     status: str = "captured", more_specs: Iterable[str] = (), _resubmit_of: int | None = None,
                     _id_carry: tuple[str | None, str | None, str | None] | None = None) -> Order:
        """Validate the applicant, number and insert a new order. Returns it with receipt/image numbers.

        ``client_token`` (any unique string per customer session) makes the call idempotent: a
        repeat with the same token returns the order already stored.

        ``more_specs``: one capture, several documents. The order's items are ``spec_id`` (position
        0, the order's own image number) then these, each numbered with its own image number in
        the same transaction.
        """
        extra = [str(x) for x in more_specs if x and str(x) != spec_id]
        extra = list(dict.fromkeys(extra))  # a document once per order
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
        phone = check_phone(phone)
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
            receipt_no = self._next_number(conn, "receipt", self.receipt_format, (orders.c.receipt_no,), today)
            image_cols = (orders.c.image_no, order_items.c.image_no)
            image_no = self._next_number(conn, "image", self.image_format, image_cols, today)
            conn.execute(insert(orders).values(
                receipt_no=receipt_no, image_no=image_no, client_token=token, station=self.station,
                spec_id=spec_id, doc_type=doc_type, province=province, city=city,
                applicant_name=name_check.name, id_masked=id_masked_, id_cipher=id_cipher_, id_hash=id_hash_,
                phone=phone or None,
                status=status, reasons=None, report=json.dumps(report, ensure_ascii=False) if report else None,
                export_state="none", resubmit_of=_resubmit_of, captured_at=captured, created_at=now,
                updated_at=now))
            order_id = conn.execute(select(orders.c.id).where(orders.c.receipt_no == receipt_no)).scalar()
            numbers = [image_no] + [self._next_number(conn, "image", self.image_format, image_cols, today)
                                    for _ in extra]
            for pos, (sid, ino) in enumerate(zip([spec_id, *extra], numbers)):
                conn.execute(insert(order_items).values(
                    order_id=order_id, position=pos, spec_id=sid, doc_type=doc_type if pos == 0 else _doc_type_of(sid),
                    image_no=ino, created_at=now))
            order = self._get(conn, receipt_no)
            self._audit(conn, "created", receipt_no, {"spec": spec_id, "status": status, "image_no": image_no,
                                                      **({"items": [spec_id, *extra]} if extra else {}),
                                                      **({"resubmits": order.resubmit_of} if _resubmit_of else {})})
            self._bump(conn, "revision")
            crashpoints.hit("create:before_commit")
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

    def _next_number(self, conn: Connection, kind: str, fmt: str, columns, today) -> str:
        """The next receipt or image number. A number already taken (a changed format, or stations
        sharing a format without {station}) is skipped, never reused, as is one whose check
        character would be "*"; the counter moves past it in this transaction."""
        scope = numbering.counter_scope(kind, fmt, self.station, today)
        for _skip in range(100_000):
            number = numbering.make_number(fmt, self.station, today, self._bump(conn, scope))
            if number and not any(conn.execute(select(func.count()).select_from(c.table).where(c == number)).scalar()
                                  for c in columns):
                return number
        return number

    def get(self, receipt_no: str) -> Order:
        return self._read(lambda conn: self._get(conn, receipt_no))

    def find(self, number: str) -> Order | None:
        """An order by receipt number, image number or photo SHA-256; None when unknown."""
        key = number.strip()
        def q(conn):
            found = self._load(conn, or_(orders.c.receipt_no == key.upper(), orders.c.image_no == key.upper(),
                                         orders.c.photo_sha256 == key.lower(),
                                         orders.c.id.in_(select(order_items.c.order_id).where(or_(
                                             order_items.c.image_no == key.upper(),
                                             order_items.c.photo_sha256 == key.lower())))))
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
            # `%` and `_` typed by the operator match themselves, not every order
            term = "%" + re.sub(r"([\\%_])", r"\\\1", search.strip()) + "%"
            conds.append(or_(*(c.ilike(term, escape="\\") for c in (
                orders.c.receipt_no, orders.c.image_no, orders.c.applicant_name, orders.c.city, orders.c.phone,
                orders.c.id_masked)), orders.c.id.in_(select(order_items.c.order_id).where(  # any document's image no
                    order_items.c.image_no.ilike(term, escape="\\")))))
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
                 captured_at: _dt.datetime | None = None, more_specs: Iterable[str] | None = None) -> Order:
        """A free resubmission of a rejected order: a new order (new numbers) linked to the old one,
        same applicant and spec; the rejected order and its history stay. ``more_specs``: the
        other documents of the new capture (default: the rejected order's)."""
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
                                 more_specs=[i.spec_id for i in old.items[1:]] if more_specs is None else more_specs,
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


def _to_utc(value: _dt.datetime | _dt.date, end: bool = False) -> _dt.datetime:
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime.combine(value + _dt.timedelta(days=1) if end else value, _dt.time())
    if value.tzinfo is None:
        value = value.astimezone()  # naive values are local time
    return value.astimezone(_dt.timezone.utc).replace(tzinfo=None)


def _doc_type_of(spec_id: str) -> str:
    try:
        from ...specs import get_spec

        return get_spec(spec_id).family
    except Exception:
        return spec_id


_PHONE = re.compile(r"\+?[0-9][0-9 \-]*")


def check_phone(phone: str | None) -> str | None:
    """The applicant's phone as typed, or None; refused (nothing written) unless it is digits with
    an optional leading +, spaces and hyphens, 5-20 digits: no escapes or newlines reach a terminal."""
    if phone is None or not phone.strip():
        return None
    phone = phone.strip()
    digits = sum(ch.isdigit() for ch in phone)
    if len(phone) > 40 or not _PHONE.fullmatch(phone) or not 5 <= digits <= 20:
        raise StudioError("orders.bad_phone")
    return phone
