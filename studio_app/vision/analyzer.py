"""Face analysis with the MediaPipe Tasks API: one :class:`FaceAnalysis` per image or frame.

Still mode (IMAGE running mode, full resolution):
  1. both bundled face detectors (short range for close faces, full-range sparse for small faces
     in wide shots) find every face; boxes are merged;
  2. the landmarker runs on an upscaled (or downscaled) square crop around the largest face, so
     faces of ~60–130 px in a wide shot still get 478 landmarks; landmarks are mapped back to
     full-image pixels;
  3. the selfie segmenter gives a person mask, from which the crown (top of hair) is found;
  4. image measures (exposure, lighting balance, sharpness, colour, glare, background).

Live mode (VIDEO running mode with tracking): the landmarker tracks the face in a 256-px square
crop that follows it (so pose reads as in still mode wherever the face sits in the frame, and
small faces are enlarged); both face detectors run on the frame downscaled to ``live_width``
(640 px) when the track is lost and every ``segmentation_every`` frames (to count faces); the
selfie segmenter runs every ``segmentation_every`` frames too (on other frames than detection)
and its mask is reused in between; only the cheap face measures are computed (background fields
are NaN). Coordinates are always reported in pixels of the frame passed in.

Tasks objects hold native resources: call :meth:`FaceAnalyzer.close` or use ``with``.

``FaceAnalysis.features`` (the derived ratios the checks use):
  eye_open_left/right  lid gap / eye width (open ~0.2–0.45, closed < 0.12)
  mouth_open           inner-lip gap / eye-midpoint-to-chin distance (closed < 0.015)
  gaze_x, gaze_y       iris offset within the eye, fraction of eye width (+x image right, +y down)
  roll_eyes            eye-line angle in degrees (+ clockwise)
  eye_darkness         lens area / cheek luminance (sunglasses ~0.2)
  eye_opening_light    p90 luminance inside the lids / cheeks (the eye whites; sunglasses ~0.2)
  glasses_bridge       horizontal-edge strength on the nose bridge (spectacle frames > 2.2)
  brow_skin, forehead_skin  skin likeness (0..1) above the brows / of the forehead
  brow_cover           colour distance above the brows from skin, relative to the brows'
  ears_skin            skin likeness just outside the face at ear height
  headwear             colour distance of the area over the forehead from skin and hair
  face_height          forehead landmark to chin, px
  shadow_edge, shadow_socket, shadow_brim  shadows on the face in stops (vision.appearance)

Layout: this module is the still path and the fields; the live path is :mod:`.live_tracking`,
boxes and crops :mod:`.crops`, MediaPipe loading and closing :mod:`.mp_runtime`; the measures are
:mod:`.measures` (exposure, lighting, sharpness, colour, backdrop), :mod:`.eyewear`,
:mod:`.occlusion` and :mod:`.appearance`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading

import numpy as np

from .. import imageops as iops
from . import appearance as appearance_measures
from . import eyewear
from .accessories import ACCESSORY_EVERY, AccessoryMeter
from . import geometry as g
from . import headwear as headwear_measures
from .crown import with_refined_crown
from .pose import head_pose
from . import measures as meas
from . import occlusion
from .crops import (CROP_FACTOR, DETECT_SIDE, LANDMARK_CROP, _box_from_points, _contains, _crop_square, _iou,
                    _resize_mask, decimate, merge_boxes)
from .live_tracking import LiveTracking
from .models import FACE_DETECTOR_FULL, FACE_DETECTOR_SHORT, FACE_LANDMARKER, SEGMENTER, model_path
from .mp_runtime import _LIVE, _mp, _mp_image, _quiet_native_stderr
from .types import FaceAnalysis, FaceBox

#: Detections below this score are ignored. On the shared portraits real faces score 0.77–0.98
#: with at least one detector; a dog's face scored 0.51, and 0.61 mirrored (0.6 let it through).
MIN_FACE_SCORE = 0.7
#: Long side (px) of the image given to the selfie segmenter (its input is 256x256 anyway).
SEGMENT_SIDE = 512
#: Face measures run on the head region downscaled to this face width (they are ratios).
MEASURE_FACE_WIDTH = 480
#: live: hair/headwear/ears/glasses features are measured on the frames that already segment or
#: detect (the slow ones), and at least every n-th frame of a track
APPEARANCE_EVERY = 3


class FaceAnalyzer(LiveTracking):
    """Analyse images (``mode="still"``) or a stream of frames (``mode="live"``, :mod:`.live_tracking`)."""

    def __init__(self, mode: str = "still", *, live_width: int = 640, segmentation_every: int = 5,
                 min_face_score: float = MIN_FACE_SCORE) -> None:
        if mode not in ("still", "live"):
            raise ValueError(f"mode must be 'still' or 'live', not {mode!r}")
        self.mode = mode
        self.live_width = int(live_width)
        self.segmentation_every = max(1, int(segmentation_every))
        self.min_face_score = float(min_face_score)
        self._lock = threading.Lock()
        self._closed = False
        self._frame_no = 0
        self._last_ts = -1
        self._mask_cache: np.ndarray | None = None
        self._mask_full: np.ndarray | None = None  # the cached mask at full frame size
        self._roi: FaceBox | None = None  # live: the tracked face, full-frame px
        self._others: list[FaceBox] = []  # live: faces from the last detection, full-frame px
        # live: the appearance features (hair over brows, headwear, ears, glasses) of the tracked
        # face, refreshed on the segmentation and detection frames (every 2-3 frames): they do not
        # change between two frames and cost ~4 ms; stacked on the slow frames, most frames of the
        # stream (the median) pay for tracking alone
        self._appearance: dict | None = None
        self._appearance_frame = -1
        self._sharp_dir = float("nan")  # live: motion-blur sharpness of the last appearance refresh
        # earrings, necklace, hair clips, hair over the shoulders (+ the pose model), slow cadence live
        self._accessories = AccessoryMeter(ACCESSORY_EVERY if mode == "live" else 1)
        mp, vision, BaseOptions = _mp()

        def opts(name):
            return BaseOptions(model_asset_path=str(model_path(name)))

        running = vision.RunningMode.VIDEO if mode == "live" else vision.RunningMode.IMAGE
        with _quiet_native_stderr():
            self._landmarker = vision.FaceLandmarker.create_from_options(vision.FaceLandmarkerOptions(
                base_options=opts(FACE_LANDMARKER), running_mode=running,
                num_faces=1,
                min_face_detection_confidence=0.5, min_face_presence_confidence=0.5,
                min_tracking_confidence=0.5,
                output_face_blendshapes=True, output_facial_transformation_matrixes=True))
            self._segmenter = vision.ImageSegmenter.create_from_options(vision.ImageSegmenterOptions(
                base_options=opts(SEGMENTER), running_mode=vision.RunningMode.IMAGE,
                output_confidence_masks=True, output_category_mask=False))
            self._detectors = []
            if mode == "still":
                for name in (FACE_DETECTOR_SHORT, FACE_DETECTOR_FULL):
                    self._detectors.append(vision.FaceDetector.create_from_options(vision.FaceDetectorOptions(
                        base_options=opts(name), running_mode=vision.RunningMode.IMAGE,
                        min_detection_confidence=0.5, min_suppression_threshold=0.3)))
                # fallback landmarker on the whole image (a face the detectors missed)
                self._landmarker_full = vision.FaceLandmarker.create_from_options(vision.FaceLandmarkerOptions(
                    base_options=opts(FACE_LANDMARKER), running_mode=vision.RunningMode.IMAGE, num_faces=2,
                    output_face_blendshapes=True, output_facial_transformation_matrixes=True))
            else:
                self._landmarker_full = None
                # small faces: the tracker's own detector misses faces under ~15 % of the frame
                # width; then the full-range detector finds them and landmarks run on a crop
                self._small_detector = vision.FaceDetector.create_from_options(vision.FaceDetectorOptions(
                    base_options=opts(FACE_DETECTOR_FULL), running_mode=vision.RunningMode.IMAGE,
                    min_detection_confidence=0.5, min_suppression_threshold=0.3))
                self._short_detector = vision.FaceDetector.create_from_options(vision.FaceDetectorOptions(
                    base_options=opts(FACE_DETECTOR_SHORT), running_mode=vision.RunningMode.IMAGE,
                    min_detection_confidence=0.5, min_suppression_threshold=0.3))
                self._crop_landmarker = vision.FaceLandmarker.create_from_options(vision.FaceLandmarkerOptions(
                    base_options=opts(FACE_LANDMARKER), running_mode=vision.RunningMode.IMAGE, num_faces=1,
                    output_face_blendshapes=True, output_facial_transformation_matrixes=True))
            self._warm_up()
        _LIVE.add(self)

    def _warm_up(self) -> None:
        """One inference per model while native logging is silenced (the first call prints
        memory-alignment warnings and is slower)."""
        blank = np.full((256, 256, 3), 128, np.uint8)
        image = _mp_image(blank)
        self._segmenter.segment(image)
        for det in self._detectors:
            det.detect(image)
        if self.mode == "live":
            self._landmarker.detect_for_video(image, 0)
            self._last_ts = 0
            self._small_detector.detect(image)
            self._short_detector.detect(image)
            self._crop_landmarker.detect(image)
        else:
            self._landmarker.detect(image)
            self._landmarker_full.detect(image)

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with _quiet_native_stderr():
                for obj in (self._landmarker, self._segmenter, self._landmarker_full, *self._detectors,
                            getattr(self, "_small_detector", None), getattr(self, "_short_detector", None),
                            getattr(self, "_crop_landmarker", None)):
                    if obj is not None:
                        with contextlib.suppress(Exception):
                            obj.close()
            self._detectors = []
            self._accessories.close()

    def __enter__(self) -> "FaceAnalyzer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    # -- pieces ------------------------------------------------------------------------------
    def detect_faces(self, rgb: np.ndarray) -> list[FaceBox]:
        """Every face both detectors find (score >= ``min_face_score``), largest first."""
        small, n = decimate(rgb, DETECT_SIDE)
        image = _mp_image(small)
        boxes = []
        for det in self._detectors:
            for d in det.detect(image).detections:
                score = float(d.categories[0].score) if d.categories else 0.0
                bb = d.bounding_box
                boxes.append(FaceBox(float(bb.origin_x) * n, float(bb.origin_y) * n, float(bb.width) * n,
                                     float(bb.height) * n, score))
        return merge_boxes([b for b in boxes if b.score >= self.min_face_score])

    def segment(self, rgb: np.ndarray, side: int = SEGMENT_SIDE) -> np.ndarray:
        """Person confidence mask, float32 in 0..1, at the size of ``rgb``."""
        h, w = rgb.shape[:2]
        src, _ = decimate(rgb, 4 * side)
        sh, sw = src.shape[:2]
        k = min(1.0, side / max(sh, sw))
        small = src if k >= 1.0 else iops.resize(src, (max(1, int(sw * k)), max(1, int(sh * k))), "area")
        res = self._segmenter.segment(_mp_image(small))
        mask = np.clip(np.asarray(res.confidence_masks[0].numpy_view(), dtype=np.float32), 0.0, 1.0)
        if mask.ndim == 3:
            mask = mask[:, :, 0]
        if mask.shape != (h, w):
            mask = iops.resize(mask, (w, h), "linear")
        return mask

    def _landmarks_on_crop(self, rgb: np.ndarray, box: FaceBox, landmarker=None, size: int = LANDMARK_CROP,
                           with_offset: bool = False):
        cx, cy = box.x + box.w / 2, box.y + box.h / 2
        side = CROP_FACTOR * max(box.w, box.h)
        crop, (x0, y0, kx, ky) = _crop_square(rgb, cx, cy, side, size)
        res = (landmarker or self._landmarker).detect(_mp_image(crop))
        if not res.face_landmarks:
            return None
        pts = np.array([(p.x, p.y, p.z) for p in res.face_landmarks[0]], dtype=np.float64)
        pts *= size
        if with_offset:  # crop pixels, plus the crop and its mapping (live mode)
            return pts, res, 0, crop, (x0, y0, kx, ky)
        pts[:, 0] = pts[:, 0] / kx + x0
        pts[:, 1] = pts[:, 1] / ky + y0
        pts[:, 2] = pts[:, 2] / kx
        return pts, res, 0

    @staticmethod
    def _unpack(res, idx: int, w: int, h: int):
        pts = np.array([(p.x * w, p.y * h, p.z * w) for p in res.face_landmarks[idx]], dtype=np.float64)
        return pts

    # -- the analysis ------------------------------------------------------------------------
    def analyze(self, rgb: np.ndarray, segmentation: bool = True,
                timestamp_ms: int | None = None) -> FaceAnalysis:
        """Analyse one RGB ``uint8`` image (H, W, 3)."""
        rgb = np.asarray(rgb)
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError("expected an RGB uint8 array of shape (H, W, 3)")
        with self._lock:
            if self._closed:
                raise RuntimeError("FaceAnalyzer is closed")
            if self.mode == "live":
                return self._analyze_live(rgb, segmentation, timestamp_ms)
            # stills: light hair the mask leaves out raises the crown (vision.crown), so the
            # checks and the crop place the same top of the head
            return with_refined_crown(self._analyze_still(rgb, segmentation), rgb)

    def _analyze_still(self, rgb: np.ndarray, segmentation: bool) -> FaceAnalysis:
        h, w = rgb.shape[:2]
        faces = self.detect_faces(rgb)
        found = None
        if faces:
            found = self._landmarks_on_crop(rgb, faces[0])
            if found is None and len(faces) > 1:
                # the largest box may be a false detection: try the next ones
                for i, box in enumerate(faces[1:4], start=1):
                    found = self._landmarks_on_crop(rgb, box)
                    if found is not None:
                        faces = [faces[i]] + faces[:i] + faces[i + 1:]
                        break
        if found is None:
            # the detectors may miss a face the landmarker's own detector sees (or vice versa)
            small, n = decimate(rgb, DETECT_SIDE)
            res = self._landmarker_full.detect(_mp_image(small))
            if res.face_landmarks:
                sh, sw = small.shape[:2]
                pts = self._unpack(res, 0, sw, sh) * n
                found = (pts, res, 0)
                extra = [_box_from_points(self._unpack(res, i, sw, sh) * n) for i in range(len(res.face_landmarks))]
                faces = merge_boxes(extra + list(faces))
        mask = self.segment(rgb) if segmentation else None
        if found is None:
            # boxes without landmarks are not trusted as faces unless confidently detected
            faces = [f for f in faces if f.score >= 0.75]
            return FaceAnalysis(image_size=(w, h), faces=tuple(faces), person_mask=mask, mode="still")
        pts, res, idx = found
        main = _box_from_points(pts)
        # make sure the main face is first and is the one with landmarks
        others = [f for f in faces if _iou(f, main) < 0.3 and not _contains(main, f) and not _contains(f, main)]
        best = max((f for f in faces if f not in others), key=lambda f: f.score, default=None)
        main = FaceBox(main.x, main.y, main.w, main.h, best.score if best else 1.0)
        faces = [main] + sorted(others, key=lambda f: -f.area)
        return self._accessories.measure(rgb, self._finish(rgb, pts, res, idx, tuple(faces), mask, "still", None, 1.0, True))

    def _finish(self, rgb, pts, res, idx, faces, mask, mode, ts, k, background, full_size=None,
                full_mask=None, offset=(0.0, 0.0), crown_given=None, analysed_scale=None) -> FaceAnalysis:
        """Derive every field from landmarks in ``rgb``'s pixels; map to the full frame as
        ``x / k + offset`` (``faces`` are already in full-frame pixels when ``offset`` is given).
        ``crown_given`` = (x, y, clipped, from_mask) in ``rgb``'s pixels."""
        blend = {}
        if res.face_blendshapes:
            blend = {c.category_name: float(c.score) for c in res.face_blendshapes[idx]}
        yaw = pitch = roll = None
        if res.facial_transformation_matrixes:
            if mode == "live":  # pts are pixels of the crop the tracker saw (rgb): no per-point loop
                h_, w_ = rgb.shape[:2]
                centre = (float(pts[:, 0].mean()) / w_ - 0.5, float(pts[:, 1].mean()) / h_ - 0.5)
            else:
                centre = g.landmark_centre_offset(res.face_landmarks[idx])
            yaw, pitch, roll = g.pose_from_matrix(res.facial_transformation_matrixes[idx], centre_offset=centre)
        eye_l = g.eye_centre(pts, g.EYE_IMG_LEFT)
        eye_r = g.eye_centre(pts, g.EYE_IMG_RIGHT)
        if eye_l[0] > eye_r[0]:
            eye_l, eye_r = eye_r, eye_l
        crown, from_mask, clipped = None, False, False
        if crown_given is not None:
            crown, clipped, from_mask = (crown_given[0], crown_given[1]), crown_given[2], crown_given[3]
        elif mask is not None:
            c = g.crown_from_mask(mask, pts)
            if c is not None:
                crown, from_mask, clipped = (c[0], c[1]), True, c[2]
        if crown is None:
            crown = g.crown_from_landmarks(pts)
            clipped = crown[1] < 0
        work, wpts, wcrown = meas.work_region(rgb, pts, crown[1] if from_mask else None, MEASURE_FACE_WIDTH)
        fresh = (mode != "live" or self._appearance is None or self._slow_frame()
                 or self._frame_no - self._appearance_frame >= APPEARANCE_EVERY)
        # live: motion-blur sharpness at the appearance cadence too (a warning only on live frames)
        m = meas.measure(work, wpts, None, background=False, directional=fresh)
        if mode == "live":
            if fresh:
                self._sharp_dir = m.sharpness_min_direction
            else:
                m = dataclasses.replace(m, sharpness_min_direction=self._sharp_dir)
        if background:
            plain, med, unif, cast = meas.background_fields(rgb, pts, mask)
            m = dataclasses.replace(m, background_plainness=plain, background_rgb=med,
                                    background_uniformity=unif, colour_cast=cast)
        gx, gy = g.gaze_offsets(pts)
        fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2])))
        features = {
            "eye_open_left": g.eye_openness(pts, g.EYE_IMG_LEFT),
            "eye_open_right": g.eye_openness(pts, g.EYE_IMG_RIGHT),
            "mouth_open": g.mouth_openness(pts),
            "gaze_x": gx,
            "gaze_y": gy,
            "roll_eyes": g.roll_from_eyes(eye_l, eye_r),
            "face_height": float(pts[g.CHIN, 1] - pts[g.FOREHEAD, 1]),
        }
        if fresh:
            brow_skin, fore_skin = occlusion.forehead_skin_likeness(work, wpts)
            appearance = {
                "eye_darkness": eyewear.eye_darkness(work, wpts),
                "eye_opening_light": eyewear.eye_opening_light(work, wpts),
                "glasses_bridge": eyewear.bridge_edges(work, wpts),
                "brow_skin": brow_skin,
                "forehead_skin": fore_skin,
                **occlusion.occlusion_features(work, wpts, wcrown),
                **appearance_measures.shadow_features(work, wpts),
                **headwear_measures.covering_features(work, wpts, wcrown),
            }
            if mode == "live":
                self._appearance, self._appearance_frame = appearance, self._frame_no
        else:
            appearance = self._appearance
        features.update(appearance)
        if background:  # stills only: the clothing against the backdrop (vision.appearance)
            features.update(appearance_measures.clothing_features(rgb, pts, mask))
        inv = 1.0 / k
        ox, oy = offset
        if inv != 1.0 or ox or oy:
            pts = pts.copy()
            pts *= inv
            pts[:, 0] += ox
            pts[:, 1] += oy
            eye_l = (eye_l[0] * inv + ox, eye_l[1] * inv + oy)
            eye_r = (eye_r[0] * inv + ox, eye_r[1] * inv + oy)
            crown = (crown[0] * inv + ox, crown[1] * inv + oy)
            fw *= inv
            features["face_height"] *= inv
            if not (ox or oy):
                faces = tuple(FaceBox(f.x * inv, f.y * inv, f.w * inv, f.h * inv, f.score) for f in faces)
        w, h = full_size or (rgb.shape[1], rgb.shape[0])
        fitted = head_pose(pts, (w, h))  # yaw/pitch: the canonical face fitted in the whole frame
        if fitted is not None:
            yaw, pitch = fitted[0], fitted[1]
        if full_mask is not None:
            mask = full_mask
        elif mask is not None and mask.shape != (h, w):
            mask = _resize_mask(mask, w, h)
        chin = (float(pts[g.CHIN, 0]), float(pts[g.CHIN, 1]))
        return FaceAnalysis(
            image_size=(w, h), faces=faces, landmarks=pts.astype(np.float32), blendshapes=blend,
            yaw=yaw, pitch=pitch, roll=roll, eye_left=eye_l, eye_right=eye_r, chin=chin,
            crown=(float(crown[0]), float(crown[1])), crown_from_mask=from_mask,
            face_width=fw, person_mask=mask, measures=m, mode=mode,
            crown_clipped=bool(clipped), features=features, timestamp_ms=ts,
            analysed_scale=k if analysed_scale is None else analysed_scale,
            face_height=float(features["face_height"]), eye_line_angle=float(features["roll_eyes"]),
        )


_SHARED: FaceAnalyzer | None = None
_SHARED_LOCK = threading.Lock()


def shared_analyzer() -> FaceAnalyzer:
    """The process-wide still analyzer (created on first use, closed at exit)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None or _SHARED.closed:
            _SHARED = FaceAnalyzer("still")
        return _SHARED


def analyze_still(rgb: np.ndarray, segmentation: bool = True) -> FaceAnalysis:
    """Analyse one photo at full resolution with the process-wide still analyzer."""
    return shared_analyzer().analyze(rgb, segmentation=segmentation)
