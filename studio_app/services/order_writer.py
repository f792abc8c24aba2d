"""The one order writer (CLI ``process``, operator window, kiosk): a finished photo becomes an
order and its files, from the bytes in memory (never a file read back from disk).

One crash order everywhere:
1. the order is created (numbered) in the store;
2. every file is made in memory (photo.jpg, sheet.jpg, sheet.pdf, report.json, receipt.pdf);
3. one commit stores the JPEG and records every file (path + SHA-256), ``export_state='writing'``;
   then the files are written into a private temporary folder beside the order's folder (same
   file system, fsync);
4. the files are renamed into ``<out>/<receipt no>/``;
5. one commit: ``export_state='done'`` and the status.
One capture, several documents (``more``): each document (身份证 + 社保卡 + 2寸...) is its own
order item with its own image number and files (photo-<spec>.jpg, sheet-<spec>.jpg/.pdf,
report-<spec>.json), or one mixed sheet for all (sheet.jpg/.pdf, ``prepared_sheet``); ONE
receipt lists every document (as Guangzhou issues one receipt for several documents from one
photo: one receipt number, one signed QR, one paper for the customer). An order is issued whole
or not at all: a document that needs a retake refuses the whole order before it is numbered.
Any failure (full disk, refused folder) removes the temporary folder and what was renamed and
rolls the order back (``abandoned`` in the audit log); a crash after step 3 is reported and
repaired by ``studio-app orders check``. A folder holding another order's files is refused unless
``force``, which first retires that order's files through the store.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .. import messages
from ..atomic import fsync_dir
from ..errors import StudioError
from ..orders import Order, OrderStore
from ..orders.store import remove_order_file, sha256_bytes
from .id_rule import check_id_number
from .orders import Applicant

log = logging.getLogger(__name__)

messages.register({
    "orders.folder_taken": ("文件夹 {folder} 里已有订单 {other} 的文件；为避免覆盖，未写入（确需替换请加 --force）",
                            "The folder {folder} holds the files of order {other}; nothing was written (use "
                            "--force to replace them)"),
    "orders.folder_not_empty": ("文件夹 {folder} 不是空的；为避免覆盖，未写入（确需替换请加 --force）",
                                "The folder {folder} is not empty; nothing was written (use --force to replace "
                                "its files)"),
    "orders.item_retake": ("{doc} 需要重拍：{reasons}。整单未出具（一次拍摄的所有证件一起出具）",
                           "{doc} needs a retake: {reasons}. The order was not issued (all documents of one "
                           "capture are issued together)"),
    "orders.write_failed": ("订单文件无法写入 {folder}：{problem}（订单已撤销，没有留下不完整的文件）",
                            "The order's files cannot be written to {folder}: {problem} (the order was rolled "
                            "back; no partial files were left)"),
})

# file name -> kind recorded in the store (every one carries the customer's face or data)
KINDS = {"photo.jpg": "photo", "sheet.jpg": "sheet", "sheet.pdf": "sheet_pdf", "report.json": "report",
         "receipt.pdf": "receipt"}


def item_file_name(name: str, spec_id: str) -> str:
    """photo.jpg -> photo-<spec>.jpg: a document's own file in an order of several documents."""
    stem, dot, ext = name.partition(".")
    return f"{stem}-{spec_id}{dot}{ext}"


def kind_of(name: str) -> str:
    """The store's kind of a file the writer made (photo-resident_id.jpg -> photo)."""
    stem, dot, ext = name.partition(".")
    return KINDS[stem.split("-", 1)[0] + dot + ext]


def problem_list(result) -> list[dict]:
    """A result's blocking problems as plain message keys and parameters (no personal data)."""
    from ..imaging.export import json_safe

    found = getattr(result, "problems", None) or []
    return json_safe([{"key": p["key"], "params": p.get("params", {})} for p in found])


