"""JPEG encoder for a spec: exact pixels, JFIF density, sRGB, size inside the KB band.

Quality is binary-searched inside the spec's quality bounds for each chroma subsampling
(4:4:4, 4:2:2, 4:2:0, in that order of preference) and with/without Huffman optimisation; the
highest-quality encoding that lands inside the band wins. A file is never padded with filler
bytes: when even the best encoding is too small (or the worst too large) the result says so.

A spec's band is aimed at its middle, and kept inside the part that holds whether a portal counts
1 KB as 1,024 or 1,000 bytes (``kb_min`` x 1024 .. ``kb_max`` x 1000): a file at the very top of
a 14-40 KB band (40,378 bytes) was rejected by a portal that counts 1,000. ``KB`` = 1024 for the
sizes shown.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image

from ..specs.model import Spec
from . import keys  # noqa: F401

KB = 1024
SUBSAMPLING_NAMES = {0: "4:4:4", 1: "4:2:2", 2: "4:2:0"}


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


@dataclass(frozen=True)
class Encoded:
    data: bytes
    quality: int
    subsampling: str
    optimize: bool
    kb: float
    in_band: bool
    problem: str | None = None  # message key when the band cannot be met
    problem_params: dict | None = None


def encode_once(rgb: np.ndarray, quality: int, subsampling: int, dpi: int, optimize: bool = True) -> bytes:
    im = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8), "RGB")
    buf = io.BytesIO()
    try:
        im.save(buf, "JPEG", quality=int(quality), subsampling=int(subsampling), dpi=(dpi, dpi),
                optimize=optimize, icc_profile=srgb_profile(), progressive=False)
    except OSError:
        if not optimize:
            raise
        # Pillow sizes libjpeg's buffer for Huffman optimisation at w*h bytes; pure noise can
        # exceed that. Such a file is large anyway: encode it without the optimisation.
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=int(quality), subsampling=int(subsampling), dpi=(dpi, dpi),
                optimize=False, icc_profile=srgb_profile(), progressive=False)
    return buf.getvalue()


def encode_for_spec(rgb: np.ndarray, spec: Spec) -> Encoded:
    h, w = rgb.shape[:2]
    if (w, h) != spec.size:
        raise ValueError(f"photo is {w}x{h}, spec {spec.id} needs {spec.width_px}x{spec.height_px}")
    f = spec.file
    return encode_band_aim(rgb, spec.dpi, f.quality_min, f.quality_max, f.kb_min, f.kb_max)


def encode_band_aim(rgb: np.ndarray, dpi: int, q_min: int, q_max: int, kb_min: float | None,
                    kb_max: float | None) -> Encoded:
    """The best encoding at or below the middle of the 1000/1024-safe band; failing that anywhere
    in the safe band; failing that in the nominal (1024) band, whose result says what is wrong."""
    nominal = (None if kb_min is None else kb_min * KB, None if kb_max is None else kb_max * KB)
    if kb_min is None and kb_max is None:
        return encode_in_band(rgb, dpi, q_min, q_max, None, None)
    safe_lo = None if kb_min is None else kb_min * KB
    safe_hi = None if kb_max is None else kb_max * 1000
    if safe_lo is not None and safe_hi is not None and safe_lo < safe_hi:
        near = encode_near(rgb, dpi, q_min, q_max, safe_lo, safe_hi, (safe_lo + safe_hi) / 2)
        if near is not None:
            return near
    if safe_lo is None or safe_hi is None or safe_lo < safe_hi:
        enc = encode_in_band(rgb, dpi, q_min, q_max, safe_lo, safe_hi)
        if enc.in_band:
            return enc
    return encode_in_band(rgb, dpi, q_min, q_max, *nominal)


def encode_near(rgb: np.ndarray, dpi: int, q_min: int, q_max: int, lo: float, hi: float,
                target: float) -> Encoded | None:
    """The encoding inside [lo, hi] bytes closest to ``target``: for each subsampling, the
    qualities just below and just above the target (one quality step can move a file by ~10 %,
    so the other subsamplings give points in between). None when none is inside the band."""
    q_min, q_max = max(1, int(q_min)), min(100, int(q_max))
    best: tuple[float, bytes, int, int] | None = None
    for ss in (0, 1, 2):
        cache: dict[int, bytes] = {}

        def enc(q: int) -> bytes:
            if q not in cache:
                cache[q] = encode_once(rgb, q, ss, dpi, True)
            return cache[q]

        lo_q, hi_q, found = q_min, q_max, None  # highest quality at or below the target
        while lo_q <= hi_q:
            mid = (lo_q + hi_q) // 2
            if len(enc(mid)) <= target:
                found, lo_q = mid, mid + 1
            else:
                hi_q = mid - 1
        for q in {q_min if found is None else found, q_max if found is None else min(found + 1, q_max)}:
            n = len(enc(q))
            if lo <= n <= hi and (best is None or abs(n - target) < best[0]):
                best = (abs(n - target), enc(q), q, ss)
        if best is not None and best[0] <= 0.03 * (hi - lo):
            break  # close enough: keep the finer subsampling
    if best is None:
        return None
    _, data, q, ss = best
    return Encoded(data, q, SUBSAMPLING_NAMES[ss], True, len(data) / KB, True)


def encode_in_band(rgb: np.ndarray, dpi: int, q_min: int, q_max: int, b_min: float | None,
                   b_max: float | None) -> Encoded:
    q_min, q_max = max(1, int(q_min)), min(100, int(q_max))
    lo_b = b_min or 0
    hi_b = b_max if b_max is not None else float("inf")
    cache: dict[tuple[int, int, bool], bytes] = {}

    def enc(q: int, ss: int, opt: bool) -> bytes:
        key = (q, ss, opt)
        if key not in cache:
            cache[key] = encode_once(rgb, q, ss, dpi, opt)
        return cache[key]

    def done(data: bytes, q: int, ss: int, opt: bool, ok: bool = True, problem=None, params=None) -> Encoded:
        return Encoded(data, q, SUBSAMPLING_NAMES[ss], opt, len(data) / KB, ok, problem, params)

    # No band: best allowed quality, 4:4:4.
    if b_min is None and b_max is None:
        return done(enc(q_max, 0, True), q_max, 0, True)

    best_small = None  # largest file that is still too small (for the message)
    for ss in (0, 1, 2):
        for opt in (True, False):
            top = enc(q_max, ss, opt)
            if len(top) <= hi_b:
                if len(top) >= lo_b:
                    return done(top, q_max, ss, opt)
                if best_small is None or len(top) > len(best_small[0]):
                    best_small = (top, q_max, ss, opt)
                continue
            # size grows with quality: find the highest q in [q_min, q_max) with size <= hi_b
            lo, hi = q_min, q_max - 1
            found = None
            while lo <= hi:
                mid = (lo + hi) // 2
                if len(enc(mid, ss, opt)) <= hi_b:
                    found = mid
                    lo = mid + 1
                else:
                    hi = mid - 1
            if found is not None:
                data = enc(found, ss, opt)
                if len(data) >= lo_b:
                    return done(data, found, ss, opt)
                if best_small is None or len(data) > len(best_small[0]):
                    best_small = (data, found, ss, opt)
    # Nothing landed inside the band.
    smallest = enc(q_min, 2, True)
    if len(smallest) > hi_b:
        return done(smallest, q_min, 2, True, False, "file.too_large",
                    {"quality": q_min, "kb": len(smallest) / KB, "kb_max": hi_b / KB})
    largest = max((enc(q_max, ss, opt) for ss in (0,) for opt in (False, True)), key=len)
    if len(largest) < lo_b:
        return done(largest, q_max, 0, len(largest) == len(enc(q_max, 0, True)), False, "file.too_small",
                    {"quality": q_max, "kb": len(largest) / KB, "kb_min": lo_b / KB})
    data, q, ss, opt = best_small if best_small is not None else (smallest, q_min, 2, True)
    return done(data, q, ss, opt, False, "file.band_gap", {"kb_min": lo_b / KB, "kb_max": hi_b / KB})


@dataclass(frozen=True)
class FileFacts:
    width: int
    height: int
    dpi: tuple[float, float] | None
    format: str
    mode: str
    kb: float
    icc: bool
    subsampling: str | None


def inspect_jpeg(data: bytes) -> tuple[FileFacts, np.ndarray]:
    """Decode ``data``; facts about the file and the RGB pixels."""
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        dpi = im.info.get("dpi")
        try:
            from PIL import JpegImagePlugin

            ss = SUBSAMPLING_NAMES.get(JpegImagePlugin.get_sampling(im))
        except Exception:
            ss = None
        facts = FileFacts(im.width, im.height, tuple(float(d) for d in dpi) if dpi else None, im.format, im.mode,
                          len(data) / KB, bool(im.info.get("icc_profile")), ss)
        rgb = np.asarray(im.convert("RGB"))
    return facts, rgb
