"""Head pose from a least-squares fit of MediaPipe's canonical 3D face to the 2D landmarks.

The fit is a perspective camera on the whole frame: focal length from the frame size and a
field-of-view prior, principal point on the face (the camera is taken to look at the face: a
photo is usually a crop, so its centre is not the lens axis). Nothing depends on the crop the
landmarker saw. Angles are relative to the ray from the camera to the head: a head that faces
the lens reads 0.

Conventions as in :func:`geometry.pose_from_matrix`: yaw + = face turned towards image right,
pitch + = chin up, roll + = clockwise in the image.
"""

from __future__ import annotations

import math
import struct
import zipfile
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: Calibration of the pitch zero to what people call level: minus the median fitted pitch of the
#: 22 shared portraits labelled frontal (raw -1.8 deg; the studio set reads +2..+5 raw, press
#: photos and selfies -8..+4). See docs/compliance-accuracy.md, "Head pose: the fitted measure".
PITCH_OFFSET_DEG = 1.8

#: Horizontal field of view assumed when the camera is unknown (EXIF is not available on the
#: analysed array). 60 deg is a webcam / phone main camera; a longer lens changes the angles of
#: a centred face by well under a degree (see docs/compliance-accuracy.md, "Head pose").
FOV_PRIOR_DEG = 60.0


def _varint(b: bytes, i: int) -> tuple[int, int]:
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def _fields(b: bytes):
    """(field, wire type, value) of one protobuf message (only the wire types the file uses)."""
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        f, t = key >> 3, key & 7
        if t == 0:
            v, i = _varint(b, i)
        elif t == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        elif t == 5:
            v, i = b[i:i + 4], i + 4
        elif t == 1:
            v, i = b[i:i + 8], i + 8
        else:
            raise ValueError(f"protobuf wire type {t} not expected in the face geometry metadata")
        yield f, t, v


@dataclass(frozen=True)
class CanonicalFace:
    points: np.ndarray  # (468, 3) cm, x image-right, y up, z towards the viewer
    triangles: np.ndarray  # (n, 3) vertex indices
    weights: dict  # landmark id -> Procrustes weight (MediaPipe's own choice of rigid points)


@lru_cache(maxsize=1)
def canonical_face() -> CanonicalFace:
    """MediaPipe's canonical face model, read from ``geometry_pipeline_metadata_landmarks.binarypb``
    inside the bundled (hash-checked) ``face_landmarker.task``: GeometryPipelineMetadata
    {canonical_mesh = 1: Mesh3d {vertex_buffer = 3 (x, y, z, u, v), index_buffer = 4},
    procrustes_landmark_basis = 2: {landmark_id = 1, weight = 2}}."""
    from .models import FACE_LANDMARKER, model_path

    with zipfile.ZipFile(model_path(FACE_LANDMARKER)) as z:
        meta = z.read("geometry_pipeline_metadata_landmarks.binarypb")
    verts: list[float] = []
    index: list[int] = []
    weights: dict[int, float] = {}
    for f, t, v in _fields(meta):
        if f == 1:
            for f2, t2, v2 in _fields(v):
                if f2 == 3 and t2 == 5:
                    verts.append(struct.unpack("<f", v2)[0])
                elif f2 == 3 and t2 == 2:
                    verts.extend(struct.unpack(f"<{len(v2) // 4}f", v2))
                elif f2 == 4 and t2 == 0:
                    index.append(v2)
        elif f == 2:
            d = {f2: v2 for f2, _, v2 in _fields(v)}
            weights[int(d.get(1, 0))] = struct.unpack("<f", d[2])[0] if 2 in d else 0.0
    vb = np.asarray(verts, np.float64).reshape(-1, 5)
    return CanonicalFace(points=vb[:, :3].copy(), triangles=np.asarray(index, np.int32).reshape(-1, 3),
                         weights=weights)


def focal_px(width: int, height: int, fov_deg: float = FOV_PRIOR_DEG) -> float:
    """Focal length in pixels for a horizontal field of view over the longer side."""
    return 0.5 * max(width, height) / math.tan(math.radians(fov_deg) / 2)


