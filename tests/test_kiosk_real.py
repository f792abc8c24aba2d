"""The kiosk with nothing faked but the printer: real MediaPipe live analysis, real live checks
and hints, real processing, store and receipt, on a compliant portrait read by a file source.
The customer only touches buttons; the capture is automatic."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from conftest import PORTRAITS  # noqa: E402
from kiosk_support import VALID_ID, kiosk_settings  # noqa: E402
from studio_app.camera import ImageSource  # noqa: E402
from studio_app.session import State  # noqa: E402
from studio_app.ui.printing import pdf_printer  # noqa: E402
from studio_app.ui.kiosk.services import KioskServices  # noqa: E402
from studio_app.ui.kiosk.voice import KioskVoice  # noqa: E402
from studio_app.ui.kiosk.window import KioskWindow  # noqa: E402

pytestmark = pytest.mark.gui
PORTRAIT = PORTRAITS / "df_damon_light.jpg"  # labelled id_photo_compliant=yes


@pytest.mark.skipif(not PORTRAIT.is_file(), reason="shared portraits not present")
def test_real_pipeline_auto_capture_to_printed_receipt(qtbot, tmp_path):
    settings = kiosk_settings(tmp_path)
    pdf = tmp_path / "printed.pdf"
    services = KioskServices(settings, printer_factory=lambda: pdf_printer(pdf))
    window = KioskWindow(settings, services, ImageSource(PORTRAIT, fps=4), voice=KioskVoice(use_tts=False))
    window.countdown_ms = 50
    window.resize(1280, 1024)
    window.show()
    s = window.session
    try:
        click = lambda w: qtbot.mouseClick(w, Qt.MouseButton.LeftButton)  # noqa: E731
        click(window.attract.go)
        click(window.consent.yes)
        click(window.documents.tiles["resident_id"])
        assert s.state == State.LIVE and s.spec.id == "resident_id"
        # the live checks hold on this portrait: countdown, auto capture, processing, review
        qtbot.waitUntil(lambda: s.state == State.REVIEW, timeout=90000)
        assert s.data.capture.auto
        ok, reasons = services.judge(s.data.result)
        assert ok, reasons
        assert window.result.title.text() == "照片合格" and window.result.use_button.isVisible()
        jpeg = s.data.result.jpeg
        click(window.result.use_button)
        for ch in VALID_ID:
            click(window.id_entry.pad.keys[ch])
        click(window.id_entry.pad.submit)
        click(window.phone_entry.skip)
        click(window.confirm.go)
        qtbot.waitUntil(lambda: window.current_screen() == "thanks", timeout=60000)
        order = services.store().list()[0]
        assert order.status == "printed" and order.spec_id == "resident_id"
        assert pdf.is_file() and pdf.stat().st_size > 10_000
        assert services.store().photo(order.receipt_no) == jpeg  # the approved photo, byte for byte
    finally:
        window.allow_close = True
        window.close()
        services.store().close()
