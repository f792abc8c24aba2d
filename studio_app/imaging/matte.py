"""Person matte, refined with the backdrop's colour, and compositing onto a new background.

What was measured on this machine (see ../shared/DESIGN.md): on a plain backdrop, modelling the
backdrop colour and taking alpha from the colour distance in a band around the segmentation edge
keeps single hair strands and leaves no fringe; on a busy backdrop that fails, and a guided filter
of the segmentation mask is the honest fallback (with a warning in the report).

Compositing with a known backdrop colour B is ``out = I + (1 - a) (new - B)``, which also removes
the old backdrop's tint from the hair edge (colour decontamination).
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .. import imageops as iops
from ..vision.mp_runtime import _quiet_native_stderr  # model-load lines go to the log
from . import regions
from . import keys  # noqa: F401

PLAIN_LIMIT = 3.0  # p90 ΔE from the smooth backdrop fit; plain backdrops score <= ~2.5

_seg_lock = threading.Lock()
_segmenter = None
_warmed = False


def _get_segmenter():
    global _segmenter
    if _segmenter is None:
        from mediapipe.tasks.python import BaseOptions, vision

        from ..vision.models import SEGMENTER, model_path

        opts = vision.ImageSegmenterOptions(
            base_options=BaseOptions(model_asset_path=str(model_path(SEGMENTER))),
            output_confidence_masks=True, output_category_mask=False)
        _segmenter = vision.ImageSegmenter.create_from_options(opts)
        # close before concurrent.futures stops MediaPipe's executor (threading's shutdown hooks
        # run before atexit and in reverse order): otherwise a traceback is printed at exit
        try:
            threading._register_atexit(_close_segmenter)  # type: ignore[attr-defined]
        except Exception:  # pragma: no cover - other Pythons
            atexit.register(_close_segmenter)
    return _segmenter


def _close_segmenter() -> None:
    global _segmenter
    seg, _segmenter = _segmenter, None
    if seg is not None:
        try:
            seg.close()
        except Exception:  # interpreter shutting down
            pass


def segment_person(rgb: np.ndarray) -> np.ndarray:
    """Person confidence, float32 HxW in 0–1, from the bundled selfie segmentation model."""
    import mediapipe as mp

    global _warmed
    with _seg_lock:
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if not _warmed:
            with _quiet_native_stderr():
                res = _get_segmenter().segment(image)
            _warmed = True
        else:
            res = _get_segmenter().segment(image)
        mask = np.array(res.confidence_masks[0].numpy_view(), dtype=np.float32, copy=True)
    if mask.ndim == 3:
        mask = mask[..., 0]
    if mask.shape != rgb.shape[:2]:
        mask = iops.resize(mask, (rgb.shape[1], rgb.shape[0]), "linear")
    return np.clip(mask, 0.0, 1.0)


@dataclass(frozen=True)
class Matte:
    alpha: np.ndarray  # float32 HxW, 0–1
    backdrop: np.ndarray  # float32 HxWx3: the old backdrop colour estimated at every pixel (RGB 0–255)
    plain: bool
    plainness: float  # p90 ΔE of backdrop pixels from the smooth fit; nan when too little backdrop
    method: str  # "backdrop" | "guided"
    band_px: float


def _rowdot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise dot product of two Nx3 arrays (a sum over a length-3 axis is slow in numpy)."""
    return a[:, 0] * b[:, 0] + a[:, 1] * b[:, 1] + a[:, 2] * b[:, 2]


