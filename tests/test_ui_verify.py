"""The operator window's receipt check (issue 15): a barcode scanner types the receipt's QR into the
dialog and presses Enter; the verdict, the masked details and the STORED photo appear; a forged QR,
a bare number or a file path typed by a "scanner" never show valid or a face."""

from __future__ import annotations

import hashlib

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QImage, QKeySequence  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402

from conftest import PORTRAITS  # noqa: E402
from studio_app.orders import open_store  # noqa: E402
from studio_app.receipts import signing  # noqa: E402
from studio_app.receipts.verify import pdf_subject  # noqa: E402
from studio_app.services.order_writer import write_order  # noqa: E402
from studio_app.services.orders import Applicant  # noqa: E402

pytestmark = pytest.mark.gui
PORTRAIT = "ldn_006_f_bun.jpg"


@pytest.fixture(scope="module")
def processed():
    """A real portrait through the real pipeline (once per module: the result is pure data)."""
    from studio_app.imageio import load_image
    from studio_app.imaging.pipeline import ProcessOptions, process_photo
    from studio_app.specs import get_spec

    if not (PORTRAITS / PORTRAIT).is_file():
        pytest.skip("shared portraits not present")
    spec = get_spec("resident_id")
    result = process_photo(load_image(PORTRAITS / PORTRAIT), spec, ProcessOptions())
    assert result.jpeg  # a finished photo (whether every check passed does not matter here)
    return spec, result


@pytest.fixture
def written(processed, tmp_path):
    """An order made by the one order writer; its QR text read back from the receipt PDF it wrote."""
    from studio_app.settings import Settings

    spec, result = processed
    store = open_store()
    w = write_order(store, spec, Applicant(name="王小明", id_number="11010519491231002X", city="深圳"), result,
                    tmp_path / "out", settings=Settings(output_dir=str(tmp_path / "out")), lang="zh_CN")
    qr = pdf_subject(w.path("receipt.pdf"))
    assert qr and qr.startswith("SRCPT2/")
    yield store, w, qr
    store.close()


@pytest.fixture
def dialog(qtbot, written):
    from studio_app.ui.verify_dialog import VerifyDialog

    store, _, _ = written
    dlg = VerifyDialog(store, lang="zh_CN")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _scan(qtbot, dlg, text: str) -> None:
    """What a USB scanner does: type the characters, then Enter."""
    assert dlg.scan.hasFocus() or dlg.focusWidget() is dlg.scan
    qtbot.keyClicks(dlg.scan, text)
    qtbot.keyClick(dlg.scan, Qt.Key.Key_Return)


def test_a_scanned_valid_qr_shows_valid_the_masked_details_and_the_stored_photo(qtbot, dialog, written):
    store, w, qr = written
    _scan(qtbot, dialog, qr)
    assert dialog.isVisible(), "Enter from the scanner closed the dialog"
    assert dialog.verdict.text() == "有效" and dialog.verdict.property("status") == "valid"
    assert "#1b7f3b" in dialog.verdict.styleSheet()
    assert dialog.fields["name"].text() == "王*明"
    assert dialog.fields["receipt_no"].text() == w.order.receipt_no
    assert dialog.fields["city"].text() == "深圳市"  # the store keeps the normalised city
    assert dialog.fields["id_masked"].text() == "110***********002X"
    assert dialog.fields["doc_type"].text() == "居民身份证" and dialog.fields["status"].text() == "已输出"
    assert "王小明" not in " ".join(f.text() for f in dialog.fields.values())
    # the photo shown is the store's: same bytes as the order's stored JPEG, drawn large
    stored = store.photo(w.order.receipt_no)
    assert dialog.last.photo == stored and hashlib.sha256(stored).hexdigest() == w.order.photo_sha256
    assert dialog.shown_photo()
    pix = dialog.photo.pixmap()
    img = QImage.fromData(stored)
    assert pix.height() >= 400 or pix.width() >= 320
    assert abs(pix.width() / pix.height() - img.width() / img.height()) < 0.02
    # ready for the next scan
    assert dialog.scan.text() == "" and dialog.focusWidget() is dialog.scan
    assert not dialog.scan.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)  # scanner bypasses the IME


def test_a_forged_qr_shows_tampered_and_no_photo(qtbot, dialog, written):
    store, w, qr = written
    o = w.order
    _scan(qtbot, dialog, qr)
    assert dialog.shown_photo()
    # a QR made under the studio's own key for another name: the name hash differs from the order's
    other = signing.make_payload(o.receipt_no, o.image_no, o.spec_id, o.photo_sha256, "李四")
    _scan(qtbot, dialog, other)
    assert dialog.verdict.property("status") == "tampered" and dialog.verdict.text() == "被篡改"
    assert "#c62828" in dialog.verdict.styleSheet()
    assert "姓名" in dialog.reasons.text()
    assert not dialog.shown_photo() and dialog.last.photo is None
    assert dialog.photo.text() == "回执未通过核验，不显示照片"  # not "no stored photo": the order has one
    # the genuine QR with its name hash field edited: the signature breaks, nothing of the order shows
    head, rest = qr.split("/N:", 1)
    field, tail = rest.split("/", 1)
    edited = f"{head}/N:{'A' * len(field)}/{tail}"
    assert edited != qr
    _scan(qtbot, dialog, edited)
    assert dialog.verdict.property("status") == "tampered"
    assert not dialog.shown_photo() and dialog.fields["name"].text() == "—"


