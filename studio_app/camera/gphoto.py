"""A tethered DSLR/mirrorless camera through gPhoto2 (Linux and macOS; optional extra ``dslr``).

Live view frames (``capture_preview``, ~1-2 MP JPEGs) drive the guidance like a webcam; the
shutter (:meth:`GPhotoSource.capture_still`) takes the full-resolution still, downloads it and
deletes it from the card. :class:`HybridSource` pairs any live source (a webcam) with a still
camera, as pibooth does: the webcam's preview drives the guidance, the DSLR takes the photo.

One USB connection serves both preview and shutter, so they share a lock. The ``gphoto2`` module
is imported when a camera is opened (its wheels bundle libgphoto2 for Linux and macOS, not
Windows: there tethering software saving into a hot folder is the way, see docs/dslr.md); tests
pass a fake module with the same calls.
"""

from __future__ import annotations

import sys
import threading
from typing import Protocol

import numpy as np

from .. import messages
from ..errors import StudioError
from .base import FrameSource

messages.register({
    "camera.no_gphoto2": ("未安装 gPhoto2 支持：请安装 studio-app[dslr]（仅 Linux/macOS）。Windows 上请用热文件夹（EOS Utility、digiCamControl 保存到文件夹）。",
                          "gPhoto2 support is not installed: install studio-app[dslr] (Linux/macOS only). On Windows use a "
                          "hot folder (EOS Utility or digiCamControl saving into a folder)."),
    "camera.dslr_not_found": ("找不到单反/微单相机（{error}）：请用 USB 连接并开机，关闭占用相机的其他程序",
                              "No DSLR/mirrorless camera found ({error}): connect it by USB, switch it on and close other "
                              "programs using it"),
    "camera.dslr_capture_failed": ("相机拍摄失败（{error}）", "The camera could not take the photo ({error})"),
    "camera.dslr_no_still": ("这个视频源不能拍摄高分辨率照片", "This source cannot take a full-resolution still"),
})


class StillCamera(Protocol):
    """Anything with a shutter: returns the full-resolution photo as RGB uint8."""

    def capture_still(self) -> np.ndarray: ...


def _import_gphoto2():
    try:
        import gphoto2  # type: ignore[import-not-found]
    except ImportError as exc:
        raise StudioError("camera.no_gphoto2") from exc
    return gphoto2


def _decode(data: bytes) -> np.ndarray:
    from ..imageio import load_image

    return np.ascontiguousarray(load_image(bytes(data)))


class GPhotoCamera:
    """The camera connection: preview JPEGs and full-resolution captures, one at a time."""

    def __init__(self, gp=None, keep_on_card: bool = False) -> None:
        self._gp_module = gp
        self.keep_on_card = keep_on_card
        self.gp = None
        self.camera = None
        self.lock = threading.Lock()
        self.model: str | None = None

    def open(self) -> "GPhotoCamera":
        gp = self._gp_module or _import_gphoto2()
        self.gp = gp
        cam = gp.Camera()
        try:
            cam.init()
        except gp.GPhoto2Error as exc:
            raise StudioError("camera.dslr_not_found", error=str(exc)) from exc
        self.camera = cam
        try:
            self.model = str(cam.get_summary()).splitlines()[0].strip() or None
        except Exception:  # a summary is nice to show, not needed
            self.model = None
        return self

    def preview_jpeg(self) -> bytes | None:
        """One live-view frame (JPEG bytes), or None when the camera is gone."""
        with self.lock:
            if self.camera is None:
                return None
            try:
                f = self.camera.capture_preview()
                return bytes(memoryview(f.get_data_and_size()))
            except self.gp.GPhoto2Error:
                return None

    def capture_jpeg(self) -> bytes:
        """Fire the shutter, download the photo, delete it from the card (unless ``keep_on_card``)."""
        with self.lock:
            if self.camera is None:
                raise StudioError("camera.dslr_not_found", error="closed")
            gp = self.gp
            try:
                path = self.camera.capture(gp.GP_CAPTURE_IMAGE)
                f = self.camera.file_get(path.folder, path.name, gp.GP_FILE_TYPE_NORMAL)
                data = bytes(memoryview(f.get_data_and_size()))
                if not self.keep_on_card:
                    try:
                        self.camera.file_delete(path.folder, path.name)
                    except gp.GPhoto2Error:
                        pass  # some cameras keep it; the photo is downloaded anyway
            except gp.GPhoto2Error as exc:
                raise StudioError("camera.dslr_capture_failed", error=str(exc)) from exc
        return data

    def capture_still(self) -> np.ndarray:
        return _decode(self.capture_jpeg())

    def close(self) -> None:
        with self.lock:
            cam, self.camera = self.camera, None
        if cam is not None:
            try:
                cam.exit()
            except Exception:
                pass


class GPhotoSource(FrameSource):
    """Live view from the camera as frames; :meth:`capture_still` takes the real photo."""

    name = "gPhoto2"
    is_camera = True

    def __init__(self, gp=None, keep_on_card: bool = False, **kw) -> None:
        super().__init__(**kw)
        self.device = GPhotoCamera(gp, keep_on_card=keep_on_card)

    def _open(self) -> None:
        self.device.open()
        if self.device.model:
            self.name = f"gPhoto2 {self.device.model}"

    def _grab(self) -> np.ndarray | None:
        data = self.device.preview_jpeg()
        if data is None:
            return None  # camera lost
        try:
            return _decode(data)
        except StudioError:
            return None

    def capture_still(self) -> np.ndarray:
        return self.device.capture_still()

    def _close(self) -> None:
        self.device.close()


class HybridSource(FrameSource):
    """A live source (a webcam) for the preview and guidance, a still camera for the photo."""

    is_camera = True

    def __init__(self, live: FrameSource, still: StillCamera, **kw) -> None:
        super().__init__(fps=live.fps, **kw)
        self.live, self.still = live, still
        self.name = f"{live.name} + {getattr(still, 'name', 'DSLR')}"

    def _open(self) -> None:
        opener = getattr(self.still, "open", None)
        if opener is not None:
            opener()
        try:
            self.live.start()
        except BaseException:
            closer = getattr(self.still, "close", None)
            if closer is not None:
                closer()
            raise

    def _grab(self) -> np.ndarray | None:
        item = self.live.read()
        return None if item is None else item[0]

    def capture_still(self) -> np.ndarray:
        return self.still.capture_still()

    def stop(self) -> None:
        self.live.stop()  # wakes a read blocked in the live source before we take the lock
        super().stop()

    def _close(self) -> None:
        closer = getattr(self.still, "close", None)
        if closer is not None:
            closer()


def supported() -> bool:
    """gPhoto2 wheels exist for Linux and macOS only."""
    return sys.platform.startswith("linux") or sys.platform == "darwin"
