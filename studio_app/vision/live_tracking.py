"""Live mode of :class:`~studio_app.vision.analyzer.FaceAnalyzer` (a mixin): the face is tracked in a
square region of interest that follows it; detection on the downscaled frame runs when the track
is lost and every ``segmentation_every`` frames (to count faces), the selfie segmenter on other
frames, and its mask is reused in between."""

from __future__ import annotations

import time

import numpy as np

from .. import imageops as iops
from . import geometry as g
from .crops import CROP_FACTOR, LIVE_CROP, _box_from_points, _contains, _crop_square, _iou, _resize_mask, merge_boxes
from .mp_runtime import _mp_image
from .types import FaceAnalysis, FaceBox


class LiveTracking:
    """The live path of FaceAnalyzer; state (``_roi``, ``_others``, the mask cache) is set up by
    ``FaceAnalyzer.__init__``."""

    def _detect_small(self, small: np.ndarray, n: float) -> list[FaceBox]:
        """Faces on the downscaled live frame (full-range model, short-range as a second opinion),
        in full-frame pixels (``n`` = full px per small px)."""
        boxes = []
        image = _mp_image(small)
        for det in (self._small_detector, self._short_detector):
            for d in det.detect(image).detections:
                score = float(d.categories[0].score) if d.categories else 0.0
                bb = d.bounding_box
                boxes.append(FaceBox(bb.origin_x * n, bb.origin_y * n, bb.width * n, bb.height * n, score))
        return merge_boxes([b for b in boxes if b.score >= self.min_face_score])

    def _analyze_live(self, rgb: np.ndarray, segmentation: bool, timestamp_ms: int | None) -> FaceAnalysis:
        """Track the face in a square region of interest that follows it: the VIDEO-mode landmarker
        sees a 256-px crop centred on the face (so pose reads as in still mode, wherever the face
        sits in the frame, and small faces are enlarged); detection on the downscaled frame runs
        when the track is lost and every ``segmentation_every`` frames (to count faces)."""
        h, w = rgb.shape[:2]
        k = min(1.0, self.live_width / w)
        ts = int(timestamp_ms) if timestamp_ms is not None else int(time.monotonic() * 1000)
        if ts <= self._last_ts:
            ts = self._last_ts + 1
        self._last_ts = ts
        self._frame_no += 1
        small_cache: list[np.ndarray] = []
        small_size = (w, h) if k >= 1.0 else (max(1, int(round(w * k))), max(1, int(round(h * k))))

        def small() -> np.ndarray:  # resized only on the frames that need it (~1.5 ms)
            if not small_cache:
                small_cache.append(rgb if k >= 1.0 else iops.resize(rgb, small_size, "area"))
            return small_cache[0]

        # segmentation and the face count run every n-th frame, on different frames (spreads the cost)
        n = self.segmentation_every
        seg_due = self._frame_no % n == 0
        periodic = self._frame_no % n == n // 2  # _slow_frame() names both
        mask_small = None
        if segmentation:
            if seg_due or self._mask_cache is None or self._mask_cache.shape[:2] != small_size[::-1]:
                # the model's input is 256x256: feeding it 256 px loses nothing
                self._mask_cache = self.segment(small(), side=256)
                self._mask_full = None
            mask_small = self._mask_cache
        if periodic or self._roi is None:
            self._others = self._detect_small(small(), 1.0 / k)
            if self._roi is None and self._others:
                self._roi = self._others[0]
        full_mask = self._full_mask(mask_small, w, h)
        found = None
        if self._roi is not None:
            found = self._track(rgb, self._roi, ts)
            if found is None:
                # lost: look again on this frame
                if not periodic:
                    self._others = self._detect_small(small(), 1.0 / k)
                if self._others:
                    found = self._landmarks_on_crop(rgb, self._others[0], self._crop_landmarker, LIVE_CROP,
                                                    with_offset=True)
        if found is None:
            self._roi = None
            self._appearance = None
            self._accessories.measure(rgb, FaceAnalysis(image_size=(w, h)))  # forget the last face's
            return FaceAnalysis(image_size=(w, h), faces=tuple(self._others), person_mask=full_mask,
                                mode="live", timestamp_ms=ts, analysed_scale=k)
        pts_crop, res, idx, crop, (x0, y0, kx, ky) = found
        main_full = _box_from_points(np.column_stack([pts_crop[:, 0] / kx + x0, pts_crop[:, 1] / ky + y0]))
        self._roi = main_full
        score = max((b.score for b in self._others if _iou(b, main_full) >= 0.3 or _contains(main_full, b)), default=1.0)
        faces = [FaceBox(main_full.x, main_full.y, main_full.w, main_full.h, score)]
        faces += [b for b in self._others if _iou(b, main_full) < 0.3 and not _contains(main_full, b)
                  and not _contains(b, main_full)]
        crown = None
        if mask_small is not None:
            sh, sw = mask_small.shape[:2]
            ks = sw / w
            pts_small = np.column_stack([(pts_crop[:, 0] / kx + x0) * ks, (pts_crop[:, 1] / ky + y0) * ks])
            c = g.crown_from_mask(mask_small, pts_small)
            if c is not None:
                crown = ((c[0] / ks - x0) * kx, (c[1] / ks - y0) * ky, c[2], True)
        # earrings, necklace, hair clips, hair over the shoulders: on the full frame, slow cadence
        # (on this analyzer's segmentation and detection frames: they are slow frames anyway)
        return self._accessories.measure(rgb, self._finish(
            crop, pts_crop, res, idx, tuple(faces), None, "live", ts, kx, False, full_size=(w, h),
            full_mask=full_mask, offset=(x0, y0), crown_given=crown, analysed_scale=k), self._frame_no)

    def _slow_frame(self) -> bool:
        """This frame segments or detects anyway: other occasional work is put on it too."""
        n = self.segmentation_every
        return self._frame_no % n in (0, n // 2)

    def _track(self, rgb: np.ndarray, roi: FaceBox, ts: int):
        """VIDEO-mode landmarks in the square crop around ``roi``."""
        cx, cy = roi.x + roi.w / 2, roi.y + roi.h / 2
        side = CROP_FACTOR * max(roi.w, roi.h)
        crop, mapping = _crop_square(rgb, cx, cy, side, LIVE_CROP)
        res = self._landmarker.detect_for_video(_mp_image(crop), ts)
        if not res.face_landmarks:
            return None
        pts = np.array([(p.x, p.y, p.z) for p in res.face_landmarks[0]], dtype=np.float64) * LIVE_CROP
        return pts, res, 0, crop, mapping

    def _full_mask(self, mask_small, w, h):
        """The live mask at frame size, resized once per segmentation run (read-only, shared)."""
        if mask_small is None:
            return None
        if self._mask_full is None or self._mask_full.shape != (h, w):
            self._mask_full = _resize_mask(mask_small, w, h)
            self._mask_full.setflags(write=False)
        return self._mask_full
