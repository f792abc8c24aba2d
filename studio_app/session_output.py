"""The output step of both shells (Qt-free): the default processing and the order written through
the one order writer (:mod:`studio_app.services.order_writer`)."""

from __future__ import annotations

import numpy as np

from . import messages
from .session_data import OutputRecord, OutputRequest


# the real pipeline, imported lazily so the core stays light
def default_process(rgb: np.ndarray, spec, options=None, analysis=None):
    from .imaging import pipeline

    if options is None:
        options = pipeline.ProcessOptions()
    return pipeline.process_photo(rgb, spec, options, analysis=analysis)


def default_output(req: OutputRequest) -> OutputRecord:
    """Write the photo, sheet and receipt and record the order (operator and kiosk both use it)."""
    return write_order_outputs(req)


def write_order_outputs(req: OutputRequest, settings=None, store=None, resubmit_of: str | None = None,
                        lang: str | None = None, sheet: str = "6inch", more=()) -> OutputRecord:
    """Record the order and write its files through the one order writer
    (:func:`studio_app.services.order_writer.write_order`): ``<output>/<date>/<receipt no>/`` with
    photo.jpg, sheet.jpg + sheet.pdf (print layout, the printer's dpi), report.json and receipt.pdf.
    A rejected photo is recorded with its reasons (no files), so it can be resubmitted later.
    ``more``: ``[(spec, result)]``, the other documents of the same capture (one order).
    Qt-free; both shells use it."""
    import datetime as _dt
    import uuid

    from .services.order_writer import write_order
    from .settings import load_settings, output_dir

    if settings is None:
        settings = load_settings()[0]
    own_store = store is None
    if store is None:
        from .orders import open_store

        store = open_store(settings.database_url or None, station=settings.station_code, settings=settings)
    try:
        a = req.applicant
        if not resubmit_of:  # the one ID-number rule, a rejected photo's order too
            from .services.id_rule import check_id_number

            check_id_number(req.spec, a.id_number, settings)
        if not req.approved:
            result = req.result
            report = result.to_dict(lang or messages.language()) if result is not None and hasattr(
                result, "to_dict") else None
            token = uuid.uuid4().hex
            if resubmit_of:
                order = store.resubmit(resubmit_of, report=report, client_token=token)
            else:
                order = store.create_order(req.spec.id, a.name, a.id_number or None, a.city or None,
                                           phone=a.phone or None, report=report, client_token=token,
                                           more_specs=[sp.id for sp, _r in more])
            order = store.set_status(order.receipt_no, "rejected", list(req.reject_reasons) or ["rejected"])
            return OutputRecord(receipt_no=order.receipt_no, extra={"order": order, "status": order.status})
        from .compliance.finished import confirm

        written = write_order(store, req.spec, a, confirm(req.result, req.confirmations),
                              output_dir(settings) / _dt.date.today().isoformat(),
                              settings=settings, sheet=sheet, lang=lang, resubmit_of=resubmit_of, status="exported",
                              more=more)
        order = written.order
        return OutputRecord(receipt_no=order.receipt_no, photo_path=written.first("photo"),
                            sheet_path=written.first("sheet"), sheet_pdf_path=written.first("sheet_pdf"),
                            receipt_path=written.path("receipt.pdf"), folder=written.folder,
                            extra={"order": order, "status": order.status, "image_no": order.image_no})
    finally:
        if own_store:
            store.close()
