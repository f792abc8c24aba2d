"""Glue for the shells and the ``process`` command: record a finished photo as an order, issue
its receipt PDF, pick the city variant of a spec."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .. import messages
from ..codes.regions import check_city
from ..errors import StudioError
from ..orders import Order, OrderStore

log = logging.getLogger(__name__)

messages.register({
    "orders.no_photo": ("订单 {receipt_no} 没有保存照片，无法出具回执",
                        "Order {receipt_no} has no stored photo, so no receipt can be made"),
})


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str | None = None
    city: str | None = None
    phone: str | None = None


def spec_for_city(spec, city: str | None):
    """The city variant of ``spec``'s document type where one exists (深圳市 -> sscard_shenzhen),
    else ``spec`` itself (another city's variant: the national one). Province names are not cities: they give ``spec`` back unchanged."""
    if not city:
        return spec
    check = check_city(city)
    if not check.ok:
        return spec
    from ..specs import default_library

    variant = default_library().for_city(spec.family, check.city)
    if variant is None:
        return spec
    if variant.city and variant.city == check.city:
        return variant
    # another city's variant for this applicant: the family's national one; otherwise a family
    # without a variant for this city (2寸, exam photos) keeps the spec asked for
    return variant if getattr(spec, "city", None) and spec.city != check.city else spec


def _settings(settings=None):
    if settings is not None:
        return settings
    from ..settings import load_settings

    return load_settings()[0]


def issue_receipt(store: OrderStore, receipt_no: str, out: str | os.PathLike | None = None,
                  template: str | None = None, settings=None, lang: str | None = None) -> tuple[Path, Order]:
    """Render the receipt of a stored order from the store's own photo, write it atomically to
    ``out`` (default: beside the exported photo, else <data>/receipts/RECEIPT_NO.pdf) and record its
    hash so ``receipt verify`` knows it. Returns (path, order)."""
    from ..paths import data_dir
    from ..receipts import Studio, render_receipt

    settings = _settings(settings)
    order = store.get(receipt_no)
    jpeg = store.photo(order.receipt_no)
    if jpeg is None:
        raise StudioError("orders.no_photo", receipt_no=order.receipt_no)
    pdf = render_receipt(order, jpeg, Studio.from_settings(settings), template or settings.receipt_template,
                         lang=lang or messages.language())
    if out is None:
        photo = order.photo_path
        out = (Path(photo).parent / "receipt.pdf") if photo else data_dir() / "receipts" / f"{order.receipt_no}.pdf"
    order = store.attach_file(order.receipt_no, "receipt", out, data=pdf)
    return Path(out).resolve(), order


def record_processed(store: OrderStore, spec, applicant: Applicant, photo_jpeg_path: str | os.PathLike,
                     report_dict: dict | None = None, *, sheet_path: str | os.PathLike | None = None,
                     receipt: bool = True, receipt_path: str | os.PathLike | None = None,
                     template: str | None = None, settings=None, client_token: str | None = None,
                     resubmit_of: str | None = None) -> Order:
    """Create the order for a photo the pipeline has written, store the photo with it, and (by
    default) write DIR/receipt.pdf next to the photo. With ``settings.kiosk_review_queue`` the
    order waits in the review queue as "captured"; otherwise it is "exported" at once.
    ``resubmit_of``: the rejected order this photo replaces (a free resubmission)."""
    settings = _settings(settings)
    photo_jpeg_path = Path(photo_jpeg_path)
    if resubmit_of:
        order = store.resubmit(resubmit_of, report=report_dict, client_token=client_token)
    else:
        order = store.create_order(spec.id, applicant.name, applicant.id_number, applicant.city,
                                   phone=applicant.phone, report=report_dict, client_token=client_token)
    status = None if settings.kiosk_review_queue else "exported"
    order = store.attach_export(order.receipt_no, photo_jpeg_path, sheet_path=sheet_path, status=status)
    if receipt:
        out = receipt_path or photo_jpeg_path.parent / "receipt.pdf"
        _path, order = issue_receipt(store, order.receipt_no, out, template=template, settings=settings)
    log.info("order %s recorded (%s)", order.receipt_no, order.status)
    return order
