"""imageio.load_image: formats, EXIF orientation, conversions, and clean rejections."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from studio_app.errors import StudioError
from studio_app.imageio import load_image


def _encode(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _gradient(w=64, h=48) -> np.ndarray:
    x = np.linspace(0, 255, w, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 255, h, dtype=np.float32)[:, None, None]
    return np.concatenate([np.broadcast_to(x, (h, w, 1)), np.broadcast_to(y, (h, w, 1)),
                           np.full((h, w, 1), 90, np.float32)], axis=2).astype(np.uint8)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP", "TIFF"])
def test_formats_round_trip(fmt):
    rgb = _gradient()
    out = load_image(_encode(Image.fromarray(rgb), fmt, **({"quality": 95} if fmt in ("JPEG", "WEBP") else {})))
    assert out.dtype == np.uint8 and out.shape == rgb.shape
    assert np.abs(out.astype(int) - rgb).mean() < 6


def test_path_and_bytes_agree(tmp_path):
    rgb = _gradient()
    p = tmp_path / "a.png"
    Image.fromarray(rgb).save(p)
    assert np.array_equal(load_image(p), load_image(p.read_bytes()))
    assert np.array_equal(load_image(str(p)), rgb)


def test_exif_orientation_is_applied():
    rgb = _gradient(80, 40)  # landscape
    im = Image.fromarray(rgb)
    exif = im.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = load_image(_encode(im, "JPEG", exif=exif.tobytes(), quality=95))
    assert out.shape[:2] == (80, 40)  # now portrait
    # the left column of the stored image becomes the top row
    assert np.abs(out[0, :, 1].astype(int) - rgb[::-1, 0, 1]).mean() < 8


def test_cmyk_is_converted():
    im = Image.new("CMYK", (32, 32), (0, 255, 255, 0))  # pure red in CMYK
    out = load_image(_encode(im, "JPEG", quality=95))
    r, g, b = out[16, 16]
    assert r > 200 and g < 60 and b < 60


def test_greyscale_16bit_palette_alpha():
    grey = Image.fromarray(np.full((10, 12), 200, np.uint8), mode="L")
    assert load_image(_encode(grey, "PNG"))[0, 0].tolist() == [200, 200, 200]
    deep = Image.fromarray(np.full((10, 12), 65535 // 2, np.uint16))
    v = load_image(_encode(deep, "PNG"))
    assert v.shape == (10, 12, 3) and 120 <= int(v[0, 0, 0]) <= 135
    pal = Image.fromarray(_gradient()).convert("P")
    assert load_image(_encode(pal, "PNG")).shape == (48, 64, 3)
    rgba = Image.new("RGBA", (8, 8), (0, 0, 0, 0))  # fully transparent -> white
    assert load_image(_encode(rgba, "PNG"))[0, 0].tolist() == [255, 255, 255]


def test_not_an_image():
    with pytest.raises(StudioError) as e:
        load_image(b"this is plain text, not a photo")
    assert e.value.key == "image.not_image"


def test_missing_file(tmp_path):
    with pytest.raises(StudioError) as e:
        load_image(tmp_path / "nope.jpg")
    assert e.value.key == "image.not_found"


def test_truncated_jpeg():
    data = _encode(Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200, 3), dtype=np.uint8)),
                   "JPEG", quality=90)
    with pytest.raises(StudioError) as e:
        load_image(data[: len(data) // 2])
    assert e.value.key in ("image.truncated", "image.not_image")


def test_decompression_bomb_is_rejected_without_decoding():
    # a tiny file claiming a huge canvas
    data = _encode(Image.new("L", (5000, 5000), 0), "PNG")
    with pytest.raises(StudioError) as e:
        load_image(data, max_pixels=1_000_000)
    assert e.value.key == "image.too_large"


def test_unsupported_format_is_rejected():
    data = _encode(Image.fromarray(_gradient()), "GIF")
    with pytest.raises(StudioError) as e:
        load_image(data)
    assert e.value.key == "image.unsupported"


@pytest.mark.parametrize("ext", ["png", "tiff"])
def test_48bit_colour_is_reduced_to_8bit(tmp_path, ext):
    import cv2

    deep = (np.random.default_rng(2).random((20, 30, 3)) * 65535).astype(np.uint16)
    path = tmp_path / f"deep.{ext}"
    cv2.imwrite(str(path), deep)  # BGR order on disk
    out = load_image(path)
    assert out.dtype == np.uint8 and out.shape == (20, 30, 3)
    assert np.abs(out.astype(float) - np.round(deep[:, :, ::-1] / 257)).max() <= 1
