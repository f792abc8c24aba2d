"""Logging to a rotating file in the user data folder (never names or ID numbers)."""

from __future__ import annotations

import faulthandler
import io
import logging
import logging.handlers
import os
import re
import sys
import threading

from .paths import log_dir

_DONE = False


def setup_logging(level: int = logging.INFO, console: bool = False) -> None:
    global _DONE
    if _DONE:
        return
    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        handler = logging.handlers.RotatingFileHandler(
            log_dir() / "studio_app.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(fmt)
        root.addHandler(handler)
    except OSError:  # a read-only profile must not stop the app
        pass
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(fmt)
        root.addHandler(stream)
    for noisy in ("absl", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    _DONE = True


# Lines native libraries write straight to file descriptor 2, harmless but alarming to a newcomer:
# MediaPipe/TFLite/absl (at model load and, for some inputs, during inference: "Input tensor
# memory is not aligned ... Reallocating"; GLOG_minloglevel does not silence absl, which prints
# everything "before InitGoogle()"), and Qt's plugins on every start (ten qt.multimedia.
# symbolsresolver lines for optional VA-API/PipeWire libraries, the FFmpeg banner, PulseAudio).
# A Qt message handler would do for Qt, but it fights pytest-qt's own handler (abort).
_NATIVE_NOISE = re.compile(
    r"^(?:qt\.multimedia\.[\w.]+: "
    r"|PulseAudioService: "
    r"|This plugin does not support propagateSizeHints\(\)"
    r"|[IWE]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+:\d+\]"  # absl/glog: W0000 00:00:... file.cc:181]
    r"|WARNING: Logging before InitGoogle\(\)"
    r"|WARNING: All log messages before absl::InitializeLog\(\)"
    r"|INFO: Created TensorFlow Lite"
    r"|INFO: Initialized TensorFlow Lite"
    r"|.*Input tensor memory is not aligned)")
_native_routed = False


def route_native_stderr() -> bool:
    """Send the native libraries' log lines on fd 2 to the log file; everything else still reaches
    the terminal. Python's own stderr is re-pointed at the original terminal first, so Python
    output and crash traces (faulthandler) never depend on the forwarding thread. Only for a real
    console stderr (not under pytest's capture, not a windowed app without one); returns whether
    it is on. STUDIO_APP_NATIVE_LOGS=1 leaves stderr alone."""
    global _native_routed
    if _native_routed:
        return True
    if os.environ.get("STUDIO_APP_NATIVE_LOGS") or sys.stderr is None or sys.stderr is not sys.__stderr__:
        return False
    try:
        if sys.stderr.fileno() != 2:
            return False
        sys.stderr.flush()
        terminal = os.dup(2)
        read_end, write_end = os.pipe()
    except (OSError, ValueError, AttributeError):
        return False
    # Python writes go to the terminal directly, line-buffered as before
    sys.stderr = io.TextIOWrapper(os.fdopen(terminal, "wb", buffering=0), encoding=sys.__stderr__.encoding,
                                  errors="backslashreplace", line_buffering=True, write_through=True)
    sys.__stderr__ = sys.stderr
    if faulthandler.is_enabled():
        faulthandler.enable(file=sys.stderr)
    os.dup2(write_end, 2)
    os.close(write_end)
    log = logging.getLogger("studio_app.native")

    def forward() -> None:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            pending = b""
            while True:
                chunk = pipe.read(65536)
                if not chunk:
                    break
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for raw in lines:
                    text = raw.decode("utf-8", "replace")
                    if _NATIVE_NOISE.match(text):
                        log.info("%s", text)
                    else:
                        os.write(terminal, raw + b"\n")

    threading.Thread(target=forward, name="native-stderr", daemon=True).start()
    _native_routed = True
    return True
