"""File sources (Qt-free): one image, a folder of images, a video file.

Video files and the OpenCV camera fallback use OpenCV when it is installed (a source checkout:
MediaPipe depends on it). The packaged app leaves OpenCV out (~300 MB of native libraries) and
uses QtMultimedia for cameras; there these two sources say so instead of failing obscurely."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import messages
from ..errors import StudioError
from .base import FrameSource

messages.register({
    "camera.not_found": ("找不到视频源：{source}", "Video source not found: {source}"),
    "camera.cannot_open": ("无法打开视频源：{source}", "Cannot open video source: {source}"),
    "camera.empty_folder": ("文件夹中没有图片：{source}", "No images in folder: {source}"),
    "camera.device_failed": ("无法打开相机 {source}", "Cannot open camera {source}"),
    "camera.no_opencv": ("此版本不支持 {source}（未包含 OpenCV）。请使用相机、图片或图片文件夹。",
                         "This build cannot open {source} (OpenCV is not included). Use a camera, an image "
                         "or a folder of images."),
})


def _cv2(source):
    """OpenCV, imported only by the sources that need it."""
    try:
        import cv2
    except ImportError as exc:
        raise StudioError("camera.no_opencv", source=str(source)) from exc
    if getattr(cv2, "__studio_app_inert__", False):  # the bundle's stand-in for mediapipe
        raise StudioError("camera.no_opencv", source=str(source))
    return cv2

IMAGE_EXTS = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}
VIDEO_EXTS = {".mp4", ".avi", ".mov", ".mkv", ".webm", ".m4v", ".mpg", ".mpeg", ".wmv"}


def load_rgb(path: Path) -> np.ndarray:
    """An image file as RGB uint8 (EXIF orientation applied); uses the project loader when present."""
    try:
        from ..imageio import load_image  # type: ignore[attr-defined]
    except ImportError:
        load_image = None
    if load_image is not None:
        return np.ascontiguousarray(load_image(path))
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as im:
            return np.ascontiguousarray(np.asarray(ImageOps.exif_transpose(im).convert("RGB")))
    except OSError as exc:
        raise StudioError("camera.cannot_open", source=str(path)) from exc


class ImageSource(FrameSource):
    """One still image repeated as a live feed at ``fps``."""

    def __init__(self, path_or_array, fps: float = 30.0, realtime: bool = True, **kw):
        super().__init__(fps=fps, realtime=realtime, **kw)
        if isinstance(path_or_array, np.ndarray):
            self._image = np.ascontiguousarray(path_or_array[..., :3].astype(np.uint8))
            self.name = "image"
            self.path = None
        else:
            self.path = Path(path_or_array)
            if not self.path.is_file():
                raise StudioError("camera.not_found", source=str(self.path))
            self._image = None
            self.name = self.path.name

    def _open(self) -> None:
        if self._image is None:
            self._image = load_rgb(self.path)

    def _grab(self) -> np.ndarray | None:
        return self._image.copy()


class FolderSource(FrameSource):
    """The images of a folder in name order, each shown for ``seconds_per_image``, looping."""

    def __init__(self, folder, fps: float = 15.0, seconds_per_image: float = 3.0, loop: bool = True,
                 realtime: bool = True, **kw):
        super().__init__(fps=fps, realtime=realtime, **kw)
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise StudioError("camera.not_found", source=str(self.folder))
        self.files = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_EXTS)
        if not self.files:
            raise StudioError("camera.empty_folder", source=str(self.folder))
        self.frames_per_image = max(1, int(round(seconds_per_image * self.fps)))
        self.loop = loop
        self.name = self.folder.name or str(self.folder)
        self._cache: dict[int, np.ndarray] = {}
        self._n = 0

    def _open(self) -> None:
        self._n = 0

    @property
    def index(self) -> int:
        return (self._n // self.frames_per_image)

    def _grab(self) -> np.ndarray | None:
        idx = self._n // self.frames_per_image
        if idx >= len(self.files):
            if not self.loop:
                return None
            idx %= len(self.files)
        self._n += 1
        if idx not in self._cache:
            self._cache.clear()  # keep one decoded image only
            self._cache[idx] = load_rgb(self.files[idx])
        return self._cache[idx].copy()


class VideoFileSource(FrameSource):
    """A video file played at its own frame rate (looping by default)."""

    def __init__(self, path, loop: bool = True, realtime: bool = True, **kw):
        self.path = Path(path)
        if not self.path.is_file():
            raise StudioError("camera.not_found", source=str(self.path))
        cv2 = _cv2(self.path)
        cap = cv2.VideoCapture(str(self.path))
        fps = cap.get(cv2.CAP_PROP_FPS) if cap.isOpened() else 0
        ok = cap.isOpened()
        cap.release()
        if not ok:
            raise StudioError("camera.cannot_open", source=str(self.path))
        super().__init__(fps=fps if fps and 1 <= fps <= 240 else 30.0, realtime=realtime, **kw)
        self.loop = loop
        self.name = self.path.name
        self._cv2 = cv2
        self._cap = None

    def _open(self) -> None:
        self._cap = self._cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            raise StudioError("camera.cannot_open", source=str(self.path))

    def _grab(self) -> np.ndarray | None:
        assert self._cap is not None
        ok, bgr = self._cap.read()
        if not ok and self.loop and self.frames_read > 0:
            self._cap.set(self._cv2.CAP_PROP_POS_FRAMES, 0)
            ok, bgr = self._cap.read()
        if not ok:
            return None
        return np.ascontiguousarray(bgr[..., ::-1])

    def _close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class OpenCVDeviceSource(FrameSource):
    """A camera through OpenCV (the fallback when QtMultimedia finds none)."""

    is_camera = True

    def __init__(self, index: int = 0, width: int = 1280, height: int = 720, fps: float = 30.0, **kw):
        super().__init__(fps=fps, realtime=True, **kw)
        self.index = int(index)
        self.want = (int(width), int(height))
        self.name = f"camera {self.index}"
        self._cap = None
        self.lost = False

    def _open(self) -> None:
        cv2 = _cv2(self.name)
        cap = cv2.VideoCapture(self.index)
        if not cap.isOpened():
            cap.release()
            raise StudioError("camera.device_failed", source=self.index)
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.want[0])
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.want[1])
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        self._cap = cap
        self.lost = False

    def _grab(self) -> np.ndarray | None:
        if self._cap is None:
            return None
        ok, bgr = self._cap.read()
        if not ok:
            self.lost = True  # unplugged or failed: the shell falls back and tells the operator
            return None
        return np.ascontiguousarray(bgr[..., ::-1])

    def _close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None
