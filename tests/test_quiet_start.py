"""A normal start prints nothing a newcomer would take for an error (issue 18): Qt's plugin
chatter (ten qt.multimedia.symbolsresolver lines, the FFmpeg banner, PulseAudio) and MediaPipe's
C++ log lines go to the log file, while real errors still reach the terminal."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
NOISE = re.compile(r"qt\.multimedia|symbolsresolver|FFmpeg|PulseAudio|propagateSizeHints|"
                   r"^[IWE]\d{4} |InitGoogle|TensorFlow Lite|tensor memory|absl", re.M)


def _env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("GLOG_minloglevel", "TF_CPP_MIN_LOG_LEVEL", "STUDIO_APP_NATIVE_LOGS")}
    env.update(PYTHONPATH=str(REPO), STUDIO_APP_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return env


def _log_text(home: Path) -> str:
    return "".join(p.read_text("utf-8", "replace") for p in home.rglob("studio_app.log"))


@pytest.fixture
def png(tmp_path, astronaut):
    path = tmp_path / "in.png"
    Image.fromarray(np.ascontiguousarray(astronaut[:, 1:])).save(path)  # odd width, as a PNG
    return path


def test_check_on_a_png_prints_no_native_log_lines(png, tmp_path):
    home = tmp_path / "home"
    r = subprocess.run([sys.executable, "-m", "studio_app", "--lang", "en", "check", str(png), "--spec", "sscard"],
                       capture_output=True, text=True, env=_env(home), timeout=240, cwd=REPO)
    assert r.returncode in (0, 1), r.stderr
    assert not NOISE.search(r.stderr), r.stderr
    assert "studio_app.native" in _log_text(home)  # the model-load lines are kept in the log


def test_gui_start_prints_no_qt_or_mediapipe_noise(png, tmp_path):
    home = tmp_path / "home"
    p = subprocess.Popen([sys.executable, "-m", "studio_app", "--source", str(png)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=_env(home), cwd=REPO)
    deadline = time.monotonic() + 120
    # the window is up and the multimedia plugin has loaded once the log says so
    while "qt.multimedia" not in _log_text(home) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(4)  # a few seconds of live analysis on the PNG
    p.send_signal(signal.SIGTERM)
    _out, err = p.communicate(timeout=60)
    assert "qt.multimedia.symbolsresolver" in _log_text(home)
    assert not NOISE.search(err), err


def test_native_lines_go_to_the_log_and_other_stderr_still_shows(tmp_path):
    home = tmp_path / "home"
    code = textwrap.dedent("""
        import os, sys, time
        from studio_app.logging_setup import route_native_stderr, setup_logging
        setup_logging()
        assert route_native_stderr()
        os.write(2, b"W0000 00:00:1796413429.544193    1684 tensor.cc:12] Input tensor memory is not aligned\\n")
        os.write(2, b"a real native error\\n")
        print("python error line", file=sys.stderr)
        time.sleep(0.5)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(home), timeout=60)
    assert r.returncode == 0, r.stderr
    assert "a real native error" in r.stderr and "python error line" in r.stderr
    assert "not aligned" not in r.stderr
    assert "Input tensor memory is not aligned" in _log_text(home)
