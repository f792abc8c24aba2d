"""Mixed print sheets (several specs and counts on one sheet) and cut lines on every sheet: the
photos are measured back from the sheet JPEG (pixels) and the PDF (parsed with pypdfium2, mm)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from studio_app.errors import StudioError
from studio_app.imaging import sheets as S
from studio_app.specs import get_spec

RED, BLUE = (220, 30, 30), (30, 30, 220)


def _solid(spec, colour) -> np.ndarray:
    return np.full((spec.height_px, spec.width_px, 3), colour, np.uint8)


def _mixed(dpi: int, sheet: str = "6inch", counts=(4, 2)):
    one, two = get_spec("one_inch"), get_spec("two_inch")
    return S.make_mixed_sheet([("one_inch", _solid(one, RED), None, one.print_mm, counts[0]),
                               ("two_inch", _solid(two, BLUE), None, two.print_mm, counts[1])], sheet, dpi)


def _colour_mask(arr: np.ndarray, colour) -> np.ndarray:
    return (np.abs(arr.astype(int) - np.asarray(colour)).max(axis=2) < 40)


def _measured_boxes(arr: np.ndarray, colour) -> list[tuple[int, int, int, int]]:
    """(x, y, w, h) of each solid photo, measured from its pixels (not from the layout)."""
    from studio_app.imaging.regions import connected_components

    n, labels = connected_components(_colour_mask(arr, colour).astype(np.uint8), 4)
    boxes = []
    for i in range(1, n):
        ys, xs = np.nonzero(labels == i)
        boxes.append((int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


@pytest.mark.parametrize("dpi", [300, 254])
def test_mixed_sheet_jpeg_holds_each_photo_at_its_exact_size(dpi):
    sh = _mixed(dpi)
    im = Image.open(io.BytesIO(sh.jpeg))
    assert im.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
    assert im.size == (S.mm_to_px(sh.layout.page_mm[0], dpi), S.mm_to_px(sh.layout.page_mm[1], dpi))
    arr = np.asarray(im.convert("RGB"))
    for colour, spec_id, n in ((RED, "one_inch", 4), (BLUE, "two_inch", 2)):
        w_mm, h_mm = get_spec(spec_id).print_mm
        boxes = _measured_boxes(arr, colour)
        assert len(boxes) == n, boxes
        for x, y, w, h in boxes:
            # the pixels measured back, to the pixel (25 mm at 300 dpi = 295 px)
            assert abs(w - w_mm / 25.4 * dpi) <= 1.0 and abs(h - h_mm / 25.4 * dpi) <= 1.0, (w, h, w_mm, h_mm)
    # no overlap, inside the printable margins
    from test_sheets_balanced import _inside_and_apart

    _inside_and_apart(sh.layout)


@pytest.mark.parametrize("dpi", [300, 254])
def test_mixed_sheet_pdf_places_each_photo_in_exact_millimetres(dpi):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    sh = _mixed(dpi)
    pdf = pdfium.PdfDocument(sh.pdf)
    page = pdf[0]
    pw_pt, ph_pt = page.get_size()
    assert pw_pt / 72 * 25.4 == pytest.approx(sh.layout.page_mm[0], abs=0.05)
    assert ph_pt / 72 * 25.4 == pytest.approx(sh.layout.page_mm[1], abs=0.05)
    sizes = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        sizes.append((round((right - left) / 72 * 25.4, 2), round((top - bottom) / 72 * 25.4, 2)))
    assert len(sizes) == 6
    want = sorted([tuple(get_spec("one_inch").print_mm)] * 4 + [tuple(get_spec("two_inch").print_mm)] * 2)
    for got, exp in zip(sorted(sizes), want):
        assert got[0] == pytest.approx(exp[0], abs=0.1) and got[1] == pytest.approx(exp[1], abs=0.1)
    # rendered back: the red photos are there at their size
    bmp = page.render(scale=dpi / 72).to_pil().convert("RGB")
    boxes = _measured_boxes(np.asarray(bmp), RED)
    assert len(boxes) == 4
    for _, _, w, h in boxes:
        assert abs(w - 25 / 25.4 * dpi) <= 2 and abs(h - 35 / 25.4 * dpi) <= 2


@pytest.mark.parametrize("maker", ["grid", "mixed"])
def test_cut_lines_frame_every_white_on_white_photo(maker):
    """A white-background photo on white paper: a grey line runs all along each photo's edge."""
    spec = get_spec("one_inch")
    white = np.full((spec.height_px, spec.width_px, 3), 255, np.uint8)
    if maker == "grid":
        sh = S.make_sheet(white, spec, "6inch", 300)
    else:
        sh = S.make_mixed_sheet([("one_inch", white, None, spec.print_mm, 3),
                                 ("two_inch", np.full((579, 413, 3), 255, np.uint8), None,
                                  get_spec("two_inch").print_mm, 2)], "6inch", 300)
    arr = np.asarray(Image.open(io.BytesIO(sh.jpeg)).convert("L")).astype(int)
    assert len(sh.layout.places) >= 5
    for p in sh.layout.places:
        x0, y0 = S.mm_to_px(p.x, 300), S.mm_to_px(p.y, 300)
        x1, y1 = x0 + S.mm_to_px(p.w, 300), y0 + S.mm_to_px(p.h, 300)
        # the line just outside each edge, along its whole length
        for edge in (arr[y0 - 1, x0:x1], arr[y1, x0:x1], arr[y0:y1, x0 - 1], arr[y0:y1, x1]):
            assert (edge < 215).mean() > 0.98, edge.mean()
        # and never on the photo itself
        inner = arr[y0 + 2:y1 - 2, x0 + 2:x1 - 2]
        assert inner.min() > 240
    # in the PDF too: a stroked path per photo
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    page = pdfium.PdfDocument(sh.pdf)[0]
    paths = list(page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]))
    assert len(paths) >= len(sh.layout.places)


