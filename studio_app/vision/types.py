"""The shared result types of face analysis.

One :class:`FaceAnalysis` per image is computed once and reused by the checks, the overlay and
the crop solver. Coordinates are pixels of the analysed image (x right, y down). Fields may be
added; do not rename them (compliance, imaging and the UI read them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Point = tuple[float, float]


@dataclass(frozen=True)
class FaceBox:
    x: float
    y: float
    w: float
    h: float
    score: float

    @property
    def area(self) -> float:
        return self.w * self.h


@dataclass(frozen=True)
class ImageMeasures:
    """Image-quality measures on the main face and the background (see quality-measures.md).

    The background fields are NaN when not measured (live mode, or no backdrop visible)."""

    sharpness: float  # Laplacian variance on the face, normalised by face size
    luminance_mean: float  # face luminance, 0–255
    under_exposed: float  # share of face pixels with luminance 0–25
    over_exposed: float  # share of face pixels with luminance 247–255
    illumination_balance: float  # overlap of left/right face-half luminance histograms, 0–1
    left_right_ratio: float  # darker / brighter face half (70th pct. luminance above the mouth), 0–1
    dynamic_range: float  # entropy of the face luminance histogram, bits
    cheek_lab: tuple[float, float, float]  # mean CIELAB of the cheeks (L 0–100, a*, b*)
    colour_cast: tuple[float, float]  # mean a*, b* of neutral background pixels (0,0 = neutral)
    glare_face: float  # share of face-skin pixels that are specular highlights
    glare_glasses: float  # share of eye-region pixels that are specular highlights
    background_plainness: float  # p90 colour difference from a smooth fit of the border (lower = plainer)
    background_rgb: tuple[float, float, float]  # median backdrop colour
    background_uniformity: float  # mean luminance gradient magnitude over the background
    # sharpness along the direction with least fine detail (motion blur smears one direction
    # and leaves the isotropic measure high); same scale as ``directional_sharpness`` returns
    sharpness_min_direction: float = float("nan")


@dataclass(frozen=True)
class Accessory:
    """One of the seed's accessory rules measured on a photo (:mod:`studio_app.vision.accessories`):
    ``score`` in the unit its check states (NaN: not judged), ``region`` [x, y, w, h] image px of
    what was found (None when nothing was)."""

    score: float
    region: tuple[int, int, int, int] | None = None


@dataclass(frozen=True)
class FaceAnalysis:
    image_size: tuple[int, int]  # (width, height)
    faces: tuple[FaceBox, ...] = ()  # every face found, largest first
    landmarks: np.ndarray | None = None  # (478, 3): x, y in px, z relative (main face)
    blendshapes: dict[str, float] = field(default_factory=dict)
    yaw: float | None = None  # degrees, + = turned to the person's left (image right)
    pitch: float | None = None  # degrees, calibrated so a frontal face reads ~0; + = chin up
    roll: float | None = None  # degrees, + = head tilted clockwise in the image
    eye_left: Point | None = None  # image-left eye centre (the person's right eye)
    eye_right: Point | None = None
    chin: Point | None = None
    crown: Point | None = None  # top of the head including hair (from the person mask)
    crown_from_mask: bool = False  # False when the crown was estimated from landmarks only
    face_width: float | None = None  # cheek to cheek at the ears (landmarks 234–454)
    person_mask: np.ndarray | None = None  # float32 HxW in 0–1, when segmentation was asked
    # (live mode: read-only and shared by the frames between two segmentation runs)
    measures: ImageMeasures | None = None
    mode: str = "still"  # "still" or "live"
    # --- added by #3 (fields may be added, never renamed) ---
    crown_clipped: bool = False  # the head (hair) reaches the top edge of the image
    features: dict[str, float] = field(default_factory=dict)  # derived ratios, see vision.analyzer
    timestamp_ms: int | None = None  # live mode: the frame's timestamp
    analysed_scale: float = 1.0  # analysed px per image px (live frames are downscaled)
    face_height: float | None = None  # forehead top (landmark 10) to chin, px
    eye_line_angle: float | None = None  # angle of the line through the eye centres, degrees, + = clockwise
    # earrings, necklace, hair_accessory, hair_shoulders -> Accessory (vision.accessories); empty
    # when not measured (no face, or a live frame before the first slow-cadence run)
    accessories: dict[str, Accessory] = field(default_factory=dict)
    shoulders: tuple[Point, Point] | None = None  # image-left, image-right shoulder joints (vision.shoulders)

    @property
    def main_face(self) -> FaceBox | None:
        return self.faces[0] if self.faces else None

    @property
    def face_count(self) -> int:
        return len(self.faces)

    @property
    def has_face(self) -> bool:
        return self.landmarks is not None

    @property
    def eye_mid(self) -> Point | None:
        if self.eye_left is None or self.eye_right is None:
            return None
        return ((self.eye_left[0] + self.eye_right[0]) / 2, (self.eye_left[1] + self.eye_right[1]) / 2)

    @property
    def inter_eye(self) -> float | None:
        if self.eye_left is None or self.eye_right is None:
            return None
        return float(np.hypot(self.eye_right[0] - self.eye_left[0], self.eye_right[1] - self.eye_left[1]))

    @property
    def head_height(self) -> float | None:
        """Chin to crown, in px."""
        if self.chin is None or self.crown is None:
            return None
        return float(self.chin[1] - self.crown[1])
