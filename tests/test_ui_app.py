"""GUI start-up: fonts, translations, and a clear dialog (not a traceback) for start-up errors."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

pytest.importorskip("pytestqt")

from studio_app.paths import resource  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def no_models(tmp_path, monkeypatch):
    """A resources folder with everything but the models."""
    res = tmp_path / "resources"
    for part in ("fonts", "i18n"):
        shutil.copytree(resource(part), res / part)
    (res / "models").mkdir()
    shutil.copy(resource("models", "SHA256SUMS"), res / "models" / "SHA256SUMS")
    from studio_app.vision import models

    models.model_path.cache_clear()
    monkeypatch.setenv("STUDIO_APP_RESOURCES", str(res))
    yield res
    monkeypatch.delenv("STUDIO_APP_RESOURCES")
    models.model_path.cache_clear()


def test_missing_model_shows_a_dialog_and_exits(qapp, no_models, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from studio_app import messages
    from studio_app.ui import app as app_module

    shown = []

    def fake_exec(box):
        shown.append((box.icon(), box.text(), box.informativeText()))
        return int(QMessageBox.StandardButton.Close)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    problems = app_module.startup_problems()
    assert problems and all("face" in p or "selfie" in p for p in problems)
    code = app_module.run_gui(SimpleNamespace(kiosk=False, source=None, spec=None, lang="zh_CN"))
    assert code == 1
    assert len(shown) == 1
    icon, text, info = shown[0]
    assert icon == QMessageBox.Icon.Critical
    assert messages.text("model.missing", "zh_CN", name="face_landmarker.task") in info
    assert "Traceback" not in info


def test_no_startup_problems_with_the_bundled_models():
    from studio_app.ui.app import startup_problems

    assert startup_problems() == []


def test_bad_spec_file_is_reported_and_the_good_specs_stay(qtbot, isolated_home):
    from studio_app.orders import open_store
    from studio_app.paths import user_specs_dir
    from studio_app.specs import default_library
    from studio_app.ui.main_window import MainWindow

    bad = user_specs_dir()
    bad.mkdir(parents=True, exist_ok=True)
    (bad / "broken.toml").write_text('[family]\nid = "x"\n[[spec]]\nid = "broken"\nwidth_px = "wide"\n',
                                     encoding="utf-8")
    lib = default_library(reload=True)
    store = open_store()
    try:
        assert lib.errors and len(lib) >= 18
        w = MainWindow(frame_source=None, source="demo", use_qt_camera=False, store=store)
        qtbot.addWidget(w)
        qtbot.waitUntil(lambda: w.startup_box is not None and w.startup_box.isVisible(), timeout=5000)
        assert "broken.toml" in w.startup_box.informativeText()
        assert w.spec_combo.count() == len(lib)
        w.startup_box.close()
        w.shutdown()
    finally:
        store.close()
        for f in bad.glob("*.toml"):
            f.unlink()
        default_library(reload=True)


def test_the_operator_window_opens_inside_a_small_screen(qtbot, isolated_home):
    """On a 1280x800 (or 1366x768) screen the first size used to be 1400x880, cutting off the panel."""
    from studio_app.orders import open_store
    from studio_app.ui.main_window import MainWindow

    store = open_store()
    try:
        w = MainWindow(frame_source=None, source="demo", use_qt_camera=False, store=store)
        qtbot.addWidget(w)
        avail = w.screen().availableGeometry()
        assert w.width() <= avail.width() and w.height() <= avail.height()
        w.shutdown()
    finally:
        store.close()
