"""The documents section of a receipt for an order of several documents from one capture: one
line per document with its own image number and print size (render.py draws it)."""

from __future__ import annotations

from .. import messages

messages.register({
    "receipts.label.documents": ("本回执包含的证件照（一次拍摄，共 {n} 项）",
                                 "Documents on this receipt (one capture, {n} documents)"),
    "receipts.document_line": ("{pos}. {doc}　图像号 {image_no}　{w:g}×{h:g} mm",
                               "{pos}. {doc}   image no. {image_no}   {w:g} × {h:g} mm"),
    "receipts.document_head": ("{pos}. {doc}　{w:g}×{h:g} mm", "{pos}. {doc}   {w:g} × {h:g} mm"),
    "receipts.document_number": ("　  图像号 {image_no}", "    image no. {image_no}"),
})


def document_lines(order, lang: str, narrow: bool = False) -> list[str]:
    """One line per document of an order of several (none for a one-document order); ``narrow``
    (a roll receipt): two lines each, the image number on its own so it is never broken."""
    items = getattr(order, "items", ()) or ()
    if len(items) < 2:
        return []
    from ..specs import get_spec

    lines = []
    for item in items:
        try:
            spec = get_spec(item.spec_id)
            name, (w, h) = spec.name(lang), spec.print_mm
        except Exception:  # a spec removed since the order: its id still identifies it
            name, (w, h) = item.spec_id, (0.0, 0.0)
        values = dict(pos=item.position + 1, doc=name, image_no=item.image_no, w=round(float(w), 1),
                      h=round(float(h), 1))
        if narrow:
            lines += [messages.text("receipts.document_head", lang, **values),
                      messages.text("receipts.document_number", lang, **values)]
        else:
            lines.append(messages.text("receipts.document_line", lang, **values))
    return lines
