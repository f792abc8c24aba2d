"""A corpus of broken, odd and hostile image files, generated at test time (never committed).

``build_corpus(folder)`` writes every case into ``folder`` and returns a list of :class:`Case`:
the file, what a correct loader must do (``expect``: "ok" with a known shape/colour, or "error"
with the acceptable StudioError keys), and a short description. The cases cover what reaches a
station in real life: empty and truncated uploads, files with the wrong extension, text saved as
``.jpg``, huge dimensions in a tiny file (declared in the header, and as a real decompression
bomb), CMYK, 16-bit, palette, alpha, 1-bit, float TIFF, animated GIF/PNG, all eight EXIF
orientations, corrupt EXIF, and degenerate sizes (1x1, 1xN).

Only Pillow, numpy and zlib are used: the corpus builds in well under a second.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

#: errors a loader may raise for a file that is not a usable image
NOT_IMAGE = ("image.not_image", "image.truncated", "image.unsupported", "image.empty")
TOO_LARGE = ("image.too_large",)


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    expect: str  # "ok" | "error"
    keys: tuple[str, ...] = ()  # acceptable StudioError keys when expect == "error"
    shape: tuple[int, int] | None = None  # (h, w) the loaded image must have when expect == "ok"
    pixel: tuple[int, int, tuple[int, int, int]] | None = None  # (y, x, rgb) to check within tolerance
    note: str = ""
    extra: dict = field(default_factory=dict)


def encode(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def quadrants(w: int = 64, h: int = 48) -> np.ndarray:
    """Four flat colours (red, green / blue, white): any rotation or mirror is visible."""
    a = np.zeros((h, w, 3), np.uint8)
    a[: h // 2, : w // 2] = (220, 30, 30)
    a[: h // 2, w // 2:] = (30, 200, 30)
    a[h // 2:, : w // 2] = (30, 30, 220)
    a[h // 2:, w // 2:] = (250, 250, 250)
    return a


# what each EXIF orientation value asks the viewer to do to the stored pixels
ORIENT_OPS = {
    1: lambda a: a,
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1, :],
    5: lambda a: np.transpose(a, (1, 0, 2)),
    6: lambda a: np.rot90(a, -1),
    7: lambda a: np.transpose(a[::-1, ::-1], (1, 0, 2)),  # transverse (anti-diagonal)
    8: lambda a: np.rot90(a, 1),
}


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR declares ``width`` x ``height`` followed by a tiny (wrong) IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + png_chunk(b"IEND", b""))


def png_bomb(side: int) -> bytes:
    """A real, complete, valid greyscale PNG of side x side black pixels: tiny file, huge canvas."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + pixels
    parts = []
    for _ in range(side):
        parts.append(comp.compress(row))
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", b"".join(parts))
            + png_chunk(b"IEND", b""))


def jpeg_with_size(data: bytes, width: int, height: int) -> bytes:
    """Patch the SOF marker of a baseline JPEG to declare another size."""
    i = data.index(b"\xff\xc0")
    return data[: i + 5] + struct.pack(">HH", height, width) + data[i + 9:]


