"""The shoulder line from MediaPipe's pose landmarker (BlazePose GHUM full, Apache-2.0; the file
ships in resources/models/, see its README). Qt-free.

Only the two shoulder joints are used: they tell how far below the chin hair must reach to lie
over the shoulders (:mod:`studio_app.vision.accessories`). The model sees the picture scaled to
:data:`POSE_SIDE` px on its long side (its inputs are 224 and 256 px).
"""

from __future__ import annotations

import threading

import numpy as np

from .models import POSE_LANDMARKER, model_path

#: Long side (px) of the picture the pose landmarker is given.
POSE_SIDE = 320
#: A shoulder joint the model itself is less sure of than this is not used.
MIN_VISIBILITY = 0.5
LEFT_SHOULDER, RIGHT_SHOULDER = 11, 12  # the person's left / right


class ShoulderFinder:
    """``find(rgb) -> ((x, y), (x, y)) | None``: the image-left and image-right shoulder joints
    in ``rgb``'s pixels. Holds a native task: ``close()`` it (or use ``with``)."""

    def __init__(self) -> None:
        from mediapipe.tasks.python import BaseOptions, vision

        from .mp_runtime import _quiet_native_stderr  # the model's load chatter goes to the log

        self._lock = threading.Lock()
        self._quiet_until_found = True
        with _quiet_native_stderr():
            self._task = vision.PoseLandmarker.create_from_options(vision.PoseLandmarkerOptions(
                base_options=BaseOptions(model_asset_path=str(model_path(POSE_LANDMARKER))),
                running_mode=vision.RunningMode.IMAGE, num_poses=1,
                min_pose_detection_confidence=0.5, min_pose_presence_confidence=0.5))

    def find(self, rgb: np.ndarray):
        import mediapipe as mp

        rgb = np.asarray(rgb)
        n = max(1, int(np.ceil(max(rgb.shape[:2]) / POSE_SIDE)))  # every n-th pixel: cheap on big photos
        small = rgb[::n, ::n]
        from .mp_runtime import _quiet_native_stderr

        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(small))
        with self._lock:
            if self._task is None:
                raise RuntimeError("ShoulderFinder is closed")
            if self._quiet_until_found:  # the first pose found prints a native warning: to the log
                with _quiet_native_stderr():
                    res = self._task.detect(image)
                self._quiet_until_found = not res.pose_landmarks
            else:
                res = self._task.detect(image)
        if not res.pose_landmarks:
            return None
        lms = res.pose_landmarks[0]
        h, w = small.shape[:2]
        pts = []
        for i in (LEFT_SHOULDER, RIGHT_SHOULDER):
            p = lms[i]
            vis = p.visibility if p.visibility is not None else 1.0
            if vis < MIN_VISIBILITY:
                return None
            pts.append((float(p.x * w * n), float(p.y * h * n)))
        left, right = sorted(pts)
        return left, right

    def close(self) -> None:
        with self._lock:
            if self._task is not None:
                self._task.close()
                self._task = None

    def __enter__(self) -> "ShoulderFinder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
