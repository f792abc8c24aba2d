"""Frame sources: frames only, no analysis.

Qt-free sources (this package): :class:`ImageSource`, :class:`FolderSource`,
:class:`VideoFileSource`, :class:`OpenCVDeviceSource`, :class:`DemoSource`; build one from a
``--source`` argument with :func:`open_source`. The QtMultimedia camera lives in
:mod:`studio_app.camera.qt_source` (imported only by the shells).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import StudioError
from .base import Frame, FrameSource
from .demo import SUBJECTS, DemoSource, DemoSubject, demo_image_path, demo_subject
from .files import IMAGE_EXTS, VIDEO_EXTS, FolderSource, ImageSource, OpenCVDeviceSource, VideoFileSource

__all__ = [
    "Frame", "FrameSource", "DemoSource", "ImageSource", "FolderSource", "VideoFileSource",
    "OpenCVDeviceSource", "open_source", "demo_image_path", "IMAGE_EXTS", "VIDEO_EXTS",
    "SUBJECTS", "DemoSubject", "demo_subject",
]


def open_source(text: str | None, realtime: bool = True, size: tuple[int, int] = (1280, 720),
                fps: float = 30.0) -> FrameSource:
    """A source from a ``--source`` value: ``demo`` (or ``demo:KEY``, a demo subject), a camera
    index, a folder, an image or a video; ``dslr`` (gPhoto2 live view + shutter), ``dslr+N``
    (webcam N's live view + the DSLR's shutter), ``hot:FOLDER`` (each new shot saved into FOLDER
    by tethering software).

    Not started; raises :class:`StudioError` for a path that does not exist or cannot be read.
    """
    if text is None or text.strip().lower() in ("", "demo"):
        return DemoSource(size=size, fps=fps, realtime=realtime)
    text = text.strip()
    low = text.lower()
    if low.startswith("demo:"):
        return DemoSource(size=size, fps=fps, realtime=realtime, subject=text[5:])
    if low in ("dslr", "gphoto2"):
        from .gphoto import GPhotoSource

        return GPhotoSource(fps=fps)
    if low.startswith("dslr+") and low[5:].isdigit():
        from .gphoto import GPhotoCamera, HybridSource

        return HybridSource(OpenCVDeviceSource(int(low[5:]), width=size[0], height=size[1], fps=fps), GPhotoCamera())
    if low.startswith("hot:"):
        from .hotfolder import HotFolderSource

        return HotFolderSource(Path(text[4:]).expanduser())
    if text.isdigit():
        return OpenCVDeviceSource(int(text), width=size[0], height=size[1], fps=fps)
    path = Path(text).expanduser()
    if path.is_dir():
        return FolderSource(path, realtime=realtime)
    if not path.exists():
        raise StudioError("camera.not_found", source=text)
    if path.suffix.lower() in IMAGE_EXTS:
        return ImageSource(path, fps=fps, realtime=realtime)
    if path.suffix.lower() in VIDEO_EXTS:
        return VideoFileSource(path, realtime=realtime)
    # unknown extension: try it as an image first, then as a video
    try:
        from .files import load_rgb

        load_rgb(path)
        return ImageSource(path, fps=fps, realtime=realtime)
    except Exception:
        return VideoFileSource(path, realtime=realtime)
