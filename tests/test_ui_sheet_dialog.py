"""A mixed print sheet from the operator window's done page (real window offscreen, a real
portrait through capture, review and output): 4 × 1寸 + 2 × 2寸 on a 6寸 sheet, printed through
the one printing path to a PDF that is parsed back and compared with the sheet."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from studio_app.camera import ImageSource  # noqa: E402
from studio_app.session import State  # noqa: E402
from studio_app.ui.printing import pdf_printer  # noqa: E402
from test_ui_flow import fill_form, load_portrait, make_window, wait_state  # noqa: E402,F401

pytestmark = pytest.mark.gui
SHOTS = Path(os.environ["STUDIO_APP_SHOTS"]) if os.environ.get("STUDIO_APP_SHOTS") else None


def test_mixed_sheet_chosen_on_the_done_page_prints_at_exact_size(qtbot, make_window, tmp_path):
    import pypdfium2 as pdfium
    from PIL import Image

    w = make_window(ImageSource(load_portrait("ldn_004_m_stubble.jpg")))
    wait_state(qtbot, w, State.REVIEW, timeout=60000)
    fill_form(w)
    with qtbot.waitSignal(w.outputWritten, timeout=30000) as sig:
        w.review.approve.click()
    rec = sig.args[0]
    assert w.done.print_mixed.isEnabled()

    dlg = w.mixed_sheet_dialog()
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.layout_text() == "one_inch:4,two_inch:2" and dlg.paper.currentData() == "6inch"
    qtbot.waitUntil(lambda: dlg.print_button.isEnabled(), timeout=90000)
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        dlg.grab().save(str(SHOTS / "sheet_chooser.png"))
    sh = dlg.sheet_result
    assert sh.layout.count("one_inch") == 4 and sh.layout.count("two_inch") == 2
    assert sh.layout.page_mm in ((102.0, 152.0), (152.0, 102.0)) and sh.dpi == 300
    pdf = tmp_path / "mixed.pdf"
    assert dlg.print_sheet(pdf_printer(pdf))
    page = pdfium.PdfDocument(str(pdf))[0]
    w_pt, h_pt = page.get_size()
    assert abs(w_pt / 72 * 25.4 - sh.layout.page_mm[0]) < 0.3 and abs(h_pt / 72 * 25.4 - sh.layout.page_mm[1]) < 0.3
    printed = np.asarray(page.render(scale=100 / 72).to_pil().convert("L"), dtype=float)
    import io

    sheet = Image.open(io.BytesIO(sh.jpeg)).convert("L").resize(printed.shape[::-1], Image.BOX)
    assert np.abs(printed - np.asarray(sheet, dtype=float)).mean() < 6  # placed at exact size, not fitted
    assert w.store.get(rec.receipt_no).status == "printed"
    # the order's own spec takes the reviewed photo; too many for the paper is said at once
    dlg.set_counts({"sscard": 2, "two_inch": 12})
    qtbot.waitUntil(lambda: not dlg.busy, timeout=30000)
    assert "放不进" in dlg.info.text() and not dlg.print_button.isEnabled()
    dlg.set_counts({"sscard": 2, "one_inch": 2})
    qtbot.waitUntil(lambda: dlg.print_button.isEnabled(), timeout=60000)
    assert dlg._results["sscard"] is w.session.data.result
    dlg.done(0)
    # no finished order: nothing to lay out
    w.next_customer()
    wait_state(qtbot, w, State.LIVE)
    assert w.mixed_sheet_dialog() is None
