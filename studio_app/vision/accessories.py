"""The seed's accessory rules measured on one photo (Qt-free): earrings, a necklace, a hair clip or
headband, hair over the shoulders. Each measure returns an :class:`~.types.Accessory` (a score
and where it is, image px); the thresholds live in :mod:`studio_app.compliance.checks_accessories`.

Everything is measured on the head-and-shoulders region scaled to a face :data:`WORK_FACE_WIDTH`
px wide, in CIELAB, against four reference colours of this photo: the skin (cheeks), the hair
(the person above the brows, off the face), the backdrop (outside the person) and the top (the
person under the chin). A pixel is *salient* when it is more saturated or brighter than every
reference by a margin and far from all of them: gold, silver highlights, a red clip.

- ``earrings``: the largest salient blob beside the jaw from the ear's lower half to below the
  lobe (where studs and drops hang), off the face; area in px of a 100-px-wide face.
- ``hair_accessory``: the largest salient blob in the hair (the person above the brows, off the
  face); same unit. A headband is one long blob.
- ``necklace``: thin lines across the neck skin: pixels that are not skin but have skin right above
  and below (a vertical closing of the skin mask fills them), not dark (stubble and creases are),
  grouped into runs; the width they span, in face widths.
- ``hair_shoulders``: hair-coloured pixels joined to the hair on the head that reach down beside
  the neck; how far below the chin, as a fraction of the chin-to-shoulder-joint distance (the
  pose landmarker's shoulders, :mod:`studio_app.vision.shoulders`; without them 0.8 face widths). NaN
  when the hair cannot be told from the top (same colour) or there is no hair to follow.
"""

from __future__ import annotations

import numpy as np

from .. import imageops as iops
from ..imaging.regions import connected_components
from . import geometry as g
from .appearance import SKIN_CHROMA
from .types import Accessory

#: Face width (px) the measures work at: a 0.01-face-width chain is still ~2 px.
WORK_FACE_WIDTH = 160.0
#: Salient: chroma (C*ab) above every reference's by this much, or lightness above every
#: reference's by ``SALIENT_L``; and CIELAB distance (lightness weighted 0.5) from the nearest
#: reference at least ``SALIENT_DIST``.
SALIENT_C, SALIENT_L, SALIENT_DIST = 18.0, 12.0, 20.0
#: Hair colour: CIELAB distance (lightness 0.5) from the hair reference within which a pixel is hair.
HAIR_DIST = 14.0
#: The hair is not followed when its colour is this close to the top's (a dark suit, dark hair).
HAIR_VS_TOP = 12.0
#: Necklace: CIELAB distance (lightness 0.5) from the cheeks' colour a line must have, and how
#: thin (face widths) it must be.
NECK_DIST, NECK_THIN, NECK_CHROMA = 15.0, 0.035, 0.04
#: Chin to shoulder joint (face widths) when the pose landmarker found no shoulders.
SHOULDER_DROP = 0.8
NAN = float("nan")

KINDS = ("earrings", "necklace", "hair_accessory", "hair_shoulders")


def _fw(pts: np.ndarray) -> float:
    return float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2]))) or 1.0


