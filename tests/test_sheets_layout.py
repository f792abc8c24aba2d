"""Print sheets: exact physical size at 300 and 254 dpi, copies, cut marks, caption, PDF in mm."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from studio_app.errors import StudioError
from studio_app.imaging import sheets as S
from studio_app.specs import default_library, get_spec


def _photo(spec):
    rng = np.random.default_rng(0)
    img = np.full((spec.height_px, spec.width_px, 3), 255, np.uint8)
    h, w = img.shape[:2]
    img[h // 5: h, w // 5: 4 * w // 5] = rng.integers(60, 200, (h - h // 5, 4 * w // 5 - w // 5, 3), dtype=np.uint8)
    return img


@pytest.mark.parametrize("sheet,dpi", [("6inch", 300), ("6inch", 254), ("5inch", 300), ("a4", 300)])
def test_sheet_has_exact_physical_size(sheet, dpi):
    spec = get_spec("one_inch")
    sh = S.make_sheet(_photo(spec), spec, sheet=sheet, dpi=dpi)
    im = Image.open(io.BytesIO(sh.jpeg))
    page_mm = sorted(S.SHEETS_MM[sheet])
    got_mm = sorted(v / dpi * 25.4 for v in im.size)
    assert got_mm == pytest.approx(page_mm, abs=25.4 / dpi)  # within one printer dot
    assert im.info["dpi"] == (dpi, dpi)
    # the PDF page is the sheet in points (1 mm = 72/25.4 pt)
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", sh.pdf)
    w_pt, h_pt = float(box.group(1)), float(box.group(2))
    assert sorted([w_pt * 25.4 / 72, h_pt * 25.4 / 72]) == pytest.approx(page_mm, abs=0.01)


def test_photos_on_the_sheet_have_the_spec_millimetres():
    spec = get_spec("resident_id")  # 26 x 32 mm
    dpi = 300
    photo = np.zeros((spec.height_px, spec.width_px, 3), np.uint8)  # black: easy to find on white
    sh = S.make_sheet(photo, spec, sheet="6inch", dpi=dpi)
    arr = np.asarray(Image.open(io.BytesIO(sh.jpeg)).convert("L"))
    dark = arr < 60
    x, y = (round(v / 25.4 * dpi) for v in sh.layout.origins_mm[0])
    # walk along the first copy's top row and left column
    def run(line):  # length of the first dark run
        start = int(np.argmax(line))
        stop = start + int(np.argmin(line[start:])) if not line[start:].all() else len(line)
        return stop - start

    width_px = run(dark[y + 20, x - 5:])
    height_px = run(dark[y - 5:, x + 20])
    assert width_px / dpi * 25.4 == pytest.approx(26.0, abs=0.25)
    assert height_px / dpi * 25.4 == pytest.approx(32.0, abs=0.25)
    assert sh.copies == len(sh.layout.origins_mm) >= 8  # a 6寸 sheet holds at least 8 ID-card photos


def test_copies_per_sheet_match_studio_practice():
    assert S.plan_layout((25, 35), "6inch").copies >= 8  # 1寸: 8–10 or more
    assert S.plan_layout((35, 49), "6inch").copies == 4  # 2寸: 4
    assert S.plan_layout((50.8, 50.8), "6inch").copies == 2  # US 2x2 in
    a4 = S.plan_layout((25, 35), "a4")
    assert a4.copies > S.plan_layout((25, 35), "6inch").copies


def test_copies_do_not_overlap_and_stay_inside_the_printable_area():
    for spec in default_library():
        for sheet in S.SHEETS_MM:
            try:
                lay = S.plan_layout(tuple(spec.print_mm), sheet, caption=True)
            except StudioError:
                continue
            w, h = lay.photo_mm
            pw, ph = lay.page_mm
            boxes = [(x, y, x + w, y + h) for x, y in lay.origins_mm]
            for x0, y0, x1, y1 in boxes:
                assert x0 >= S.MARGIN_MM - 1e-6 and y0 >= S.MARGIN_MM - 1e-6
                assert x1 <= pw - S.MARGIN_MM + 1e-6 and y1 <= ph - S.MARGIN_MM - S.CAPTION_MM + 1e-6
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    assert a[2] + S.GAP_MM - 1e-6 <= b[0] or b[2] + S.GAP_MM - 1e-6 <= a[0] or \
                        a[3] + S.GAP_MM - 1e-6 <= b[1] or b[3] + S.GAP_MM - 1e-6 <= a[1]


def test_cut_marks_and_caption_are_drawn():
    spec = get_spec("one_inch")
    plain = S.make_sheet(np.full((spec.height_px, spec.width_px, 3), 255, np.uint8), spec, "6inch", 300)
    arr = np.asarray(Image.open(io.BytesIO(plain.jpeg)).convert("L"))
    assert (arr < 100).sum() > 200  # marks on an otherwise white sheet
    lay = plain.layout
    # marks sit outside the photos
    x, y = lay.origins_mm[0]
    px, py = round(x / 25.4 * 300), round(y / 25.4 * 300)
    assert arr[py + 5: py + 50, px + 5: px + 50].min() > 200
    captioned = S.make_sheet(np.full((spec.height_px, spec.width_px, 3), 255, np.uint8), spec, "6inch", 300,
                             caption="回执号 R0001 张三")
    arr2 = np.asarray(Image.open(io.BytesIO(captioned.jpeg)).convert("L"))
    band = arr2[-round((S.MARGIN_MM + S.CAPTION_MM) / 25.4 * 300):-round(S.MARGIN_MM / 25.4 * 300) + 1]
    assert (band < 100).sum() > 100  # the caption's glyphs
    assert b"WenQuanYi" in captioned.pdf  # CJK font embedded in the PDF


def test_pdf_embeds_the_exported_jpeg_unchanged():
    spec = get_spec("one_inch")
    buf = io.BytesIO()
    Image.fromarray(_photo(spec)).save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    sh = S.make_sheet(_photo(spec), spec, "6inch", 300, photo_jpeg=data)
    assert b"/DCTDecode" in sh.pdf
    # ReportLab stores the JPEG's own bytes (ASCII85/flate wrapping aside) once, reused per copy
    assert sh.pdf.count(b"/Subtype /Image") == 1


def test_bad_inputs():
    spec = get_spec("one_inch")
    with pytest.raises(StudioError):
        S.make_sheet(_photo(spec), spec, sheet="poster")
    with pytest.raises(StudioError):
        S.make_sheet(_photo(spec), spec, dpi=20)
    with pytest.raises(StudioError) as info:
        S.plan_layout((120, 170), "6inch")
    assert info.value.key == "sheet.too_big"
