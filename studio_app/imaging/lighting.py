"""Lighting correction as smooth, pointwise operations (so the person and the old backdrop
estimate can be corrected alike before compositing).

- white balance from a plain, near-neutral backdrop (per-channel gains, limited);
- exposure: a tone curve on luminance that brings the face into a target band (highlights kept);
- left/right imbalance: a low-frequency gain that lifts the darker half of the face towards its
  mirror image (detail untouched: no plastic skin);
- glare: a soft knee on specular highlights of the face skin.
Each has a strength in 0–1 (0 = off); the review screen may change them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import imageops as iops
from . import keys  # noqa: F401
from .matte import blur

# Acceptable mean face luminance (0–255). Wide on purpose: darker complexions are not "under-exposed";
# only faces outside this band are brought just inside it (the compliance exposure check warns
# below 85 and above 200), by a limited gain with a soft highlight shoulder: blacks stay black.
FACE_Y_BAND = (100.0, 200.0)  # measured on cheeks+nose, ~15 % brighter than the whole-face mean
SHADOW_START = 0.92  # darker/brighter face half above this: no shadow correction
SHADOW_FULL = 0.84  # at or below this: the full strength
FACE_Y_TARGET = (110.0, 188.0)
SHOULDER = 210.0  # luminance above which a raised exposure is compressed instead of clipped


@dataclass(frozen=True)
class LightingOptions:
    white_balance: float = 1.0
    exposure: float = 1.0
    shadows: float = 1.0
    glare: float = 1.0

    @classmethod
    def off(cls) -> "LightingOptions":
        return cls(0.0, 0.0, 0.0, 0.0)


@dataclass
class LightingPlan:
    gains: np.ndarray = field(default_factory=lambda: np.ones(3, np.float32))
    exposure_gain: float = 1.0
    shadow_gain: np.ndarray | None = None  # HxW float32
    glare_weight: np.ndarray | None = None  # HxW float32, 0–1: where the knee applies
    glare_strength: float = 0.0
    corrections: list[dict] = field(default_factory=list)

    @property
    def identity(self) -> bool:
        return (np.allclose(self.gains, 1.0) and abs(self.exposure_gain - 1.0) < 1e-3 and self.shadow_gain is None
                and self.glare_weight is None)


def luminance(img: np.ndarray) -> np.ndarray:
    img = img.astype(np.float32, copy=False)
    return 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2]


def _lab(rgb_mean: np.ndarray) -> tuple[float, float, float]:
    px = (np.clip(np.asarray(rgb_mean, np.float32), 0, 255) / 255.0).reshape(1, 1, 3)
    lab = iops.rgb_to_lab(px)[0, 0]
    return float(lab[0]), float(lab[1]), float(lab[2])


def balance(img: np.ndarray, skin: np.ndarray, axis_x: float) -> float:
    """Mean luminance of the darker face half / the brighter half (1 = even)."""
    y = luminance(img)
    xs = np.arange(img.shape[1])[None, :]
    left = skin & (xs < axis_x)
    right = skin & (xs >= axis_x)
    if left.sum() < 20 or right.sum() < 20:
        return 1.0
    a, b = float(y[left].mean()), float(y[right].mean())
    return min(a, b) / max(a, b, 1e-3)


def plan_lighting(img: np.ndarray, skin: np.ndarray, face_region: np.ndarray, axis_x: float, face_width: float,
                  backdrop_rgb: tuple[float, float, float] | None, backdrop_plain: bool,
                  options: LightingOptions = LightingOptions()) -> LightingPlan:
    """Decide the corrections for ``img`` (float or uint8 RGB, the work crop).

    ``skin``: bool mask of face skin (cheeks/forehead); ``face_region``: bool mask of the whole
    face (where shadow/glare corrections may act, feathered); ``axis_x``: the face's vertical
    mid-line; ``backdrop_rgb``: the median old backdrop colour when known."""
    plan = LightingPlan()
    if skin.sum() < 50:
        return plan
    # Everything below acts on the face and a feathered margin: work in that box only.
    full_h, full_w = skin.shape
    ys, xs = np.nonzero(face_region)
    pad = int(0.45 * face_width) + 4
    half = max(axis_x - xs.min(), xs.max() - axis_x) + pad
    x0, x1 = max(0, int(axis_x - half)), min(full_w, int(axis_x + half) + 1)
    y0, y1 = max(0, int(ys.min()) - pad), min(full_h, int(ys.max()) + pad + 1)
    box = (slice(y0, y1), slice(x0, x1))
    img = img[box].astype(np.float32, copy=False)
    skin, face_region, axis_x = skin[box], face_region[box], axis_x - x0

    def full_field(field: np.ndarray, fill: float) -> np.ndarray:
        out = np.full((full_h, full_w), fill, np.float32)
        out[box] = field
        return out

    # 1. white balance from a plain, near-neutral backdrop
    if options.white_balance > 0 and backdrop_rgb is not None and backdrop_plain:
        bd = np.asarray(backdrop_rgb, np.float32)
        L, a, b = _lab(bd)
        chroma = math.hypot(a, b)
        if L > 45 and 2.0 < chroma < 18.0:
            gains = bd.mean() / np.maximum(bd, 1.0)
            gains = np.clip(gains, 0.85, 1.18)
            gains = 1 + options.white_balance * (gains - 1)
            gains = gains / (0.299 * gains[0] + 0.587 * gains[1] + 0.114 * gains[2])  # keep luminance
            # keep skin natural: a* of the cheeks must stay positive (no green/grey skin)
            cheek = img[skin].mean(axis=0)
            _, ca, cb = _lab(cheek * gains)
            if ca > 2.0 and cb > -2.0:
                plan.gains = gains.astype(np.float32)
                plan.corrections.append({"id": "white_balance", "key": "light.white_balance",
                                         "strength": options.white_balance,
                                         "params": {"gains": [round(float(g), 3) for g in gains],
                                                    "backdrop_chroma": round(chroma, 1)}})

    # 2. exposure: face luminance into the band
    if options.exposure > 0:
        y_face = float(luminance(img[skin] * plan.gains).mean())
        lo, hi = FACE_Y_BAND
        target = None
        if y_face < lo:
            target = FACE_Y_TARGET[0]
        elif y_face > hi:
            target = FACE_Y_TARGET[1]
        if target is not None and 5.0 < y_face < 250.0:
            gain = float(np.clip(target / y_face, 0.7, 2.0))  # at most one stop up
            gain = 1 + options.exposure * (gain - 1)
            plan.exposure_gain = gain
            plan.corrections.append({"id": "exposure", "key": "light.exposure", "strength": options.exposure,
                                     "params": {"face_luminance": round(y_face, 1), "target": target,
                                                "gain": round(gain, 3)}})

    # 3. left/right imbalance: lift the darker half towards its mirror image (low frequency only)
    if options.shadows > 0:
        base = _tone(img * plan.gains, plan.exposure_gain)
        ratio0 = balance(base, skin, axis_x)
        # a little asymmetry is natural modelling; act in full only on a real side shadow
        amount = float(_ramp(SHADOW_START - ratio0, 0.0, SHADOW_START - SHADOW_FULL)) * options.shadows
        if amount > 0.05:
            y = luminance(base)
            sigma = max(2.0, 0.12 * face_width)
            wmask = skin.astype(np.float32)
            num = blur(y * wmask, sigma)
            den = blur(wmask, sigma)
            # extend the estimate beyond the skin with a wider blur
            num2 = blur(y * wmask, 3 * sigma)
            den2 = blur(wmask, 3 * sigma)
            lp = np.where(den > 0.05, num / np.maximum(den, 1e-4), num2 / np.maximum(den2, 1e-4))
            lp = np.maximum(lp, 4.0)
            # mirror about the face axis
            h, w = lp.shape
            map_x = (2 * axis_x - np.arange(w, dtype=np.float32))[None, :].repeat(h, 0)
            map_y = np.arange(h, dtype=np.float32)[:, None].repeat(w, 1)
            lp_m = iops.remap_linear(lp, map_x, map_y)
            # lift the darker half towards its mirror image (the bright half is left alone: toning
            # it down makes the face grey); 0.8 of the gap in log terms keeps some modelling
            gain = np.clip(np.maximum(lp, lp_m) / lp, 1.0, 2.2) ** (0.8 * amount)
            region = blur(face_region.astype(np.float32), max(2.0, 0.08 * face_width))
            gain = 1 + (gain - 1) * region
            plan.shadow_gain = full_field(gain, 1.0)
            after = balance(base * gain[..., None], skin, axis_x)
            plan.corrections.append({"id": "shadow", "key": "light.shadow", "strength": options.shadows,
                                     "params": {"balance_before": round(ratio0, 3), "balance_after": round(after, 3),
                                                "amount": round(amount, 3)}})

    # 4. glare: soft knee on bright, unsaturated face skin
    if options.glare > 0:
        base = _tone(img * plan.gains, plan.exposure_gain)
        if plan.shadow_gain is not None:
            base = base * plan.shadow_gain[box][..., None]
        y = luminance(base)
        r, g, b = base[..., 0], base[..., 1], base[..., 2]
        mx, mn = np.maximum(np.maximum(r, g), b), np.minimum(np.minimum(r, g), b)
        spec = face_region & (y > 238) & ((mx - mn) < 30)
        share = float(spec.sum()) / max(1, int(face_region.sum()))
        if share > 0.002:
            wgt = blur(spec.astype(np.float32), max(1.5, 0.02 * face_width))
            wgt = np.clip(wgt * 2.0, 0, 1) * face_region
            plan.glare_weight = full_field(wgt, 0.0)
            plan.glare_strength = options.glare
            plan.corrections.append({"id": "glare", "key": "light.glare", "strength": options.glare,
                                     "params": {"share": round(share, 4)}})
    return plan


def _ramp(x: float, lo: float, hi: float) -> float:
    t = min(max((x - lo) / max(hi - lo, 1e-6), 0.0), 1.0)
    return t * t * (3 - 2 * t)


def _tone(img: np.ndarray, gain: float) -> np.ndarray:
    """Exposure: luminance times ``gain`` with a soft shoulder above SHOULDER (no clipped
    highlights), colour ratios kept."""
    if abs(gain - 1.0) < 1e-3:
        return img
    y = np.maximum(luminance(img), 0.5)
    z = y * gain
    room = 255.0 - SHOULDER
    y2 = np.where(z <= SHOULDER, z, SHOULDER + room * (1.0 - np.exp(-(z - SHOULDER) / room)))
    return img * (y2 / y)[..., None]


def apply_lighting(img: np.ndarray, plan: LightingPlan, where: tuple[np.ndarray, np.ndarray] | None = None
                   ) -> np.ndarray:
    """The planned corrections applied to ``img`` (float32 RGB 0–255); returns float32 0–255.

    With ``where`` (row and column indices, as from ``np.nonzero``), ``img`` holds only those
    pixels as an N x 3 array and the spatial fields are sampled there."""
    out = img.astype(np.float32) * plan.gains
    out = _tone(out, plan.exposure_gain)
    if plan.shadow_gain is not None:
        g = plan.shadow_gain if where is None else plan.shadow_gain[where]
        out = out * g[..., None]
    if plan.glare_weight is not None:
        gw = plan.glare_weight if where is None else plan.glare_weight[where]
        y = np.maximum(luminance(out), 0.5)
        knee = 228.0
        y2 = np.where(y > knee, knee + (y - knee) * 0.5, y)
        k = 1 + (y2 / y - 1) * gw * plan.glare_strength
        out = out * k[..., None]
    return np.clip(out, 0.0, 255.0)