def _smoothstep(x: np.ndarray, e0: float, e1: float) -> np.ndarray:
    t = np.clip((x - e0) / max(e1 - e0, 1e-6), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def _poly_design(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    return np.stack([np.ones_like(xs), xs, ys, xs * xs, xs * ys, ys * ys], axis=1)


def fit_backdrop(rgb: np.ndarray, bg: np.ndarray, step: int = 3) -> tuple[np.ndarray, float, float] | None:
    """Quadratic colour surface through the backdrop pixels ``bg`` (bool HxW).

    Returns (surface float32 HxWx3, plainness = p90 ΔE of the backdrop pixels from it, noise
    sigma in RGB units), or None when there is too little backdrop to fit."""
    h, w = bg.shape
    step = max(step, int(np.sqrt(bg.sum() / 15000.0)))  # ~15k samples are plenty for 6 coefficients
    sub = bg[::step, ::step]
    ys, xs = np.nonzero(sub)
    if len(xs) < 300:
        return None
    img = rgb[::step, ::step][ys, xs].astype(np.float32)
    xn = (xs * step) / w * 2 - 1
    yn = (ys * step) / h * 2 - 1
    A = _poly_design(xn.astype(np.float32), yn.astype(np.float32))
    keep = np.ones(len(xs), bool)
    coef = None
    A64, img64 = A.astype(np.float64), img.astype(np.float64)
    for _ in range(3):
        # least squares by the 6x6 normal equations (x, y in -1..1: well conditioned; SVD-based
        # lstsq is ~30x slower here for the same coefficients to ~1e-6)
        Ak = A64[keep]
        coef = np.linalg.solve(Ak.T @ Ak, Ak.T @ img64[keep]).astype(np.float32)
        resid = np.linalg.norm(img - A @ coef, axis=1)
        med = np.median(resid[keep])
        mad = np.median(np.abs(resid[keep] - med)) + 1e-3
        new_keep = resid < med + 4 * 1.4826 * mad + 2
        if new_keep.sum() < 200 or np.array_equal(new_keep, keep):
            break
        keep = new_keep
    fit = A @ coef
    # plainness in ΔE (CIELAB) over all backdrop samples, outliers included
    lab_i = iops.rgb_to_lab(img / 255.0)
    lab_f = iops.rgb_to_lab(np.clip(fit, 0, 255) / 255.0)
    plainness = float(np.percentile(np.linalg.norm(lab_i - lab_f, axis=1), 90))
    sigma = float(1.4826 * np.median(np.linalg.norm(img[keep] - fit[keep], axis=1))) + 0.5
    return _poly_surface(coef, h, w), plainness, sigma


def _poly_surface(coef: np.ndarray, h: int, w: int) -> np.ndarray:
    """The quadratic ``_poly_design(x, y) @ coef`` at every pixel, float32 HxWx3, evaluated as
    p(y) + x q(y) + x² c3 (per-row polynomials broadcast along the row: a few whole-image
    operations instead of a 6-column design matrix for every pixel)."""
    c = np.asarray(coef, np.float32)
    xn = (np.arange(w, dtype=np.float32) / np.float32(w) * 2 - 1)[None, :, None]
    yn = (np.arange(h, dtype=np.float32) / np.float32(h) * 2 - 1)[:, None]
    p = (c[0] + yn * c[2] + (yn * yn) * c[5])[:, None, :]  # h x 1 x 3
    q = (c[1] + yn * c[4])[:, None, :]
    out = np.empty((h, w, 3), np.float32)
    np.multiply(xn, q, out=out)
    out += (xn * xn) * c[3]
    out += p
    return out


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur; wide ones on a shrunken copy (same look, a fraction of the time)."""
    img = img.astype(np.float32, copy=False)
    if sigma <= 3.0:
        return iops.gaussian_blur(img, sigma)
    f = max(1, int(sigma / 1.5))
    h, w = img.shape[:2]
    sw, sh = max(1, -(-w // f)), max(1, -(-h // f))
    small = iops.resize(img, (sw, sh), "area")
    small = iops.gaussian_blur(small, sigma / f)
    return iops.resize(small, (w, h), "linear")


def _normalized_blur(values: np.ndarray, weight: np.ndarray, sigma: float,
                     at: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian-weighted mean of ``values`` over pixels with ``weight``; returns (mean, support).

    Wide blurs run on an area-shrunk copy and the (smooth) mean is interpolated back up.
    ``at``: flat indices of the only pixels wanted; the results are then 1-D (N, or Nx3 for
    colour values), gathered with one ``take`` each."""
    weight = weight.astype(np.float32)
    h, w = weight.shape
    vw = values * (weight[..., None] if values.ndim == 3 else weight)
    f = max(1, int(sigma / 3.0))
    if f > 1:
        sw, sh = max(1, -(-w // f)), max(1, -(-h // f))
        vs = iops.resize(vw, (sw, sh), "area")
        ws = iops.resize(weight, (sw, sh), "area")
        vs = iops.gaussian_blur(vs, sigma / f)
        ws = iops.gaussian_blur(ws, sigma / f)
        mean = vs / (np.maximum(ws, 1e-4)[..., None] if values.ndim == 3 else np.maximum(ws, 1e-4))
        mean, support = iops.resize(mean, (w, h), "linear"), iops.resize(ws, (w, h), "linear")
    else:
        vb = iops.gaussian_blur(vw, sigma)
        support = iops.gaussian_blur(weight, sigma)
        mean = vb / (np.maximum(support, 1e-4)[..., None] if values.ndim == 3 else np.maximum(support, 1e-4))
    if at is not None:
        mean = np.take(mean.reshape(h * w, -1) if values.ndim == 3 else mean.reshape(-1), at, axis=0)
        support = np.take(support.reshape(-1), at)
    return mean, support


def guided_filter(guide: np.ndarray, src: np.ndarray, radius: int, eps: float = 1e-4) -> np.ndarray:
    """Colour guided filter. ``guide`` uint8 RGB, ``src`` float32 0–1; ``eps`` as for a 0–1 guide
    (numpy, see imaging.regions; it matches cv2.ximgproc.guidedFilter fed as DESIGN.md says)."""
    return np.clip(regions.guided_filter(guide, src, max(1, int(radius)), eps), 0.0, 1.0)


def _keep_person_components(fg: np.ndarray, core: np.ndarray) -> np.ndarray:
    """Keep the connected parts of ``fg`` that touch the face core (drops stray blobs and other people)."""
    n, labels = regions.connected_components(fg, connectivity=8)
    if n <= 2:
        return fg
    ids = np.unique(labels[core & fg])
    ids = ids[ids > 0]
    if len(ids) == 0:
        return fg
    keep = np.zeros(n, bool)  # a lookup table over the labels (np.isin sorts the whole image)
    keep[ids] = True
    return keep[labels]


def refine_matte(rgb: np.ndarray, seg: np.ndarray, face_core: np.ndarray, face_width: float,
                 outside: np.ndarray | None = None, hair_zone: np.ndarray | None = None,
                 clothing: np.ndarray | None = None) -> Matte:
    """Alpha matte of the person in ``rgb``.

    ``seg``: segmentation confidence (float HxW); ``face_core``: bool HxW of the face (from the
    landmarks) that is always foreground (glare on glasses must not read as backdrop);
    ``face_width`` in px of this image sets the band widths; ``outside``: bool HxW of pixels that
    are not from the photo (an extended canvas), always backdrop; ``hair_zone``: bool HxW where
    gaps in the hair may show the backdrop (above the chin, off the face), searched for holes on
    a plain backdrop; ``clothing``: bool HxW below the chin, where the colour alpha may sharpen
    the edge but never open holes (a white collar on a white backdrop is still the collar).
    """
    h, w = seg.shape
    fw = max(float(face_width), 8.0)
    fg = (seg > 0.5) | face_core
    if outside is not None:
        fg &= ~outside
    fg = _keep_person_components(fg, face_core)
    r_out = max(4.0, 0.10 * fw)
    r_in = max(3.0, 0.045 * fw)
    fg_u8 = fg.astype(np.uint8)
    dist_out, dist_in = regions.distance_transforms([1 - fg_u8, fg_u8])
    sure_fg = (fg & (dist_in > r_in)) | face_core
    sure_bg = (~fg) & (dist_out > r_out)
    if outside is not None:
        sure_bg |= outside
        sure_fg &= ~outside
    band = ~(sure_fg | sure_bg)

    img = rgb.astype(np.float32)
    seg_soft = np.where(sure_fg, 1.0, np.where(sure_bg, 0.0, seg)).astype(np.float32)
    radius = max(2, int(round(0.035 * fw)))
    # the guided alpha's soft zone mostly carries old background (a glow), not hair: tighten it
    a_guided = _smoothstep(guided_filter(rgb, seg_soft, radius), 0.2, 0.8)

    bg_fit_mask = sure_bg if outside is None else (sure_bg & ~outside)
    fitted = fit_backdrop(rgb, bg_fit_mask)
    if fitted is None:
        plainness, sigma = float("nan"), 4.0
        backdrop, _ = _normalized_blur(img, sure_bg.astype(np.float32), sigma=max(4.0, r_out))
        plain = False
    else:
        surface, plainness, sigma = fitted
        plain = plainness < PLAIN_LIMIT
        # local correction of the smooth fit (vignette, a soft shadow near the shoulders)
        resid, support = _normalized_blur(img - surface, bg_fit_mask.astype(np.float32), sigma=max(6.0, 1.5 * r_out))
        backdrop = surface + resid * np.clip(support / 0.05, 0, 1)[..., None]

    a_band = a_guided
    a_fg = np.ones_like(a_guided)
    method = "guided"
    if plain:
        method = "backdrop"
        # foreground colour near the edge, from the sure foreground just inside it
        inner = sure_fg & (dist_in < 3 * r_in + 2)
        # the backdrop seen through gaps in the hair, near the hair's outline
        hair = (sure_fg & hair_zone & ~face_core & (dist_in < 0.3 * fw)) if hair_zone is not None else None
        work = band | hair if hair is not None else band
        idx = np.nonzero(work)
        flat = np.ravel_multi_index(idx, work.shape)
        fcol, fsup = _normalized_blur(img, inner.astype(np.float32), sigma=max(3.0, 1.2 * r_in), at=flat)
        fcol2, _ = _normalized_blur(img, sure_fg.astype(np.float32), sigma=max(6.0, 3 * r_in), at=flat)
        I = np.take(img.reshape(-1, 3), flat, axis=0)
        B = np.take(backdrop.reshape(-1, 3), flat, axis=0)
        F = np.where((fsup > 0.02)[:, None], fcol, fcol2)
        d, e = I - B, F - B
        e2 = _rowdot(e, e)
        dn = np.sqrt(_rowdot(d, d))
        proj = _rowdot(d, e) / np.maximum(e2, 1.0)
        ratio = dn / np.sqrt(np.maximum(e2, 1.0))
        # the projection, but never below what the colour distance alone says for off-axis strands
        a_col = np.clip(np.maximum(proj, 0.5 * ratio), 0.0, 1.0)
        a_col *= _smoothstep(dn, 1.5 * sigma, 3.5 * sigma + 2.0)  # backdrop noise is not hair
        trust = _smoothstep(np.sqrt(e2), 12.0, 35.0)  # foreground unlike the backdrop: trust colour
        in_band = band[idx]
        a_mix = trust * a_col + (1 - trust) * a_guided[idx]
        if clothing is not None:
            low = clothing[idx]
            a_mix[low] = np.maximum(a_mix[low], a_guided[idx][low])
        a_band = a_guided.copy()
        a_band[idx[0][in_band], idx[1][in_band]] = a_mix[in_band]
        if hair is not None:
            hole = hair[idx] & (dn < 3.5 * sigma + 8.0)
            a_fg[idx[0][hole], idx[1][hole]] = (trust * a_col + (1 - trust))[hole]

    alpha = np.where(sure_fg, a_fg, np.where(sure_bg, 0.0, a_band)).astype(np.float32)
    alpha = iops.gaussian_blur(alpha, 0.6)
    alpha[face_core] = 1.0
    if outside is not None:
        alpha[outside] = 0.0
    # drop specks not connected to the person
    solid = alpha > 0.15
    alpha[~_keep_person_components(solid, face_core | sure_fg) & solid] = 0.0
    alpha[alpha < 0.02] = 0.0
    alpha[alpha > 0.98] = 1.0
    return Matte(alpha=alpha, backdrop=backdrop.astype(np.float32), plain=plain, plainness=plainness,
                 method=method, band_px=r_out)


def composite(fg: np.ndarray, alpha: np.ndarray, backdrop: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``out = I + (1 - a) (new - B)``: the composite, with the old backdrop's tint removed.

    ``fg`` and ``backdrop`` float32 HxWx3 (0–255, already lighting-corrected alike), ``new`` a
    colour (3,) or an image HxWx3. Returns float32; where alpha is 0 the result is exactly ``new``."""
    new = np.asarray(new, np.float32)
    colour = new.ndim == 1
    if colour:
        new = np.broadcast_to(new, fg.shape)
    # in place, in the same order as fg + (1 - a) * (new - backdrop): the same float32 values
    out = np.subtract(new, backdrop, dtype=np.result_type(new, backdrop, fg, alpha))
    out *= (1.0 - alpha)[..., None]
    out += fg
    np.clip(out, 0.0, 255.0, out=out)
    zero = np.flatnonzero(alpha <= 0.0)
    flat = out.reshape(-1, out.shape[-1])
    flat[zero] = new[0, 0] if colour else new.reshape(-1, new.shape[-1])[zero]
    return out


def gradient_background(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> np.ndarray:
    """Vertical gradient (non-official photos only)."""
    w, h = size
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    img = (1 - t) * np.asarray(top, np.float32) + t * np.asarray(bottom, np.float32)
    return np.broadcast_to(img, (h, w, 3)).astype(np.float32)
