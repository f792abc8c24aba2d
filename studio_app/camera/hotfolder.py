"""A hot folder (Qt-free): tethering software (EOS Utility, digiCamControl, Lightroom, gPhoto2)
saves each shot into a folder; each new file is handed on once it is completely written.

"Completely written" = its size and modification time stayed the same for ``settle_s`` and it
decodes fully (a JPEG still being copied is truncated and fails to decode). A file that has not
changed for ``give_up_s`` is handed on even if it never decodes: it is broken, and the consumer
says so (a batch row with its error) instead of it being ignored for ever. Folders are polled,
not watched with OS events: that works the same on every OS and on network shares.

:class:`HotFolder` gives paths (the batch's ``--watch``); :class:`HotFolderSource` is a
:class:`FrameSource` whose ``read()`` blocks until the next shot lands and returns its full-resolution
pixels, so a shell can send each new shot straight to review.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np

from .base import FrameSource
from .files import IMAGE_EXTS

# photo files a camera or tethering tool writes; .heic is listed so an unsupported one is reported, not ignored
PHOTO_EXTS = IMAGE_EXTS | {".jpe", ".heic"}


def decodes_fully(path: Path) -> bool:
    """True when the whole image decodes (a file still being written does not)."""
    from PIL import Image, ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(path) as im:
            im.load()
        return True
    except Exception:
        return False


class HotFolder:
    """Poll ``folder`` for new image files; ``poll()`` returns those that became complete."""

    def __init__(self, folder: str | Path, recursive: bool = False, ignore_existing: bool = True,
                 settle_s: float = 0.5, interval: float = 0.25, exclude: str | Path | None = None,
                 give_up_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic,
                 complete: Callable[[Path], bool] = decodes_fully) -> None:
        self.folder = Path(folder)
        self.recursive = recursive
        self.settle_s = float(settle_s)
        self.give_up_s = float(give_up_s)
        self.interval = float(interval)
        self.exclude = Path(exclude).resolve() if exclude is not None else None
        self._clock = clock
        self._complete = complete
        self._seen: set[Path] = set()  # handed on (or present at start with ignore_existing)
        self._watch: dict[Path, tuple[tuple[int, int], float]] = {}  # path -> (size, mtime), since when stable
        if ignore_existing:
            self._seen.update(self._listing())

    def _listing(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        it = self.folder.rglob("*") if self.recursive else self.folder.iterdir()
        out = []
        for p in it:
            try:
                rel = p.relative_to(self.folder)
            except ValueError:
                continue
            # hidden and temporary files (".IMG_1.jpg.part", "~x.jpg") are skipped; tools rename when done
            if any(part.startswith((".", "~")) for part in rel.parts) or p.suffix.lower() not in PHOTO_EXTS:
                continue
            if self.exclude is not None and (self.exclude == p.resolve() or self.exclude in p.resolve().parents):
                continue
            if p.is_file():
                out.append(p)
        return sorted(out)

    def poll(self) -> list[Path]:
        """New files that are complete now (each returned once), oldest first."""
        now = self._clock()
        ready = []
        present = set()
        for p in self._listing():
            present.add(p)
            if p in self._seen:
                continue
            try:
                st = p.stat()
            except OSError:
                continue
            sig = (st.st_size, st.st_mtime_ns)
            old = self._watch.get(p)
            if old is None or old[0] != sig:
                self._watch[p] = (sig, now)  # new or still changing: wait until it settles
                if self.settle_s > 0:
                    continue
            stable_for = now - self._watch[p][1]
            if stable_for >= self.settle_s and ((st.st_size > 0 and self._complete(p)) or stable_for >= self.give_up_s):
                ready.append((st.st_mtime_ns, p))
        for p in list(self._watch):
            if p not in present:
                del self._watch[p]  # deleted or renamed before it settled
        ready.sort()
        for _, p in ready:
            self._seen.add(p)
            self._watch.pop(p, None)
        return [p for _, p in ready]

    def wait(self, stop: threading.Event | None = None, timeout: float | None = None) -> list[Path]:
        """Block until at least one new complete file (or ``stop`` / ``timeout``)."""
        end = None if timeout is None else self._clock() + timeout
        while True:
            got = self.poll()
            if got:
                return got
            if end is not None and self._clock() >= end:
                return []
            if stop is not None:
                if stop.wait(self.interval):
                    return []
            else:
                time.sleep(self.interval)


class HotFolderSource(FrameSource):
    """Each new complete shot in a folder as one full-resolution frame (``read()`` blocks until one
    lands). ``last_path`` is the file of the frame last returned; unreadable files are skipped."""

    name = "hot folder"
    is_camera = True

    def __init__(self, folder: str | Path, recursive: bool = False, settle_s: float = 0.5, interval: float = 0.25,
                 **kw) -> None:
        super().__init__(**kw)
        self.folder = Path(folder)
        self.name = f"hot folder {self.folder}"
        self._hot_args = dict(recursive=recursive, settle_s=settle_s, interval=interval)
        self._hot: HotFolder | None = None
        self._queue: list[Path] = []
        self.last_path: Path | None = None
        self._paths: dict[int, Path] = {}  # frame timestamp -> its file, for a reader on another thread

    def read(self):
        item = super().read()
        if item is not None and self.last_path is not None:
            self._paths[item[1]] = self.last_path
            for old in list(self._paths)[:-32]:
                del self._paths[old]
        return item

    def path_of(self, ts: int) -> Path | None:
        """The file of the frame stamped ``ts`` (frames are handed to another thread: by then
        ``last_path`` may already be the next shot's)."""
        return self._paths.get(ts)

    def _open(self) -> None:
        from ..errors import StudioError

        if not self.folder.is_dir():
            raise StudioError("camera.not_found", source=str(self.folder))
        self._hot = HotFolder(self.folder, ignore_existing=True, **self._hot_args)

    def _grab(self) -> np.ndarray | None:
        from .files import load_rgb

        while self._running:
            if not self._queue:
                assert self._hot is not None
                self._queue.extend(self._hot.wait(self._stop_event))
                continue
            path = self._queue.pop(0)
            try:
                frame = load_rgb(path)
            except Exception:
                continue  # vanished or not an image after all: wait for the next one
            self.last_path = path
            return frame
        return None
