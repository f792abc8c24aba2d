"""One capture, several documents through the one order writer and `process --spec A,B,C`
(issue 17): one order, an item per document with its own image number and files, one receipt
listing every document (parsed back), a whole order or nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import PORTRAITS
from studio_app.cli import main as cli_main
from studio_app.hashing import sha256_file
from studio_app.orders import open_store
from test_order_writer import _enospc_on, _files_under, _portrait

SPECS = ["resident_id", "sscard", "two_inch"]


def pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return "".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def _all_recorded(store, order) -> list[tuple[str, str]]:
    from studio_app.orders.store import sha256_bytes  # noqa: F401 - same hash as the writer's

    return [(kind, path) for kind, path, _sha in store._recorded(order.receipt_no)]


@pytest.fixture
def use_db(db_url):
    os.environ["STUDIO_APP_DATABASE_URL"] = db_url
    yield db_url
    del os.environ["STUDIO_APP_DATABASE_URL"]


def test_one_capture_three_documents_is_one_order_with_one_receipt_listing_each(use_db, tmp_path, capsys):
    img = _portrait("ldn_006_f_bun.jpg")
    out = tmp_path / "out"
    rc = cli_main(["process", str(img), "--spec", ",".join(SPECS), "--out", str(out), "--name", "王小明", "--id-number", "11010519491231002X"])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    with open_store(use_db) as store:
        (order,) = store.list()
        assert [i.spec_id for i in order.items] == SPECS
        assert [i.verdict for i in order.items] == ["ok"] * 3
        numbers = [i.image_no for i in order.items]
        assert len(set(numbers)) == 3 and numbers[0] == order.image_no
        folder = (out / order.receipt_no).resolve()
        names = sorted(p.name for p in folder.iterdir())
        assert names == sorted([f"{stem}-{s}.{ext}" for s in SPECS for stem, ext in
                                (("photo", "jpg"), ("sheet", "jpg"), ("sheet", "pdf"), ("report", "json"))]
                               + ["receipt.pdf"])
        # every face-bearing file is recorded with the hash of the bytes written
        recorded = {Path(p).name for _k, p in _all_recorded(store, order)}
        assert recorded == set(names)
        for item, spec_id in zip(order.items, SPECS):
            photo = Path(item.files["photo"]["path"])
            assert photo.name == f"photo-{spec_id}.jpg"
            assert sha256_file(photo) == item.files["photo"]["sha256"] == item.photo_sha256
            assert store.item_photo(order.receipt_no, item.position) == photo.read_bytes()
            report = json.loads((folder / f"report-{spec_id}.json").read_text("utf-8"))
            assert report["spec"] == spec_id and report["ok"] is True
            assert report["order_item"]["image_no"] == item.image_no
            assert f"photo-{spec_id}.jpg" in report["files"]
        from PIL import Image

        sizes = [Image.open(i.files["photo"]["path"]).size for i in order.items]
        assert sizes == [(358, 441), (358, 441), (413, 579)]  # each cropped to its own spec
        # one receipt listing every document with its own image number; the signed QR verifies
        text = pdf_text(folder / "receipt.pdf")
        for number in numbers:
            assert number in text
        for name in ("居民身份证", "社保卡", "2寸"):
            assert name in text
        assert "35×49 mm" in text and "26×32 mm" in text
        from studio_app.services.receipt_check import check_receipt

        checked = check_receipt(str(folder / "receipt.pdf"), store)
        assert checked.status == "valid"
        assert checked.details["documents"] == "; ".join(f"{s} {n}" for s, n in zip(SPECS, numbers))
        assert store.check_consistency() == []
        # an item's photo verifies too (it is a recorded file of the order)
        assert check_receipt(order.items[2].files["photo"]["path"], store).verdict.order.receipt_no == order.receipt_no
        capsys.readouterr()
        assert cli_main(["orders", "show", order.receipt_no]) == 0
        shown = capsys.readouterr().out
        for item in order.items:
            assert f"{item.spec_id}  {item.image_no}  ok  {item.photo_path}" in shown
        assert cli_main(["orders", "list", "--search", numbers[1]]) == 0
        assert "resident_id+sscard+two_inch" in capsys.readouterr().out
        store.erase(order.receipt_no, reason="customer_request")
    assert _files_under(out) == [], "erase left a document's file behind"


def test_a_mixed_sheet_for_the_order_replaces_the_sheets_per_document(use_db, tmp_path, capsys):
    img = _portrait("ldn_006_f_bun.jpg")
    out = tmp_path / "out"
    rc = cli_main(["process", str(img), "--spec", "resident_id,two_inch", "--out", str(out), "--name", "王小明", "--id-number", "11010519491231002X",
                   "--sheet-layout", "resident_id:4,two_inch:2"])
    assert rc == 0, capsys.readouterr().err
    with open_store(use_db) as store:
        (order,) = store.list()
        folder = out / order.receipt_no
        assert sorted(p.name for p in folder.glob("sheet*")) == ["sheet.jpg", "sheet.pdf"]
        assert order.files["sheet"]["path"].endswith("sheet.jpg")
        assert all("sheet" not in i.files for i in order.items)  # the sheet is the order's, not an item's
        assert store.check_consistency() == []


def test_a_retake_on_one_document_issues_no_part_of_the_order(use_db, tmp_path, capsys):
    """The sitter's white T-shirt on the white backdrop: 社保卡 needs a retake (clothing), the
    blue-backed 2寸 does not. The order is refused whole: no order, no number, nothing printable."""
    if not (PORTRAITS / "ldn_006_f_bun.jpg").is_file():
        pytest.skip("shared portraits not present")
    out = tmp_path / "out"
    rc = cli_main(["process", str(PORTRAITS / "ldn_006_f_bun.jpg"), "--spec", "two_inch,sscard", "--out", str(out),
                   "--name", "王小明", "--id-number", "11010519491231002X", "--background", "blue"])
    err = capsys.readouterr().err
    assert rc == 3, err
    assert "社保卡" in err and "[sscard]" in err and "2寸" not in err.split("sscard")[0].splitlines()[-1]
    assert "整单未出具" in err or "not issued" in err
    with open_store(use_db) as store:
        assert store.list() == []
        assert not any(e["action"] == "created" for e in store.audit_entries())
    files = _files_under(out)
    assert sorted(p.relative_to(out).as_posix() for p in files) == ["sscard/report.json", "two_inch/report.json"]
    report = json.loads((out / "sscard" / "report.json").read_text("utf-8"))
    assert report["retake"] is True and report["order_refused"] is True and report["files"] == ["report.json"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_full_disk_on_the_last_document_rolls_back_every_document(use_db, tmp_path, monkeypatch, capsys):
    img = _portrait("ldn_006_f_bun.jpg")
    out = tmp_path / "out"
    _enospc_on(monkeypatch, "report-two_inch.json")
    rc = cli_main(["process", str(img), "--spec", ",".join(SPECS), "--out", str(out), "--name", "王小明", "--id-number", "11010519491231002X"])
    monkeypatch.undo()
    assert rc != 0
    assert "No space" in capsys.readouterr().err
    with open_store(use_db) as store:
        assert store.list() == []
        assert any(e["action"] == "abandoned" for e in store.audit_entries())
        assert not store.check_consistency()
    assert _files_under(out) == []


def test_a_city_swaps_only_documents_that_have_a_variant_for_it():
    """广州市 has its own 社保卡 spec; the 2寸 and the exam photos have none and stay what was asked
    (before: spec_for_city gave the family's first spec, so 2寸 became 1寸 and CET became 学信网)."""
    from studio_app.services.orders import spec_for_city
    from studio_app.specs import get_spec

    assert spec_for_city(get_spec("sscard"), "广州市").id == "sscard_guangzhou"
    assert spec_for_city(get_spec("sscard_guangzhou"), "深圳市").id == "sscard_shenzhen"
    assert spec_for_city(get_spec("two_inch"), "广州市").id == "two_inch"
    assert spec_for_city(get_spec("cet"), "深圳市").id == "cet"
    assert spec_for_city(get_spec("resident_id"), "广州市").id == "resident_id"


def test_the_writer_refuses_an_order_with_a_document_needing_a_retake(db_url, tmp_path):
    """The shells' path: nothing is numbered or written when one document is a retake."""
    if not (PORTRAITS / "ldn_006_f_bun.jpg").is_file():
        pytest.skip("shared portraits not present")
    from studio_app.errors import StudioError
    from studio_app.imageio import load_image
    from studio_app.imaging.documents import process_documents
    from studio_app.imaging.pipeline import ProcessOptions
    from studio_app.services.order_writer import write_order
    from studio_app.services.orders import Applicant
    from studio_app.settings import Settings
    from studio_app.specs import get_spec

    docs = process_documents(load_image(PORTRAITS / "ldn_006_f_bun.jpg"), [get_spec("two_inch"), get_spec("sscard")],
                             ProcessOptions(background="blue"))
    assert not docs[0][1].retake and docs[1][1].retake  # white T-shirt on 社保卡's white backdrop
    with open_store(db_url) as store:
        with pytest.raises(StudioError) as caught:
            write_order(store, docs[0][0], Applicant("王小明", "11010519491231002X"), docs[0][1], tmp_path / "out",
                        settings=Settings(output_dir=str(tmp_path / "out")), more=docs[1:])
        assert caught.value.key == "orders.item_retake"
        assert "社保卡" in caught.value.message("zh_CN")
        assert store.list() == [] and store.audit_entries() == []
    assert _files_under(tmp_path / "out") == []


def test_several_documents_without_an_applicant_are_plain_exports_one_folder_each(use_db, tmp_path, capsys):
    img = _portrait("ldn_006_f_bun.jpg")
    out = tmp_path / "out"
    rc = cli_main(["process", str(img), "--spec", "resident_id,two_inch", "--out", str(out),
                   "--sheet-layout", "resident_id:4,two_inch:2"])
    assert rc == 0, capsys.readouterr().err
    names = sorted(p.relative_to(out).as_posix() for p in _files_under(out))
    assert names == ["resident_id/photo.jpg", "resident_id/report.json", "sheet.jpg", "sheet.pdf",
                     "two_inch/photo.jpg", "two_inch/report.json"]
    with open_store(use_db) as store:
        assert store.list() == []  # no --name: no order
