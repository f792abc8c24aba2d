"""The receipt of an order of several documents (issue 17): one receipt lists every document with
its own image number and print size, on every paper size, in both languages; parsed back with
pypdfium2; the signed QR is the same kind as a one-document receipt's and verifies."""

from __future__ import annotations

import pytest

from studio_app.orders import open_store
from studio_app.receipts import Studio, parse_payload, render_receipt
from test_order_items_writer import pdf_text
from test_orders_store import jpeg_bytes

STUDIO = Studio("示例照相馆", "广州市天河区", "020-12345678", 60)


@pytest.fixture
def order(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'o.sqlite3'}") as store:
        yield store.create_order("sscard", "王小明", "11010519491231002X", "广州市",
                                 more_specs=["resident_id", "two_inch"])


@pytest.mark.parametrize("template", ["A5", "A6", "thermal80"])
def test_every_document_is_listed_with_its_image_number_and_size(order, template, tmp_path):
    pdf = render_receipt(order, jpeg_bytes(1), STUDIO, template)
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = pdf_text(tmp_path / "r.pdf")
    assert "一次拍摄，共 3 项" in text
    flat = "".join(text.split())  # a narrow roll wraps a document's line
    for item, size in zip(order.items, ("26×32mm", "26×32mm", "35×49mm")):
        at = flat.rindex(f"图像号{item.image_no}")  # the documents section (the first is the top block)
        assert flat[at:].startswith(f"图像号{item.image_no}{size}") or flat[:at].endswith(size)  # roll: 2 lines
    assert "居民身份证" in text and "2寸" in text
    # the last line (the studio's-receipt disclaimer) is still on the page
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(tmp_path / "r.pdf"))
    page = doc[0]
    assert len(doc) == 1
    tp = page.get_textpage()
    _w, h = page.get_size()
    boxes = [tp.get_charbox(i) for i in range(tp.count_chars())]
    assert min(b[1] for b in boxes) > 0, "text fell off the bottom of the page"
    doc.close()


def test_english_receipt_and_the_signed_qr(order, tmp_path):
    pdf = render_receipt(order, jpeg_bytes(2), STUDIO, "A5", lang="en")
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = pdf_text(tmp_path / "r.pdf")
    assert "one capture, 3 documents" in text
    assert f"image no. {order.items[2].image_no}" in text
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(tmp_path / "r.pdf"))
    info = parse_payload(doc.get_metadata_dict()["Subject"])
    doc.close()
    assert info["receipt_no"] == order.receipt_no and info["image_no"] == order.image_no
    assert info["signature"] == "ok"


def test_a_one_document_receipt_has_no_documents_section(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'o.sqlite3'}") as store:
        one = store.create_order("sscard", "王小明")
    pdf = render_receipt(one, jpeg_bytes(3), STUDIO, "A5")
    (tmp_path / "r.pdf").write_bytes(pdf)
    assert "一次拍摄" not in pdf_text(tmp_path / "r.pdf")


def test_a_reprinted_receipt_still_lists_every_document(tmp_path):
    """History's "重印回执" (services.orders.issue_receipt) renders from the store: the items are there."""
    from studio_app.services.orders import issue_receipt
    from studio_app.settings import Settings

    with open_store(f"sqlite:///{tmp_path / 'o.sqlite3'}") as store:
        order = store.create_order("resident_id", "王小明", more_specs=["sscard"])
        store.record_export(order.receipt_no, jpeg_bytes(4), {}, items={0: {"jpeg": jpeg_bytes(4)},
                                                                         1: {"jpeg": jpeg_bytes(5)}})
        path, again = issue_receipt(store, order.receipt_no, tmp_path / "again.pdf",
                                    settings=Settings(studio_name="示例照相馆"))
    text = pdf_text(path)
    assert "一次拍摄，共 2 项" in text
    assert all(i.image_no in text for i in again.items)
