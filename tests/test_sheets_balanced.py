"""Mixed sheets lay photos out in balanced rows (issue found by trying the product: four 1寸 on a
6寸 sheet came out as a row of 3 and a row of 1): the fewest rows, then rows as even as possible,
rows of one size on the same columns — every photo at its exact size inside the printable area.
Checked on the layout (mm) and on the PDF parsed back."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from studio_app.imaging import sheets as S
from studio_app.specs import get_spec

ONE = tuple(get_spec("one_inch").print_mm)  # 25 x 35 mm
TWO = tuple(get_spec("two_inch").print_mm)  # 35 x 49 mm


def _rows(places) -> list[list[S.Place]]:
    rows: dict[float, list[S.Place]] = {}
    for p in places:
        rows.setdefault(round(p.y, 3), []).append(p)
    return [sorted(rows[y], key=lambda p: p.x) for y in sorted(rows)]


def _inside_and_apart(layout) -> None:
    pw, ph = layout.page_mm
    places = layout.places
    for i, a in enumerate(places):
        assert a.x >= S.MARGIN_MM - 1e-6 and a.y >= S.MARGIN_MM - 1e-6
        assert a.x + a.w <= pw - S.MARGIN_MM + 1e-6 and a.y + a.h <= ph - S.MARGIN_MM + 1e-6
        for b in places[i + 1:]:
            assert (a.x + a.w + S.GAP_MM - 1e-6 <= b.x or b.x + b.w + S.GAP_MM - 1e-6 <= a.x or
                    a.y + a.h + S.GAP_MM - 1e-6 <= b.y or b.y + b.h + S.GAP_MM - 1e-6 <= a.y)


@pytest.mark.parametrize("n, counts", [(4, [2, 2]), (5, [3, 2]), (7, [3, 2, 2]), (8, [3, 3, 2]), (12, [3, 3, 3, 3])])
def test_one_size_fills_rows_evenly_on_the_same_columns(n, counts):
    lay = S.plan_mixed([("one_inch", ONE, n)], "6inch")
    rows = _rows(lay.places)
    assert [len(r) for r in rows] == counts
    assert all((p.w, p.h) == ONE for p in lay.places)
    xs = [p.x for p in rows[0]]
    for r in rows[1:]:  # a shorter row continues the columns of the row above: straight cuts
        assert [p.x for p in r] == pytest.approx(xs[:len(r)], abs=1e-6)
    _inside_and_apart(lay)


def test_four_one_inch_are_a_centred_two_by_two_block():
    lay = S.plan_mixed([("one_inch", ONE, 4)], "6inch")
    pw, ph = lay.page_mm
    (a, b), (c, d) = _rows(lay.places)
    assert b.x - (a.x + a.w) == pytest.approx(S.GAP_MM) and c.y - (a.y + a.h) == pytest.approx(S.GAP_MM)
    assert a.x == pytest.approx(pw - (b.x + b.w)) and a.y == pytest.approx(ph - (d.y + d.h))


def test_a_full_sheet_of_one_size_is_the_single_size_grid():
    grid = S.plan_layout(ONE, "6inch")
    lay = S.plan_mixed([("one_inch", ONE, grid.copies)], "6inch")
    assert lay.page_mm == grid.page_mm
    assert sorted((round(p.x, 6), round(p.y, 6)) for p in lay.places) == \
        sorted((round(x, 6), round(y, 6)) for x, y in grid.origins_mm)


def test_two_sizes_balance_the_small_ones_too():
    # 2 x 2寸 take the first row; 4 x 1寸 follow as 2 + 2 (was 3 + 1)
    lay = S.plan_mixed([("one_inch", ONE, 4), ("two_inch", TWO, 2)], "6inch")
    rows = _rows(lay.places)
    assert [Counter(p.key for p in r) for r in rows] == [{"two_inch": 2}, {"one_inch": 2}, {"one_inch": 2}]
    _inside_and_apart(lay)


def test_a_full_mix_still_fits():
    lay = S.plan_mixed([("one_inch", ONE, 16), ("two_inch", TWO, 8)], "a4")
    assert lay.count("one_inch") == 16 and lay.count("two_inch") == 8
    _inside_and_apart(lay)


def test_the_pdf_places_four_one_inch_as_two_rows_of_two():
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    spec = get_spec("one_inch")
    rgb = np.full((spec.height_px, spec.width_px, 3), (200, 40, 40), np.uint8)
    sh = S.make_mixed_sheet([("one_inch", rgb, None, ONE, 4)], "6inch", 300)
    page = pdfium.PdfDocument(sh.pdf)[0]
    ph = page.get_size()[1]
    boxes = []  # (x, y from the top, w, h) in mm, parsed back from the PDF
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        l, b, r, t = obj.get_bounds()
        boxes.append(tuple(round(v / 72 * 25.4, 2) for v in (l, ph - t, r - l, t - b)))
    assert len(boxes) == 4
    assert all(w == pytest.approx(25, abs=0.05) and h == pytest.approx(35, abs=0.05) for _, _, w, h in boxes)
    assert sorted(Counter(round(y, 1) for _, y, _, _ in boxes).values()) == [2, 2]  # two rows of two
    assert len({round(x, 1) for x, _, _, _ in boxes}) == 2  # on two columns
