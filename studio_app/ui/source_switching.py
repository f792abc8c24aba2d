"""The operator window's video sources: the Qt camera, files and the demo feed, switching
between them, falling back to the demo feed when a camera is lost and coming back when it returns.

A mixin of :class:`~studio_app.ui.main_window.MainWindow` (its ``tr`` context stays "MainWindow").
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from ..camera import DemoSource, open_source
from ..errors import StudioError
from ..session import State


class SourceSwitching:
    """Needs from the window: settings, session, live_view, statusBar(), _on_frame,
    _cancel_countdown, _save_settings, _closing, _last_frame_time."""

    _pump = None
    _qt_camera = None
    _fallback = False
    _source_desc = ""

    def _start_source(self, source: str | None, frame_source, use_qt_camera: bool | None) -> None:
        from ..camera.qt_source import FrameSourcePump, QtCameraSource

        if frame_source is None and source is None and use_qt_camera is not False:
            cam = QtCameraSource(self)
            cam.frameReady.connect(self._on_frame)
            cam.cameraLost.connect(self._camera_lost)
            cam.cameraAvailable.connect(self._camera_available)
            cam.errorOccurred.connect(lambda text: self.statusBar().showMessage(text, 8000))
            self._qt_camera = cam
            if cam.start(self.settings.camera_device, self.settings.camera_format):
                self._source_desc = cam.name
                self._fallback = False
                return
            frame_source = DemoSource()
            self._fallback = True
            self.statusBar().showMessage(self.tr("未找到相机，正在使用演示画面"), 10000)
        if frame_source is None:
            try:
                frame_source = open_source(source)
            except StudioError as exc:
                QMessageBox.warning(self, self.tr("视频源"), exc.message() + "\n" + self.tr("改用演示画面。"))
                frame_source = DemoSource()
                self._fallback = True
        self._run_pump(frame_source)

    def _run_pump(self, frame_source) -> None:
        from ..camera.qt_source import FrameSourcePump

        self._stop_pump()
        pump = FrameSourcePump(frame_source, self)
        pump.frameReady.connect(self._on_frame)
        pump.ended.connect(self._source_ended)
        pump.failed.connect(self._source_failed)
        self._pump = pump
        self._source_desc = getattr(frame_source, "name", "")
        pump.start()

    def _stop_pump(self) -> None:
        if self._pump is not None:
            pump, self._pump = self._pump, None
            for sig in (pump.frameReady, pump.ended, pump.failed):
                try:
                    sig.disconnect()
                except (RuntimeError, TypeError):
                    pass
            pump.stop()

    def _camera_lost(self, desc: str) -> None:
        self.live_view.set_message(self.tr("相机已断开：%1\n已切换到演示画面，重新连接后自动恢复。").replace("%1", desc))
        self.statusBar().showMessage(self.tr("相机已断开：%1").replace("%1", desc), 15000)
        if self.session.state == State.COUNTDOWN:
            self._cancel_countdown()
        self._fallback = True
        self._run_pump(DemoSource())

    def _camera_available(self, desc: str) -> None:
        if self._fallback and self._qt_camera is not None:
            self._stop_pump()
            if self._qt_camera.start(self.settings.camera_device, self.settings.camera_format):
                self._fallback = False
                self._source_desc = self._qt_camera.name
                self.statusBar().showMessage(self.tr("相机已连接：%1").replace("%1", desc), 8000)

    def _source_ended(self) -> None:
        self.live_view.set_message(self.tr("视频源已结束"))
        self.statusBar().showMessage(self.tr("视频源已结束"), 10000)
        self._retry_camera_source()

    def _source_failed(self, text: str) -> None:
        """A source that cannot be read. A camera (an OpenCV device that failed or was pulled out)
        is retried every 2 s with a message, the session untouched; a broken file or folder is
        replaced by the demo feed rather than a dead screen."""
        self.statusBar().showMessage(self.tr("视频源出错：%1").replace("%1", text), 15000)
        failed = self._pump.source if self._pump is not None else None
        if self.session.state == State.COUNTDOWN:
            self._cancel_countdown()
        if isinstance(failed, DemoSource) or getattr(failed, "is_camera", False):
            self.live_view.set_message(self.tr("视频源出错：%1").replace("%1", text))
            self._retry_camera_source()
            return
        self._fallback = True
        self._run_pump(DemoSource())

    def _retry_camera_source(self) -> None:
        """A camera (not a file) that stopped delivering or failed is reopened every 2 s, so the
        live view resumes by itself when it is plugged back in (the session is not touched)."""
        pump = self._pump
        source = getattr(pump, "source", None)
        if source is None or not getattr(source, "is_camera", False) or self._closing:
            return

        def again() -> None:
            if self._pump is pump and not self._closing:
                try:
                    source.stop()
                except Exception:  # noqa: BLE001 - a lost device may fail to close
                    pass
                self._run_pump(source)

        QTimer.singleShot(2000, again)

    def _check_feed(self) -> None:
        """A feed that stopped delivering (camera pulled, driver hang) is reported, not ignored."""
        if self._last_frame_time and time.monotonic() - self._last_frame_time > 3.0 and not self.live_view._message:
            self.live_view.set_message(self.tr("没有画面：请检查相机连接"))

    def choose_source(self) -> None:
        from .source_dialog import SourceDialog

        dlg = SourceDialog(self, self.settings)
        if dlg.exec():
            choice = dlg.choice()
            if choice["kind"] == "camera" and self._qt_camera is not None:
                self._stop_pump()
                if self._qt_camera.start(choice["device"], choice["format"]):
                    self._fallback = False
                    self._source_desc = self._qt_camera.name
                    self._save_settings(self.settings.with_changes(camera_device=choice["device"],
                                                                   camera_format=choice["format"]))
            elif choice["kind"] in ("file", "demo"):
                if self._qt_camera is not None:
                    self._qt_camera.stop()
                try:
                    self._run_pump(open_source(choice.get("path") if choice["kind"] == "file"
                                               else "demo:" + choice.get("subject", "")))
                except StudioError as exc:
                    QMessageBox.warning(self, self.tr("视频源"), exc.message())
