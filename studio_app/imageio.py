"""Load a photo from a path or bytes into an RGB ``uint8`` array, safely.

Honours EXIF orientation; converts CMYK (through its ICC profile when present), greyscale,
16-bit, palette and alpha images; rejects files that are not images, are truncated, or are over
the pixel limit (decompression bombs) with a :class:`~studio_app.errors.StudioError`, never a
traceback. JPEG, PNG, WebP, BMP and TIFF are the supported formats.
"""

from __future__ import annotations

import io
import os
import struct
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from . import messages
from .errors import StudioError

messages.register({
    "image.not_found": ("找不到图片文件：{path}", "Image file not found: {path}"),
    "image.unreadable": ("无法读取文件：{path}（{reason}）", "Cannot read file: {path} ({reason})"),
    "image.not_image": ("不是可识别的图片：{path}", "Not a recognised image: {path}"),
    "image.unsupported": ("不支持的图片格式 {format}：{path}（支持 JPEG、PNG、WebP、BMP、TIFF）",
                          "Unsupported image format {format}: {path} (JPEG, PNG, WebP, BMP, TIFF are supported)"),
    "image.truncated": ("图片文件不完整或已损坏：{path}", "Image file is truncated or corrupt: {path}"),
    "image.too_large": ("图片像素过多（{pixels} 像素，上限 {limit}）：{path}",
                        "Image has too many pixels ({pixels}, limit {limit}): {path}"),
    "image.empty": ("图片尺寸为零：{path}", "Image has zero size: {path}"),
})

#: Largest accepted image, in pixels (a 100-megapixel camera frame fits; bombs do not).
MAX_PIXELS = int(os.environ.get("STUDIO_APP_MAX_PIXELS", 120_000_000))
SUPPORTED_FORMATS = {"JPEG", "PNG", "WEBP", "BMP", "TIFF", "MPO"}


def _label(source) -> str:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>"
    return str(source)


def _cmyk_to_rgb(im: Image.Image) -> Image.Image:
    icc = im.info.get("icc_profile")
    if icc:
        try:
            from PIL import ImageCms

            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            dst = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(im, src, dst, outputMode="RGB")
        except Exception:  # a broken profile: fall back to the naive conversion
            pass
    return im.convert("RGB")


def _to_rgb_array(im: Image.Image) -> np.ndarray:
    mode = im.mode
    if mode == "RGB":
        return np.asarray(im, dtype=np.uint8)
    if mode == "CMYK":
        return np.asarray(_cmyk_to_rgb(im), dtype=np.uint8)
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(im).astype(np.float64)
        if mode == "F":
            lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
            scale = 255.0 / (hi - lo) if hi > lo else 1.0
            arr = (arr - lo) * scale
        else:
            top = 65535.0 if (arr.max() > 255 or mode.startswith("I;16")) else 255.0
            arr = arr * (255.0 / top)
        grey = np.clip(np.round(arr), 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"), dtype=np.uint8)
    return np.asarray(im.convert("RGB"), dtype=np.uint8)


def load_image(source: str | os.PathLike | bytes | bytearray | memoryview, *,
               max_pixels: int | None = None) -> np.ndarray:
    """An RGB ``uint8`` array (H, W, 3), upright per EXIF, from a file path or encoded bytes."""
    label = _label(source)
    limit = int(max_pixels or MAX_PIXELS)
    if isinstance(source, (bytes, bytearray, memoryview)):
        fh = io.BytesIO(bytes(source))
    else:
        path = Path(source)
        if not path.is_file():
            raise StudioError("image.not_found", path=label)
        try:
            fh = io.BytesIO(path.read_bytes())
        except OSError as exc:
            raise StudioError("image.unreadable", path=label, reason=exc.strerror or str(exc)) from None
    old_limit = Image.MAX_IMAGE_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # e.g. "Corrupt EXIF data": not for the user
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = limit
            try:
                im = Image.open(fh)
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                raise StudioError("image.too_large", path=label, pixels="?", limit=limit) from None
            except UnidentifiedImageError:
                raise StudioError("image.not_image", path=label) from None
            except (OSError, ValueError, SyntaxError, EOFError):
                raise StudioError("image.not_image", path=label) from None
            with im:
                fmt = (im.format or "").upper()
                if fmt not in SUPPORTED_FORMATS:
                    raise StudioError("image.unsupported", path=label, format=fmt or "?")
                w, h = im.size
                if w <= 0 or h <= 0:
                    raise StudioError("image.empty", path=label)
                if w * h > limit:
                    raise StudioError("image.too_large", path=label, pixels=w * h, limit=limit)
                try:
                    im.load()
                    im = ImageOps.exif_transpose(im) or im
                    arr = _to_rgb_array(im)
                except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                    raise StudioError("image.too_large", path=label, pixels=w * h, limit=limit) from None
                except (OSError, ValueError, SyntaxError, EOFError, struct.error):
                    raise StudioError("image.truncated", path=label) from None
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit
    if arr.ndim != 3 or arr.shape[2] != 3 or arr.size == 0:
        raise StudioError("image.not_image", path=label)
    return np.ascontiguousarray(arr)


def encode_png(rgb: np.ndarray) -> bytes:
    """PNG bytes of an RGB array (tests and debugging)."""
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    return buf.getvalue()
