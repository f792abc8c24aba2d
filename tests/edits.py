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


# --- accessories (vision.accessories): small painted objects of a stated size and colour -----------
GOLD = (212, 172, 60)
SILVER = (178, 180, 186)
CLIP_RED = (200, 30, 40)


def _paint(rgb: np.ndarray, cover: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """``colour`` (HxWx3 float) over ``rgb`` where ``cover`` (HxW, 0–1) says."""
    c = np.clip(cover, 0.0, 1.0)[:, :, None]
    return np.clip(rgb.astype(np.float32) * (1 - c) + colour * c, 0, 255).astype(np.uint8)


def _metal(h: int, w: int, base, shade: np.ndarray) -> np.ndarray:
    """A metal surface: the base colour times ``shade`` (0.55–1.25), highlights towards white."""
    b = np.asarray(base, np.float32)[None, None, :]
    s = shade[:, :, None]
    return np.where(s <= 1.0, b * s, b + (255.0 - b) * (s - 1.0) / 0.25 * 0.8)


def ear_lobes(a) -> list[tuple[float, float]]:
    """Image-left and image-right ear lobe centres: under the face's widest points (landmarks
    234/454, where the ears join the head) moved out by 0.01 face widths, at the level of the
    bottom of the nose (landmark 2) plus 0.03 face widths."""
    pts, fw = a.landmarks, face_width(a)
    y = float(pts[2, 1]) + 0.03 * fw
    return [(float(pts[g.CHEEK_IMG_LEFT, 0]) - 0.01 * fw, y), (float(pts[g.CHEEK_IMG_RIGHT, 0]) + 0.01 * fw, y)]


def paint_earrings(rgb: np.ndarray, a, colour=GOLD, diameter: float = 0.036, drop: bool = False,
                   sides=(0, 1)) -> np.ndarray:
    """A round stud ``diameter`` face widths across (a 5 mm stud on a 14 cm face is 0.036) at
    each ear lobe, shaded as a metal ball with a specular highlight; ``drop`` hangs a second,
    larger ball 0.06 face widths below it."""
    h, w = rgb.shape[:2]
    fw = face_width(a)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    out = rgb
    for i in sides:
        cx, cy = ear_lobes(a)[i]
        balls = [(cx, cy, diameter * fw / 2)]
        if drop:
            balls.append((cx, cy + 0.06 * fw, diameter * fw * 0.7))
        for bx, by, r in balls:
            d = np.hypot(xx - bx, yy - by) / max(r, 0.5)
            cover = np.clip((1.0 - d) * r, 0.0, 1.0)  # anti-aliased edge, one pixel wide
            # light from the upper left: brighter there, a white highlight near it
            light = 1.05 - 0.45 * np.clip(((xx - bx) + (yy - by)) / (2 * r) + 0.5, 0, 1)
            spec = np.exp(-((xx - bx + 0.35 * r) ** 2 + (yy - by + 0.35 * r) ** 2) / (0.08 * r * r + 0.5))
            out = _paint(out, cover, _metal(h, w, colour, np.clip(light + 0.25 * spec, 0.55, 1.25)))
    return out


def paint_chain(rgb: np.ndarray, a, colour=GOLD, thickness: float = 0.012, drop: float = 0.45,
                sag: float = 0.18, half_width: float = 0.27) -> np.ndarray:
    """A chain across the neck: a parabola from the neck's sides ``drop`` face widths below the
    chin sagging ``sag`` more in the middle, ``half_width`` face widths each side of the chin,
    ``thickness`` face widths thick (1.7 mm on a 14 cm face), links every 0.02 face widths
    alternating bright and dark."""
    h, w = rgb.shape[:2]
    fw = face_width(a)
    cx, cy = a.chin
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    u = (xx - cx) / (half_width * fw)
    curve = cy + (drop + sag * (1.0 - u ** 2)) * fw
    t = max(1.0, thickness * fw)
    cover = np.clip(t / 2 + 0.5 - np.abs(yy - curve), 0.0, 1.0) * (np.abs(u) <= 1.0)
    links = 0.85 + 0.4 * (np.sin(xx / (0.02 * fw) * np.pi) > 0)
    return _paint(rgb, cover, _metal(h, w, colour, links.astype(np.float32)))


def paint_hair_clip(rgb: np.ndarray, a, colour=CLIP_RED, length: float = 0.16, width: float = 0.05) -> np.ndarray:
    """A plastic hair clip, ``length`` x ``width`` face widths, slanted 20 degrees, in the hair
    above the image-left temple (0.2 face widths out from the forehead landmark, 40 % of the way
    from the forehead up to the crown), a lighter top edge."""
    h, w = rgb.shape[:2]
    fw = face_width(a)
    pts = a.landmarks
    fx, fy = float(pts[g.FOREHEAD, 0]), float(pts[g.FOREHEAD, 1])
    cx, cy = fx - 0.22 * fw, fy - 0.4 * (fy - a.crown[1])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    th = np.radians(-20.0)
    u = (xx - cx) * np.cos(th) + (yy - cy) * np.sin(th)
    v = -(xx - cx) * np.sin(th) + (yy - cy) * np.cos(th)
    hl, hw = length * fw / 2, width * fw / 2
    cover = np.clip(hl + 0.5 - np.abs(u), 0, 1) * np.clip(hw + 0.5 - np.abs(v), 0, 1)
    shade = np.clip(1.1 - 0.35 * (v / hw + 1) / 2, 0.6, 1.1)
    return _paint(rgb, cover, np.asarray(colour, np.float32)[None, None, :] * shade[:, :, None])


def hair_colour(rgb: np.ndarray, a) -> np.ndarray:
    """The median colour of the hair: the person above the brows, off the face."""
    h, w = rgb.shape[:2]
    pts = a.landmarks
    fw = face_width(a)
    face = np.zeros((h, w), np.uint8)
    iops.fill_polygon(face, np.round(pts[list(g.FACE_OVAL), :2]).astype(np.int32), 1)
    face = iops.dilate(face, iops.ellipse_kernel((int(0.1 * fw) | 1, int(0.1 * fw) | 1))).astype(bool)
    brow = float(pts[list(g.BROW_IMG_LEFT), 1].mean())
    yy = np.arange(h)[:, None]
    sel = (np.asarray(a.person_mask) > 0.8) & (yy < brow) & ~face
    return np.median(rgb[sel].reshape(-1, 3), axis=0).astype(np.float32)


def hair_over_shoulders(rgb: np.ndarray, a, shoulders, width: float = 0.32, below: float = 0.3,
                        seed: int = 0) -> np.ndarray:
    """Long hair falling over both shoulders: a band ``width`` face widths wide each side, from
    the hairline (forehead landmark height, just outside the face) down to ``below`` face widths under the
    shoulder joints, in the sitter's median hair colour with vertical strands (luma x0.8–1.2,
    seeded noise) and feathered edges."""
    h, w = rgb.shape[:2]
    pts = a.landmarks
    fw = face_width(a)
    top = float(pts[g.FOREHEAD, 1])
    bottom = float((shoulders[0][1] + shoulders[1][1]) / 2) + below * fw
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    rng = np.random.default_rng(seed)
    strands = np.repeat(rng.uniform(0.8, 1.2, size=(1, w)).astype(np.float32), h, axis=0)
    strands = iops.gaussian_blur(strands, 1.0)
    colour = hair_colour(rgb, a)[None, None, :] * strands[:, :, None]
    cover = np.zeros((h, w), np.float32)
    for edge, sign in ((float(pts[g.CHEEK_IMG_LEFT, 0]), -1), (float(pts[g.CHEEK_IMG_RIGHT, 0]), 1)):
        # the band's inner edge follows the face (and then the neck) inwards a little as it falls
        inner = edge - sign * 0.05 * fw
        x_in = sign * (xx - inner)
        band = (x_in >= 0) & (x_in <= width * fw) & (yy >= top) & (yy <= bottom)
        cover = np.maximum(cover, band.astype(np.float32))
    face = np.zeros((h, w), np.uint8)
    iops.fill_polygon(face, np.round(pts[list(g.FACE_OVAL), :2]).astype(np.int32), 1)
    cover *= 1.0 - face
    cover = iops.gaussian_blur(cover, max(1.0, 0.01 * fw))
    return _paint(rgb, cover, colour)
