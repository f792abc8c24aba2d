"""The person segmenter's first run (model load) prints TFLite's C++ lines on the process's stderr:
they go to the log file (logger ``studio_app.native``) like every other MediaPipe model's, not to the
terminal and not lost — matte uses the one silencer in vision.mp_runtime."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mediapipe")

REPO = Path(__file__).resolve().parent.parent

PROBE = textwrap.dedent("""
    import logging, sys
    import numpy as np
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="LOG %(name)s %(message)s")
    from studio_app.imaging import matte
    alpha = matte.segment_person(np.full((256, 256, 3), 128, np.uint8))
    print("SHAPE", alpha.shape)
""")


def test_segmenter_load_lines_go_to_the_log_not_the_terminal():
    env = {k: v for k, v in os.environ.items()
           if k not in ("GLOG_minloglevel", "TF_CPP_MIN_LOG_LEVEL", "STUDIO_APP_NATIVE_LOGS")}
    env["PYTHONPATH"] = str(REPO)
    r = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env,
                       timeout=180, cwd=REPO)
    assert r.returncode == 0, r.stderr
    assert "SHAPE (256, 256)" in r.stdout
    assert "TensorFlow Lite" not in r.stderr and "W0000" not in r.stderr, r.stderr
    native = [ln for ln in r.stdout.splitlines() if ln.startswith("LOG studio_app.native ")]
    assert any("TensorFlow Lite" in ln or "XNNPACK" in ln for ln in native), r.stdout
