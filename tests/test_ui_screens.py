"""The operator window as the operator sees it at a 1280×800 counter screen, zh and en: every
checklist value is readable without eliding (live and both review reports), the history fits its
columns. With STUDIO_APP_SCREENSHOTS=<folder> the screens are saved there (run under Xvfb:
``xvfb-run -a -s "-screen 0 1920x1080x24" pytest tests/test_ui_screens.py``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from conftest import load_portrait  # noqa: E402

from studio_app.session import State  # noqa: E402

pytestmark = pytest.mark.gui


def _save(widget, name: str) -> None:
    folder = os.environ.get("STUDIO_APP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def _elided(panel) -> list[str]:
    from PySide6.QtGui import QFontMetrics

    fm = QFontMetrics(panel.tree.font())
    width = panel.tree.columnWidth(1)
    out = []
    for i in range(panel.tree.topLevelItemCount()):
        item = panel.tree.topLevelItem(i)
        # the delegate's text margins are about 3 px a side
        if fm.horizontalAdvance(item.text(1)) + 8 > width:
            out.append(f"{item.text(0)} | {item.text(1)} ({fm.horizontalAdvance(item.text(1))} px > {width})")
        if fm.horizontalAdvance(item.text(0)) + 8 > panel.tree.columnWidth(0):
            out.append(f"name {item.text(0)}")
    return out


@pytest.fixture
def lang_app(qapp):
    from studio_app.ui.app import register_fonts
    from studio_app.ui.i18n import install_translators

    register_fonts()
    yield lambda lang: install_translators(qapp, lang)
    install_translators(qapp, "zh_CN")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("photo", ["ldn_107_f_older.jpg", "of_lennon_glasses.jpg"])
def test_checklists_readable_at_1280x800(qtbot, lang_app, lang, photo):
    from studio_app.camera import ImageSource
    from studio_app.orders import open_store
    from studio_app.ui.main_window import MainWindow

    lang_app(lang)
    store = open_store()
    w = MainWindow(frame_source=ImageSource(load_portrait(photo)), spec_id="sscard", use_qt_camera=False,
                   store=store, lang=lang)
    qtbot.addWidget(w)
    try:
        w.resize(1280, 800)
        w.show()
        w.auto_capture = False
        qtbot.waitUntil(lambda: w.checklist.row_count() > 5, timeout=30000)
        qtbot.wait(300)
        assert _elided(w.checklist) == []
        _save(w, f"live_{photo[:-4]}_{lang}")
        w.capture()
        qtbot.waitUntil(lambda: w.session.state == State.REVIEW and not w.review._busy, timeout=60000)
        qtbot.wait(200)
        assert _elided(w.review.after) == []
        _save(w, f"review_{photo[:-4]}_{lang}")
        w.review.tabs.setCurrentIndex(1)
        qtbot.wait(100)
        assert _elided(w.review.before) == []
        # the finished photo's list shows at least ten rows at this size
        tree = w.review.after.tree
        assert tree.viewport().height() >= 10 * tree.sizeHintForRow(0)
    finally:
        w.shutdown()
        store.close()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_history_columns_fit(qtbot, lang_app, lang):
    from studio_app.orders import open_store
    from studio_app.settings import Settings
    from studio_app.ui.history import HistoryDialog

    lang_app(lang)
    store = open_store()
    try:
        store.create_order("sscard", "欧阳娜娜", None, "乌鲁木齐市", phone="13800138000")
        o = store.create_order("sscard", "李明", None, "广州市")
        store.set_status(o.receipt_no, "rejected", reasons=["头发遮挡耳朵"])
        dlg = HistoryDialog(store, Settings(), lang=lang)
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.wait(100)
        from PySide6.QtGui import QFontMetrics

        fm = QFontMetrics(dlg.table.font())
        for row in range(dlg.table.rowCount()):
            for col in range(dlg.table.columnCount()):
                text = dlg.table.item(row, col).text()
                assert fm.horizontalAdvance(text) + 6 <= dlg.table.columnWidth(col), (row, col, text)
        _save(dlg, f"history_{lang}")
    finally:
        store.close()
