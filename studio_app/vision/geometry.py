"""Pure geometry on face landmarks: pose angles, eye centres, crown, facial feature ratios.

All functions take numpy arrays in image pixels and return plain floats, so they can be tested
without a model.
"""

from __future__ import annotations

import math

import numpy as np

# --- Pose calibration -------------------------------------------------------------------------
#: Pitch calibration. The design notes measured +13..15° on frontal faces when the landmarker
#: sees the whole image (the astronaut reads 14.9° that way). We run the landmarker on a square
#: crop centred on the face, where the same measurement on the reference frontal portraits reads:
#: ldn_004 -2.7, ldn_006 -3.5, ldn_021 -2.2, ldn_107 +0.7, astronaut +9.0 (raw, + = chin down);
#: whole-image readings of the ldn photos are -0.7..-4.7, so the +13° bias is not general.
#: We subtract the mean of these five, +0.3°. Positive calibrated pitch = chin up. The crop-centre
#: correction below moves these five by +0.0..+0.7° (their mean by 0.6°); the offset is kept:
#: readings of people judged level spread over several degrees (face shape), far more than that.
PITCH_OFFSET_DEG = 0.3

# Landmark indices of MediaPipe's 478-point face mesh.
FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400,
             377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)
# "left"/"right" below are image-left / image-right (un-mirrored camera image).
EYE_IMG_LEFT = dict(outer=33, inner=133, top=159, bottom=145, iris=468,
                    lid=((160, 144), (159, 145), (158, 153)))
EYE_IMG_RIGHT = dict(outer=263, inner=362, top=386, bottom=374, iris=473,
                     lid=((385, 380), (386, 374), (387, 373)))
BROW_IMG_LEFT = (70, 63, 105, 66, 107, 46, 53, 52, 65, 55)
BROW_IMG_RIGHT = (300, 293, 334, 296, 336, 276, 283, 282, 295, 285)
LIP_INNER_TOP, LIP_INNER_BOTTOM = 13, 14
MOUTH_LEFT, MOUTH_RIGHT = 61, 291
CHIN = 152
FOREHEAD = 10
NOSE_TIP = 1
NOSE_BRIDGE = 168
CHEEK_IMG_LEFT, CHEEK_IMG_RIGHT = 234, 454  # face width at the ears
CHEEK_PATCH_IMG_LEFT, CHEEK_PATCH_IMG_RIGHT = 50, 280  # cheek centres for colour


#: The matrix comes from a perspective camera MediaPipe assumes for the image it was given (our
#: square crop), so where the face sits in that crop leaks into the angles: moving the crop so
#: the face's landmark centroid moves by 10 % of the crop side changed pitch by 1.9 deg and yaw by
#: 1.5 deg, the same on 8 portraits at crop sizes 1.6-3x the face box (a detector box that sits
#: lower on one face than another gave several degrees of pitch). Regressed over 360 crops of
#: those portraits (per-photo constants; residual sd 0.58 deg pitch, 0.34 deg yaw), these
#: coefficients undo it (degrees per unit of centroid offset / crop size, + = right / down).
CENTRE_YAW_DEG = -15.4
CENTRE_PITCH_DEG = 18.8


def pose_from_matrix(matrix: np.ndarray, pitch_offset: float = PITCH_OFFSET_DEG,
                     centre_offset: tuple[float, float] | None = None) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees from a 4x4 facial transformation matrix.

    yaw + = face turned towards image right (the person's left); pitch + = chin up (calibrated,
    see :data:`PITCH_OFFSET_DEG`); roll + = head tilted clockwise in the image.
    ``centre_offset`` = (u, v): the landmarks' centroid minus the centre of the image the
    landmarker saw, as fractions of its width and height; the angles are then corrected to a
    face centred in that image (:data:`CENTRE_PITCH_DEG`).
    """
    r = np.asarray(matrix, dtype=np.float64)[:3, :3]
    # normalise columns (the matrix may carry a scale)
    r = r / np.linalg.norm(r, axis=0, keepdims=True)
    yaw = math.degrees(math.asin(float(np.clip(-r[2, 0], -1.0, 1.0))))
    raw_pitch = math.degrees(math.atan2(r[2, 1], r[2, 2]))  # + = head tipped forward (chin down)
    roll = math.degrees(math.atan2(-r[1, 0], r[0, 0]))
    pitch = -(raw_pitch - pitch_offset)
    if centre_offset is not None:
        u, v = centre_offset
        yaw -= CENTRE_YAW_DEG * u
        pitch -= CENTRE_PITCH_DEG * v
    return yaw, pitch, roll


def landmark_centre_offset(normalised_landmarks) -> tuple[float, float]:
    """(u, v) for :func:`pose_from_matrix` from the landmarker's normalised (0-1) landmarks."""
    xy = np.array([(p.x, p.y) for p in normalised_landmarks], dtype=np.float64)
    return float(xy[:, 0].mean() - 0.5), float(xy[:, 1].mean() - 0.5)


