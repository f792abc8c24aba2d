"""Operator-window widgets tested alone (pytest-qt, offscreen)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from studio_app.specs import get_spec  # noqa: E402

pytestmark = pytest.mark.gui


# -- overlay geometry (plain math) ------------------------------------------------------------------
def test_guide_follows_the_spec_geometry():
    from studio_app.ui.overlay import guide_for

    spec = get_spec("sscard")  # 358x441, crown 7–21 px, face width 179–255 px, eye x 162–196
    g = guide_for(spec, 1280, 720)
    x, y, w, h = g.frame
    assert h == pytest.approx(0.92 * 720)
    assert w / h == pytest.approx(358 / 441)
    assert x == pytest.approx((1280 - w) / 2)
    k = g.scale
    assert g.crown_y == pytest.approx(y + 14 * k)
    assert g.centre_x == pytest.approx(x + 179 * k)
    assert g.oval[2] == pytest.approx(217 * k)  # face width at the middle of its range
    assert g.crown_y < g.eye_band[0] < g.eye_band[1] < g.chin_y < y + h


def test_guide_for_a_square_spec_on_a_portrait_frame():
    from studio_app.ui.overlay import guide_for

    spec = get_spec("us_passport")  # 600x600, eye line 187–269 px
    g = guide_for(spec, 480, 640)
    x, y, w, h = g.frame
    assert w == pytest.approx(0.92 * 480) and h == pytest.approx(w)
    assert g.eye_band[0] == pytest.approx(y + 186.6 * g.scale, abs=0.5)


# -- live view -------------------------------------------------------------------------------------
def _colour_pixels(img, rgb, tol=40):
    arr = img.convertToFormat(img.Format.Format_RGB888)
    w, h = arr.width(), arr.height()
    buf = np.frombuffer(arr.constBits(), np.uint8, arr.bytesPerLine() * h).reshape(h, -1)[:, : w * 3]
    px = buf.reshape(h, w, 3).astype(int)
    return int((np.abs(px - np.array(rgb)).sum(axis=2) < tol).sum())


def test_live_view_draws_the_guide_in_the_verdict_colour(qtbot):
    from studio_app.ui.live_view import LiveView

    view = LiveView()
    qtbot.addWidget(view)
    view.resize(800, 450)
    view.show()
    view.set_spec(get_spec("sscard"))
    frame = np.full((720, 1280, 3), 90, np.uint8)
    with qtbot.waitSignal(view.frameShown, timeout=3000) as sig:
        view.show_frame(frame, 1234)
    assert sig.args == [1234]
    assert view.guide is not None
    view.show_result("good", "很好，请保持", None)
    green = _colour_pixels(view.grab().toImage(), (46, 204, 113))
    view.show_result("bad", "请靠近一点", None)
    img = view.grab().toImage()
    assert green > 500
    assert _colour_pixels(img, (231, 76, 60)) > 500 and _colour_pixels(img, (46, 204, 113)) < green / 10
    assert view.hint_text == "请靠近一点"


def test_live_view_message_without_frames(qtbot):
    from studio_app.ui.live_view import LiveView

    view = LiveView()
    qtbot.addWidget(view)
    view.show_frame(np.zeros((10, 10, 3), np.uint8))
    view.set_message("相机已断开")
    assert view.current_frame() is None


# -- checklist -------------------------------------------------------------------------------------
def _report(*statuses):
    results = [SimpleNamespace(id=f"c{i}", status=s, message_key=f"no.such.key.{i}", params={}, measured=1.5,
                               limit=(1.0, 2.0)) for i, s in enumerate(statuses)]
    return SimpleNamespace(results=results, ok=all(s != "fail" for s in statuses))


def test_checklist_updates_rows_in_place(qtbot):
    from studio_app.ui.checklist import ChecklistPanel

    panel = ChecklistPanel()
    qtbot.addWidget(panel)
    panel.set_report(_report("pass", "fail", "warn"))
    assert panel.row_count() == 3
    first = panel.tree.topLevelItem(0)
    assert panel.statuses == {"c0": "pass", "c1": "fail", "c2": "warn"}
    assert "1" in panel.summary.text()  # one failure
    panel.set_report(_report("pass", "pass"))
    assert panel.row_count() == 2 and panel.tree.topLevelItem(0) is first
    assert panel.statuses == {"c0": "pass", "c1": "pass"}
    assert panel.tree.topLevelItem(1).text(1) == "测量值 1.5（限值 1–2）"  # unknown ids: labelled raw value
    panel.set_report(None)
    assert panel.row_count() == 0


def test_checklist_shows_real_compliance_messages(qtbot, astronaut):
    from studio_app.compliance import run_checks
    from studio_app.ui.checklist import ChecklistPanel, check_text
    from studio_app.vision.analyzer import analyze_still

    report = run_checks(analyze_still(astronaut), get_spec("sscard"), live=True)
    panel = ChecklistPanel()
    qtbot.addWidget(panel)
    panel.set_report(report, "zh_CN")
    assert panel.row_count() == len(report.results)
    texts = [check_text(r, "zh_CN") for r in report.results]
    assert all(t and not t.startswith("compliance.") for t in texts)  # every key has a message


def test_checklist_values_in_plain_language_with_tooltips(qtbot, astronaut):
    """The measured column reads like "低头 9°（≤ 5°）", not "-8.7 / 5.0"; both columns explain the
    check in a tooltip; the live panel says which eye is closed when it has the analysis."""
    from studio_app.compliance import run_checks
    from studio_app.compliance.display import explain, value_text
    from studio_app.ui.checklist import ChecklistPanel
    from studio_app.vision.analyzer import analyze_still

    analysis = analyze_still(astronaut)
    report = run_checks(analysis, get_spec("sscard"))
    panel = ChecklistPanel()
    qtbot.addWidget(panel)
    for lang in ("zh_CN", "en"):
        panel.set_report(report, lang, analysis)
        rows = {r.id: panel.tree.topLevelItem(i) for i, r in enumerate(report.results)}
        for r in report.results:
            item = rows[r.id]
            assert item.text(0).endswith(r.title(lang))  # the check's short name, the mark before it
            assert item.text(1) == value_text(r, lang, analysis)
            for col in (0, 1):  # the full message and what the check means
                tip = item.toolTip(col)
                assert explain(r.id, lang) in tip and r.message(lang) in tip, tip
        deg = round(abs(report["pitch"].measured))  # the astronaut's chin is down (pitch < 0)
        assert report["pitch"].measured < 0
        assert rows["pitch"].text(1) == (f"低头 {deg}°（≤ 5°）" if lang == "zh_CN" else f"Chin down {deg}° (≤ 5°)")
        assert rows["eyes_open"].text(1) == ("左眼 睁开 / 右眼 睁开" if lang == "zh_CN" else
                                             "Left eye open / right eye open")
        assert not any(item.text(1) in ("", "-8.7 / 5.0") for item in rows.values())


def test_review_checklist_lists_failures_first(qtbot, astronaut):
    from studio_app.compliance import run_checks
    from studio_app.ui.checklist import ChecklistPanel
    from studio_app.vision.analyzer import analyze_still

    report = run_checks(analyze_still(astronaut), get_spec("sscard"))
    panel = ChecklistPanel(sort_by_status=True)
    qtbot.addWidget(panel)
    panel.set_report(report, "zh_CN")
    shown = [panel.statuses[i] for i in panel.ids()]
    n_fail, n_warn = shown.count("fail"), shown.count("warn")
    assert n_fail >= 5 and n_warn >= 1
    assert shown == ["fail"] * n_fail + ["warn"] * n_warn + ["pass"] * (len(shown) - n_fail - n_warn)
    fails = [r.id for r in report.results if r.status == "fail"]
    assert panel.ids()[:n_fail] == fails  # the checks' own order within a status
    live = ChecklistPanel()  # the live panel keeps the checks' order (rows do not jump)
    qtbot.addWidget(live)
    live.set_report(report, "zh_CN")
    assert live.ids() == [r.id for r in report.results]


# -- applicant form --------------------------------------------------------------------------------
def test_applicant_form_validates_as_you_type(qtbot):
    from studio_app.ui.applicant_form import ApplicantForm

    form = ApplicantForm()
    qtbot.addWidget(form)
    assert not form.valid
    form.name.setText("李四")
    form.set_city("深圳市")
    qtbot.keyClicks(form.id_number, "110105194912310021")  # wrong check character
    assert not form.valid
    assert "校验码" in form.id_msg.text()
    with qtbot.waitSignal(form.validityChanged, timeout=1000) as sig:
        form.id_number.setText("11010519491231002X")
    assert sig.args == [True] and form.valid
    a = form.applicant()
    assert (a.name, a.id_number, a.city, a.province) == ("李四", "11010519491231002X", "深圳市", "广东省")
    with qtbot.waitSignal(form.validityChanged, timeout=1000) as sig:
        form.city.setEditText("广东省")  # a province is not a city (the source article's warning)
    assert sig.args == [False]
    assert form.city_msg.text()
    form.set_city("深圳市")
    form.phone.setText("12ab")
    assert not form.valid and form.phone_msg.isVisibleTo(form)


# -- printing ---------------------------------------------------------------------------------------
def test_calibration_from_a_measured_test_page():
    from studio_app.ui.printing import Calibration

    cal = Calibration.from_measurement(98.0, 101.0, 21.5, 19.0)
    assert cal.sx == pytest.approx(100 / 98) and cal.sy == pytest.approx(100 / 101)
    assert cal.dx_mm == pytest.approx(-1.5) and cal.dy_mm == pytest.approx(1.0)
    settings = SimpleNamespace(printer_offsets={"P1": cal.to_dict(), "bad": {"sx": "x"}})
    assert Calibration.from_settings(settings, "P1") == cal
    assert Calibration.from_settings(settings, "bad") == Calibration()
    assert Calibration.from_settings(settings, "other") == Calibration()


def _render_pdf(path, dpi):
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(str(path))
    page = doc[0]
    size_pt = page.get_size()
    img = np.asarray(page.render(scale=dpi / 72).to_pil().convert("L"))
    doc.close()
    return img, size_pt


def test_print_at_exact_physical_size_with_offset(qtbot, tmp_path):
    from PySide6.QtGui import QImage
    from PySide6.QtPrintSupport import QPrinter

    from studio_app.ui.printing import Calibration, print_pages, setup_printer

    # a black 40 x 30 mm block as a 300-dpi image, printed at +5 mm / +10 mm on a 100 x 80 mm page
    w, h = round(40 / 25.4 * 300), round(30 / 25.4 * 300)
    img = QImage(w, h, QImage.Format.Format_RGB888)
    img.fill(0)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "p.pdf"
    printer.setOutputFileName(str(out))
    setup_printer(printer, (100.0, 80.0))
    print_pages(printer, [(img, (40.0, 30.0))], Calibration(dx_mm=5.0, dy_mm=10.0))
    page, size_pt = _render_pdf(out, 254)  # 10 px per mm
    assert size_pt == pytest.approx((100 / 25.4 * 72, 80 / 25.4 * 72), abs=1)
    ys, xs = np.nonzero(page < 128)
    assert xs.min() == pytest.approx(50, abs=2) and xs.max() + 1 == pytest.approx(450, abs=2)
    assert ys.min() == pytest.approx(100, abs=2) and ys.max() + 1 == pytest.approx(400, abs=2)


def test_test_page_square_is_100_mm(qtbot, tmp_path):
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtPrintSupport import QPrinter

    from studio_app.ui.printing import Calibration, print_test_page

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "t.pdf"))
    printer.setPageSize(QPageSize(QSizeF(150, 150), QPageSize.Unit.Millimeter))
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    print_test_page(printer, Calibration())
    page, _ = _render_pdf(tmp_path / "t.pdf", 254)
    dark = page < 128
    rows = np.nonzero(dark.sum(axis=1) > 500)[0]  # the square's horizontal edges (long lines)
    cols = np.nonzero(dark.sum(axis=0) > 500)[0]
    assert rows.min() == pytest.approx(200, abs=3) and rows.max() == pytest.approx(1200, abs=3)
    assert cols.min() == pytest.approx(200, abs=3) and cols.max() == pytest.approx(1200, abs=3)


# -- settings --------------------------------------------------------------------------------------
def test_settings_dialog_round_trip(qtbot):
    from studio_app.settings import Settings
    from studio_app.ui.settings_dialog import PDF_PRINTER, SettingsDialog

    dlg = SettingsDialog(Settings(printer_offsets={PDF_PRINTER: {"dx_mm": 1.5, "dy_mm": 0.0, "sx": 1.0, "sy": 1.0}}))
    qtbot.addWidget(dlg)
    dlg.printer.setCurrentIndex(dlg.printer.findData(PDF_PRINTER))
    assert dlg.dx.value() == pytest.approx(1.5)
    dlg.dy.setValue(-2.0)
    dlg.studio_name.setText("阳光照相馆")
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    dlg.station_code.setText("b02")
    s = dlg.settings()
    assert s.studio_name == "阳光照相馆" and s.language == "en" and s.station_code == "B02"
    assert s.printer_offsets[PDF_PRINTER] == {"dx_mm": 1.5, "dy_mm": -2.0, "sx": 1.0, "sy": 1.0}


def test_english_translation_is_installed(qtbot, qapp):
    from studio_app.ui.checklist import ChecklistPanel
    from studio_app.ui.i18n import install_translators

    try:
        assert install_translators(qapp, "en") == "en"
        panel = ChecklistPanel()
        qtbot.addWidget(panel)
        assert panel.title.text() == "Checks"
    finally:
        install_translators(qapp, "zh_CN")
    panel = ChecklistPanel()
    qtbot.addWidget(panel)
    assert panel.title.text() == "检查项目"


def test_bundled_font_is_registered(qapp):
    from PySide6.QtGui import QFontDatabase

    from studio_app.ui.app import register_fonts

    family = register_fonts()
    assert family and family in QFontDatabase.families()
    assert QFontDatabase.isSmoothlyScalable(family)


def test_safe_override_logs_instead_of_raising_into_qt(qtbot, caplog):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    from studio_app.ui import safe_override

    class Touchy(QWidget):
        @safe_override
        def keyPressEvent(self, event):  # noqa: N802
            raise ValueError("bad key")

    w = Touchy()
    qtbot.addWidget(w)
    with caplog.at_level("ERROR"):
        qtbot.keyClick(w, Qt.Key.Key_A)
    assert "bad key" in caplog.text


def test_review_reports_fit_a_1280x800_counter_screen(qtbot):
    """The finished photo's report has the report tab to itself (stacked with the original's,
    each list showed three rows at 1280×800); the original's is a tab that counts its failures;
    the line under the photos names the first problem only (all are listed above the report)."""
    from conftest import load_portrait

    from studio_app.imaging.pipeline import process_photo
    from studio_app.ui.review import ReviewPanel

    result = process_photo(load_portrait("of_lennon_glasses.jpg"), get_spec("sscard"))
    assert not result.ok and len(result.messages("zh_CN")) >= 2
    page = ReviewPanel(lang="zh_CN")
    qtbot.addWidget(page)
    page.resize(480, 720)
    page.show()
    page.show_result(result)
    reports = page.tabs.widget(0)
    assert page.after.isVisibleTo(reports) and not page.before.isVisibleTo(reports)
    fails = sum(1 for s in page.before.statuses.values() if s == "fail")
    assert fails and page.tabs.tabText(1) == f"处理前（{fails} 项不合格）"
    shown = [page.after.statuses[i] for i in page.after.ids()]
    assert shown[0] in ("fail", "warn") and "pass" not in shown[:shown.count("fail") + shown.count("warn")]
    lines = result.messages("zh_CN")
    assert lines[0] in page.status.text() and lines[1] not in page.status.text()
    assert f"另 {len(lines) - 1} 项" in page.status.text()
    assert all(line in page.problems.text() for line in lines) and page.problems.isVisibleTo(page)


def test_kiosk_prints_the_sheet_with_the_printer_calibration(qtbot, tmp_path):
    """The kiosk used to print through its own path that ignored Settings.printer_offsets."""
    from PIL import Image
    from PySide6.QtPrintSupport import QPrinter

    from studio_app.settings import Settings
    from studio_app.ui.kiosk.services import KioskServices

    # a 40 x 30 mm sheet at 300 dpi: black with a white 20 mm margin on the left and top
    w, h = round(40 / 25.4 * 300), round(30 / 25.4 * 300)
    arr = np.zeros((h, w), np.uint8)
    arr[: round(20 / 25.4 * 300), :] = 255
    arr[:, : round(20 / 25.4 * 300)] = 255
    sheet = tmp_path / "sheet.jpg"
    Image.fromarray(arr).convert("RGB").save(sheet, dpi=(300, 300), quality=95)
    out = tmp_path / "k.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setFullPage(True)
    settings = Settings(printer_offsets={printer.printerName(): {"dx_mm": -5.0, "dy_mm": -10.0}})
    assert KioskServices(settings).print_files(printer, None, sheet) == 1
    page, size_pt = _render_pdf(out, 254)  # 10 px per mm
    assert size_pt == pytest.approx((40 / 25.4 * 72, 30 / 25.4 * 72), abs=1)  # paper of the sheet's size
    ys, xs = np.nonzero(page < 128)
    assert xs.min() == pytest.approx(150, abs=3) and ys.min() == pytest.approx(100, abs=3)
