"""Glue for the shells and the ``process`` command: the applicant, a stored order's receipt PDF,
the city variant of a spec. Orders and their files are made by :mod:`services.order_writer`."""

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
