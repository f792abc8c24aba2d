"""The maintenance job: find (and repair) what a crash or a hand-edited folder left behind;
compact the database files after erasures and purges."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import and_, delete, select

from ...atomic import write_bytes_atomic
from ...hashing import sha256_file
from ..schema import order_files, order_items, order_photos, orders
from .model import Order, Problem, sha256_bytes


class MaintenanceMixin:
    """Part of :class:`OrderStore`."""

    def compact(self) -> None:
        """Remove the bytes of erased and purged orders from the database files now: SQLite
        checkpoints and truncates the WAL (deleted content is already overwritten in place);
        PostgreSQL runs VACUUM FULL on the order tables (locks them for its duration)."""
        if self.dialect == "postgresql":
            self._vacuum(full=True)
        else:
            self._checkpoint()

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
            if o.export_state == "done":  # the other documents' photos (one capture, several documents)
                for item in o.items[1:]:
                    info = item.files.get("photo")
                    if not info:
                        continue
                    p = Path(info["path"])
                    if not p.is_file():
                        fixed = bool(repair and self._repair_item_photo(o, item, p))
                        problems.append(Problem("photo_missing", o.receipt_no, str(p), fixed))
                    elif sha256_file(p) != info["sha256"]:
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
        self._finish_staged_files(order)
        self._finish_export(order.receipt_no)
        return True

    def _repair_item_photo(self, order: Order, item, path: Path) -> bool:
        """Rewrite a lost photo of a document (position >= 1) from the JPEG stored with it."""
        jpeg = self._read(lambda conn: conn.execute(select(order_items.c.jpeg).where(and_(
            order_items.c.order_id == order.id, order_items.c.position == item.position))).scalar())
        if jpeg is None or sha256_bytes(jpeg) != item.files["photo"]["sha256"]:
            return False
        write_bytes_atomic(path, jpeg)
        return True

    def _finish_staged_files(self, order: Order) -> None:
        """An order writer cut short after its intent (services/order_writer.py): its other files
        are taken from its private temporary folder when complete (hash as recorded); a file that
        cannot be recovered is forgotten (a receipt can be issued again); the temporary folders go."""
        from .files import remove_order_file

        parents = set()
        rows = self._read(lambda conn: list(conn.execute(select(
            order_files.c.id, order_files.c.kind, order_files.c.item, order_files.c.path, order_files.c.sha256).where(
            order_files.c.order_id == order.id))))
        first_photo = order.files.get("photo", {}).get("path")
        for row in rows:  # every document's files, not only the first one's
            target = Path(row.path)
            parents.add(target.parent.parent)
            if row.kind == "photo" and row.path == first_photo:
                continue  # rewritten from the stored JPEG by the caller
            if target.is_file() and sha256_file(target) == row.sha256:
                continue
            staged = [p for p in target.parent.parent.glob(f".{order.receipt_no}.*.tmp/{target.name}")
                      if sha256_file(p) == row.sha256]
            if staged:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged[0], target)
                continue
            if row.kind == "photo" and row.item:
                item = next((i for i in order.items if i.position == row.item), None)
                if item is not None and item.files.get("photo", {}).get("sha256") == row.sha256 and \
                        self._repair_item_photo(order, item, target):
                    continue
            self._write(lambda conn, fid=row.id: conn.execute(delete(order_files).where(order_files.c.id == fid)),
                        audit="file_lost", receipt_no=order.receipt_no, detail={"kind": row.kind, "item": row.item})
        for parent in parents:
            for tmp in parent.glob(f".{order.receipt_no}.*.tmp"):
                for f in tmp.glob("*"):
                    remove_order_file(f, order.receipt_no)  # a link planted there: unlinked, not followed
                tmp.rmdir()
