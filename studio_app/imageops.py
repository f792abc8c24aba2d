"""Small image operations on numpy arrays, with NumPy and Pillow only (Qt-free, no OpenCV).

Why not OpenCV: the app needs a handful of resizes, blurs, derivatives, colour conversions and
warps; OpenCV's wheel brings ~300 MB of native libraries (FFmpeg, OpenBLAS, its own Qt5/X11)
into the frozen bundle for them. These functions keep OpenCV's conventions (pixel centres at
integer coordinates, reflect-101 borders for filters, cv2's colour formulas) so measured values
stay comparable; tests compare them with cv2 where it is installed.

Images are (H, W) or (H, W, C) arrays; uint8 stays uint8, floats come back as float32.
"""
from __future__ import annotations

import functools

import numpy as np
from PIL import Image, ImageDraw

_PIL_FILTER = {
    "nearest": Image.Resampling.NEAREST,
    "linear": Image.Resampling.BILINEAR,
    "cubic": Image.Resampling.BICUBIC,
    "area": Image.Resampling.BOX,
    "lanczos": Image.Resampling.LANCZOS,
}


# ---------------------------------------------------------------------------- resize
def _pil_resize(im: Image.Image, size: tuple[int, int], method) -> Image.Image:
    w, h = size
    if method == Image.Resampling.BOX and im.width % w == 0 and im.height % h == 0:
        # an exact integer shrink (a 1280x720 frame to 640x360): Pillow's block reduce is ~4x
        # faster than the general resampler and gives the same averages
        return im.reduce((im.width // w, im.height // h))
    return im.resize(size, method)


def _resize_plane(plane: np.ndarray, size: tuple[int, int], method) -> np.ndarray:
    if plane.dtype == np.uint8:
        return np.asarray(_pil_resize(Image.fromarray(plane, "L"), size, method))
    f = np.ascontiguousarray(plane, dtype=np.float32)
    return np.asarray(_pil_resize(Image.fromarray(f, "F"), size, method))


def resize(img: np.ndarray, size: tuple[int, int], interp: str = "linear") -> np.ndarray:
    """Resize to ``size`` = (width, height).

    ``interp``: "area" (box average; used for shrinking, falls back to linear when enlarging,
    as cv2.INTER_AREA does), "linear", "cubic", "nearest", "lanczos". Bool masks are resized
    nearest and stay bool."""
    w, h = int(size[0]), int(size[1])
    if w < 1 or h < 1:
        raise ValueError(f"resize to {w}x{h}")
    src_h, src_w = img.shape[:2]
    if img.dtype == bool:
        return resize(img.astype(np.uint8), (w, h), "nearest").astype(bool)
    if interp == "area" and (w > src_w or h > src_h):
        interp = "linear"
    method = _PIL_FILTER[interp]
    if (w, h) == (src_w, src_h):
        return img.copy() if img.dtype == np.uint8 else img.astype(np.float32)
    if interp == "linear" and img.dtype != np.uint8 and w >= src_w and h >= src_h:
        return _enlarge_linear(np.asarray(img, np.float32), w, h)
    if img.ndim == 2:
        return _resize_plane(img, (w, h), method)
    if img.dtype == np.uint8 and img.shape[2] == 3:
        return np.asarray(_pil_resize(Image.fromarray(np.ascontiguousarray(img), "RGB"), (w, h), method))
    # per channel: Pillow would premultiply RGBA, and has no multi-channel float mode
    return np.stack([_resize_plane(img[..., c], (w, h), method) for c in range(img.shape[2])], axis=2)


def _linear_taps(n_out: int, n_in: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = (np.arange(n_out, dtype=np.float64) + 0.5) * (n_in / n_out) - 0.5
    np.clip(x, 0, n_in - 1, out=x)
    x0 = x.astype(np.intp)  # non-negative: truncation is floor
    return x0, np.minimum(x0 + 1, n_in - 1), (x - x0).astype(np.float32)


def _enlarge_linear(img: np.ndarray, w: int, h: int) -> np.ndarray:
    """Bilinear enlargement of a float32 image (any channels) as Pillow's BILINEAR resize does
    it when enlarging: output pixel x samples the source at (x + 0.5) * src_w / w - 0.5, edges
    repeated (same values to ~1e-7). Separable in numpy, all channels at once: ~2x faster than
    Pillow's per-plane float resampler (a 512x288 mask to 1920x1080: ~14 -> ~8 ms)."""
    src_h, src_w = img.shape[:2]
    extra = (1,) * (img.ndim - 2)
    x0, x1, fx = _linear_taps(w, src_w)
    y0, y1, fy = _linear_taps(h, src_h)
    a = np.take(img, x0, axis=1)
    b = np.take(img, x1, axis=1)
    b -= a
    b *= fx.reshape((1, w) + extra)
    a += b
    out = np.empty((h,) + a.shape[1:], np.float32)
    fy = fy.reshape((h, 1) + extra)
    # the vertical pass in blocks of rows (~1 MB): its temporaries stay in the cache instead of
    # streaming whole-image arrays through memory several times (a 24 MP mask: ~1.4x faster)
    step = h if out.size <= 1 << 22 else max(1, (1 << 18) // max(1, a[0].size))
    for r0 in range(0, h, step):
        r1 = min(h, r0 + step)
        blk = out[r0:r1]
        np.take(a, y0[r0:r1], axis=0, out=blk, mode="clip")  # valid indices; "raise" buffers out
        d = np.take(a, y1[r0:r1], axis=0)
        d -= blk
        d *= fy[r0:r1]
        blk += d
    return out


def scale(img: np.ndarray, factor: float, interp: str = "area") -> np.ndarray:
    """Resize by ``factor`` (cv2's fx/fy): the size is rounded, at least 1 px."""
    h, w = img.shape[:2]
    return resize(img, (max(1, int(round(w * factor))), max(1, int(round(h * factor)))), interp)


# ---------------------------------------------------------------------------- filters
def _pad_reflect101(a: np.ndarray, r: int, axis: int) -> np.ndarray:
    mode = "edge" if a.shape[axis] == 1 else "reflect"  # numpy's "reflect" is cv2's reflect-101
    pad = [(0, 0)] * a.ndim
    pad[axis] = (r, r)
    return np.pad(a, pad, mode=mode)


def _correlate1d(a: np.ndarray, kernel: np.ndarray, axis: int) -> np.ndarray:
    """1-D correlation along ``axis`` with reflect-101 borders (cv2's default)."""
    r = len(kernel) // 2
    if r == 0:
        return a * np.float32(kernel[0])
    p = _pad_reflect101(a, r, axis)
    n = a.shape[axis]

    def tap(i):
        sl = [slice(None)] * a.ndim
        sl[axis] = slice(i, i + n)
        return p[tuple(sl)]

    out = np.zeros(a.shape, np.float32)
    if np.array_equal(kernel, kernel[::-1]):  # symmetric (Gaussian, box): half the multiplies
        for i in range(r):
            if kernel[i] != 0:
                out += (tap(i) + tap(2 * r - i)) * np.float32(kernel[i])
        if kernel[r] != 0:
            out += tap(r) * np.float32(kernel[r])
        return out
    for i, k in enumerate(kernel):
        if k != 0:
            out += tap(i) * np.float32(k)
    return out


def gaussian_kernel(sigma: float) -> np.ndarray:
    """cv2.getGaussianKernel for a float image: size round(sigma*8+1)|1 (4 sigma each side)."""
    ksize = int(round(sigma * 8 + 1)) | 1
    r = ksize // 2
    x = np.arange(-r, r + 1, dtype=np.float64)
    k = np.exp(-(x * x) / (2.0 * sigma * sigma))
    return (k / k.sum()).astype(np.float32)


def gaussian_blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur with standard deviation ``sigma`` px (reflect-101 borders), float32 out.

    Separable and exact; callers that need wide blurs shrink first (see imaging.matte.blur)."""
    a = np.asarray(img, dtype=np.float32)
    if sigma <= 0:
        return a.copy()
    k = gaussian_kernel(sigma)
    if a.ndim == 3:  # plane by plane: contiguous slices are several times faster
        return np.stack([gaussian_blur(a[..., c], sigma) for c in range(a.shape[2])], axis=2)
    # a wide kernel on a short axis: one matrix product (the kernel folded into an n x n matrix
    # by the reflect-101 border) beats len(kernel) shifted multiply-adds by far
    if _use_matrix(a.shape[0], len(k)):
        a = _blur_matrix(a.shape[0], float(sigma)) @ a
    else:
        a = _correlate1d(a, k, 0)
    if _use_matrix(a.shape[1], len(k)):
        return np.ascontiguousarray(a @ _blur_matrix(a.shape[1], float(sigma)).T)
    return _correlate1d(a, k, 1)


def _use_matrix(n: int, taps: int) -> bool:
    return taps >= 9 and n <= 12 * taps and n <= 2048


def _reflect101_index(idx: np.ndarray, n: int) -> np.ndarray:
    """cv2's BORDER_REFLECT_101 for any index (reflected as often as needed: period 2n-2)."""
    if n == 1:
        return np.zeros_like(idx)
    p = np.mod(idx, 2 * n - 2)
    return np.where(p >= n, 2 * n - 2 - p, p)


@functools.lru_cache(maxsize=64)
def _blur_matrix(n: int, sigma: float) -> np.ndarray:
    """The n x n float32 matrix of the Gaussian correlation along an axis of length n, borders
    reflect-101: row i holds the kernel taps at the (reflected) source pixels of output i."""
    k = gaussian_kernel(sigma).astype(np.float64)
    r = len(k) // 2
    src = _reflect101_index(np.arange(n)[:, None] + np.arange(-r, r + 1)[None, :], n)
    flat = (np.arange(n)[:, None] * n + src).ravel()
    m = np.bincount(flat, weights=np.broadcast_to(k, src.shape).ravel(), minlength=n * n)
    m = m.reshape(n, n).astype(np.float32)
    m.setflags(write=False)
    return m


def box_blur(img: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Mean over a (width, height) window centred on each pixel, reflect-101 borders (cv2.blur)."""
    a = np.asarray(img, dtype=np.float32)
    kw, kh = int(size[0]), int(size[1])
    for axis, k in ((1, kw), (0, kh)):
        if k <= 1:
            continue
        r_lo = (k - 1) // 2
        r_hi = k - 1 - r_lo
        pad = [(0, 0)] * a.ndim
        pad[axis] = (r_lo, r_hi)
        mode = "reflect" if a.shape[axis] > 1 else "edge"
        p = np.pad(a, pad, mode=mode).astype(np.float64)
        c = np.cumsum(p, axis=axis)
        zero_shape = list(c.shape)
        zero_shape[axis] = 1
        c = np.concatenate([np.zeros(zero_shape), c], axis=axis)
        n = a.shape[axis]
        hi = [slice(None)] * a.ndim
        lo = [slice(None)] * a.ndim
        hi[axis] = slice(k, k + n)
        lo[axis] = slice(0, n)
        a = ((c[tuple(hi)] - c[tuple(lo)]) / k).astype(np.float32)
    return a


_SOBEL_D = np.array([-1.0, 0.0, 1.0], np.float32)
_SOBEL_S = np.array([1.0, 2.0, 1.0], np.float32)


def sobel(img: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """3x3 Sobel derivative (dx, dy) in {(1, 0), (0, 1)}, float32, like cv2.Sobel(ksize=3)."""
    a = np.asarray(img, dtype=np.float32)
    if (dx, dy) == (1, 0):
        return _correlate1d(_correlate1d(a, _SOBEL_S, 0), _SOBEL_D, 1)
    if (dx, dy) == (0, 1):
        return _correlate1d(_correlate1d(a, _SOBEL_D, 0), _SOBEL_S, 1)
    raise ValueError("sobel supports first derivatives only")


def laplacian(img: np.ndarray) -> np.ndarray:
    """4-neighbour Laplacian (cv2.Laplacian with ksize=1), float32, reflect-101 borders."""
    a = np.asarray(img, dtype=np.float32)
    k = np.array([1.0, -2.0, 1.0], np.float32)
    return _correlate1d(a, k, 0) + _correlate1d(a, k, 1)


# ---------------------------------------------------------------------------- morphology
def ellipse_kernel(size: tuple[int, int]) -> np.ndarray:
    """cv2.getStructuringElement(cv2.MORPH_ELLIPSE, size) (same rows, same rounding)."""
    w, h = int(size[0]), int(size[1])
    out = np.zeros((h, w), np.uint8)
    r, c = h // 2, w // 2
    inv_r2 = 1.0 / (r * r) if r else 0.0
    for i in range(h):
        dy = i - r
        if abs(dy) <= r:
            dx = int(round(c * np.sqrt(max(0.0, (r * r - dy * dy) * inv_r2)))) if r else c
            out[i, max(c - dx, 0):min(c + dx + 1, w)] = 1
    return out


def _bbox(m: np.ndarray) -> tuple[int, int, int, int] | None:
    """(y0, y1, x0, x1) of the set pixels of a bool mask, None when there are none."""
    rows = np.flatnonzero(m.any(axis=1))
    if len(rows) == 0:
        return None
    cols = np.flatnonzero(m[rows[0]:rows[-1] + 1].any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def erode(mask: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Binary erosion by a symmetric structuring element made of centred row runs on consecutive
    rows (rectangles, cv2 ellipses). Pixels outside the image count as set (cv2's default border
    for erode).

    Only the bounding box of the set pixels, plus one pixel, is computed: everything outside it
    is unset and stays so, and every element that reaches from inside past the extra pixel also
    covers that (unset) pixel, so the box gives the same result as the whole image."""
    m = np.asarray(mask).astype(bool)
    h, w = m.shape
    box = _bbox(m)
    if box is None:
        return m
    y0, y1, x0, x1 = max(box[0] - 1, 0), min(box[1] + 1, h), max(box[2] - 1, 0), min(box[3] + 1, w)
    if (y1 - y0) * (x1 - x0) < 0.8 * h * w:
        out = np.zeros_like(m)
        out[y0:y1, x0:x1] = _erode_full(m[y0:y1, x0:x1], kernel)
        return out
    return _erode_full(m, kernel)


def _erode_full(m: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    h, w = m.shape
    kh = kernel.shape[0]
    cy = kh // 2
    halves = []
    for i in range(kh):
        cols = np.nonzero(kernel[i])[0]
        if len(cols):
            halves.append((i - cy, int(cols[-1] - cols[0]) // 2))
    top = max(hv for _, hv in halves)
    # one row-wise running count serves every row of the element: a window of +-half px is
    # all set when its count is 2*half+1 (outside counts as set)
    p = np.pad(m, ((0, 0), (top + 1, top)), constant_values=True)
    c = np.cumsum(p, axis=1, dtype=np.int32)
    out = np.ones_like(m)
    for dy, half in halves:
        lo = top - half
        full = (c[:, lo + 2 * half + 1:lo + 2 * half + 1 + w] - c[:, lo:lo + w]) == 2 * half + 1
        if dy >= 0:
            if dy < h:
                out[:h - dy] &= full[dy:]
        elif -dy < h:
            out[-dy:] &= full[:h + dy]
    return out


def dilate(mask: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Binary dilation by a symmetric structuring element (outside the image counts as unset).

    Computed on the bounding box of the set pixels grown by the element's reach (nothing beyond
    it can be set; outside that box is unset, as outside the image is)."""
    m = np.asarray(mask).astype(bool)
    h, w = m.shape
    box = _bbox(m)
    if box is None:
        return m
    ry, rx = kernel.shape[0] // 2, kernel.shape[1] // 2
    y0, y1, x0, x1 = max(box[0] - ry, 0), min(box[1] + ry, h), max(box[2] - rx, 0), min(box[3] + rx, w)
    if (y1 - y0) * (x1 - x0) < 0.8 * h * w:
        out = np.zeros_like(m)
        out[y0:y1, x0:x1] = ~_erode_full(~m[y0:y1, x0:x1], kernel)
        return out
    return ~_erode_full(~m, kernel)


def rect_kernel(size: tuple[int, int]) -> np.ndarray:
    return np.ones((int(size[1]), int(size[0])), np.uint8)


# ---------------------------------------------------------------------------- colour
def rgb_to_grey(rgb: np.ndarray) -> np.ndarray:
    """ITU-R BT.601 luma, as cv2.COLOR_RGB2GRAY (uint8 in -> uint8 out, rounded)."""
    f = rgb[..., 0] * np.float32(0.299) + rgb[..., 1] * np.float32(0.587) + rgb[..., 2] * np.float32(0.114)
    if rgb.dtype == np.uint8:
        return np.clip(np.rint(f), 0, 255).astype(np.uint8)
    return f.astype(np.float32)


_RGB2XYZ = np.array([[0.412453, 0.357580, 0.180423],
                     [0.212671, 0.715160, 0.072169],
                     [0.019334, 0.119193, 0.950227]], np.float32)
_WHITE = np.array([0.950456, 1.0, 1.088754], np.float32)


_SRGB_LUT = None


def _linear_rgb(rgb: np.ndarray) -> np.ndarray:
    """sRGB -> linear light, float32; uint8 through a 256-entry table (the common case)."""
    global _SRGB_LUT
    if rgb.dtype == np.uint8:
        if _SRGB_LUT is None:
            v = np.arange(256, dtype=np.float64) / 255.0
            _SRGB_LUT = np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4).astype(np.float32)
        return _SRGB_LUT[rgb]
    f = np.asarray(rgb, dtype=np.float32)
    return np.where(f <= 0.04045, f / np.float32(12.92), ((f + np.float32(0.055)) / np.float32(1.055)) ** np.float32(2.4))


def _lab_f(t: np.ndarray) -> np.ndarray:
    return np.where(t > np.float32(0.008856), np.cbrt(t), np.float32(7.787) * t + np.float32(16.0 / 116.0))


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB -> CIE L*a*b* (D65), float32 L 0–100, a/b about -128..127, like cv2 RGB2Lab.

    uint8 input is read as 0–255, float input as 0–1; the result is always the float scale
    (use :func:`lab_to_u8` for cv2's 8-bit packing). Computed on contiguous planes with few
    temporaries (operations on the interleaved channels of an HxWx3 array are several times
    slower), interleaved at the end; the same formulas, in the same order, as before."""
    shape = rgb.shape[:-1]
    lin = np.empty((3,) + shape, np.float32)
    if rgb.dtype == np.uint8:
        _linear_rgb(rgb[:0])  # builds the table
        for c in range(3):
            np.take(_SRGB_LUT, rgb[..., c], out=lin[c])
    else:
        f = _linear_rgb(rgb)
        for c in range(3):
            lin[c] = f[..., c]
    m = _RGB2XYZ / _WHITE[:, None]
    xyz = np.empty_like(lin)
    tmp = np.empty(shape, np.float32)
    for k in range(3):  # (r m0 + g m1) + b m2
        np.multiply(lin[0], m[k, 0], out=xyz[k])
        np.multiply(lin[1], m[k, 1], out=tmp)
        xyz[k] += tmp
        np.multiply(lin[2], m[k, 2], out=tmp)
        xyz[k] += tmp
    del lin
    f = np.cbrt(xyz)
    low = xyz <= np.float32(0.008856)
    if low.any():
        f[low] = np.float32(7.787) * xyz[low] + np.float32(16.0 / 116.0)
    fx, fy, fz = f[0], f[1], f[2]
    y = xyz[1]
    out = np.empty(shape + (3,), np.float32)
    out[..., 0] = np.where(y > np.float32(0.008856), np.float32(116.0) * fy - np.float32(16.0), np.float32(903.3) * y)
    np.subtract(fx, fy, out=tmp)
    tmp *= np.float32(500.0)
    out[..., 1] = tmp
    np.subtract(fy, fz, out=tmp)
    tmp *= np.float32(200.0)
    out[..., 2] = tmp
    return out


_LAB_U8_SCALE = np.array([255.0 / 100.0, 1.0, 1.0], np.float32)
_LAB_U8_OFFSET = np.array([0.0, 128.0, 128.0], np.float32)


def lab_to_u8(lab: np.ndarray) -> np.ndarray:
    """cv2's 8-bit Lab packing: L*255/100, a+128, b+128, rounded and clipped."""
    out = np.multiply(lab, _LAB_U8_SCALE, dtype=np.float32)
    out += _LAB_U8_OFFSET
    np.rint(out, out=out)
    np.clip(out, 0, 255, out=out)
    return out.astype(np.uint8)


def rgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    """uint8 RGB -> uint8 HSV with cv2's ranges: H 0–179 (degrees / 2), S and V 0–255."""
    f = rgb.astype(np.float32)
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    v = f.max(axis=-1)
    mn = f.min(axis=-1)
    d = v - mn
    s = np.where(v > 0, d * 255.0 / np.maximum(v, 1e-6), 0.0)
    dd = np.maximum(d, 1e-6)
    h = np.where(v == r, (g - b) * 60.0 / dd,
                 np.where(v == g, 120.0 + (b - r) * 60.0 / dd, 240.0 + (r - g) * 60.0 / dd))
    h = np.where(d == 0, 0.0, h)
    h = np.where(h < 0, h + 360.0, h)
    out = np.stack([np.rint(h / 2.0) % 180, np.rint(s), v], axis=-1)
    return np.clip(out, 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------- geometry
def rotation_matrix(center: tuple[float, float], angle_deg: float, scale_: float = 1.0) -> np.ndarray:
    """2x3 matrix rotating by ``angle_deg`` (counter-clockwise on screen) about ``center`` and
    scaling, as cv2.getRotationMatrix2D."""
    a = np.deg2rad(angle_deg)
    al, be = scale_ * np.cos(a), scale_ * np.sin(a)
    cx, cy = float(center[0]), float(center[1])
    return np.array([[al, be, (1 - al) * cx - be * cy],
                     [-be, al, be * cx + (1 - al) * cy]], np.float64)


def invert_affine(m: np.ndarray) -> np.ndarray:
    """Inverse of a 2x3 affine matrix (cv2.invertAffineTransform)."""
    full = np.vstack([np.asarray(m, np.float64), [0.0, 0.0, 1.0]])
    return np.linalg.inv(full)[:2]


def warp_affine(img: np.ndarray, m: np.ndarray, size: tuple[int, int], interp: str = "linear") -> np.ndarray:
    """cv2.warpAffine(img, m, size, interp, borderMode=BORDER_REPLICATE): output pixel (x, y)
    samples the source at m^-1 (x, y), pixel centres at integer coordinates; outside the source
    the nearest edge pixel is repeated."""
    w, h = int(size[0]), int(size[1])
    inv = invert_affine(m)
    src_h, src_w = img.shape[:2]
    # the source window the output needs, plus the filter's reach
    corners = np.array([[0, 0, 1], [w - 1, 0, 1], [0, h - 1, 1], [w - 1, h - 1, 1]], np.float64) @ inv.T
    margin = 3
    x0 = int(np.floor(corners[:, 0].min())) - margin
    y0 = int(np.floor(corners[:, 1].min())) - margin
    x1 = int(np.ceil(corners[:, 0].max())) + margin + 1
    y1 = int(np.ceil(corners[:, 1].max())) + margin + 1
    # crop what is inside, pad the rest by repeating the edge (replicate border)
    cx0, cy0 = min(max(x0, 0), src_w - 1), min(max(y0, 0), src_h - 1)
    cx1, cy1 = max(min(x1, src_w), cx0 + 1), max(min(y1, src_h), cy0 + 1)
    roi = img[cy0:cy1, cx0:cx1]
    pad = [(max(0, cy0 - y0), max(0, y1 - cy1)), (max(0, cx0 - x0), max(0, x1 - cx1))]
    if roi.ndim == 3:
        pad.append((0, 0))
    if any(p != (0, 0) for p in pad):
        roi = np.pad(roi, pad, mode="edge")
    ox, oy = min(x0, cx0), min(y0, cy0)
    # Pillow samples the input at (a, b, c; d, e, f) . (x + 0.5, y + 0.5) with pixel centres at
    # +0.5; cv2 at inv . (x, y) with centres at integers: shift c and f to match
    a, b, c = inv[0]
    d, e, f = inv[1]
    c2 = c - ox - (a + b) * 0.5 + 0.5
    f2 = f - oy - (d + e) * 0.5 + 0.5
    data = (a, b, c2, d, e, f2)
    method = {"nearest": Image.Resampling.NEAREST, "linear": Image.Resampling.BILINEAR,
              "cubic": Image.Resampling.BICUBIC}[interp]

    def one(plane: np.ndarray, mode: str) -> np.ndarray:
        im = Image.fromarray(np.ascontiguousarray(plane), mode)
        return np.asarray(im.transform((w, h), Image.Transform.AFFINE, data, resample=method))

    if roi.dtype == np.uint8:
        if roi.ndim == 2:
            return one(roi, "L")
        if roi.shape[2] == 3:
            return one(roi, "RGB")
        return np.stack([one(roi[..., i], "L") for i in range(roi.shape[2])], axis=2)
    f32 = roi.astype(np.float32)
    if f32.ndim == 2:
        return one(f32, "F")
    return np.stack([one(f32[..., i], "F") for i in range(f32.shape[2])], axis=2)


def remap_linear(img: np.ndarray, map_x: np.ndarray, map_y: np.ndarray) -> np.ndarray:
    """Bilinear sampling of a 2-D float image at (map_x, map_y), edges repeated (cv2.remap with
    INTER_LINEAR and BORDER_REPLICATE)."""
    a = np.asarray(img, dtype=np.float32)
    h, w = a.shape[:2]
    x = np.clip(np.asarray(map_x, np.float32), 0, w - 1)
    y = np.clip(np.asarray(map_y, np.float32), 0, h - 1)
    x0 = np.floor(x).astype(np.intp)
    y0 = np.floor(y).astype(np.intp)
    x1 = np.minimum(x0 + 1, w - 1)
    y1 = np.minimum(y0 + 1, h - 1)
    fx = x - x0
    fy = y - y0
    top = a[y0, x0] * (1 - fx) + a[y0, x1] * fx
    bot = a[y1, x0] * (1 - fx) + a[y1, x1] * fx
    return (top * (1 - fy) + bot * fy).astype(np.float32)


# ---------------------------------------------------------------------------- drawing
def _draw(mask: np.ndarray, fn) -> np.ndarray:
    if mask.ndim != 2:
        raise ValueError("draw on a single-channel mask")
    im = Image.new("L", (mask.shape[1], mask.shape[0]), 0)
    fn(ImageDraw.Draw(im))
    hit = np.asarray(im) > 0
    return hit


def fill_polygon(mask: np.ndarray, points, value=1) -> np.ndarray:
    """Fill the polygon ``points`` (N x 2, x/y in px) into ``mask`` in place; returns ``mask``."""
    arr = np.asarray(points, np.float64).reshape(-1, 2)
    if len(arr) < 2:
        return mask
    y0, y1 = 0, mask.shape[0]
    ys = arr[:, 1]
    lo, hi = ys.min(), ys.max()
    if lo >= 0 and hi < y1 and np.array_equal(ys, np.round(ys)):
        # whole-pixel rows inside the mask (the landmark polygons): drawn in their rows only (+2),
        # shifted by whole rows, which rasterises the same pixels (Pillow's scanline arithmetic
        # is exact in y then; a shift in x is not); an eye on a head crop: ~20x fewer pixels
        y0, y1 = int(max(0, lo - 2)), int(min(y1, hi + 3))
    pts = [(float(x), float(y) - y0) for x, y in arr]
    region = mask[y0:y1]
    hit = _draw(region, lambda d: d.polygon(pts, fill=255, outline=255))
    region[hit] = value
    return mask


def fill_ellipse(mask: np.ndarray, center: tuple[float, float], axes: tuple[float, float], value=1) -> np.ndarray:
    """Fill the axis-aligned ellipse (centre, half-axes) into ``mask`` in place; returns it."""
    cx, cy = center
    ax, ay = axes
    hit = _draw(mask, lambda d: d.ellipse([cx - ax, cy - ay, cx + ax, cy + ay], fill=255))
    mask[hit] = value
    return mask


def convex_hull(points) -> np.ndarray:
    """Convex hull (Andrew's monotone chain) of N x 2 points, counter-clockwise, no repeats."""
    pts = np.unique(np.asarray(points, np.float64).reshape(-1, 2), axis=0)
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in pts[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


# ---------------------------------------------------------------------------- arithmetic
def add_saturate(a: np.ndarray, b) -> np.ndarray:
    return np.clip(a.astype(np.int16) + np.asarray(b, np.int16), 0, 255).astype(np.uint8)


def subtract_saturate(a: np.ndarray, b) -> np.ndarray:
    return np.clip(a.astype(np.int16) - np.asarray(b, np.int16), 0, 255).astype(np.uint8)
