"""Qt translations: UI strings are written in Chinese (the default) and translated to English
through Qt's own system (``self.tr``; .ts sources and compiled .qm files in resources/i18n/).

Regenerate after changing UI strings::

    pyside6-lupdate studio_app/ui/*.py -ts resources/i18n/studio_en.ts
    pyside6-lrelease resources/i18n/studio_en.ts -qm resources/i18n/studio_en.qm
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from .. import messages
from ..paths import resource

log = logging.getLogger(__name__)

LANGUAGES = {"zh_CN": "中文", "en": "English"}
_installed: list[QTranslator] = []


def normalise(lang: str | None) -> str:
    return "en" if (lang or "").lower().startswith("en") else "zh_CN"


def install_translators(app: QCoreApplication, lang: str | None) -> str:
    """Install the app's and Qt's own translators for ``lang``; returns the language used."""
    lang = normalise(lang)
    for tr in _installed:
        app.removeTranslator(tr)
    _installed.clear()
    messages.set_language(lang)
    if lang == "en":
        ours = QTranslator(app)
        if ours.load(str(resource("i18n", "studio_en.qm"))):
            app.installTranslator(ours)
            _installed.append(ours)
        else:
            log.warning("English translation resources/i18n/studio_en.qm not found")
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    else:
        qt = QTranslator(app)  # Qt's own dialogs (buttons of QMessageBox, QFileDialog...)
        if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return lang