def test_layout_text_is_parsed_and_checked():
    assert S.parse_layout("one_inch:4, two_inch:2") == (("one_inch", 4), ("two_inch", 2))
    assert S.parse_layout("one_inch:2,one_inch:2") == (("one_inch", 4),)
    for bad in ("one_inch:x", "one_inch:0", "", "one_inch:100"):
        with pytest.raises(StudioError) as info:
            S.parse_layout(bad)
        assert info.value.key == "sheet.layout_bad"
    with pytest.raises(StudioError):
        S.parse_layout("no_such_spec:2")
    with pytest.raises(StudioError) as info:
        S.parse_layout("one_inch:4,two_inch:2", available=("one_inch",))
    assert info.value.key == "sheet.layout_spec_missing"


def test_too_many_photos_for_the_sheet_say_so():
    with pytest.raises(StudioError) as info:
        _mixed(300, "5inch", counts=(8, 6))
    assert info.value.key == "sheet.layout_too_many"
    assert "5寸" in info.value.message("zh_CN")


def test_a4_holds_a_large_mix():
    sh = _mixed(300, "a4", counts=(16, 8))
    assert sh.layout.count("one_inch") == 16 and sh.layout.count("two_inch") == 8


def test_process_cli_writes_a_mixed_sheet_of_a_real_portrait(tmp_path, portraits):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from studio_app.cli import main

    out = tmp_path / "out"
    code = main(["process", str(portraits / "ldn_006_f_bun.jpg"), "--spec", "one_inch", "--out", str(out),
                 "--sheet-layout", "one_inch:4,two_inch:2", "--dpi", "254"])
    assert code == 0
    page = pdfium.PdfDocument((out / "sheet.pdf").read_bytes())[0]
    sizes = sorted((round((r - l) / 72 * 25.4, 1), round((t - b) / 72 * 25.4, 1))
                   for l, b, r, t in (o.get_bounds() for o in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])))
    assert sizes == [(25.0, 35.0)] * 4 + [(35.0, 49.0)] * 2
    import json

    assert json.loads((out / "report.json").read_text("utf-8"))["sheet"]["photos"] == {"one_inch": 4, "two_inch": 2}
    im = Image.open(out / "sheet.jpg")
    assert im.info["dpi"] == pytest.approx((254, 254), abs=0.01)
    # a typo in the layout fails before any work, with a message
    assert main(["process", str(portraits / "ldn_006_f_bun.jpg"), "--spec", "one_inch", "--out",
                 str(tmp_path / "typo"), "--sheet-layout", "nope:1"]) == 2
    assert not (tmp_path / "typo").exists()
