"""The batch panel of the operator window, real widgets offscreen and the real batch runner (one
worker process, real portraits): a dropped folder, progress with count and time left, a table of
results, a double-click opening a retake in review, Cancel keeping what is finished."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from studio_app.camera import ImageSource  # noqa: E402
from studio_app.session import State  # noqa: E402
from test_ui_flow import load_portrait, make_window, wait_state  # noqa: E402,F401
from conftest import PORTRAITS  # noqa: E402

pytestmark = pytest.mark.gui
SHOTS = Path(os.environ["STUDIO_APP_SHOTS"]) if os.environ.get("STUDIO_APP_SHOTS") else None


def _shot(widget, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SHOTS / name))


def _drop(panel, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, drop)
    return drop.isAccepted()


def _window(make_window):
    w = make_window(ImageSource(load_portrait("ldn_006_f_bun.jpg"), fps=10))
    w.auto_box.setChecked(False)  # the operator is not taking a photo right now
    return w


def test_batch_panel_runs_shows_progress_and_opens_a_retake_in_review(qtbot, make_window, dressed_portraits,
                                                                      tmp_path, monkeypatch):
    shoot = tmp_path / "shoot"
    shoot.mkdir()
    shutil.copy(dressed_portraits / "ldn_004_m_stubble.jpg", shoot / "a_good.jpg")
    shutil.copy(PORTRAITS / "ldn_006_f_bun.jpg", shoot / "b_white_top.jpg")  # white on white: a 社保卡 retake
    (shoot / "c_broken.jpg").write_bytes((PORTRAITS / "ldn_006_f_bun.jpg").read_bytes()[:4000])
    w = _window(make_window)
    panel = w.show_batch()
    qtbot.waitExposed(panel)
    assert panel.chosen_specs() == ("sscard",)  # the window's spec
    assert not _drop(panel, shoot / "a_good.jpg")  # a file is not a folder
    assert _drop(panel, shoot)
    assert panel.folder.text() == str(shoot) and panel.out.text().endswith(str(Path("batch") / "shoot"))
    panel.workers.setValue(1)
    mid = []

    def grab_mid(value) -> None:
        rows, done, total = value
        if 0 < done < total and not mid:
            mid.append(done)
            _shot(panel, "batch_panel_running.png")

    assert panel.start()
    panel._thread.progress.connect(grab_mid)
    assert not panel.start_button.isEnabled() and panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: panel.summary is not None, timeout=180000)
    _shot(panel, "batch_panel_finished.png")
    assert mid  # the count moved while it ran
    s = panel.summary
    assert len(s.rows) == 3 and not s.interrupted
    verdicts = {panel.table.item(i, 0).text(): panel.table.item(i, 2).text() for i in range(panel.table.rowCount())}
    assert verdicts == {"a_good.jpg": "合格", "b_white_top.jpg": "需要重拍", "c_broken.jpg": "无法处理"}
    problems = {panel.table.item(i, 0).text(): panel.table.item(i, 3).text() for i in range(3)}
    assert problems["a_good.jpg"] == "" and problems["b_white_top.jpg"] and problems["c_broken.jpg"]
    out = Path(panel.out.text())
    assert (out / "summary.csv").read_bytes()[:3] == b"\xef\xbb\xbf" and (out / "contact_sheet.html").is_file()
    assert "合格 1" in panel.status.text() and panel.eta.text().endswith("s")
    assert panel.progress.value() == panel.progress.maximum() == 3

    # a double-click on the retake opens the photo in review (the window's spec, the full file)
    row = [panel.table.item(i, 0).text() for i in range(3)].index("b_white_top.jpg")
    rect = panel.table.visualItemRect(panel.table.item(row, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_state(qtbot, w, State.PROCESSING, timeout=10000)
    assert w.session.data.capture.frame.shape == load_portrait("ldn_006_f_bun.jpg").shape
    assert w.session.spec.id == "sscard" and w.last_still_path == str(shoot / "b_white_top.jpg")
    wait_state(qtbot, w, State.REVIEW, timeout=60000)
    # the broken file cannot be opened: said, nothing changes; nor while a customer is in review
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[-1]))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[-1]))
    panel._open_row([panel.table.item(i, 0).text() for i in range(3)].index("c_broken.jpg"))
    panel._open_row(row)
    assert len(shown) == 2 and w.session.state == State.REVIEW


def test_cancel_stops_cleanly_and_keeps_what_is_finished(qtbot, make_window, dressed_portraits, tmp_path):
    shoot = tmp_path / "many"
    shoot.mkdir()
    for i in range(6):
        shutil.copy(dressed_portraits / "ldn_004_m_stubble.jpg", shoot / f"p{i}.jpg")
    w = _window(make_window)
    panel = w.show_batch(str(shoot))
    panel.out.setText(str(tmp_path / "out"))
    panel.workers.setValue(1)
    assert panel.start()
    qtbot.waitUntil(lambda: panel.progress.value() >= 1, timeout=180000)
    assert "剩余" in panel.eta.text() and "/min" in panel.eta.text()
    panel.cancel_button.click()
    assert "正在停止" in panel.status.text()
    qtbot.waitUntil(lambda: panel.summary is not None, timeout=60000)
    s = panel.summary
    assert s.interrupted and 1 <= s.processed < 6
    assert panel.table.rowCount() == s.processed and "已取消" in panel.status.text()
    done = sorted(p.parent.parent.name for p in (tmp_path / "out").glob("*/sscard/batch.json"))
    assert done == sorted(r["file"][:-4] for r in s.rows)
    assert panel.start_button.isEnabled() and not panel.cancel_button.isEnabled()
    # a bad folder is said in the panel, nothing starts
    panel.folder.setText(str(tmp_path / "nowhere"))
    assert not panel.start() and "nowhere" in panel.status.text()
