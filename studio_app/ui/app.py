"""GUI start-up: QApplication, fonts, translations, start-up checks with a clear dialog, window."""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import messages
from ..errors import StudioError
from ..paths import resource
from .i18n import install_translators, normalise

log = logging.getLogger(__name__)

messages.register({
    "ui.startup_failed": ("程序无法启动：{message}", "The application cannot start: {message}"),
    "ui.font_missing": ("缺少中文字体文件 {file}，中文可能显示为方框",
                        "The Chinese font file {file} is missing; Chinese text may show as boxes"),
})

FONT_FILE = "wqy-microhei.ttc"
_font_family: str | None = None


def register_fonts() -> str | None:
    """Register the bundled CJK font with Qt and make it the application font; returns its family."""
    global _font_family
    if _font_family:
        return _font_family
    path = resource("fonts", FONT_FILE)
    if not path.is_file():
        log.warning("font %s missing", path)
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("font %s could not be loaded", path)
        return None
    _font_family = families[0]
    app = QGuiApplication.instance()
    if app is not None:
        font = QFont(_font_family)
        font.setPointSizeF(max(10.0, app.font().pointSizeF()))
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        app.setFont(font)
    return _font_family


def startup_problems() -> list[str]:
    """Fatal problems that stop the app (missing/corrupt models), as translated messages."""
    problems = []
    try:
        from ..vision import models

        for name in (models.FACE_LANDMARKER, models.FACE_DETECTOR_SHORT, models.SEGMENTER):
            try:
                models.model_path(name)
            except StudioError as exc:
                problems.append(exc.message())
    except ImportError as exc:
        problems.append(str(exc))
    return problems


def show_startup_error(text: str, detail: str = "") -> None:
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QApplication.translate("startup", "证件照工作站"))
    box.setText(messages.text("ui.startup_failed", message=""))
    box.setInformativeText(text)
    if detail:
        box.setDetailedText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.exec()


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("studio-app")
    app.setApplicationDisplayName("证件照工作站")
    app.setOrganizationName("studio-app")
    icon = resource("icons", "app.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    register_fonts()
    return app


def run_gui(args) -> int:
    """Entry point of ``studio-app`` without a sub-command (operator window, or ``--kiosk``)."""
    from ..settings import load_settings

    app = create_app()
    settings, problems = load_settings()
    lang = install_translators(app, normalise(getattr(args, "lang", None) or settings.language))
    fatal = startup_problems()
    if fatal:
        show_startup_error("\n".join(fatal))
        return 1
    try:
        if getattr(args, "kiosk", False):
            window = _kiosk_window(settings, args)
        else:
            from .main_window import MainWindow

            window = MainWindow(settings, source=getattr(args, "source", None),
                                spec_id=getattr(args, "spec", None), lang=lang, startup_problems=problems)
    except StudioError as exc:
        show_startup_error(exc.message())
        return 1
    except Exception as exc:  # noqa: BLE001 - never a bare traceback for the operator
        log.exception("start-up failed")
        show_startup_error(str(exc) or type(exc).__name__, traceback.format_exc())
        return 1
    if getattr(args, "kiosk", False):
        window.show()  # the kiosk window sets its own full-screen state
    else:
        window.showMaximized()
    return app.exec()


def _kiosk_window(settings, args):
    """The kiosk shell (studio_app.ui.kiosk) exposes ``create_window(settings, args)``."""
    from . import kiosk

    factory = getattr(kiosk, "create_window", None)
    if factory is None:
        from .kiosk import app as kiosk_app  # type: ignore[attr-defined]

        factory = kiosk_app.create_window
    return factory(settings, args)