def test_a_bare_receipt_number_is_not_valid(qtbot, dialog, written):
    _, w, _ = written
    _scan(qtbot, dialog, w.order.receipt_no)
    assert dialog.verdict.property("status") == "number"
    assert dialog.verdict.text() != "有效" and "#1b7f3b" not in dialog.verdict.styleSheet()
    assert "连续" in dialog.reasons.text()


def test_a_scanned_file_path_is_not_read_as_a_receipt(qtbot, dialog, written):
    """A QR holding the path of a genuine receipt PDF on this PC must not pass as that receipt."""
    _, w, _ = written
    _scan(qtbot, dialog, str(w.path("receipt.pdf")))
    assert dialog.verdict.property("status") == "unknown"
    assert not dialog.shown_photo() and dialog.fields["name"].text() == "—"


def test_english_verdict_and_labels(qtbot, qapp, written):
    from studio_app.ui.i18n import install_translators
    from studio_app.ui.verify_dialog import VerifyDialog

    store, _, qr = written
    install_translators(qapp, "en")
    try:
        dlg = VerifyDialog(store, lang="en")
        qtbot.addWidget(dlg)
        dlg.show()
        _scan(qtbot, dlg, qr)
        assert dlg.windowTitle() == "Check a receipt"
        assert dlg.verdict.text() == "valid" and "signed by the studio's key" in dlg.reasons.text()
        form_labels = [w.text() for w in dlg.findChildren(QLabel)]
        assert "Name:" in form_labels and "Document:" in form_labels
        assert dlg.fields["doc_type"].text().startswith("Resident ID card")
    finally:
        install_translators(qapp, "zh_CN")


def test_the_operator_window_opens_it_with_ctrl_shift_v(qtbot, written):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from studio_app.ui.main_window import MainWindow
    from studio_app.ui.verify_dialog import VerifyDialog

    store, _, qr = written
    from studio_app.settings import Settings

    w = MainWindow(frame_source=None, source="demo", use_qt_camera=False, store=store,
                   settings=Settings(verify_clear_seconds=45))
    qtbot.addWidget(w)
    assert w.act_verify.shortcut() == QKeySequence("Ctrl+Shift+V")
    seen = []

    def in_dialog():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, VerifyDialog):
            QTimer.singleShot(50, in_dialog)
            return
        _scan(qtbot, dlg, qr)
        seen.append((dlg.verdict.property("status"), dlg.shown_photo(), dlg.idle_timer.interval()))
        dlg.reject()

    QTimer.singleShot(0, in_dialog)
    w.act_verify.trigger()
    assert seen == [("valid", True, 45_000)]  # the idle clear from the settings
    QApplication.sendPostedEvents(None, 0)  # run the deferred delete
    assert not w.findChildren(VerifyDialog), "the closed dialog (and the customer's photo) stays in memory"
    w.shutdown()


def _cleared(dlg) -> bool:
    return (dlg.last is None and dlg.verdict.text() == "等待扫码" and not dlg.shown_photo()
            and all(f.text() == "—" for f in dlg.fields.values()) and not dlg.reasons.text())


def test_the_last_customers_details_and_photo_go_after_a_minute_idle(qtbot, dialog, written):
    """Before: the last customer's masked name and face stayed on the counter screen until the
    next scan."""
    _store, _w, qr = written
    assert _cleared(dialog)
    assert dialog.idle_timer.interval() == 60_000 and not dialog.idle_timer.isActive()
    _scan(qtbot, dialog, qr)
    assert dialog.shown_photo() and dialog.fields["name"].text() == "王*明"
    assert dialog.idle_timer.isActive() and dialog.idle_timer.isSingleShot()
    # a key at the counter is activity: the minute starts again
    dialog.idle_timer.stop()
    qtbot.keyClicks(dialog.scan, "A")
    assert dialog.idle_timer.isActive() and dialog.idle_timer.remainingTime() > 59_000
    dialog.scan.clear()
    dialog.idle_timer.timeout.emit()  # the minute has passed (the timer's own signal, no waiting)
    assert _cleared(dialog) and not dialog.idle_timer.isActive()
    # the next scan shows the next customer as before
    _scan(qtbot, dialog, qr)
    assert dialog.shown_photo() and dialog.verdict.property("status") == "valid"


def test_the_idle_clear_runs_on_the_event_loop_and_can_be_turned_off(qtbot, written):
    from studio_app.ui.verify_dialog import VerifyDialog

    store, _, qr = written
    quick = VerifyDialog(store, lang="zh_CN", clear_after_s=0.3)
    qtbot.addWidget(quick)
    quick.show()
    _scan(qtbot, quick, qr)
    assert quick.shown_photo()
    qtbot.waitUntil(lambda: _cleared(quick), timeout=5000)
    never = VerifyDialog(store, lang="zh_CN", clear_after_s=0)
    qtbot.addWidget(never)
    never.show()
    _scan(qtbot, never, qr)
    assert never.shown_photo() and not never.idle_timer.isActive()


def test_the_cli_writes_no_photo_for_a_forged_receipt(written, capsys):
    """The CLI shares the rule: a forged QR never puts the named order's face on disk."""
    from studio_app.cli import main as cli_main
    from studio_app.paths import data_dir

    _, w, _ = written
    o = w.order
    forged = signing.make_payload(o.receipt_no, o.image_no, o.spec_id, o.photo_sha256, "李四")
    assert cli_main(["receipt", "verify", forged]) == 1
    out = capsys.readouterr().out
    assert out.startswith("tampered") and "王*明" in out
    assert not (data_dir() / "verify" / "checked-photo.jpg").exists()
