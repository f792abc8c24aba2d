"""The files job: the stored photo, exports (crash-safe: intent, atomic write, done), the other
files recorded for an order (receipt, sheet, report) and overwrite-then-delete of files."""

from __future__ import annotations

import glob
import json
import logging
import os
import stat
from pathlib import Path

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection

from ... import messages
from ...atomic import write_bytes_atomic
from ...errors import StudioError
from ...hashing import sha256_file
from ..schema import order_files, order_items, order_photos, orders
from . import crashpoints
from .model import TRANSITIONS, Order, sha256_bytes, utcnow

log = logging.getLogger(__name__)

messages.register({
    "orders.no_item": ("订单 {receipt_no} 没有第 {position} 项证件", "Order {receipt_no} has no document {position}"),
})


class FilesMixin:
    """Part of :class:`OrderStore`."""

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
        crashpoints.hit("export:after_intent")
        write_bytes_atomic(path, jpeg)
        crashpoints.hit("export:after_write")
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
                  replace: bool = True, item: int | None | str = "default") -> None:
        """Record one file. ``item``: the position of the document it belongs to (default: 0 for a
        photo or sheet, None (the whole order) for a receipt or report)."""
        if item == "default":
            item = default_item(kind)
        same = and_(order_files.c.order_id == order_id, order_files.c.kind == kind, order_files.c.item == item)
        if replace:
            conn.execute(delete(order_files).where(same))
        else:
            conn.execute(delete(order_files).where(and_(same, order_files.c.path == path,
                                                        order_files.c.sha256 == digest)))
        conn.execute(insert(order_files).values(order_id=order_id, kind=kind, path=path, sha256=digest,
                                                item=item, created_at=utcnow()))

    def item_photo(self, receipt_no: str, position: int = 0) -> bytes | None:
        """The finished JPEG of one document of the order (position 0: the order's stored photo)."""
        if position == 0:
            return self.photo(receipt_no)

        def q(conn):
            order = self._get(conn, receipt_no)
            return conn.execute(select(order_items.c.jpeg).where(and_(
                order_items.c.order_id == order.id, order_items.c.position == position))).scalar()

        return self._read(q)


def default_item(kind: str) -> int | None:
    """The document a file of ``kind`` belongs to when nobody says: photos and sheets are the
    first document's, receipts and reports the whole order's."""
    return 0 if kind in ("photo", "sheet", "sheet_pdf") else None


class UnsafeFile(OSError):
    """A file erase/purge will not overwrite: ``why`` is symlink, hard_link or not_regular."""

    def __init__(self, path, why: str) -> None:
        super().__init__(f"{why}: {path}")
        self.why = why


def _link_kind(st: os.stat_result) -> str | None:
    """Why a file must not be overwritten: it is a link (to someone else's data) or not a plain file."""
    if stat.S_ISLNK(st.st_mode) or getattr(st, "st_file_attributes", 0) & 0x400:  # 0x400: Windows reparse point
        return "symlink"
    if not stat.S_ISREG(st.st_mode):
        return "not_regular"
    if st.st_nlink > 1:
        return "hard_link"
    return None


def remove_order_file(path: str | os.PathLike, receipt_no: str,
                      digest: str | None = None) -> tuple[bool, str | None]:
    """Delete one file recorded for an order, touching only the order's own regular file:
    (existed, refused-why). Its own: the folder or the file name carries the receipt number, or
    the content still has the SHA-256 recorded when the store wrote it; and the folder is not a
    link. Else the file is left alone ("outside": a hand-edited or hostile path in the
    database). A symlink or a hard link is removed from the order folder without overwriting
    what it points to; anything else is overwritten, then deleted."""
    p = Path(path)
    key = (receipt_no or "").strip().upper()
    own = bool(key) and (key in p.name.upper() or key in p.parent.name.upper())
    if not own and digest and os.path.isfile(p) and not os.path.islink(p):
        try:
            own = sha256_file(p) == digest
        except OSError:
            own = False
    if not own and not os.path.lexists(p):
        return False, None
    if not own or os.path.islink(p.parent) or not p.is_absolute():
        log.warning("not deleting %s: outside the folder of order %s", p, receipt_no)
        return os.path.lexists(p), "outside"
    try:
        why = _link_kind(os.lstat(p))
    except FileNotFoundError:
        return False, None
    if why is None:
        try:
            return shred_file(p), None
        except UnsafeFile as exc:  # replaced between the lstat and the open
            why = exc.why
    log.warning("not overwriting %s (%s): only its name in the order folder is removed", p, why)
    if why != "not_regular":
        os.unlink(p)  # the link itself; never follows it
    return True, why