@dataclass(frozen=True)
class WrittenOrder:
    order: Order
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)  # file name -> path

    def path(self, name: str) -> Path | None:
        return self.files.get(name)

    def first(self, kind: str) -> Path | None:
        """The first document's file of ``kind`` (photo, sheet, sheet_pdf): photo.jpg of a
        one-document order, photo-<first spec>.jpg of an order of several."""
        for name, p in self.files.items():
            if kind_of(name) == kind:
                return p
        return None


def write_order(store: OrderStore, spec, applicant: Applicant, result, out_root: str | os.PathLike, *,
                settings, sheet: str | None = "6inch", dpi: int | None = None, caption: str | None = None,
                lang: str | None = None, client_token: str | None = None, resubmit_of: str | None = None,
                force: bool = False, report_extra: dict | None = None, status: str | None = None,
                template: str | None = None, more=(), prepared_sheet=None) -> WrittenOrder:
    """Create the order for ``result`` (a finished :class:`ProcessResult`) and write its files to
    ``<out_root>/<receipt no>/``. ``status``: default "exported", or "captured" when the settings
    send orders to the review queue. ``dpi``: default the printer's (``settings.printer_dpi``).
    ``more``: ``[(spec, result), ...]``, the other documents made from the same capture;
    ``prepared_sheet``: one (mixed) sheet for the whole order instead of a sheet per document."""
    from ..imaging.export import json_safe
    from ..receipts import Studio, render_receipt

    if not resubmit_of:  # a resubmission carries the rejected order's (encrypted) number
        check_id_number(spec, applicant.id_number, settings)  # the same rule in every shell
    lang = lang or messages.language()
    docs = [(spec, result), *[(s, r) for s, r in more if s.id != spec.id]]
    for s, r in docs if len(docs) > 1 else ():  # the whole order or nothing: never a receipt for half of it
        if getattr(r, "retake", False):
            from ..batch.jobs import problem_texts

            raise StudioError("orders.item_retake", doc=s.name(lang),
                              reasons="；".join(problem_texts(r)["retake"][lang]) or "—")
    report = json_safe(result.to_dict(lang))  # stored as JSON with the order (numpy numbers -> plain)
    token = client_token or uuid.uuid4().hex
    if resubmit_of:
        order = store.resubmit(resubmit_of, report=report, client_token=token, more_specs=[s.id for s, _ in docs[1:]])
    else:
        order = store.create_order(spec.id, applicant.name, applicant.id_number or None, applicant.city or None,
                                   phone=applicant.phone or None, report=report, client_token=token,
                                   more_specs=[s.id for s, _ in docs[1:]])
    if status is None:
        status = "captured" if getattr(settings, "kiosk_review_queue", False) else "exported"
    out_root = Path(out_root).resolve()
    folder = out_root / order.receipt_no
    tmp: Path | None = None
    placed: list[Path] = []
    recorded = False
    try:
        _clear_folder(store, folder, order.receipt_no, force)
        dpi_ = int(dpi or getattr(settings, "printer_dpi", 300) or 300)
        files, where = _render_documents(order, docs, sheet, dpi_, caption or order.receipt_no, lang,
                                         report_extra, prepared_sheet)
        files["receipt.pdf"] = render_receipt(order, result.jpeg, Studio.from_settings(settings),
                                              template or settings.receipt_template, lang=lang)
        where["receipt.pdf"] = None
        items = {pos: {"jpeg": r.jpeg, "verdict": "ok" if getattr(r, "ok", True) else "problems",
                       "problems": problem_list(r)}
                 for pos, (_s, r) in enumerate(docs)}
        # intent before any byte reaches the disk: a crash from here on leaves nothing the store
        # does not know (`orders check --repair` finishes it from the store and the staged files)
        store.record_export(order.receipt_no, result.jpeg,
                            {(kind_of(n), where[n]): (folder / n, sha256_bytes(d)) for n, d in files.items()},
                            items=items)
        recorded = True
        out_root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{order.receipt_no}.", suffix=".tmp", dir=out_root))
        for name, data in files.items():
            _write_synced(tmp / name, data)
        if not folder.exists():
            os.replace(tmp, folder)  # the whole folder appears at once
            placed = [folder / n for n in files]
            tmp = None
        else:
            for name in files:
                os.replace(tmp / name, folder / name)
                placed.append(folder / name)
        fsync_dir(out_root)
        order = store.finish_export(order.receipt_no, status)
    except BaseException as exc:
        _roll_back(store, order.receipt_no, tmp, placed, folder, exc, recorded)
        if isinstance(exc, OSError):
            raise StudioError("orders.write_failed", folder=str(folder), problem=exc.strerror or str(exc)) from exc
        raise
    log.info("order %s written to %s (%s)", order.receipt_no, folder, order.status)
    return WrittenOrder(order, folder, {n: folder / n for n in files})


