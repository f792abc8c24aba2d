"""Walk the kiosk through its screens on a real X display and screenshot each one.

    Xvfb :98 -screen 0 1920x1080x24 &
    DISPLAY=:98 QT_QPA_PLATFORM=xcb python docs/kiosk/make_screenshots.py OUT_DIR [--source IMAGE] [--lang en]

or in one line: ``xvfb-run -a -s "-screen 0 1080x1920x24" python docs/kiosk/make_screenshots.py OUT``.

Uses the real services (MediaPipe analysis, checks, processing, store in a scratch home) with a
file source. Each screenshot is ``import -window root`` (what a person would see on the screen).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--source", default=str(Path(__file__).resolve().parents[2] / "resources" / "demo"
                                                 / "astronaut.png"))
    parser.add_argument("--only", default="")
    parser.add_argument("--lang", default="zh_CN", help="zh_CN or en")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("STUDIO_APP_HOME", tempfile.mkdtemp(prefix="kiosk-shots-"))
    os.environ["STUDIO_APP_KIOSK_TTS"] = "0"

    from PySide6.QtWidgets import QApplication

    from studio_app import messages

    messages.set_language(args.lang)

    from studio_app.camera import open_source
    from studio_app.session import State
    from studio_app.settings import Settings
    from studio_app.ui.kiosk.pin import hash_pin
    from studio_app.ui.kiosk.services import KioskServices
    from studio_app.ui.kiosk.window import KioskWindow

    app = QApplication(sys.argv[:1])
    settings = Settings(studio_name="示例照相馆", kiosk_admin_pin_hash=hash_pin("258046", iterations=1000),
                        kiosk_idle_seconds=60)
    services = KioskServices(settings)
    services.can_print = lambda: False  # show the pick-up code screen
    window = KioskWindow(settings, services, open_source(args.source))
    window.show_kiosk()

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(name: str) -> None:
        if args.only and name not in args.only.split(","):
            return
        pump(0.6)
        path = args.out / f"{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], check=True)
        print(path, flush=True)

    s = window.session
    pump(1.5)
    shot("01_attract")
    window.attract.go.click()
    shot("02_consent")
    window.consent.yes.click()
    shot("03_document")
    window.documents.tiles["exam"].click()
    shot("03b_variant")
    window.variants.back.emit()
    window.documents.tiles["social_security"].click()
    shot("04_city")
    window.cities.buttons["深圳市"].click()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and window.loop.last is None:
        pump(0.2)
    pump(2.0)
    shot("05_live")
    last = window.loop.last
    if s.state in (State.LIVE, State.COUNTDOWN) and last is not None:
        if s.state == State.COUNTDOWN:
            window._countdown_timer.stop()
        else:
            s.send("ready")
            window._countdown_timer.stop()
        window.live.set_countdown(2)
        shot("06_countdown")
        s.capture(last.frame, last.timestamp_ms, analysis=last.analysis, report=last.report)
        shot("06b_processing")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and s.state == State.PROCESSING:
        pump(0.2)
    shot("07_result")
    if window.result.use_button.isVisible():
        window.result.use_button.click()
    else:  # show the number pad anyway
        window._show_review_step("id")
    for ch in "44030519900307123":
        window.id_entry.pad.press(ch)
    shot("08_id_number")
    window.id_entry.pad.press("6")
    window.id_entry.pad.submit.click()
    if window.current_screen() == "phone":
        window.phone_entry.skip.click()
    if s.state == State.APPROVED:
        shot("09_confirm")
        window.confirm.go.click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and window.current_screen() != "pickup":
            pump(0.2)
        shot("10_pickup")
        window.pickup.ok.click()
        shot("10b_thanks")
    window.restart()
    window.attract.go.click()
    window.consent.no.click()
    shot("10c_declined")
    window.restart()
    window._show(window.staff)
    shot("10d_staff")
    window.restart()
    window.attract.go.click()
    window.session.last_activity -= 55
    window.tick_idle()
    shot("11_idle_warning")
    window.restart()
    window.camera_lost()
    shot("12_paused")
    window._paused = False
    window.restart()
    window.handle_error(RuntimeError("demo"))
    shot("13_failsafe")
    window.restart()
    window.open_admin()
    shot("14_admin")
    for ch in "2580":
        window.admin.pad.press(ch)
    window.admin.pad.submit.click()
    shot("15_admin_menu")
    window._admin_exit()
    pump(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