def roll_from_eyes(eye_left: tuple[float, float], eye_right: tuple[float, float]) -> float:
    """Angle of the eye line in degrees, + = clockwise in the image (y down)."""
    return math.degrees(math.atan2(eye_right[1] - eye_left[1], eye_right[0] - eye_left[0]))


def eye_centre(pts: np.ndarray, eye: dict) -> tuple[float, float]:
    """Iris centre when the 478-point mesh is present, else the midpoint of the eye corners."""
    if pts.shape[0] > eye["iris"]:
        x, y = pts[eye["iris"], :2]
        return float(x), float(y)
    a, b = pts[eye["outer"], :2], pts[eye["inner"], :2]
    return float((a[0] + b[0]) / 2), float((a[1] + b[1]) / 2)


def _dist(pts: np.ndarray, i: int, j: int) -> float:
    return float(np.hypot(*(pts[i, :2] - pts[j, :2])))


def eye_openness(pts: np.ndarray, eye: dict) -> float:
    """Eye aspect ratio: mean lid gap over eye width (open ~0.25–0.35, closed < 0.12)."""
    width = _dist(pts, eye["outer"], eye["inner"]) or 1.0
    gaps = [_dist(pts, a, b) for a, b in eye["lid"]]
    return float(np.mean(gaps) / width)


def gaze_offsets(pts: np.ndarray) -> tuple[float, float]:
    """Iris position within the eye opening, averaged over both eyes.

    x: -0.5..0.5 of the eye width (0 = centred, + = towards image right);
    y: relative to the lid midpoint in units of eye width (+ = down).
    """
    xs, ys = [], []
    for eye in (EYE_IMG_LEFT, EYE_IMG_RIGHT):
        a, b = pts[eye["outer"], :2], pts[eye["inner"], :2]
        lo, hi = (a, b) if a[0] < b[0] else (b, a)
        width = float(hi[0] - lo[0]) or 1.0
        iris = pts[eye["iris"], :2]
        xs.append((iris[0] - (lo[0] + hi[0]) / 2) / width)
        mid_y = (pts[eye["top"], 1] + pts[eye["bottom"], 1]) / 2
        ys.append((iris[1] - mid_y) / width)
    return float(np.mean(xs)), float(np.mean(ys))


def mouth_openness(pts: np.ndarray) -> float:
    """Inner-lip gap over the eye-midpoint-to-chin distance T (closed < ~0.02)."""
    eye_mid = (pts[EYE_IMG_LEFT["iris"], :2] + pts[EYE_IMG_RIGHT["iris"], :2]) / 2
    t = float(np.hypot(*(pts[CHIN, :2] - eye_mid))) or 1.0
    return _dist(pts, LIP_INNER_TOP, LIP_INNER_BOTTOM) / t


def crown_from_mask(mask: np.ndarray, pts: np.ndarray, threshold: float = 0.5,
                    band: float = 0.3) -> tuple[float, float, bool] | None:
    """Top of the head (hair included) above the forehead, from a person mask.

    Scans upwards from the forehead landmark in a column band (``band`` x face width, centred
    on the line through the nose bridge and the forehead) and returns ``(x, y, clipped)`` where
    ``clipped`` says the head reaches the top edge of the image. ``None`` when the mask does not
    cover the forehead (a failed segmentation).
    """
    h, w = mask.shape[:2]
    fw = _dist(pts, CHEEK_IMG_LEFT, CHEEK_IMG_RIGHT)
    fx, fy = pts[FOREHEAD, :2]
    half = max(2, int(round(fw * band / 2)))
    x0, x1 = int(max(0, round(fx) - half)), int(min(w, round(fx) + half + 1))
    y_start = int(np.clip(round(fy), 0, h - 1))
    if x1 <= x0:
        return None
    column = mask[: y_start + 1, x0:x1] > threshold
    frac = column.mean(axis=1)
    if frac[y_start] < 0.5:
        # the mask does not even cover the forehead; try a little lower (mask edges are soft)
        probe = int(np.clip(round(fy + 0.1 * fw), 0, h - 1))
        if mask[probe, x0:x1].mean() < threshold:
            return None
    below = np.nonzero(frac < 0.5)[0]
    if below.size == 0:
        return float(fx), 0.0, True
    top = int(below[-1]) + 1
    # sub-row refinement: interpolate the 0.5 crossing of the mean mask value in the band
    vals = mask[max(0, top - 1): top + 1, x0:x1].mean(axis=1)
    y = float(top)
    if vals.size == 2 and vals[1] != vals[0]:
        y = (top - 1) + float(np.clip((threshold - vals[0]) / (vals[1] - vals[0]), 0, 1))
    return float(fx), y, top <= 1


#: Head height (chin to crown) over chin-to-forehead-landmark distance, for when there is no
#: mask. On the 21 shared portraits whose crown the mask found: median 1.42 (1.26–1.59; the bald
#: sitter 1.29).
CROWN_RATIO = 1.42


def crown_from_landmarks(pts: np.ndarray) -> tuple[float, float]:
    chin = pts[CHIN, :2]
    fore = pts[FOREHEAD, :2]
    v = fore - chin
    top = chin + v * CROWN_RATIO
    return float(top[0]), float(top[1])
