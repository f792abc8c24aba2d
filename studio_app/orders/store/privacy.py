"""The privacy job: erasure at the customer's request (PIPL) and the retention purge. Both are
crash-safe in three steps (mark, delete files, finish) and finished by the next run or a repair."""

from __future__ import annotations

import datetime as _dt
import logging

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.engine import Connection

from ...errors import StudioError
from .. import crypto, erase_reason
from ..schema import order_files, order_items, order_photos, orders
from . import crashpoints
from .files import remove_order_file
from .model import ERASE_STATES, utcnow

log = logging.getLogger(__name__)


class PrivacyMixin:
    """Part of :class:`OrderStore`."""

    def erase(self, receipt_no: str, *, reason: str, note: str | None = None, operator: str | None = None) -> None:
        """Erase one order's personal data now: name, ID number (cipher, hash, masked form),
        phone, rejection reasons, check report, the stored photo, and every file recorded for it
        (overwritten, then deleted). The order keeps its numbers, spec, city, status and dates
        (numbers are never reused) and an audit entry (who, when, why; no personal data):
        ``reason`` is a code of ``erase_reason.ERASE_REASONS``, ``note`` is scrubbed of this
        order's own personal data (name, pinyin, phone, ID and birth-date digits) and capped.

        Crash-safe like the purge: one transaction clears the row's personal fields and deletes
        the stored photo, marking the order ``erasing``; then the files go; then the order is
        marked ``erased``. A run cut short is completed by calling ``erase`` again, by
        :meth:`check_consistency` (repair=True) or the next purge. Idempotent: erasing an erased
        order does nothing. On SQLite the freed pages are overwritten (secure_delete) and the WAL
        is checkpointed and truncated. Files of an order from another station are deleted when
        found here (a shared folder), else by that station's next purge/repair."""
        reason = erase_reason.check_reason(reason)
        rno = (receipt_no or "").strip().upper()

        def mark(conn: Connection) -> tuple[int, bool]:
            row = conn.execute(select(orders.c.id, orders.c.station, orders.c.purge_state, orders.c.applicant_name,
                                      orders.c.phone, orders.c.id_masked, orders.c.id_cipher).where(
                orders.c.receipt_no == rno)).first()
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
                conn.execute(update(order_items).where(order_items.c.order_id == row.id).values(
                    jpeg=None, photo_sha256=None))  # every document's face goes, not only the first
                try:  # the full number, to scrub its digits from the note (never logged)
                    id_number = crypto.decrypt(row.id_cipher) if row.id_cipher and note else None
                except Exception:  # noqa: BLE001 - a retired key: the masked digits still are scrubbed
                    id_number = None
                detail = {"reason": reason, "order_station": row.station}
                scrubbed = erase_reason.scrub_note(note, name=row.applicant_name, phone=row.phone,
                                                   id_number=id_number, id_masked=row.id_masked)
                if scrubbed:
                    detail["note"] = scrubbed
                if operator:
                    detail["operator"] = operator.strip()[:64]
                self._audit(conn, "erase_requested", rno, detail)
                self._bump(conn, "revision")
            return row.id, True

        order_id, todo = self._run(mark, write=True)
        if todo:
            crashpoints.hit("erase:after_mark")
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
            paths = self._recorded(rno)
            complete, refused = True, []
            for kind, path, digest in paths:
                try:
                    found, why = remove_order_file(path, rno, digest)
                except OSError as exc:  # keep the records: the next run tries again
                    log.warning("erase: cannot delete %s: %s", path, exc)
                    complete = False
                    break
                if why:
                    refused.append({"kind": kind, "why": why})
                if not found and station != self.station and not all_stations:
                    complete = False  # may be on the other station's disk: that station finishes it
            if not complete:
                continue
            crashpoints.hit("erase:after_files")

            def finish(conn: Connection, oid=oid) -> None:
                conn.execute(delete(order_files).where(order_files.c.order_id == oid))
                conn.execute(update(orders).where(and_(orders.c.id == oid, orders.c.purge_state == "erasing"))
                             .values(purge_state="erased", erased_at=utcnow(), updated_at=utcnow()))

            self._write(finish, audit="erased", receipt_no=rno,
                        detail={"files": len(paths), **({"refused": refused} if refused else {})})
            done += 1
        if done:
            self._checkpoint()
            self._vacuum()
        return done

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

    def _finish_purges(self, all_stations: bool = False) -> int:
        pending = self._read(lambda conn: self._rows(conn, select(
            orders, orders.c.receipt_no.label("parent_receipt")).where(
                and_(orders.c.purge_state == "pending", self._mine(all_stations)))))
        done = 0
        for order in pending:
            # every recorded file, not order.files (one per kind): a re-issued receipt is a second file
            refused = []
            for kind, path, digest in self._recorded(order.receipt_no):
                try:
                    why = remove_order_file(path, order.receipt_no, digest)[1]
                except OSError as exc:  # keep the row: the next purge tries again
                    log.warning("purge: cannot delete %s: %s", path, exc)
                    break
                if why:
                    refused.append({"kind": kind, "why": why})
            else:
                crashpoints.hit("purge:after_files")
                self._write(lambda conn, oid=order.id: conn.execute(delete(orders).where(orders.c.id == oid)),
                            audit="purged", receipt_no=order.receipt_no,
                            detail={"refused": refused} if refused else None)
                done += 1
        # erasures cut short (or left for this station by another one) are finished here too
        erased = self._finish_erasures(all_stations)
        if done and not erased:  # the WAL still holds the old pages: fold it in and empty it
            self._checkpoint()
            self._vacuum()  # PostgreSQL: dead rows of the purged orders freed for reuse
        return done
