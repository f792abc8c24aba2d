"""Honest, measured edits of the real portraits for the appearance tests: a half-face shadow of
a known factor, clothing recoloured to a known colour. Each edit changes only what it names."""

from __future__ import annotations

import numpy as np

from studio_app import imageops as iops
from studio_app.vision import geometry as g


def face_width(a) -> float:
    p = a.landmarks
    return float(np.hypot(*(p[g.CHEEK_IMG_RIGHT, :2] - p[g.CHEEK_IMG_LEFT, :2])))


def half_face_shadow(rgb: np.ndarray, a, factor: float = 0.45, side: str = "left",
                     edge: float = 0.06) -> np.ndarray:
    """Multiply the pixel values of one side of the nose line (image ``side``) by ``factor``
    within the head (the face oval grown by a fifth of the face width, feathered), with a soft
    edge ``edge`` face widths wide across the nose line: a key light from the other side."""
    h, w = rgb.shape[:2]
    pts = a.landmarks
    fw = face_width(a)
    nose_x = float((pts[g.NOSE_BRIDGE, 0] + pts[g.NOSE_TIP, 0] + pts[g.CHIN, 0]) / 3)
    x = np.arange(w, dtype=np.float32)[None, :]
    t = np.clip((x - nose_x) / max(1.0, edge * fw) + 0.5, 0.0, 1.0)  # 0 left of the edge, 1 right
    across = (1.0 - t) if side == "left" else t
    head = np.zeros((h, w), np.uint8)
    iops.fill_polygon(head, np.round(pts[list(g.FACE_OVAL), :2]).astype(np.int32), 1)
    head = iops.dilate(head, iops.ellipse_kernel((int(0.2 * fw) | 1, int(0.2 * fw) | 1)))
    head = iops.gaussian_blur(head.astype(np.float32), max(1.0, 0.05 * fw))
    gain = 1.0 - (1.0 - factor) * across * head
    return np.clip(rgb.astype(np.float32) * gain[:, :, None], 0, 255).astype(np.uint8)


def _feather(mask: np.ndarray, sigma: float) -> np.ndarray:
    return iops.gaussian_blur(mask.astype(np.float32), max(1.0, sigma))


def _apply_gain(rgb: np.ndarray, factor: float, weight: np.ndarray) -> np.ndarray:
    gain = 1.0 - (1.0 - factor) * np.clip(weight, 0.0, 1.0)
    return np.clip(rgb.astype(np.float32) * gain[:, :, None], 0, 255).astype(np.uint8)


def brim_shadow(rgb: np.ndarray, a, factor: float = 0.45, edge: float = 0.04) -> np.ndarray:
    """A hat brim's shadow: everything of the head above the lower lids times ``factor``, with a
    soft horizontal edge ``edge`` face widths tall (the cheeks stay lit)."""
    h, w = rgb.shape[:2]
    pts = a.landmarks
    fw = face_width(a)
    line = float(max(pts[145, 1], pts[374, 1])) + 0.02 * fw
    y = np.arange(h, dtype=np.float32)[:, None]
    above = np.clip((line - y) / max(1.0, edge * fw) + 0.5, 0.0, 1.0)
    head = np.zeros((h, w), np.uint8)  # the head only: the backdrop behind is not under the brim
    iops.fill_polygon(head, np.round(pts[list(g.FACE_OVAL), :2]).astype(np.int32), 1)
    head = iops.dilate(head, iops.ellipse_kernel((int(0.3 * fw) | 1, int(0.3 * fw) | 1)))
    return _apply_gain(rgb, factor, above * _feather(head, 0.05 * fw))


def socket_shadow(rgb: np.ndarray, a, factor: float = 0.45) -> np.ndarray:
    """Overhead light: the eye sockets (brow to lower lid, each eye) times ``factor``, feathered."""
    h, w = rgb.shape[:2]
    pts = a.landmarks
    fw = face_width(a)
    mask = np.zeros((h, w), np.uint8)
    for eye, brow in ((g.EYE_IMG_LEFT, g.BROW_IMG_LEFT), (g.EYE_IMG_RIGHT, g.BROW_IMG_RIGHT)):
        cx = float(pts[eye["iris"], 0])
        top = float(pts[list(brow[5:]), 1].mean())
        bottom = float(pts[eye["bottom"], 1]) + 0.02 * fw
        cy = (top + bottom) / 2
        iops.fill_ellipse(mask, (int(round(cx)), int(round(cy))),
                          (int(0.17 * fw), int(max(2, (bottom - top) / 2 + 0.02 * fw))), 1)
    return _apply_gain(rgb, factor, _feather(mask, 0.03 * fw))


