"""The operator window's video sources: the Qt camera, files and the demo feed, switching
between them, falling back to the demo feed when a camera is lost and coming back when it returns.

Two kinds of source give finished photos rather than a live picture:

* a tethered DSLR (gPhoto2, alone or as the shutter beside the webcam's live view): the source
  (or a :class:`~studio_app.camera.gphoto.GPhotoCamera` beside the Qt camera) becomes the flow's
  still camera (``flow.still``), so the capture button and the countdown fire its shutter;
* a hot folder (:class:`~studio_app.camera.hotfolder.HotFolderSource`): each shot the tethering
  software saves goes straight to review; shots that land while the operator is busy wait their
  turn. A batch result opened from the batch panel takes the same way (:meth:`review_file`).

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
    _still_camera = None  # a GPhotoCamera opened beside the Qt camera (hybrid), owned here
    _stills_waiting = None  # hot-folder shots (frame, path) not yet in review
    _stills_hooked = False

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

        from ..camera.hotfolder import HotFolderSource

        self._stop_pump()
        pump = FrameSourcePump(frame_source, self)
        if isinstance(frame_source, HotFolderSource):
            pump.frameReady.connect(lambda rgb, ts, src=frame_source: self._on_hot_shot(rgb, ts, src.path_of(ts)))
            self.live_view.set_message(self.tr("热文件夹：等待新照片…\n%1").replace("%1", str(frame_source.folder)))
            self.hint.setText(self.tr("联机拍摄：在相机或联机软件上拍照，每张新照片直接进入审核。"))
            self.checklist.set_report(None)
        else:
            pump.frameReady.connect(self._on_frame)
        # a source with a shutter (gPhoto2, webcam + DSLR) takes the photo; a separate DSLR beside
        # the Qt camera stays only while the Qt camera is the source
        self._set_still(frame_source if callable(getattr(frame_source, "capture_still", None)) else None)
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
        if self._hot_folder() is not None:
            return  # a hot folder is quiet between shots
        if self._last_frame_time and time.monotonic() - self._last_frame_time > 3.0 and not self.live_view._message:
            self.live_view.set_message(self.tr("没有画面：请检查相机连接"))

    def choose_source(self) -> None:
        from .source_dialog import SourceDialog

        dlg = SourceDialog(self, self.settings)
        if dlg.exec():
            choice = dlg.choice()
            if choice["kind"] == "camera" and self._qt_camera is not None:
                self._stop_pump()
                self._set_still(None)
                if self._qt_camera.start(choice["device"], choice["format"]):
                    self._fallback = False
                    self._source_desc = self._qt_camera.name
                    self._save_settings(self.settings.with_changes(camera_device=choice["device"],
                                                                   camera_format=choice["format"]))
                if choice.get("dslr_shutter"):
                    self.use_dslr_shutter()
            elif choice["kind"] in ("file", "demo"):
                if self._qt_camera is not None:
                    self._qt_camera.stop()
                try:
                    self._run_pump(open_source(choice.get("path") if choice["kind"] == "file"
                                               else "demo:" + choice.get("subject", "")))
                except StudioError as exc:
                    QMessageBox.warning(self, self.tr("视频源"), exc.message())
            elif choice["kind"] == "hot":
                self.use_hot_folder(choice.get("path", ""))
            elif choice["kind"] == "dslr":
                self.use_dslr()

    # -- still cameras: a DSLR's shutter ---------------------------------------------------------
    def _set_still(self, still, owned: bool = False) -> None:
        """The flow's still camera; a camera this window opened itself is closed when replaced."""
        old = self._still_camera
        self._still_camera = still if owned else None
        if old is not None and old is not still:
            try:
                old.close()
            except Exception:  # noqa: BLE001 - a camera pulled out may fail to close
                pass
        self.flow.still = still
        self.flow.on_still_failed = self._still_failed

    def use_dslr(self, gp=None) -> bool:
        """gPhoto2 alone: its live view drives the guidance, its shutter takes the photo. Opened
        here (not in the reader thread) so a missing camera or module is said at once."""
        from ..camera.gphoto import GPhotoSource

        return self._switch_to_pump(lambda: GPhotoSource(gp=gp))

    def use_dslr_shutter(self, gp=None) -> bool:
        """Hybrid: the current live source (the webcam) for the guidance, a DSLR for the photo."""
        from ..camera.gphoto import GPhotoCamera

        try:
            cam = GPhotoCamera(gp).open()
        except StudioError as exc:
            QMessageBox.warning(self, self.tr("视频源"), exc.message())
            return False
        cam.name = "DSLR " + (cam.model or "gPhoto2")
        self._set_still(cam, owned=True)
        self._source_desc = f"{self._source_desc} + {cam.name}"
        return True

    def _show_shooting(self, on: bool) -> None:
        """The DSLR takes and downloads the photo (a second or two): the operator sees it is busy,
        and cannot fire it twice, until the photo arrives or the error is shown."""
        text = self.tr("拍摄中…")
        if on:
            self._capture_idle_text = self.capture_button.text()
            self.capture_button.setText(text)
            self.capture_button.setEnabled(False)
            self.statusBar().showMessage(text)
            self.hint.setText(text)  # the next analysed frame shows it on the picture too
            return
        self.capture_button.setText(getattr(self, "_capture_idle_text", None) or self.capture_button.text())
        self.capture_button.setEnabled(self.session.state in (State.LIVE, State.COUNTDOWN))
        if self.statusBar().currentMessage() == text:
            self.statusBar().clearMessage()

    def _still_failed(self, exc: BaseException) -> None:
        text = exc.message() if isinstance(exc, StudioError) else (str(exc) or type(exc).__name__)
        self.statusBar().showMessage(text, 15000)
        QMessageBox.warning(self, self.tr("拍照"), text)

    # -- hot folder: each new shot straight to review --------------------------------------------
    def _hot_folder(self):
        from ..camera.hotfolder import HotFolderSource

        source = getattr(self._pump, "source", None)
        return source if isinstance(source, HotFolderSource) else None

    def use_hot_folder(self, folder: str, **kw) -> bool:
        """Watch ``folder``: each new, completely written photo goes to review."""
        from ..camera.hotfolder import HotFolderSource

        return self._switch_to_pump(lambda: HotFolderSource(folder, **kw))

    def _switch_to_pump(self, make) -> bool:
        """Open a non-Qt source here (a missing camera, module or folder is said at once), then
        let it replace the current source in the reader thread."""
        try:
            source = make()
            source.start()
        except StudioError as exc:
            QMessageBox.warning(self, self.tr("视频源"), exc.message())
            return False
        if self._qt_camera is not None:
            self._qt_camera.stop()
        self._fallback = False
        self._run_pump(source)
        return True

    def _on_hot_shot(self, rgb, ts: int, path) -> None:
        if self._closing:
            return
        self._last_frame_time = time.monotonic()
        self._frame_meter.tick(self._last_frame_time)
        if self._stills_waiting is None:
            self._stills_waiting = []
        self._stills_waiting.append((rgb, ts, path))
        self._review_waiting_still()

    def review_file(self, path, spec_id: str | None = None) -> bool:
        """Open a photo file in review (a batch result): the same way a hot-folder shot goes."""
        from ..imageio import load_image

        try:
            rgb = load_image(str(path))
        except Exception as exc:  # noqa: BLE001 - unreadable: said, nothing else changes
            text = exc.message() if isinstance(exc, StudioError) else (str(exc) or type(exc).__name__)
            QMessageBox.warning(self, self.tr("审核"), text)
            return False
        if self.session.state not in (State.LIVE, State.COUNTDOWN):
            QMessageBox.information(self, self.tr("审核"), self.tr("请先完成当前顾客，再打开这张照片。"))
            return False
        if spec_id:
            try:
                self.set_spec(spec_id)
            except StudioError:
                pass
        if self._stills_waiting is None:
            self._stills_waiting = []
        self._stills_waiting.insert(0, (rgb, 0, path))
        return self._review_waiting_still()

    def _review_waiting_still(self) -> bool:
        """The oldest waiting shot goes to review when the operator is free (live)."""
        if not self._stills_hooked:
            self._stills_hooked = True
            self.flow.subscribe(lambda tr: QTimer.singleShot(0, self._review_waiting_still)
                                if tr.target == State.LIVE else None)
        waiting = self._stills_waiting or []
        if not waiting or self._closing or self.session.state not in (State.LIVE, State.COUNTDOWN):
            hot = self._hot_folder()
            if not waiting and hot is not None and self.session.state == State.LIVE:
                self.live_view.set_message(self.tr("热文件夹：等待新照片…\n%1").replace("%1", str(hot.folder)))
            if waiting:
                self.statusBar().showMessage(self.tr("有 %n 张新照片等待审核", "", len(waiting)), 10000)
            return False
        rgb, ts, path = waiting.pop(0)
        self.live_view.show_frame(rgb, ts)
        self.last_still_path = path
        self.session.capture(rgb, ts, auto=False)
        return True