def build_corpus(folder: Path, bomb_side: int = 12_000) -> list[Case]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    q = quadrants()
    h, w = q.shape[:2]
    rng = np.random.default_rng(7)
    noisy = rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)

    def add(name: str, data: bytes, expect: str, keys=(), shape=None, pixel=None, note=""):
        p = folder / name
        p.write_bytes(data)
        cases.append(Case(name, p, expect, tuple(keys), shape, pixel, note))

    jpeg = encode(Image.fromarray(noisy), "JPEG", quality=90)
    png = encode(Image.fromarray(noisy), "PNG")

    # --- not images at all ------------------------------------------------------------------
    add("empty.jpg", b"", "error", NOT_IMAGE, note="zero bytes")
    add("text.jpg", "这不是照片 — just text\n".encode() * 20, "error", NOT_IMAGE, note="text named .jpg")
    add("html.png", b"<!doctype html><html><body>404</body></html>", "error", NOT_IMAGE, note="HTML error page")
    add("pdf.jpg", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "error", NOT_IMAGE, note="PDF named .jpg")
    add("zip.png", b"PK\x03\x04" + b"\x00" * 60, "error", NOT_IMAGE, note="zip header")
    add("nul.jpg", b"\x00" * 4096, "error", NOT_IMAGE, note="NUL bytes")
    add("magic_only.jpg", b"\xff\xd8\xff", "error", NOT_IMAGE, note="JPEG magic only")
    add("png_magic_only.png", b"\x89PNG\r\n\x1a\n", "error", NOT_IMAGE, note="PNG signature only")

    # --- truncated / corrupt ----------------------------------------------------------------
    add("trunc_half.jpg", jpeg[: len(jpeg) // 2], "error", NOT_IMAGE, note="JPEG cut in half")
    add("trunc_header.jpg", jpeg[:200], "error", NOT_IMAGE, note="JPEG cut in the header")
    add("trunc_no_eoi.jpg", jpeg[:-2] if jpeg.endswith(b"\xff\xd9") else jpeg[:-1], "either", NOT_IMAGE,
        (120, 160), note="JPEG missing only its EOI marker (libjpeg recovers)")
    add("trunc_half.png", png[: len(png) // 2], "error", NOT_IMAGE, note="PNG cut in half")
    add("trunc_ihdr.png", png[:20], "error", NOT_IMAGE, note="PNG cut inside IHDR")
    bad_crc = bytearray(png)
    bad_crc[29] ^= 0xFF  # IHDR CRC
    add("bad_crc.png", bytes(bad_crc), "error", NOT_IMAGE, note="PNG with a broken IHDR CRC")
    scrambled = bytearray(jpeg)
    for k in range(len(jpeg) // 3, len(jpeg) // 3 + 400):
        scrambled[k] = (scrambled[k] * 7 + 13) & 0xFF
    add("scrambled.jpg", bytes(scrambled), "either", NOT_IMAGE, note="JPEG entropy data scrambled")
    add("zero_width.png", png_header_only(0, 10), "error", NOT_IMAGE, note="IHDR width 0")

    # --- size attacks -----------------------------------------------------------------------
    add("huge_header.png", png_header_only(100_000, 100_000), "error", TOO_LARGE + NOT_IMAGE,
        note="IHDR claims 100000x100000 (10 Gpx)")
    add("huge_header.jpg", jpeg_with_size(jpeg, 65_000, 65_000), "error", TOO_LARGE + NOT_IMAGE,
        note="SOF claims 65000x65000")
    add("bomb.png", png_bomb(bomb_side), "error", TOO_LARGE,
        note=f"valid {bomb_side}x{bomb_side} black PNG (~{bomb_side * bomb_side // 1_000_000} Mpx) in a small file")

    # --- wrong extension (must still load) --------------------------------------------------
    add("png_named.jpg", encode(Image.fromarray(q), "PNG"), "ok", (), (h, w), (2, 2, (220, 30, 30)),
        note="PNG bytes named .jpg")
    add("jpeg_named.png", encode(Image.fromarray(q), "JPEG", quality=95), "ok", (), (h, w), (2, 2, (220, 30, 30)),
        note="JPEG bytes named .png")
    add("no_extension", encode(Image.fromarray(q), "PNG"), "ok", (), (h, w), note="no extension")

    # --- colour modes -----------------------------------------------------------------------
    cmyk = Image.new("CMYK", (w, h), (0, 255, 255, 0))
    add("cmyk.jpg", encode(cmyk, "JPEG", quality=95), "ok", (), (h, w), (5, 5, (255, 0, 0)), note="CMYK JPEG")
    add("cmyk.tif", encode(cmyk, "TIFF"), "ok", (), (h, w), (5, 5, (255, 0, 0)), note="CMYK TIFF")
    grey16 = Image.fromarray(np.full((h, w), 65535 // 4, np.uint16))
    add("grey16.png", encode(grey16, "PNG"), "ok", (), (h, w), (3, 3, (64, 64, 64)), note="16-bit grey PNG")
    add("grey16.tif", encode(grey16, "TIFF"), "ok", (), (h, w), (3, 3, (64, 64, 64)), note="16-bit grey TIFF")
    add("rgb48.png", _png_rgb48(q), "ok", (), (h, w), (2, 2, (220, 30, 30)), note="16 bits per channel RGB PNG")
    floatim = Image.fromarray(np.linspace(0, 1, w * h, dtype=np.float32).reshape(h, w), mode="F")
    add("float.tif", encode(floatim, "TIFF"), "ok", (), (h, w), note="32-bit float TIFF")
    add("palette.png", encode(Image.fromarray(q).convert("P"), "PNG"), "ok", (), (h, w), (2, 2, (220, 30, 30)),
        note="palette PNG")
    pal_t = Image.fromarray(q).convert("P")
    pal_t.info["transparency"] = 0
    add("palette_transparent.png", encode(pal_t, "PNG", transparency=0), "ok", (), (h, w),
        note="palette PNG with a transparent index")
    rgba = np.dstack([q, np.full((h, w), 255, np.uint8)])
    rgba[: h // 2, : w // 2, 3] = 0
    add("rgba.png", encode(Image.fromarray(rgba, "RGBA"), "PNG"), "ok", (), (h, w), (2, 2, (255, 255, 255)),
        note="RGBA, transparent corner becomes white")
    add("la.png", encode(Image.fromarray(q).convert("LA"), "PNG"), "ok", (), (h, w), note="grey + alpha")
    add("bilevel.png", encode(Image.fromarray(q).convert("1"), "PNG"), "ok", (), (h, w), note="1-bit")
    add("grey.jpg", encode(Image.fromarray(q).convert("L"), "JPEG"), "ok", (), (h, w), note="greyscale JPEG")
    add("ycbcr.webp", encode(Image.fromarray(q), "WEBP", quality=95), "ok", (), (h, w), (2, 2, (220, 30, 30)),
        note="WebP")
    add("bmp.bmp", encode(Image.fromarray(q), "BMP"), "ok", (), (h, w), (2, 2, (220, 30, 30)), note="BMP")
    add("progressive.jpg", encode(Image.fromarray(q), "JPEG", quality=95, progressive=True), "ok", (), (h, w),
        (2, 2, (220, 30, 30)), note="progressive JPEG")

    # --- animation / multi-frame ------------------------------------------------------------
    frames = [Image.fromarray(np.full((h, w, 3), c, np.uint8)) for c in (10, 128, 250)]
    add("animated.gif", encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0),
        "either", ("image.unsupported",), (h, w), note="animated GIF")
    add("animated.png", encode(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=50), "ok",
        (), (h, w), (1, 1, (10, 10, 10)), note="animated PNG (first frame)")
    add("multipage.tif", encode(frames[0], "TIFF", save_all=True, append_images=frames[1:]), "ok", (), (h, w),
        (1, 1, (10, 10, 10)), note="multi-page TIFF (first page)")

    # --- EXIF --------------------------------------------------------------------------------
    for value, op in ORIENT_OPS.items():
        im = Image.fromarray(q)
        exif = im.getexif()
        exif[0x0112] = value
        upright = op(q)
        add(f"exif_orient_{value}.jpg", encode(im, "JPEG", quality=95, exif=exif.tobytes()), "ok", (),
            upright.shape[:2], note=f"EXIF orientation {value}")
        cases[-1].extra["upright"] = np.ascontiguousarray(upright)
    for value in (0, 9, 65535):
        im = Image.fromarray(q)
        exif = im.getexif()
        exif[0x0112] = value
        add(f"exif_orient_bad_{value}.jpg", encode(im, "JPEG", quality=95, exif=exif.tobytes()), "ok", (), (h, w),
            note=f"invalid EXIF orientation {value}")
    garbage_exif = b"Exif\x00\x00" + b"II*\x00\x08\x00\x00\x00" + b"\xff\xff" + b"\x00" * 10
    add("exif_garbage.jpg", encode(Image.fromarray(q), "JPEG", quality=95, exif=garbage_exif), "ok", (), (h, w), note="EXIF block with a nonsense IFD")

    # --- degenerate sizes -------------------------------------------------------------------
    add("one_pixel.png", encode(Image.new("RGB", (1, 1), (200, 10, 10)), "PNG"), "ok", (), (1, 1), note="1x1")
    add("one_row.png", encode(Image.new("RGB", (4000, 1), (200, 200, 200)), "PNG"), "ok", (), (1, 4000),
        note="4000x1")
    add("one_col.jpg", encode(Image.new("RGB", (1, 3000), (20, 20, 20)), "JPEG"), "ok", (), (3000, 1),
        note="1x3000")
    add("unsupported.ico", encode(Image.fromarray(q), "ICO"), "error", ("image.unsupported",) + NOT_IMAGE,
        note="Windows icon")
    return cases


def _png_rgb48(rgb: np.ndarray) -> bytes:
    """A 16-bit-per-channel RGB PNG (Pillow cannot write one itself)."""
    h, w = rgb.shape[:2]
    deep = (rgb.astype(np.uint16) * 257).astype(">u2")
    raw = b"".join(b"\x00" + deep[y].tobytes() for y in range(h))
    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw))
            + png_chunk(b"IEND", b""))
