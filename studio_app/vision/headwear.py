"""Dark coverings over the head (caps, wraps, hoods) told from dark hair by their smoothness:
numpy only (Qt-free). The thresholds live with the headwear check
(:mod:`studio_app.compliance.checks_headwear`).

The colour measure (``headwear`` in :mod:`studio_app.vision.measures`) catches coverings whose
colour differs from skin and hair; a black wrap or a dark cap reads like dark hair there. What
differs is the surface: hair is made of strands, so its fine texture (luma high-pass) is well
above the noise of the skin in the same photo; woven or moulded cloth is as smooth as skin.

- The **layer** is what sits on the head above the skin: in a band 0.5 face widths wide over the
  forehead, from the crown (the person mask's top of the head) down each column to the first
  skin-coloured pixel above the brows; its middle 70 % (away from the crown's and the hairline's
  edges, which are edges, not texture).
- ``cover_texture``: the robust spread (1.4826 MAD) of the luma high-pass (sigma 1 % of the face
  width) on the layer over the same on the cheeks (the photo's own noise and sharpness).
- ``cover_thickness``: the layer's median height (face widths); ``cover_lightness``: its median
  CIELAB L.
"""

from __future__ import annotations

import numpy as np

from .. import imageops as iops
from . import geometry as g

#: Lab distance (lightness weighted 0.5) from the cheeks beyond which a pixel is not skin.
NOT_SKIN = 15.0
#: Fewer layer pixels than this: not measured.
MIN_PIXELS = 20

NAN = {"cover_texture": float("nan"), "cover_thickness": float("nan"), "cover_lightness": float("nan")}


def _mad(v: np.ndarray) -> float:
    return float(1.4826 * np.median(np.abs(v - np.median(v)))) if v.size else float("nan")


def covering_features(rgb: np.ndarray, pts: np.ndarray, crown_y: float | None) -> dict[str, float]:
    """``cover_texture``, ``cover_thickness``, ``cover_lightness`` of the layer over the head
    (NaN without a mask crown above the brows or with too small a layer). ``rgb``: the analyser's
    working region (face width <= 480 px), ``pts`` its landmarks, ``crown_y`` the mask's crown."""
    fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2])))
    if crown_y is None or fw < 8:
        return dict(NAN)
    h, w = rgb.shape[:2]
    brow_y = float(pts[list(g.BROW_IMG_LEFT[:5]) + list(g.BROW_IMG_RIGHT[:5]), 1].min())
    fx = float(pts[g.FOREHEAD, 0])
    x0, x1 = int(max(0, fx - 0.25 * fw)), int(min(w, fx + 0.25 * fw))
    y0, y1 = int(max(0, crown_y)), int(min(h, brow_y))
    if y1 - y0 < max(4, 0.15 * fw) or x1 - x0 < 4:
        return dict(NAN)
    # the cheeks: the skin colour and the photo's own fine texture (noise, sharpness)
    r = max(1, int(round(0.05 * fw)))
    top = int(max(0, min(y0, *(pts[[g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT], 1] - r))))
    bottom = int(min(h, max(y1, *(pts[[g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT], 1] + r + 1))))
    lab = iops.rgb_to_lab(np.ascontiguousarray(rgb[top:bottom]).astype(np.float32) / 255.0)
    lum = lab[..., 0]
    high = lum - iops.gaussian_blur(lum, max(0.7, 0.01 * fw))
    skin_px, skin_hp = [], []
    for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT):
        cx, cy = int(round(pts[i, 0])), int(round(pts[i, 1])) - top
        sl = (slice(max(0, cy - r), cy + r + 1), slice(max(0, cx - r), cx + r + 1))
        skin_px.append(lab[sl].reshape(-1, 3))
        skin_hp.append(high[sl].ravel())
    skin = np.median(np.concatenate(skin_px), axis=0)
    noise = _mad(np.concatenate(skin_hp))
    band = lab[y0 - top:y1 - top, x0:x1]
    not_skin = np.linalg.norm((band - skin) * (0.5, 1.0, 1.0), axis=2) > NOT_SKIN
    # per column: the run of not-skin rows from the crown down; its middle 70 %
    runs = np.where(not_skin.all(axis=0), not_skin.shape[0], np.argmin(not_skin, axis=0))
    rows = np.arange(not_skin.shape[0])[:, None]
    layer = (rows >= (0.15 * runs)[None, :]) & (rows < (0.85 * runs)[None, :])
    if layer.sum() < MIN_PIXELS or not np.isfinite(noise):
        return {**NAN, "cover_thickness": float(np.median(runs)) / fw}
    return {
        "cover_texture": _mad(high[y0 - top:y1 - top, x0:x1][layer]) / max(0.3, noise),
        "cover_thickness": float(np.median(runs)) / fw,
        "cover_lightness": float(np.median(band[..., 0][layer])),
    }
