"""The faster forms of hot face-measure steps (#14, #16) give exactly the values of the plain NumPy /
Pillow forms they replaced: a speed change must not move a check. (The whole-analysis comparison
on the shared portraits and the live bench frames is benchmarks/same_results.py.)"""

from __future__ import annotations

import warnings

import numpy as np
from PIL import Image, ImageDraw

from studio_app import imageops as iops
from studio_app.vision import measures
from studio_app.vision.appearance import _column_medians
from studio_app.vision.occlusion import _median_patch, _median_patches
from studio_app.vision.sampling import _disc_mean, _lab8_mean, _lab_mean, _nanmean, _nanmedian

RNG = np.random.default_rng(16)


def _polygon_whole_image(mask, points, value):
    im = Image.new("L", (mask.shape[1], mask.shape[0]), 0)
    ImageDraw.Draw(im).polygon([(float(x), float(y)) for x, y in points], fill=255, outline=255)
    mask[np.asarray(im) > 0] = value
    return mask


def test_polygons_drawn_in_their_rows_match_the_whole_image_drawing():
    for t in range(3000):
        h, w = (int(v) for v in RNG.integers(2, 90, 2))
        n = int(RNG.integers(2, 16))
        if t % 2:  # star-shaped, like a lid contour
            ang = np.sort(RNG.uniform(0, 2 * np.pi, n))
            c, r = RNG.uniform(0, 1, 2) * (w, h), RNG.uniform(1, 40)
            pts = c + r * np.c_[np.cos(ang), np.sin(ang)]
        else:  # anything, self-crossing and outside the mask
            pts = RNG.uniform(-20, 110, (n, 2))
        pts = np.c_[pts[:, 0] if t % 3 == 0 else np.round(pts[:, 0]), np.round(pts[:, 1])]
        base = (RNG.random((h, w)) < 0.3).astype(np.uint8)
        value = t % 2
        assert np.array_equal(iops.fill_polygon(base.copy(), pts, value),
                              _polygon_whole_image(base.copy(), pts, value)), pts.tolist()


def test_column_medians_are_nanmedians():
    for t in range(2000):
        h, w = (int(v) for v in RNG.integers(1, 30, 2))
        values = (RNG.random((h, w)) * 255).astype(np.float32)
        if t % 2:
            values = np.round(values)  # ties
        keep = RNG.random((h, w)) < RNG.random()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = np.nanmedian(np.where(keep, values, np.nan), axis=0)
        got = _column_medians(values, keep)
        assert got.dtype == want.dtype and np.array_equal(got, want, equal_nan=True)


def test_laplacian_and_sobels_from_one_padding():
    for _ in range(500):
        h, w = (int(v) for v in RNG.integers(2, 50, 2))
        f = (RNG.random((h, w)) * 255).astype(np.float32)
        lap, gx, gy = measures._laplacian_sobels(f)
        assert np.array_equal(lap, iops.laplacian(f))
        assert np.array_equal(gx, iops.sobel(f, 1, 0) / 4.0)
        assert np.array_equal(gy, iops.sobel(f, 0, 1) / 4.0)


def test_sharpness_on_the_masks_box_is_sharpness_on_the_whole_crop():
    for _ in range(300):
        h, w = (int(v) for v in RNG.integers(6, 60, 2))
        grey = RNG.integers(0, 256, (h, w)).astype(np.uint8)
        mask = np.zeros((h, w), bool)
        y0, x0 = int(RNG.integers(0, h - 2)), int(RNG.integers(0, w - 2))
        mask[y0:y0 + int(RNG.integers(1, h)), x0:x0 + int(RNG.integers(1, w))] = True
        mask &= RNG.random((h, w)) < 0.8
        win, cut = measures._mask_window(mask)
        assert measures.sharpness(grey[win], cut) == measures.sharpness(grey, mask)
        a, b = measures.directional_sharpness(grey[win], cut), measures.directional_sharpness(grey, mask)
        assert a == b or (np.isnan(a) and np.isnan(b))


def test_patch_lab_means_are_the_whole_image_conversion_sampled():
    rgb = RNG.integers(0, 256, (40, 50, 3)).astype(np.uint8)
    lab = iops.rgb_to_lab(rgb)
    lab8 = iops.lab_to_u8(lab).astype(np.float32)
    for _ in range(200):
        c, r = RNG.uniform(-5, 55, 2), float(RNG.uniform(0.5, 8))
        np.testing.assert_array_equal(_disc_mean(rgb, c, r, reduce=_lab_mean), _disc_mean(lab, c, r))
        np.testing.assert_array_equal(_disc_mean(rgb, c, r, reduce=_lab8_mean), _disc_mean(lab8, c, r))


def test_median_patches_and_nan_helpers_match_numpy():
    img = (RNG.random((30, 30, 3)) * 100).astype(np.float32)
    centres = RNG.uniform(-3, 33, (40, 2))
    many = _median_patches(img, centres, 2.0)
    for c, got in zip(centres, many):
        np.testing.assert_array_equal(got, _median_patch(img, np.rint(c).astype(np.intp), 2))
    for values in ([1.0, 2.0, 7.0], [3.0, np.nan, 1.0, 2.0], [np.nan, np.nan], [[1.0, 5.0], [2.0, 9.0]]):
        arr = np.asarray(values)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            np.testing.assert_array_equal(_nanmean(arr, axis=0), np.nanmean(arr, axis=0))
            np.testing.assert_array_equal(_nanmedian(arr), np.nanmedian(arr))