def clothing_mask(rgb: np.ndarray, a, below_chin: float = 0.35) -> np.ndarray:
    """The clothing: the person mask from ``below_chin`` face widths under the chin, minus the
    face and neck (a column one face width wide under the chin down to the collar line)."""
    h, w = rgb.shape[:2]
    fw = face_width(a)
    chin_x, chin_y = a.chin
    person = np.asarray(a.person_mask, np.float32) > 0.5
    y = np.arange(h)[:, None]
    x = np.arange(w)[None, :]
    below = y > chin_y + below_chin * fw
    neck = (np.abs(x - chin_x) < 0.5 * fw) & (y < chin_y + 0.6 * fw)
    return person & below & ~neck


def recolour_clothing(rgb: np.ndarray, a, target_rgb, below_chin: float = 0.35) -> np.ndarray:
    """The clothing recoloured to ``target_rgb`` with its shading kept (each pixel's luma over
    the clothing's median luma scales the target): folds and shadows stay where they were."""
    m = clothing_mask(rgb, a, below_chin)
    f = rgb.astype(np.float32)
    luma = f @ np.array([0.299, 0.587, 0.114], np.float32)
    med = float(np.median(luma[m])) if m.any() else 1.0
    shade = np.clip(luma / max(1.0, med), 0.0, 1.6)
    out = f.copy()
    out[m] = np.asarray(target_rgb, np.float32)[None, :] * shade[m][:, None]
    return np.clip(out, 0, 255).astype(np.uint8)


NAVY = (30, 40, 70)


def with_dark_top(rgb: np.ndarray) -> np.ndarray:
    """The portrait with its (white) T-shirt recoloured navy, shading kept: what the sitter
    would wear for a 身份证/社保卡 photo on a white backdrop."""
    from studio_app.vision.analyzer import analyze_still

    return recolour_clothing(rgb, analyze_still(rgb), NAVY)


def save_jpeg(rgb: np.ndarray, path) -> None:
    from PIL import Image

    Image.fromarray(rgb).save(path, format="JPEG", quality=95)


def paint_cap(rgb: np.ndarray, a, colour=(25, 25, 30), edge_below: float = 0.12) -> np.ndarray:
    """A plain cloth cap or wrap painted on the head: every pixel of the person above a curved
    lower edge (``edge_below`` face widths under the top of the face oval at the middle, rising
    to the temples like a cap's band) becomes ``colour``, shaded by the head's own light (the
    luma blurred over a tenth of the face width, so the hair's strands do not show through
    cloth), with a one-pixel soft edge and grain as strong as the cheeks' fine texture (real cloth
    in a photo carries the photo's noise). The person mask bounds it (the backdrop stays)."""
    h, w = rgb.shape[:2]
    pts = a.landmarks
    fw = face_width(a)
    cx, top = float(pts[g.FOREHEAD, 0]), float(pts[g.FOREHEAD, 1])
    y = np.arange(h, dtype=np.float32)[:, None]
    x = np.arange(w, dtype=np.float32)[None, :]
    edge = top + edge_below * fw - 0.35 * fw * ((x - cx) / (0.5 * fw)) ** 2  # the band rises to the temples
    inside = np.clip(edge - y + 0.5, 0.0, 1.0) * (np.abs(x - cx) < 0.75 * fw)
    person = np.asarray(a.person_mask, np.float32)
    weight = inside * np.clip((person - 0.3) / 0.4, 0.0, 1.0)
    f = rgb.astype(np.float32)
    luma = f @ np.array([0.299, 0.587, 0.114], np.float32)
    shade = iops.gaussian_blur(luma, max(1.0, 0.1 * fw))
    ref = float(np.median(shade[weight > 0.5])) if (weight > 0.5).any() else 1.0
    cloth = np.asarray(colour, np.float32)[None, None, :] * np.clip(shade / max(1.0, ref), 0.4, 1.6)[:, :, None]
    # the photo's own grain on the cloth: noise as strong as the fine texture of the cheeks
    r = max(1, int(round(0.05 * fw)))
    cheeks = np.concatenate([(luma - iops.gaussian_blur(luma, 1.0))[int(pts[i, 1]) - r:int(pts[i, 1]) + r + 1,
                                                                      int(pts[i, 0]) - r:int(pts[i, 0]) + r + 1].ravel()
                             for i in (g.CHEEK_PATCH_IMG_LEFT, g.CHEEK_PATCH_IMG_RIGHT)])
    grain = 1.4826 * float(np.median(np.abs(cheeks - np.median(cheeks))))
    cloth = cloth + np.random.default_rng(0).normal(0.0, grain, (h, w))[:, :, None]
    out = f * (1.0 - weight[:, :, None]) + cloth * weight[:, :, None]
    return np.clip(out, 0, 255).astype(np.uint8)
