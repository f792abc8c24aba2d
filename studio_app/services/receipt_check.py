"""What a clerk sees when checking a receipt, for every shell (``receipt verify`` in the CLI, the
operator window's verify dialog): the verdict, the masked details of the order it names and the
order's STORED photo (from the store, never from what was scanned). Qt-free."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..receipts import Verdict, parse_payload, verify

# the order the clerk reads the details in (CLI lines, dialog rows)
DETAIL_KEYS = ("receipt_no", "name", "doc_type", "documents", "id_masked", "city", "date", "status")
# a tampered or unknown receipt shows no photo: the clerk must not compare the person with the face
# of the order a forger copied
PHOTO_STATUSES = frozenset({"valid", "legacy", "number"})


@dataclass(frozen=True)
class ReceiptCheck:
    verdict: Verdict
    details: dict | None  # DETAIL_KEYS -> text (name masked), None when no order is named
    photo: bytes | None  # the order's stored JPEG, only for PHOTO_STATUSES

    @property
    def status(self) -> str:
        return self.verdict.status


def check_receipt(target: str, store, receipt_no: str | None = None, *, scanned: bool = False) -> ReceiptCheck:
    """Verify ``target`` against ``store`` (see :func:`studio_app.receipts.verify`). ``scanned``:
    the text came from a barcode scanner, so it is a QR payload or a number, never a file path (a
    QR holding the path of a genuine receipt PDF on this PC must not verify as that receipt)."""
    if scanned and parse_payload(target) is None and _is_path(target):
        verdict = Verdict("unknown", None, (("receipts.verify.not_payload", {}),))
    else:
        verdict = verify(target, store, receipt_no=receipt_no)
    details = verdict.details()
    photo = None
    if verdict.order is not None and verdict.status in PHOTO_STATUSES:
        photo = store.photo(verdict.order.receipt_no)
    return ReceiptCheck(verdict, details, photo)


def _is_path(text: str) -> bool:
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # too long or NUL: not a path either way
        return False