def shred_file(path: str | os.PathLike) -> bool:
    """Overwrite a file with zeros (fsync), then delete it; also its leftover temporary copies
    (``.NAME.*.tmp`` of an interrupted atomic write). True when the file existed. Raises OSError
    when it cannot be deleted, :class:`UnsafeFile` (nothing written) for a symlink, a hard link or
    a non-regular file: opened with O_NOFOLLOW so a link swapped in never gets its target zeroed.
    (On SSDs and copy-on-write file systems an overwrite does not reach every old block; the file
    is gone from the file system either way.)"""
    p = Path(path)
    try:
        for tmp in p.parent.glob(f".{glob.escape(p.name)}.*.tmp"):
            _shred_quietly(tmp, temps=False)
    except OSError:
        pass
    try:
        why = _link_kind(os.lstat(p))
    except FileNotFoundError:
        return False
    if why:
        raise UnsafeFile(p, why)
    try:
        fd = os.open(p, os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return False
    except (PermissionError, IsADirectoryError):
        fd = None
    except OSError as exc:  # ELOOP: a symlink swapped in after the lstat
        raise UnsafeFile(p, "symlink") from exc
    if fd is not None:
        try:
            st = os.fstat(fd)
            why = _link_kind(st)
            if why:
                raise UnsafeFile(p, why)
            size = st.st_size
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
            why = _link_kind(os.lstat(p))
            if why:
                raise UnsafeFile(p, why)
            with open(p, "r+b") as fh:
                fh.write(bytes(os.fstat(fh.fileno()).st_size))
                fh.flush()
                os.fsync(fh.fileno())
            p.unlink()
    except OSError as exc:
        log.warning("cannot delete %s: %s", path, exc)


class OrderFilesMixin:
    """The order writer's side of the store (services/order_writer.py): record every file of an
    order in one intent, finish it, retire another order's files, roll a failed order back."""

    def record_export(self, receipt_no: str, jpeg: bytes, files: dict, items: dict[int, dict] | None = None) -> Order:
        """Intent, before the files are renamed into place: the JPEG is stored with the order and
        every file (kind, or (kind, item position) -> (final path, SHA-256)) recorded,
        ``export_state='writing'``; so a crash after this leaves nothing the purge or an erasure
        does not know. ``items``: position -> {"jpeg", "verdict", "problems"} of each document
        (position 0's JPEG is ``jpeg``)."""
        digest = sha256_bytes(jpeg)

        def tx(conn: Connection) -> Order:
            order = self._get(conn, receipt_no)
            self._refuse_erased(order)
            self._put_photo(conn, order.id, jpeg, digest)
            conn.execute(delete(order_files).where(order_files.c.order_id == order.id))
            for key, (path, sha) in files.items():
                kind, item = key if isinstance(key, tuple) else (key, default_item(key))
                self._put_file(conn, order.id, kind, str(Path(path).resolve()), sha, item=item)
            for pos, info in (items or {}).items():
                item_jpeg = info.get("jpeg")
                values = {"verdict": info.get("verdict", "ok"),
                          "problems": json.dumps(info.get("problems") or [], ensure_ascii=False),
                          "photo_sha256": sha256_bytes(item_jpeg) if item_jpeg else None,
                          "jpeg": item_jpeg if pos else None}  # position 0: order_photos holds it
                if conn.execute(update(order_items).where(and_(order_items.c.order_id == order.id,
                                                               order_items.c.position == pos))
                                .values(**values)).rowcount != 1:
                    raise StudioError("orders.no_item", receipt_no=order.receipt_no, position=pos)
            conn.execute(update(orders).where(orders.c.id == order.id).values(
                photo_sha256=digest, export_state="writing", updated_at=utcnow()))
            return self._get(conn, order.receipt_no)

        return self._write(tx, audit="export_started", receipt_no=receipt_no.strip().upper(),
                           detail={"sha256": digest, "files": sorted(files)})

    def finish_export(self, receipt_no: str, status: str | None = None) -> Order:
        """The files are in place: ``export_state='done'`` and (optionally) the new status, one commit."""
        def tx(conn: Connection) -> Order:
            order = self._get(conn, receipt_no)
            self._refuse_erased(order)
            values = {"export_state": "done", "updated_at": utcnow()}
            if status and status != order.status:
                if status not in TRANSITIONS[order.status]:
                    raise StudioError("orders.bad_transition", receipt_no=order.receipt_no, old=order.status,
                                      new=status)
                values["status"] = status
            conn.execute(update(orders).where(orders.c.id == order.id).values(**values))
            return self._get(conn, order.receipt_no)

        return self._write(tx, audit="exported", receipt_no=receipt_no.strip().upper(),
                           detail={"status": status} if status else None)

    def owners_of_folder(self, folder: str | os.PathLike) -> dict[str, list[str]]:
        """receipt number -> recorded file paths inside ``folder`` (not below it)."""
        folder = Path(folder).resolve()

        def q(conn):
            out: dict[str, list[str]] = {}
            rows = conn.execute(select(orders.c.receipt_no, order_files.c.path).select_from(
                order_files.join(orders, orders.c.id == order_files.c.order_id)).where(
                order_files.c.path.like(str(folder).replace("%", "_") + os.sep + "%")))
            for r in rows:
                if Path(r.path).parent == folder:
                    out.setdefault(r.receipt_no, []).append(r.path)
            return out

        return self._read(q)

    def retire_files(self, receipt_no: str, *, reason: str) -> int:
        """Delete (overwrite, then unlink) every file recorded for an order and forget them; the
        order and its stored photo stay (a receipt can be issued again). Used when ``--force``
        replaces an order's folder. Returns the number of files."""
        rno = receipt_no.strip().upper()
        paths = self._recorded(rno)
        refused = []
        for kind, path, digest in paths:
            # OSError propagates: the records stay, nothing is forgotten
            why = remove_order_file(path, rno, digest)[1]
            if why:
                refused.append({"kind": kind, "why": why})

        def tx(conn: Connection) -> None:
            order = self._get(conn, receipt_no)
            conn.execute(delete(order_files).where(order_files.c.order_id == order.id))

        self._write(tx, audit="files_retired", receipt_no=receipt_no.strip().upper(),
                    detail={"files": len(paths), "reason": reason[:200], **({"refused": refused} if refused else {})})
        return len(paths)

    def abandon(self, receipt_no: str, *, problem: str) -> None:
        """Roll back an order whose files could not be written (full disk, refused folder): its
        recorded files are deleted, then the order (the number is not reused; the audit log keeps
        "abandoned" with the problem)."""
        for _kind, path, digest in self._recorded(receipt_no.strip().upper()):
            try:
                remove_order_file(path, receipt_no, digest)
            except OSError as exc:
                log.warning("cannot delete %s: %s", path, exc)

        def tx(conn: Connection) -> None:
            conn.execute(delete(orders).where(orders.c.receipt_no == receipt_no.strip().upper()))

        self._write(tx, audit="abandoned", receipt_no=receipt_no.strip().upper(), detail={"problem": problem[:200]})

    def _recorded(self, receipt_no: str) -> list[tuple[str, str, str | None]]:
        """(kind, path, SHA-256) of every file recorded for an order (not order.files, one per kind:
        a re-issued receipt is a second file)."""
        return self._read(lambda conn: [(r.kind, r.path, r.sha256) for r in conn.execute(
            select(order_files.c.kind, order_files.c.path, order_files.c.sha256).select_from(
                order_files.join(orders, orders.c.id == order_files.c.order_id)).where(
                orders.c.receipt_no == receipt_no))])
