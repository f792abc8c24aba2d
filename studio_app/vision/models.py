"""Bundled MediaPipe model files: locate, verify (SHA-256 manifest), create Tasks objects.

Nothing is downloaded: every model ships in resources/models/.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ..hashing import sha256_file  # noqa: F401 (re-exported)
from .. import messages
from ..errors import StudioError
from ..paths import resource


def block_telemetry() -> None:
    """MediaPipe Tasks (1.2.x) posts usage logs to Google from a background thread through its
    own libcurl (seen under strace by tests/test_privacy_network.py; google-ai-edge/mediapipe#6291)
    and has no switch to turn it off. Nothing may leave the station: libcurl's proxy is pointed at
    a closed port on this machine, so the upload fails locally, without even a DNS lookup."""
    dead = "http://127.0.0.1:9"
    for var in ("https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY"):
        os.environ[var] = dead
    for var in ("no_proxy", "NO_PROXY"):
        os.environ.pop(var, None)


block_telemetry()  # before any MediaPipe task exists: every task is created through this module

messages.register({
    "model.missing": ("缺少模型文件：{name}（请重新安装本软件）",
                      "Model file missing: {name} (please reinstall the application)"),
    "model.corrupt": ("模型文件已损坏：{name}（校验值不符，请重新安装）",
                      "Model file corrupt: {name} (checksum mismatch; please reinstall)"),
})

FACE_LANDMARKER = "face_landmarker.task"
FACE_DETECTOR_SHORT = "face_detection_short_range.tflite"
FACE_DETECTOR_FULL = "face_detection_full_range_sparse.tflite"
SEGMENTER = "selfie_segmentation.tflite"
SEGMENTER_LANDSCAPE = "selfie_segmentation_landscape.tflite"
POSE_LANDMARKER = "pose_landmarker_full.task"  # shoulders (vision.shoulders)


def models_dir() -> Path:
    return resource("models")


def manifest() -> dict[str, str]:
    """``name -> sha256`` from resources/models/SHA256SUMS."""
    path = models_dir() / "SHA256SUMS"
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            out[name.strip().lstrip("*")] = digest
    return out


@lru_cache(maxsize=None)
def model_path(name: str, verify: bool = True) -> Path:
    """Path of a bundled model; raises StudioError if missing or its hash is wrong."""
    path = models_dir() / name
    if not path.is_file():
        raise StudioError("model.missing", name=name)
    if verify:
        expected = manifest().get(name)
        if expected is None or sha256_file(path) != expected:
            raise StudioError("model.corrupt", name=name)
    return path


def verify_all() -> list[StudioError]:
    """Every model in the manifest, checked; returns the problems (empty when all good)."""
    problems = []
    for name in manifest():
        try:
            model_path.__wrapped__(name)
        except StudioError as exc:
            problems.append(exc)
    return problems