def _dist(lab: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """CIELAB distance with lightness weighted 0.5; ``lab`` is (3, ...) planes."""
    dl = lab[0] - np.float32(ref[0])
    da = lab[1] - np.float32(ref[1])
    db = lab[2] - np.float32(ref[2])
    return np.sqrt(0.25 * dl * dl + da * da + db * db)


#: Medians of large selections are taken on every n-th selected pixel (up to this many).
MEDIAN_SAMPLE = 4000


def _sample(lab: np.ndarray, sel: np.ndarray) -> np.ndarray:
    px = lab[:, sel]
    step = max(1, px.shape[1] // MEDIAN_SAMPLE)
    return px[:, ::step]


def _median(lab: np.ndarray, sel: np.ndarray, min_count: int = 30):
    return np.median(_sample(lab, sel), axis=1) if int(sel.sum()) >= min_count else None


def _two_medians(lab: np.ndarray, sel: np.ndarray, min_count: int = 30) -> list[np.ndarray]:
    """The medians of the darker and the lighter half of the selected pixels: a region that is
    two things (dark hair with grey streaks, or hair and the backdrop the mask let in) gives
    both colours."""
    if int(sel.sum()) < min_count:
        return []
    px = _sample(lab, sel)
    light = px[0] >= np.median(px[0])
    return [np.median(px[:, ~light], axis=1) if (~light).any() else np.median(px, axis=1),
            np.median(px[:, light], axis=1)]


class _Work:
    """The head-and-shoulders region at the working scale, with its masks and references."""

    def __init__(self, rgb: np.ndarray, pts: np.ndarray, mask, shoulder_y: float | None) -> None:
        h, w = rgb.shape[:2]
        fw = _fw(pts)
        cx, cy = float(pts[g.CHIN, 0]), float(pts[g.CHIN, 1])
        low = max(cy + 1.2 * fw, (shoulder_y or 0.0) + 0.35 * fw)
        x0, x1 = int(max(0, cx - 1.6 * fw)), int(min(w, cx + 1.6 * fw + 1))
        y0, y1 = int(max(0, pts[g.FOREHEAD, 1] - 0.8 * fw)), int(min(h, low + 1))
        self.ok = x1 - x0 >= 8 and y1 - y0 >= 8
        if not self.ok:
            return
        k = min(1.0, WORK_FACE_WIDTH / fw)
        size = (max(1, int(round((x1 - x0) * k))), max(1, int(round((y1 - y0) * k))))
        crop = rgb[y0:y1, x0:x1]
        self.rgb = crop if k == 1.0 else iops.resize(crop, size, "area")
        self.kx, self.ky = self.rgb.shape[1] / (x1 - x0), self.rgb.shape[0] / (y1 - y0)
        self.x0, self.y0 = x0, y0
        self.pts = np.column_stack([(pts[:, 0] - x0) * self.kx, (pts[:, 1] - y0) * self.ky])
        self.fw = fw * self.kx
        self.chin = self.pts[g.CHIN]
        self.shoulder_y = None if shoulder_y is None else (shoulder_y - y0) * self.ky
        hh, ww = self.rgb.shape[:2]
        if mask is None:
            self.person = None
        else:
            m = np.asarray(mask, np.float32)[y0:y1, x0:x1]
            self.person = m if m.shape == (hh, ww) else iops.resize(m, (ww, hh), "nearest")  # smooth already
        self.lab = np.ascontiguousarray(np.moveaxis(iops.rgb_to_lab(self.rgb), -1, 0))  # planes L, a, b
        f = self.rgb.astype(np.float32)
        self.luma = f @ np.array([0.299, 0.587, 0.114], np.float32)
        s = f.sum(axis=2) + 1e-3
        self.chroma = np.stack([f[..., 0] / s, f[..., 1] / s], axis=2)
        face = np.zeros((hh, ww), np.uint8)
        iops.fill_polygon(face, np.round(self.pts[list(g.FACE_OVAL)]).astype(np.int32), 1)
        self.face = face.astype(bool)
        self.yy, self.xx = np.arange(hh)[:, None], np.arange(ww)[None, :]  # broadcast, not HxW
        self._refs()

    def _refs(self) -> None:
        fw, lab = self.fw, self.lab
        cheeks = []
        for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT):
            x, y = self.pts[i]
            r = max(1, int(0.05 * fw))
            cheeks.append(lab[:, max(0, int(y) - r):int(y) + r + 1, max(0, int(x) - r):int(x) + r + 1].reshape(3, -1).T)
            cheeks.append(self.chroma[max(0, int(y) - r):int(y) + r + 1, max(0, int(x) - r):int(x) + r + 1].reshape(-1, 2))
        self.skin = np.median(np.concatenate(cheeks[0::2]), axis=0)
        self.skin_chroma = np.median(np.concatenate(cheeks[1::2]), axis=0)
        self.skin_luma = float(np.median(self.luma[self.face]))
        self.hair = self.top = None
        self.hair_pair, self.backdrop = [], []
        if self.person is None:
            return
        inside = self.person > 0.6
        brow_y = float(self.pts[list(g.BROW_IMG_LEFT) + list(g.BROW_IMG_RIGHT), 1].mean())
        grown = iops.dilate(self.face, iops.ellipse_kernel((int(0.06 * fw) | 1, int(0.06 * fw) | 1)))
        self.hair_zone = inside & (self.yy < brow_y) & ~grown & (np.abs(self.xx - self.chin[0]) < 1.0 * fw)
        not_skin = _dist(lab, self.skin) > 10.0
        hair = self.hair_zone & not_skin
        self.hair = _median(lab, hair, int(0.01 * fw * fw))
        self.hair_pair = _two_medians(lab, hair, int(0.01 * fw * fw))
        self.backdrop = _two_medians(lab, self.person < 0.15)
        below = (self.yy > self.chin[1] + 0.6 * fw) & inside & not_skin
        self.top = _median(lab, below & (np.abs(self.xx - self.chin[0]) < 1.2 * fw))

    def skin_mask(self) -> np.ndarray:
        """Skin by chromaticity (a shadow keeps it), not black; on the person."""
        skin = (np.linalg.norm(self.chroma - self.skin_chroma, axis=-1) < SKIN_CHROMA) & (self.luma > 35)
        return skin & (self.person > 0.5) if self.person is not None else skin

    def refs(self) -> list[np.ndarray]:
        return [self.skin, *self.hair_pair, *self.backdrop] + ([self.top] if self.top is not None else [])

    def salient(self, sel: np.ndarray) -> np.ndarray:
        """Salient pixels (see the module notes) among ``sel``."""
        refs = self.refs()
        px = self.lab[:, sel]
        c = np.hypot(px[1], px[2])
        c_max = max(float(np.hypot(r[1], r[2])) for r in refs)
        l_max = max(float(r[0]) for r in refs)
        near = np.min([_dist(px, r) for r in refs], axis=0)
        out = np.zeros(sel.shape, bool)
        out[sel] = ((c > c_max + SALIENT_C) | (px[0] > l_max + SALIENT_L)) & (near > SALIENT_DIST)
        return out

    def box(self, sel: np.ndarray, pad: float = 0.04) -> tuple[int, int, int, int] | None:
        """[x, y, w, h] in image px of the set pixels, grown by ``pad`` face widths."""
        ys, xs = np.nonzero(sel)
        if len(xs) == 0:
            return None
        p = pad * self.fw
        x0 = (xs.min() - p) / self.kx + self.x0
        y0 = (ys.min() - p) / self.ky + self.y0
        x1 = (xs.max() + 1 + p) / self.kx + self.x0
        y1 = (ys.max() + 1 + p) / self.ky + self.y0
        return (int(max(0, x0)), int(max(0, y0)), int(round(x1 - max(0, x0))), int(round(y1 - max(0, y0))))


def _largest_blob(work: _Work, sel: np.ndarray, max_area: float = float("inf")) -> Accessory:
    """The largest connected part of ``sel`` up to ``max_area``: its area in px of a 100-px-wide
    face, and its box."""
    n, labels = connected_components(sel, 8)
    if n <= 1:
        return Accessory(0.0, None)
    unit = (100.0 / work.fw) ** 2
    areas = np.bincount(labels.ravel(), minlength=n)[1:] * unit
    areas[areas > max_area] = 0.0
    best = int(np.argmax(areas)) + 1
    if areas[best - 1] <= 0:
        return Accessory(0.0, None)
    return Accessory(round(float(areas[best - 1]), 2), work.box(labels == best))


#: A hole in the skin must be at least this bright (share of the face's median luma).
HOLE_LUMA = 0.75
#: Larger salient blobs beside the jaw are not earrings (a collar, the backdrop), px at 100 px.
EARRING_MAX_AREA = 150.0


def _earrings(work: _Work) -> Accessory:
    fw, p = work.fw, work.pts
    zone = np.zeros(work.face.shape, bool)
    for upper, anchor, lower, sign in ((93, 132, 58, -1), (323, 361, 288, 1)):
        ax = p[anchor, 0]
        xa, xb = (ax - 0.25 * fw, ax + 0.03 * fw) if sign < 0 else (ax - 0.03 * fw, ax + 0.25 * fw)
        ya, yb = p[upper, 1], min(p[lower, 1] + 0.25 * fw, work.chin[1])
        zone |= (work.xx >= xa) & (work.xx <= xb) & (work.yy >= ya) & (work.yy <= yb)
    zone &= ~work.face
    if work.person is not None:
        zone &= work.person > 0.3  # on the person, not the backdrop beside it
    return _largest_blob(work, work.salient(zone) | _skin_holes(work, zone), EARRING_MAX_AREA)


def _skin_holes(work: _Work, zone: np.ndarray) -> np.ndarray:
    """Small patches in ``zone`` that are not skin, are enclosed by skin (a stud on the lobe;
    the backdrop seen between the jaw and the hair joins the rest of the backdrop), not darker
    than the skin (the ear's own hollows are) and far from its colour: silver on a pale backdrop,
    which is neither saturated nor brighter than everything."""
    ys, xs = np.nonzero(zone)
    if len(xs) == 0:
        return zone
    m = int(0.1 * work.fw) + 2
    y0, y1 = max(0, ys.min() - m), ys.max() + m + 1
    x0, x1 = max(0, xs.min() - m), xs.max() + m + 1
    skin = work.skin_mask()[y0:y1, x0:x1]
    n, labels = connected_components(~skin, 4)
    out = np.zeros_like(zone)
    if n <= 1:
        return out
    areas = np.bincount(labels.ravel(), minlength=n) * (100.0 / work.fw) ** 2
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    small = (areas <= EARRING_MAX_AREA)
    small[0] = False
    small[edge] = False
    hole = small[labels]
    lab = work.lab[:, y0:y1, x0:x1]
    hole &= (work.luma[y0:y1, x0:x1] >= HOLE_LUMA * work.skin_luma) & (_dist(lab, work.skin) > SALIENT_DIST)
    out[y0:y1, x0:x1] = hole
    return out & zone


def _hair_accessory(work: _Work) -> Accessory:
    if work.person is None:
        return Accessory(NAN, None)
    return _largest_blob(work, work.salient(work.hair_zone))


def _necklace(work: _Work) -> Accessory:
    fw = work.fw
    cx, cy = work.chin
    bottom = cy + 1.0 * fw if work.shoulder_y is None else min(cy + 1.0 * fw, work.shoulder_y + 0.2 * fw)
    zone = (np.abs(work.xx - cx) < 0.5 * fw) & (work.yy > cy + 0.02 * fw) & (work.yy < bottom)
    # the neck's own colour (it is often redder or greyer than the cheeks): just under the chin
    under = (np.abs(work.xx - cx) < 0.12 * fw) & (work.yy > cy + 0.15 * fw) & (work.yy < cy + 0.35 * fw)
    if work.person is not None:
        under &= work.person > 0.5
    if int(under.sum()) < 20:
        return Accessory(NAN, None)
    ref_chroma = np.median(work.chroma[under], axis=0)
    ref_lab = np.median(work.lab[:, under], axis=1)
    skin = (np.linalg.norm(work.chroma - ref_chroma, axis=-1) < NECK_CHROMA) & (work.luma > 35) & zone
    if work.person is not None:
        skin &= work.person > 0.5
    kh = int(0.06 * fw) | 1
    col = iops.rect_kernel((1, kh))
    gap = iops.erode(iops.dilate(skin, col), col) & ~skin & zone
    gap &= work.luma >= 0.6 * float(np.median(work.luma[under]))  # stubble, creases, shadows are dark
    gap &= _dist(work.lab, ref_lab) > NECK_DIST  # a redder fold or a shadow is still skin
    # a chain is thin: runs taller than NECK_THIN face widths are something else (a beard, sheen)
    tall = iops.rect_kernel((1, int(NECK_THIN * fw) + 1))
    gap &= ~iops.dilate(iops.erode(gap, tall), tall)
    joined = iops.dilate(gap, iops.rect_kernel((int(0.03 * fw) | 1, 3)))
    n, labels = connected_components(joined, 8)
    keep = np.zeros_like(gap)
    covered = np.zeros(work.rgb.shape[1], bool)
    ys, xs = np.nonzero(gap)
    if n > 1 and len(xs):
        lab = labels[ys, xs]  # extents of each group's gap pixels, all groups at once
        x0 = np.full(n, 1 << 30)
        y0 = np.full(n, 1 << 30)
        x1 = np.full(n, -1)
        y1 = np.full(n, -1)
        np.minimum.at(x0, lab, xs)
        np.minimum.at(y0, lab, ys)
        np.maximum.at(x1, lab, xs)
        np.maximum.at(y1, lab, ys)
        width, height = x1 - x0 + 1, y1 - y0 + 1
        good = (x1 >= 0) & (width >= 0.12 * fw) & (height <= np.maximum(0.3 * fw, 0.6 * width))
        good[0] = False
        sel = good[lab]
        keep[ys[sel], xs[sel]] = True
        for i in np.nonzero(good)[0]:
            covered[x0[i]:x1[i] + 1] = True
    return Accessory(round(float(covered.sum()) / fw, 3), work.box(keep))


def _hair_shoulders(work: _Work) -> Accessory:
    if work.person is None or work.hair is None:
        return Accessory(NAN, None)
    if work.top is not None and float(_dist(work.top, work.hair)) < HAIR_VS_TOP:
        return Accessory(NAN, None)  # hair and top alike: cannot follow the hair
    fw = work.fw
    cx, cy = work.chin
    d_hair = _dist(work.lab, work.hair)
    # on the person, or clearly nearer the hair's colour than the backdrop's (the segmenter
    # leaves long strands out)
    d_back = np.min([_dist(work.lab, r) for r in work.backdrop], axis=0) if work.backdrop else np.inf
    hair = (d_hair < HAIR_DIST) & ((work.person > 0.5) | (d_back > d_hair + HAIR_DIST)) & ~work.face
    hair &= _dist(work.lab, work.skin) > d_hair
    if work.top is not None:
        hair &= _dist(work.lab, work.top) > d_hair
    n, labels = connected_components(hair, 8)
    seeds = np.unique(labels[hair & work.hair_zone])
    seeds = seeds[seeds > 0]
    if n <= 1 or len(seeds) == 0:
        return Accessory(0.0, None)
    joined = np.isin(labels, seeds)
    beside = joined & (work.yy > cy) & (np.abs(work.xx - cx) > 0.25 * fw) & (np.abs(work.xx - cx) < 1.4 * fw)
    ys = np.nonzero(beside.any(axis=1))[0]
    if len(ys) == 0:
        return Accessory(0.0, None)
    target = work.shoulder_y if work.shoulder_y is not None and work.shoulder_y > cy + 0.2 * fw else cy + SHOULDER_DROP * fw
    return Accessory(round(float((ys.max() - cy) / (target - cy)), 3), work.box(beside))


#: Faces narrower than this (px) are not judged: an earring is a pixel or two.
MIN_FACE_WIDTH = 80.0


def find_accessories(rgb: np.ndarray, pts: np.ndarray, person_mask=None, shoulders=None) -> dict[str, Accessory]:
    """Every accessory measure on ``rgb`` (landmarks ``pts`` in its pixels, the person mask at
    its size, ``shoulders`` = two (x, y) joints or None); NaN scores when the face is too small."""
    pts = np.asarray(pts, np.float64)
    shoulder_y = None if shoulders is None else float((shoulders[0][1] + shoulders[1][1]) / 2)
    if _fw(pts) < MIN_FACE_WIDTH:
        return {k: Accessory(NAN, None) for k in KINDS}
    work = _Work(np.asarray(rgb), pts, person_mask, shoulder_y)
    if not work.ok:
        return {k: Accessory(NAN, None) for k in KINDS}
    return {
        "earrings": _earrings(work),
        "necklace": _necklace(work),
        "hair_accessory": _hair_accessory(work),
        "hair_shoulders": _hair_shoulders(work),
    }


#: live: the accessories are measured on every n-th frame with a face (half a second at 30 fps;
#: they do not change between frames), the shoulders (the pose landmarker) on every n-th too,
#: half-way between: no frame pays for both, and 13 of 15 frames pay for neither (a multiple of
#: the live segmentation cadence, 5: the runs fall on its segmentation and detection frames)
ACCESSORY_EVERY = 15


class AccessoryMeter:
    """Adds ``accessories`` and ``shoulders`` to analyses: on every still; on a live stream every
    ``every`` frames with a face (the last measure is carried over in between, and forgotten when
    the face is lost). Owns the pose landmarker (created on first use): ``close()`` it."""

    def __init__(self, every: int = 1) -> None:
        self.every = max(1, int(every))
        self._finder = None
        self._frame = 0
        self._found: dict | None = None
        self._shoulders = None

    def _find_shoulders(self, rgb):
        if self._finder is None:
            from .shoulders import ShoulderFinder

            self._finder = ShoulderFinder()
        return self._finder.find(rgb)

    def measure(self, rgb: np.ndarray, analysis, frame_no: int | None = None):
        """``frame_no``: the live analyzer's frame count; the runs then fall on the frames that
        already segment (measure: ``frame_no % every == 0``) and detect faces (pose: ``every // 2``)
        with the default cadences, so the typical frame (the median) is not slowed by them."""
        import dataclasses

        if not analysis.has_face:
            self._found, self._shoulders, self._frame = None, None, 0
            return analysis
        f, first, n = self._frame if frame_no is None else int(frame_no), self._found is None, self.every
        self._frame += 1
        if first or n == 1 or f % n == n // 2:
            self._shoulders = self._find_shoulders(rgb)
        if first or f % n == 0:
            self._found = find_accessories(rgb, analysis.landmarks, analysis.person_mask, self._shoulders)
        return dataclasses.replace(analysis, accessories=self._found, shoulders=self._shoulders)

    def close(self) -> None:
        if self._finder is not None:
            self._finder.close()
            self._finder = None
