"""The MediaPipe Tasks runtime the analyzer uses: the Tasks modules (imported on first use), images
in their format, native log lines kept off the terminal, and every analyzer closed at exit before
MediaPipe's own executors stop."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
import threading
import weakref

import numpy as np

os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# MediaPipe logs through absl: warnings (e.g. "Input tensor memory is not aligned ...") stay off stderr
os.environ.setdefault("GOOGLE_STDERRTHRESHOLD", "2")
_native_log = logging.getLogger("studio_app.native")


@contextlib.contextmanager
def _quiet_native_stderr():
    """The C++ INFO/WARNING lines TFLite/MediaPipe print while models load or close go to the log
    file (logger ``studio_app.native``), not the terminal. Set STUDIO_APP_NATIVE_LOGS=1 to see them."""
    if os.environ.get("STUDIO_APP_NATIVE_LOGS"):
        yield
        return
    import tempfile

    fd = 2  # the process's stderr, where the native code writes (sys.stderr may be replaced)
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    saved = os.dup(fd)
    sink = tempfile.TemporaryFile()
    try:
        os.dup2(sink.fileno(), fd)
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os.dup2(saved, fd)
        os.close(saved)
        with contextlib.suppress(OSError):
            sink.seek(0)
            text = sink.read().decode("utf-8", "replace")
            for line in text.splitlines():
                if line.strip():
                    _native_log.info("%s", line.rstrip())
        sink.close()


def _mp():
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    return mp, vision, BaseOptions


def _mp_image(rgb: np.ndarray):
    mp, _, _ = _mp()
    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))


_LIVE = weakref.WeakSet()


def _close_all() -> None:
    for an in list(_LIVE):
        with contextlib.suppress(Exception):
            an.close()


# MediaPipe runs every native call through a ThreadPoolExecutor; concurrent.futures stops those
# executors in threading's shutdown hooks, which run in reverse order of registration. Import it
# first so our hook is registered later and therefore runs earlier.
import concurrent.futures.thread  # noqa: E402,F401

try:
    threading._register_atexit(_close_all)  # type: ignore[attr-defined]
except Exception:  # pragma: no cover - older/newer Pythons
    atexit.register(_close_all)
