"""Honest pose variants of a real photo for the pose tests (test helper, not product code).

``repose(rgb, pts, pitch_deg)`` turns the face of a photo up or down by a known angle: the face
mesh the landmarker found (its 468 points with their depth) is rotated about a horizontal axis
through the head, and each mesh triangle of the photo is warped (affine, back to front) to where
the rotated mesh projects. Outside the mesh the photo is unchanged. This is how 3D face
alignment work makes posed training faces from frontal ones; here it gives a photo whose pitch
change is known, which the shared set does not have.
"""

from __future__ import annotations

import math

import cv2
import numpy as np


def turned_mesh(pts: np.ndarray, pitch_deg: float = 0.0, yaw_deg: float = 0.0) -> np.ndarray:
    """The 468-point mesh (x, y, z px) turned about an axis inside the head: where :func:`repose`
    warps the photo's triangles to."""
    p = np.asarray(pts, np.float64)[:468, :3].copy()
    fw = float(np.ptp(p[:, 0]))
    centre = p.mean(axis=0) + np.array([0.0, 0.0, 0.35 * fw])  # the axis sits inside the head
    q = p - centre
    a = math.radians(-pitch_deg)  # chin up = the outward normal turns to -y
    c, s = math.cos(a), math.sin(a)
    q = q @ np.array([[1, 0, 0], [0, c, s], [0, -s, c]])  # y' = c y - s z, z' = s y + c z
    b = math.radians(yaw_deg)
    c, s = math.cos(b), math.sin(b)
    q = q @ np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])  # x' = c x - s z
    return q + centre


def repose(rgb: np.ndarray, pts: np.ndarray, pitch_deg: float = 0.0, yaw_deg: float = 0.0) -> np.ndarray:
    """A copy of ``rgb`` with the face turned chin up (``pitch_deg`` > 0) / towards image right
    (``yaw_deg`` > 0). ``pts``: the analysis' landmarks (x, y px; z px, + = away from the camera)."""
    from studio_app.vision.pose import canonical_face

    tri = canonical_face().triangles
    p = np.asarray(pts, np.float64)[:468, :3].copy()
    dst = turned_mesh(pts, pitch_deg, yaw_deg)
    out = rgb.copy()
    h, w = rgb.shape[:2]
    order = np.argsort(-dst[tri].mean(axis=1)[:, 2])  # far triangles first
    for t in tri[order]:
        s2, d2 = p[t, :2].astype(np.float32), dst[t, :2].astype(np.float32)
        area = (d2[1, 0] - d2[0, 0]) * (d2[2, 1] - d2[0, 1]) - (d2[2, 0] - d2[0, 0]) * (d2[1, 1] - d2[0, 1])
        area0 = (s2[1, 0] - s2[0, 0]) * (s2[2, 1] - s2[0, 1]) - (s2[2, 0] - s2[0, 0]) * (s2[1, 1] - s2[0, 1])
        if area * area0 <= 0:  # turned away from the camera
            continue
        x0, y0 = np.floor(d2.min(axis=0)).astype(int) - 1
        x1, y1 = np.ceil(d2.max(axis=0)).astype(int) + 2
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
        if x1 <= x0 or y1 <= y0:
            continue
        m = cv2.getAffineTransform(s2, d2 - np.float32([x0, y0]))
        patch = cv2.warpAffine(rgb, m, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REFLECT)
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillConvexPoly(mask, np.round((d2 - [x0, y0]) * 16).astype(np.int32), 1, cv2.LINE_8, 4)
        mask = cv2.dilate(mask, np.ones((2, 2), np.uint8))  # no seams between triangles
        region = out[y0:y1, x0:x1]
        region[mask > 0] = patch[mask > 0]
    return out