def angles_towards_camera(rvec: np.ndarray, tvec: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) of a solvePnP pose of the canonical face, relative to the camera ray
    through the model's origin (the head's centre, behind the nose)."""
    import cv2

    r, _ = cv2.Rodrigues(np.asarray(rvec, np.float64))
    d = np.asarray(tvec, np.float64).reshape(3)
    d = d / (np.linalg.norm(d) or 1.0)
    # the smallest rotation taking the optical axis onto the ray, undone
    z = np.array([0.0, 0.0, 1.0])
    axis = np.cross(z, d)
    s, c = float(np.linalg.norm(axis)), float(d @ z)
    ray = np.eye(3)
    if s > 1e-9:
        k = axis / s
        kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
        ray = np.eye(3) + s * kx + (1 - c) * kx @ kx
    rel = ray.T @ r
    fwd = rel @ np.array([0.0, 0.0, 1.0])  # the face's outward normal, in camera axes (y down)
    right = rel @ np.array([1.0, 0.0, 0.0])
    yaw = math.degrees(math.atan2(fwd[0], -fwd[2]))
    pitch = math.degrees(math.atan2(-fwd[1], math.hypot(fwd[0], fwd[2])))
    roll = math.degrees(math.atan2(right[1], right[0]))
    return yaw, pitch, roll


def fit_pose(pts: np.ndarray, image_size: tuple[int, int], ids=None, focal: float | None = None,
             start=None):
    """solvePnP of the canonical face to landmarks ``pts`` (pixels of the whole frame).
    ``start`` = (rvec, tvec) of an earlier fit to refine. Returns (yaw, pitch, roll, rms
    reprojection error in px, rvec, tvec)."""
    import cv2

    face = canonical_face()
    w, h = image_size
    if ids is None:
        ids = np.arange(468)
    ids = np.asarray(ids)
    obj = face.points[ids].astype(np.float64)
    img = np.asarray(pts, np.float64)[ids, :2]
    f = focal or focal_px(w, h)
    # principal point on the face: stills are mostly crops, whose centre is not the lens axis,
    # and a face looking at the lens images nearly the same wherever it sits (on the labelled
    # frontal photos: pitch sd 3.69 vs 3.77 frame-centred, largest yaw 8.9 vs 10.0)
    cx, cy = np.asarray(pts, np.float64)[:468, :2].mean(axis=0)
    cam = np.array([[f, 0, cx], [0, f, cy], [0, 0, 1.0]])
    if start is not None:  # refine a previous fit (rvec, tvec)
        rvec, tvec = np.array(start[0], np.float64), np.array(start[1], np.float64)
    else:
        ok, rvec, tvec = cv2.solvePnP(obj, img, cam, None, flags=cv2.SOLVEPNP_SQPNP)
        if not ok:
            return None
    rvec, tvec = cv2.solvePnPRefineLM(obj, img, cam, None, rvec, tvec)
    proj, _ = cv2.projectPoints(obj, rvec, tvec, cam, None)
    err = float(np.sqrt(np.mean(np.sum((proj.reshape(-1, 2) - img) ** 2, axis=1))))
    yaw, pitch, roll = angles_towards_camera(rvec, tvec)
    return yaw, pitch, roll, err, rvec, tvec


def rigid_ids() -> np.ndarray:
    """The landmarks fitted: MediaPipe's own Procrustes basis (33 points on the eyes' corners,
    nose bridge, forehead, temples and cheekbones; no lips or jaw, which move with expression)."""
    return _rigid_ids()


@lru_cache(maxsize=1)
def _rigid_ids() -> np.ndarray:
    return np.array(sorted(canonical_face().weights), dtype=np.int64)


def head_pose(pts: np.ndarray, image_size: tuple[int, int], focal: float | None = None,
              ) -> tuple[float, float, float] | None:
    """(yaw, pitch, roll) in degrees of the head in a frame, from its landmarks in that frame's
    pixels: the canonical face fitted with a perspective camera (focal ``focal`` px, else the
    :data:`FOV_PRIOR_DEG` prior), relative to the ray from the camera to the head, pitch
    calibrated (:data:`PITCH_OFFSET_DEG`); yaw is not offset (a mirrored photo reads
    minus the same yaw within 0.4 deg, so there is no left/right bias to take out). None when the fit fails."""
    if pts is None or len(pts) < 468:
        return None
    # pitch from the rigid points: lips and jaw move with expression and chins differ (a smile
    # alone read several degrees chin-down); yaw from all 468, whose face outline is the
    # strongest left/right cue (the rigid points read turned heads ~0.5-1 deg further out)
    rigid = fit_pose(pts, image_size, ids=_rigid_ids(), focal=focal)
    if rigid is None:
        return None
    whole = fit_pose(pts, image_size, focal=focal, start=rigid[4:6])
    return whole[0], rigid[1] + PITCH_OFFSET_DEG, rigid[2]
