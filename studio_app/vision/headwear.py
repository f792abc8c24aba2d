"""Dark coverings over the head (caps, wraps, hoods) told from dark hair by their smoothness:
numpy only (Qt-free). The thresholds live with the headwear check
(:mod:`studio_app.compliance.checks_headwear`).

The colour measure (``headwear`` in :mod:`studio_app.vision.occlusion`) catches coverings whose
colour differs from skin and hair; a black wrap or a dark cap reads like dark hair there. What
differs is the surface: hair is made of strands, so its fine texture (luma high-pass) is well
above the noise of the skin in the same photo; woven or moulded cloth is as smooth as skin.

- The **layer** is what sits on the head above the skin: in a band 0.5 face widths wide over the
  forehead, from the first not-skin pixel within 0.05 face widths under the crown (the person
  mask's top of the head, whose row blends the head with the backdrop) down each column to the first skin-coloured pixel above the brows; its middle 70 % (away from the crown's and the hairline's
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
#: The rows under the crown that may blend the head with the backdrop (face widths): a layer
#: starts within them or not at all (a fringe under skin-coloured rows is not a layer on the head).
CROWN_BLEND = 0.05
#: Fewer layer pixels than this: not measured.
MIN_PIXELS = 20

NAN = {"cover_texture": float("nan"), "cover_thickness": float("nan"), "cover_lightness": float("nan")}


def _blur(a: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian (reflected borders) as shifted sums: the small arrays here would pay
    more for imageops' kernel-matrix set-up than for the blur itself."""
    k = iops.gaussian_kernel(sigma)
    r = len(k) // 2
    out = np.asarray(a, np.float32)
    for axis in (0, 1):
        n = out.shape[axis]
        if n < 2:
            continue
        pad = [(0, 0), (0, 0)]
        pad[axis] = (min(r, n - 1), min(r, n - 1))
        p = np.pad(out, pad, mode="reflect")
        rr = pad[axis][0]
        acc = np.zeros_like(out)
        for i, wgt in enumerate(k):
            off = i - r
            lo = rr + off
            if lo < 0 or lo + n > p.shape[axis]:  # a kernel wider than the (tiny) array
                lo = int(np.clip(lo, 0, p.shape[axis] - n))
            acc += wgt * (p[lo:lo + n] if axis == 0 else p[:, lo:lo + n])
        out = acc
    return out


def _mad(v: np.ndarray) -> float:
    return float(1.4826 * np.median(np.abs(v - np.median(v)))) if v.size else float("nan")


#: Face width (px) the layer is measured at; larger faces are downscaled (area) first: the
#: high-pass and its reference scale with the face, and wide blurs cost 20-70 ms at 480 px.
WORK_FACE_WIDTH = 160


def _shrink(rgb: np.ndarray, pts: np.ndarray, crown_y: float, fw: float):
    """The part of ``rgb`` the measure reads (crown to cheeks, 0.6 face widths either side of
    the forehead) resized to a face width of WORK_FACE_WIDTH; the landmarks and crown with it."""
    h, w = rgb.shape[:2]
    fx = float(pts[g.FOREHEAD, 0])
    cheeks = pts[[g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT], :2]
    x0 = int(max(0, min(fx - 0.6 * fw, cheeks[:, 0].min() - 0.1 * fw)))
    x1 = int(min(w, max(fx + 0.6 * fw, cheeks[:, 0].max() + 0.1 * fw) + 1))
    y0 = int(max(0, min(crown_y, cheeks[:, 1].min()) - 0.05 * fw))
    y1 = int(min(h, cheeks[:, 1].max() + 0.1 * fw + 1))
    part = rgb[y0:y1, x0:x1]
    k = WORK_FACE_WIDTH / fw
    size = (max(1, int(round(part.shape[1] * k))), max(1, int(round(part.shape[0] * k))))
    small = iops.resize(np.ascontiguousarray(part), size, "area")
    kx, ky = size[0] / part.shape[1], size[1] / part.shape[0]
    p = pts.astype(np.float64).copy()
    p[:, 0] = (p[:, 0] - x0 + 0.5) * kx - 0.5
    p[:, 1] = (p[:, 1] - y0 + 0.5) * ky - 0.5
    return small, p, (crown_y - y0 + 0.5) * ky - 0.5


