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
#: 22 shared portraits labelled frontal (-1.8 deg; raw, the studio set reads -1.8..+3.8, press
#: photos and selfies -8.3..+3.1). See docs/compliance-accuracy.md, "Head pose: the fitted measure".
PITCH_OFFSET_DEG = 1.8

#: Horizontal field of view assumed over the frame's longer side when the camera is unknown
#: (EXIF is not available on the analysed array): a webcam / phone main camera. A 30 deg prior
#: moved the labelled-frontal median pitch by -1.2 deg and widened their spread (sd 3.9 vs 3.8).
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


def angles_towards_camera(r: np.ndarray, t: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) of a pose (rotation ``r`` model -> camera, translation ``t``) of the
    canonical face, relative to the camera ray through the model's origin (behind the nose)."""
    d = np.asarray(t, np.float64).reshape(3)
    d = d / (np.linalg.norm(d) or 1.0)
    # the smallest rotation taking the optical axis onto the ray, undone
    z = np.array([0.0, 0.0, 1.0])
    axis = np.cross(z, d)
    s, c = float(np.linalg.norm(axis)), float(d @ z)
    ray = np.eye(3)
    if s > 1e-9:
        ray = _rotation(axis / s * math.atan2(s, c))
    rel = ray.T @ r
    fwd = rel @ np.array([0.0, 0.0, 1.0])  # the face's outward normal, in camera axes (y down)
    right = rel @ np.array([1.0, 0.0, 0.0])
    yaw = math.degrees(math.atan2(fwd[0], -fwd[2]))
    pitch = math.degrees(math.atan2(-fwd[1], math.hypot(fwd[0], fwd[2])))
    roll = math.degrees(math.atan2(right[1], right[0]))
    return yaw, pitch, roll


def _rotation(w: np.ndarray) -> np.ndarray:
    """Rotation matrix of an axis-angle vector (Rodrigues)."""
    a = float(np.linalg.norm(w))
    if a < 1e-12:
        return np.eye(3)
    k = w / a
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + math.sin(a) * kx + (1 - math.cos(a)) * kx @ kx


def _residual(obj, img, r, t, f, cx, cy):
    """Reprojection residuals (2N,) and their Jacobian (2N, 6) with respect to a small rotation
    applied on the left (d(RX)/dw = -[RX]x) and the translation."""
    q = obj @ r.T
    p = q + t
    iz = 1.0 / p[:, 2]
    u, v = p[:, 0] * iz, p[:, 1] * iz
    res = np.column_stack((f * u + cx - img[:, 0], f * v + cy - img[:, 1])).ravel()
    # d(u, v)/dp for each point, then chain with dp/dw and dp/dt
    n = len(p)
    du = np.column_stack((f * iz, np.zeros(n), -f * u * iz))
    dv = np.column_stack((np.zeros(n), f * iz, -f * v * iz))
    # d . (-[q]x w) = (q x d) . w
    def dw(d):
        return np.column_stack((q[:, 1] * d[:, 2] - q[:, 2] * d[:, 1],
                                q[:, 2] * d[:, 0] - q[:, 0] * d[:, 2],
                                q[:, 0] * d[:, 1] - q[:, 1] * d[:, 0]))
    jac = np.empty((2 * n, 6))
    jac[0::2, :3], jac[0::2, 3:] = dw(du), du
    jac[1::2, :3], jac[1::2, 3:] = dw(dv), dv
    return res, jac


def _weak_perspective(obj: np.ndarray, img: np.ndarray, f: float, cx: float, cy: float):
    """Closed-form start: the affine camera that best maps the model onto the points, made a
    rotation (Gram-Schmidt) and a distance (focal over scale)."""
    o, m = obj - obj.mean(axis=0), img - img.mean(axis=0)
    a, *_ = np.linalg.lstsq(o, m, rcond=None)  # (3, 2): m ~ o @ a
    r1, r2 = a[:, 0], a[:, 1]
    scale = (np.linalg.norm(r1) + np.linalg.norm(r2)) / 2
    r1 = r1 / np.linalg.norm(r1)
    r2 = r2 - r1 * (r1 @ r2)
    r2 = r2 / np.linalg.norm(r2)
    r = np.vstack((r1, r2, np.cross(r1, r2)))
    tz = f / scale
    u, v = img.mean(axis=0)
    t = np.array([(u - cx) * tz / f, (v - cy) * tz / f, tz]) - r @ obj.mean(axis=0)
    return r, t


def fit_pose(pts: np.ndarray, image_size: tuple[int, int], ids=None, focal: float | None = None,
             start=None):
    """Least-squares perspective fit (Gauss-Newton with damping, numpy only: the bundle ships
    no OpenCV) of the canonical face to landmarks ``pts`` (pixels of the whole frame).
    ``start`` = (r, t) of an earlier fit to refine. Returns (yaw, pitch, roll, rms reprojection
    error in px, r, t) or None when the fit does not converge to a face in front of the camera."""
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
    if start is not None:
        r, t = np.array(start[0], np.float64), np.array(start[1], np.float64)
    else:
        r, t = _weak_perspective(obj, img, f, cx, cy)
    res, jac = _residual(obj, img, r, t, f, cx, cy)
    cost, lam = float(res @ res), 1e-4
    for _ in range(20):
        jtj, g = jac.T @ jac, jac.T @ res
        step = np.linalg.solve(jtj + lam * np.diag(np.diag(jtj) + 1e-12), -g)
        r2, t2 = _rotation(step[:3]) @ r, t + step[3:]
        if t2[2] <= 0:
            lam *= 10
            continue
        res2, jac2 = _residual(obj, img, r2, t2, f, cx, cy)
        cost2 = float(res2 @ res2)
        if cost2 <= cost:
            gain = cost - cost2
            r, t, res, jac, cost, lam = r2, t2, res2, jac2, cost2, lam * 0.3
            if gain <= 1e-9 * cost + 1e-12:
                break
        else:
            lam *= 10
            if lam > 1e6:
                break
    if t[2] <= 0 or not np.isfinite(cost):
        return None
    err = math.sqrt(cost / len(ids))
    yaw, pitch, roll = angles_towards_camera(r, t)
    return yaw, pitch, roll, err, r, t


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
    calibrated (:data:`PITCH_OFFSET_DEG`); yaw is not offset (a mirrored photo reads minus
    the same yaw within 0.8 deg: no left/right bias to take out). None when the fit fails."""
    if pts is None or len(pts) < 468:
        return None
    # pitch from the rigid points: lips and jaw move with expression and chins differ (all 468:
    # labelled-frontal sd 4.1 deg against 3.7); yaw from all 468, whose face outline is the
    # strongest left/right cue (the rigid points read turned heads 0.5-1.2 deg further out)
    rigid = fit_pose(pts, image_size, ids=_rigid_ids(), focal=focal)
    if rigid is None:
        return None
    whole = fit_pose(pts, image_size, focal=focal, start=rigid[4:6])
    return whole[0], rigid[1] + PITCH_OFFSET_DEG, rigid[2]
