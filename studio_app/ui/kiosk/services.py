"""What the kiosk needs from the rest of the station, behind one small object (pibooth style).

The window never imports the core directly: it asks :class:`KioskServices` for the document
families, the city variants, a live loop, processing, the order output, the review status, the
pick-up code and printing. Tests swap single methods (an injected error, a fake printer).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ... import messages
from ...session import OutputRecord, OutputRequest

log = logging.getLogger(__name__)

messages.register({
    "kiosk.applicant": ("自助客户", "Self-service customer"),
})

#: the order in which document families appear (most asked-for first)
FAMILY_ORDER = ("social_security", "resident_id", "exit_entry", "driving_licence", "exam", "visa", "studio_size")
#: the name stored with kiosk orders: the kiosk has no keyboard for names; staff complete it at pick-up
KIOSK_APPLICANT_NAME = "自助客户"


@dataclass(frozen=True)
class Choice:
    label: str
    value: str


class KioskServices:
    def __init__(self, settings, store=None, library=None,
                 printer_factory: Callable[[], object] | None = None):
        self.settings = settings
        self._store = store
        self._library = library
        self.printer_factory = printer_factory
        self.printed: list[str] = []  # receipt numbers printed (for the log and tests)

    # -- specs ------------------------------------------------------------------------------
    @property
    def library(self):
        if self._library is None:
            from ...specs import default_library

            self._library = default_library()
        return self._library

    def families(self) -> list[tuple[str, str]]:
        en = messages.language() == "en"
        names: dict[str, str] = {}
        for spec in self.library:
            names.setdefault(spec.family, spec.family_en if en else spec.family_zh)
        ordered = [f for f in FAMILY_ORDER if f in names] + sorted(f for f in names if f not in FAMILY_ORDER)
        return [(f, names[f]) for f in ordered]

    def variants(self, family: str) -> list[Choice]:
        """The specs of a family that are chosen by name (not by city): e.g. the exams."""
        return [Choice(s.name(messages.language()), s.id) for s in self.library if s.family == family and not s.city]

    def cities(self, family: str) -> list[tuple[str, str]]:
        from ...orders.regions import province_of

        out = []
        for s in self.library:
            if s.family == family and s.city:
                out.append((s.city, province_of(s.city) or ""))
        return out

    def spec_for(self, family: str, city: str | None):
        return self.library.for_city(family, city)

    def spec(self, spec_id: str):
        return self.library.get(spec_id)

    # -- live and processing ------------------------------------------------------------------
    def make_live_loop(self):
        from ...live import LiveLoop

        return LiveLoop(lang=messages.language(), hold_ms=800)

    def process(self, rgb, spec, options=None, analysis=None):
        from ...session import default_process

        return default_process(rgb, spec, options, analysis)

    def judge(self, result) -> tuple[bool, list[str]]:
        """Is the processed photo usable, and if not, what should the customer change (plain words)."""
        if result is None:
            return False, []
        reasons: list[str] = []
        lang = messages.language()
        for report in (getattr(result, "after", None), getattr(result, "before", None)):
            for r in getattr(report, "results", ()) or ():
                if getattr(r, "status", "") != "fail" or getattr(r, "category", "retake") != "retake":
                    continue
                hint_key = getattr(r, "hint_key", "") or ""
                text = messages.text(hint_key, lang, **(getattr(r, "params", {}) or {})) if (
                    hint_key and messages.has(hint_key)) else messages.text(
                    getattr(r, "message_key", ""), lang, **(getattr(r, "params", {}) or {}))
                if text and text not in reasons:
                    reasons.append(text)
        if not reasons and hasattr(result, "messages"):
            reasons = [t for t in result.messages(lang) if t]
        return bool(getattr(result, "ok", False)), reasons

    # -- applicant ----------------------------------------------------------------------------
    def check_id(self, text: str) -> str | None:
        """None when the ID number is valid, else the message to show."""
        from ...orders.idnumber import validate

        check = validate(text)
        return None if check.ok else check.message(messages.language())

    def id_required(self, spec) -> bool:
        """The one rule of every shell (``settings.require_id_number``, by document by default)."""
        from ...services.id_rule import id_number_required

        return id_number_required(spec, self.settings)

    def mask_id(self, number: str) -> str:
        from ...orders.idnumber import mask_id

        return mask_id(number) if number else ""

    # -- orders -------------------------------------------------------------------------------
    def store(self):
        if self._store is None:
            from ...orders import open_store

            self._store = open_store(self.settings.database_url or None, station=self.settings.station_code)
        return self._store

    def output(self, req: OutputRequest) -> OutputRecord:
        """Record the confirmed order and write its files (runs in a worker thread), in the same
        layout as the operator window: ``<output>/<date>/<receipt no>/photo.jpg, sheet.jpg, sheet.pdf``.

        With the review queue on, the order stays ``captured`` — the operator window's review
        queue — and is printed only after an operator approves it; otherwise it is ``exported``.
        """
        import datetime as _dt

        from ...services.order_writer import write_order
        from ...services.orders import Applicant
        from ...settings import output_dir

        # the one order writer (as the operator window and the CLI): every file from the bytes in
        # memory, recorded, renamed into place at once; a full disk rolls the order back
        applicant = Applicant(KIOSK_APPLICANT_NAME, req.applicant.id_number or None, req.city or None,
                              req.applicant.phone or None)
        written = write_order(self.store(), req.spec, applicant, req.result,
                              output_dir(self.settings) / _dt.date.today().isoformat(), settings=self.settings)
        order = written.order
        return OutputRecord(receipt_no=order.receipt_no, photo_path=written.path("photo.jpg"),
                            sheet_path=written.path("sheet.jpg"), sheet_pdf_path=written.path("sheet.pdf"),
                            receipt_path=written.path("receipt.pdf"), folder=written.folder,
                            extra={"order": order, "image_no": order.image_no, "status": order.status})

    def review_status(self, record: OutputRecord) -> str:
        """"approved", "rejected" or "pending" for a kiosk order waiting in the review queue."""
        order = self.store().get(record.receipt_no)
        if order.status == "rejected":
            return "rejected"
        if order.status in ("approved", "exported", "printed"):
            return "approved"
        return "pending"

    def pickup_code(self, record: OutputRecord | None) -> str:
        """The short code the customer tells the counter: the last five characters of the
        receipt number (the day's sequence and its check character; the history search finds it)."""
        if record is None or not record.receipt_no:
            return ""
        return record.receipt_no[-5:]

    # -- printing -----------------------------------------------------------------------------
    def can_print(self) -> bool:
        if self.printer_factory is not None:
            return True
        from PySide6.QtPrintSupport import QPrinterInfo

        return bool(QPrinterInfo.availablePrinterNames())

    def print_order(self, record: OutputRecord, temp_dir: Path) -> None:
        """Issue the receipt (thermal80, recorded in the store so ``receipt verify`` accepts it) and
        print it with the photo sheet. The print job reads a spool copy in the session's temporary
        folder, which is wiped when the session ends."""
        from ...services.orders import issue_receipt
        from ..printing import make_printer

        store = self.store()
        receipt_path, _order = issue_receipt(store, record.receipt_no, Path(record.folder) / "receipt.pdf",
                                             template="thermal80", settings=self.settings)
        temp_dir.mkdir(parents=True, exist_ok=True)
        spool = temp_dir / f"{record.receipt_no}_receipt.pdf"
        spool.write_bytes(Path(receipt_path).read_bytes())
        printer = self.printer_factory() if self.printer_factory else make_printer()
        sheet = Path(record.sheet_path) if record.sheet_path else None
        self.print_files(printer, spool, sheet)
        store.set_status(record.receipt_no, "printed")
        self.printed.append(record.receipt_no)

    def print_files(self, printer, receipt_pdf: Path, sheet: Path | None) -> int:
        from ..printing import print_job

        return print_job(printer, [receipt_pdf, sheet], self.settings)