def _render_documents(order, docs, sheet, dpi, caption, lang, report_extra, prepared_sheet):
    """Every document's files in memory (name -> bytes) and the item each belongs to (name ->
    position, None for the whole order). One document keeps the plain names (photo.jpg...)."""
    from ..imaging.export import render_outputs

    files: dict[str, bytes] = {}
    where: dict[str, int | None] = {}
    several = len(docs) > 1
    for pos, (spec, result) in enumerate(docs):
        extra = dict(report_extra or {})
        if several:
            extra["order_item"] = {"position": pos, "image_no": order.items[pos].image_no if order.items else None}
        made = render_outputs(result, None if prepared_sheet is not None else sheet, dpi, caption, lang, extra,
                              spec=spec)
        if several:  # the report names the files as written
            report = json.loads(made["report.json"])
            report["files"] = sorted(item_file_name(n, spec.id) for n in report.get("files", []))
            made["report.json"] = json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
        for name, data in made.items():
            final = item_file_name(name, spec.id) if several else name
            files[final] = data
            where[final] = pos
    if prepared_sheet is not None:  # one (mixed) sheet for the whole order
        files["sheet.jpg"], files["sheet.pdf"] = prepared_sheet.jpeg, prepared_sheet.pdf
        where["sheet.jpg"] = where["sheet.pdf"] = None
    return files, where


def _clear_folder(store: OrderStore, folder: Path, receipt_no: str, force: bool) -> None:
    """Refuse a folder that holds files (another order's, or unknown ones) unless ``force``;
    with ``force`` the other order's files are retired through the store first."""
    if not folder.exists():
        return
    owners = {r: p for r, p in store.owners_of_folder(folder).items() if r != receipt_no}
    for other in sorted(owners):
        if not force:
            raise StudioError("orders.folder_taken", folder=str(folder), other=other)
        store.retire_files(other, reason=f"folder replaced by {receipt_no}")
    left = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if left and not force:
        raise StudioError("orders.folder_not_empty", folder=str(folder))
    for p in left:  # the folder is this order's: a link in it is removed, never followed
        if p.is_file() or p.is_symlink():
            remove_order_file(p, receipt_no)


def _roll_back(store: OrderStore, receipt_no: str, tmp: Path | None, placed: list[Path], folder: Path,
               exc: BaseException, recorded: bool) -> None:
    if tmp is not None:
        for p in tmp.glob("*"):
            _quiet(remove_order_file, p, receipt_no)
        shutil.rmtree(tmp, ignore_errors=True)
    for p in placed:
        _quiet(remove_order_file, p, receipt_no)
    if placed and folder.is_dir() and not any(folder.iterdir()):
        _quiet(folder.rmdir)
    problem = str(getattr(exc, "strerror", None) or exc or type(exc).__name__)
    try:
        store.abandon(receipt_no, problem=problem)
    except Exception as again:  # noqa: BLE001 - the original error is what the user must see
        # left as "writing" (or with no files): `studio-app orders check` reports it
        log.error("order %s could not be rolled back (%s); run studio-app orders check", receipt_no, again)
    log.warning("order %s rolled back: %s (recorded=%s)", receipt_no, problem, recorded)


def _quiet(fn, *args) -> None:
    try:
        fn(*args)
    except OSError as exc:
        log.warning("cleanup: %s", exc)


def _write_synced(path: Path, data: bytes) -> None:
    """Low-level writes (os.write) so a full disk is an OSError here, and fsync before the rename."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)