def covering_features(rgb: np.ndarray, pts: np.ndarray, crown_y: float | None) -> dict[str, float]:
    """``cover_texture``, ``cover_thickness``, ``cover_lightness`` of the layer over the head
    (NaN without a mask crown above the brows or with too small a layer). ``rgb``: the analyser's
    working region (face width <= 480 px), ``pts`` its landmarks, ``crown_y`` the mask's crown."""
    fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2])))
    if crown_y is None or fw < 8:
        return dict(NAN)
    if fw > WORK_FACE_WIDTH:  # the head, downscaled: the measure is a ratio at a face-relative scale
        rgb, pts, crown_y = _shrink(rgb, pts, crown_y, fw)
        fw = float(np.hypot(*(pts[g.CHEEK_IMG_RIGHT, :2] - pts[g.CHEEK_IMG_LEFT, :2])))
    h, w = rgb.shape[:2]
    brow_y = float(pts[list(g.BROW_IMG_LEFT[:5]) + list(g.BROW_IMG_RIGHT[:5]), 1].min())
    fx = float(pts[g.FOREHEAD, 0])
    x0, x1 = int(max(0, fx - 0.25 * fw)), int(min(w, fx + 0.25 * fw))
    y0, y1 = int(max(0, crown_y)), int(min(h, brow_y))
    if y1 - y0 < max(4, 0.15 * fw) or x1 - x0 < 4:
        return dict(NAN)
    # the cheeks: the skin colour and the photo's own fine texture (noise, sharpness); only the
    # patches and the band are converted (the live path measures this at the appearance cadence)
    sigma = max(0.7, 0.01 * fw)
    m = int(np.ceil(3 * sigma))
    r = max(1, int(round(0.05 * fw)))

    def lab_high(xa: int, xb: int, ya: int, yb: int):
        """CIELAB and the luma high-pass of rgb[ya:yb, xa:xb] (blurred with a margin around)."""
        xa, xb, ya, yb = max(0, xa), min(w, xb), max(0, ya), min(h, yb)
        pa, pb, qa, qb = max(0, xa - m), min(w, xb + m), max(0, ya - m), min(h, yb + m)
        lab = iops.rgb_to_lab(np.ascontiguousarray(rgb[qa:qb, pa:pb]).astype(np.float32) / 255.0)
        high = lab[..., 0] - _blur(lab[..., 0], sigma)
        sl = (slice(ya - qa, yb - qa), slice(xa - pa, xb - pa))
        return lab[sl], high[sl]

    skin_px, skin_hp = [], []
    for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT):
        cx, cy = int(round(pts[i, 0])), int(round(pts[i, 1]))
        lab_c, high_c = lab_high(cx - r, cx + r + 1, cy - r, cy + r + 1)
        skin_px.append(lab_c.reshape(-1, 3))
        skin_hp.append(high_c.ravel())
    skin = np.median(np.concatenate(skin_px), axis=0)
    noise = _mad(np.concatenate(skin_hp))
    band, band_high = lab_high(x0, x1, y0, y1)
    not_skin = np.linalg.norm((band - skin) * (0.5, 1.0, 1.0), axis=2) > NOT_SKIN
    # per column: the run of not-skin rows from its first one below the crown (the crown's own
    # row blends the head with the backdrop) down to the skin; its middle 70 %
    n = not_skin.shape[0]
    rows = np.arange(n)[:, None]
    start = np.where(not_skin.any(axis=0), np.argmax(not_skin, axis=0), n)
    start = np.where(start <= CROWN_BLEND * fw, start, n)  # the layer starts at the crown or not at all
    skin_below = ~not_skin & (rows >= start[None, :])
    end = np.where(skin_below.any(axis=0), np.argmax(skin_below, axis=0), n)
    runs = end - start
    layer = (rows >= (start + 0.15 * runs)[None, :]) & (rows < (start + 0.85 * runs)[None, :])
    if layer.sum() < MIN_PIXELS or not np.isfinite(noise):
        return {**NAN, "cover_thickness": float(np.median(runs)) / fw}
    return {
        "cover_texture": _mad(band_high[layer]) / max(0.3, noise),
        "cover_thickness": float(np.median(runs)) / fw,
        "cover_lightness": float(np.median(band[..., 0][layer])),
    }
