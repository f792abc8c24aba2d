"""studio_app.imageops against OpenCV (the reference the measures were tuned with).

The app no longer imports OpenCV; a source checkout still has it (MediaPipe depends on it), so
these tests hold each replacement to cv2's results on a real photo."""
from __future__ import annotations

import numpy as np
import pytest

from studio_app import imageops as io

cv2 = pytest.importorskip("cv2")


@pytest.fixture(scope="module")
def grey(astronaut):
    return cv2.cvtColor(astronaut, cv2.COLOR_RGB2GRAY)


def test_grey_matches(astronaut, grey):
    assert np.abs(io.rgb_to_grey(astronaut).astype(int) - grey).max() <= 1


@pytest.mark.parametrize("sigma", [0.6, 1.5, 3.0, 7.0])
def test_gaussian_blur_matches(grey, sigma):
    f = grey.astype(np.float32)
    assert np.abs(io.gaussian_blur(f, sigma) - cv2.GaussianBlur(f, (0, 0), sigma)).max() < 1e-3


def test_gaussian_blur_colour(astronaut):
    f = astronaut.astype(np.float32)
    assert np.abs(io.gaussian_blur(f, 2.0) - cv2.GaussianBlur(f, (0, 0), 2.0)).max() < 1e-3


def test_derivatives_match(grey):
    f = grey.astype(np.float32)
    assert np.array_equal(io.sobel(f, 1, 0), cv2.Sobel(f, cv2.CV_32F, 1, 0, ksize=3))
    assert np.array_equal(io.sobel(f, 0, 1), cv2.Sobel(f, cv2.CV_32F, 0, 1, ksize=3))
    assert np.array_equal(io.laplacian(f), cv2.Laplacian(f, cv2.CV_32F, ksize=1))
    assert np.array_equal(io.laplacian(grey), cv2.Laplacian(grey, cv2.CV_32F))
    with pytest.raises(ValueError):
        io.sobel(f, 1, 1)


@pytest.mark.parametrize("size", [(41, 1), (5, 7), (1, 9)])
def test_box_blur_matches(grey, size):
    f = grey.astype(np.float32)
    assert np.abs(io.box_blur(f, size) - cv2.blur(f, size)).max() < 1e-3


@pytest.mark.parametrize("k", [3, 7, 21, 31, 41])
def test_ellipse_kernel_and_morphology_match(grey, k):
    kern = io.ellipse_kernel((k, k))
    assert np.array_equal(kern, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    for m in (grey > 120, grey < 40):
        assert np.array_equal(io.erode(m, kern), cv2.erode(m.astype(np.uint8), kern).astype(bool))
        assert np.array_equal(io.dilate(m, kern), cv2.dilate(m.astype(np.uint8), kern).astype(bool))
    sq = io.rect_kernel((k, k))
    m = grey > 120
    assert np.array_equal(io.erode(m, sq), cv2.erode(m.astype(np.uint8), sq).astype(bool))


def test_morphology_at_borders():
    m = np.ones((9, 9), bool)
    assert io.erode(m, io.ellipse_kernel((7, 7))).all()  # outside counts as set: no border erosion
    assert not io.dilate(np.zeros((9, 9), bool), io.rect_kernel((5, 5))).any()


def test_colour_conversions_match(astronaut):
    f = astronaut.astype(np.float32) / 255.0
    lab = io.rgb_to_lab(f)
    ref = cv2.cvtColor(f, cv2.COLOR_RGB2Lab)
    # cv2 interpolates the sRGB curve from a table; ours computes it: a fraction of a unit apart
    assert np.abs(lab - ref).max() < 0.5
    assert np.allclose(io.rgb_to_lab(astronaut), lab, atol=1e-4)  # uint8 in == float 0-1 in
    packed = io.lab_to_u8(io.rgb_to_lab(astronaut)).astype(int)
    assert np.abs(packed - cv2.cvtColor(astronaut, cv2.COLOR_RGB2LAB)).max() <= 2
    hsv = io.rgb_to_hsv(astronaut).astype(int)
    ref_hsv = cv2.cvtColor(astronaut, cv2.COLOR_RGB2HSV).astype(int)
    dh = np.abs(hsv[..., 0] - ref_hsv[..., 0])
    assert np.minimum(dh, 180 - dh).max() <= 1 and np.abs(hsv[..., 1:] - ref_hsv[..., 1:]).max() <= 1


@pytest.mark.parametrize("interp,flag,size,mean_tol", [
    ("area", cv2.INTER_AREA, (128, 128), 0.5),
    ("area", cv2.INTER_AREA, (301, 207), 2.0),  # both average areas; the weights at fractional edges differ
    ("linear", cv2.INTER_LINEAR, (700, 650), 0.5),
    ("cubic", cv2.INTER_CUBIC, (1100, 1024), 1.0),  # Pillow's cubic is a=-0.5, cv2's a=-0.75
])
def test_resize_close(astronaut, interp, flag, size, mean_tol):
    ours = io.resize(astronaut, size, interp)
    assert ours.shape == (size[1], size[0], 3) and ours.dtype == np.uint8
    assert np.abs(ours.astype(int) - cv2.resize(astronaut, size, interpolation=flag)).mean() < mean_tol


def test_resize_float_bool_and_channels(grey):
    f = (grey / 255.0).astype(np.float32)
    assert np.abs(io.resize(f, (1024, 1024), "linear") - cv2.resize(f, (1024, 1024))).max() < 1e-4
    m = io.resize(grey > 100, (50, 40))
    assert m.dtype == bool and m.shape == (40, 50)
    rgba = np.dstack([np.full((20, 30, 3), 200, np.uint8), np.zeros((20, 30), np.uint8)])
    out = io.resize(rgba, (15, 10), "area")  # no premultiplied alpha: colour survives alpha 0
    assert out.shape == (10, 15, 4) and (out[..., :3] == 200).all()
    with pytest.raises(ValueError):
        io.resize(grey, (0, 5))


def test_geometry_matches(astronaut, grey):
    m = cv2.getRotationMatrix2D((256.3, 240.1), 7.5, 1.3)
    assert np.abs(io.rotation_matrix((256.3, 240.1), 7.5, 1.3) - m).max() < 1e-5
    assert np.abs(io.invert_affine(m) - cv2.invertAffineTransform(m)).max() < 1e-9
    for interp, flag, tol in (("linear", cv2.INTER_LINEAR, 0.6), ("cubic", cv2.INTER_CUBIC, 1.0)):
        ours = io.warp_affine(astronaut, m, (400, 500), interp).astype(int)
        ref = cv2.warpAffine(astronaut, m, (400, 500), flags=flag, borderMode=cv2.BORDER_REPLICATE)
        assert np.abs(ours - ref).mean() < tol
    # far outside the source: the edge is repeated, as BORDER_REPLICATE
    m2 = np.array([[0.5, 0.02, -300], [0.0, 0.5, 100]])
    ours = io.warp_affine(astronaut, m2, (400, 500)).astype(int)
    ref = cv2.warpAffine(astronaut, m2, (400, 500), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    assert np.abs(ours - ref).mean() < 0.6
    f = (grey / 255.0).astype(np.float32)
    assert np.abs(io.warp_affine(f, m, (400, 500)) - cv2.warpAffine(
        f, m, (400, 500), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)).mean() < 2e-3
    mx, my = np.meshgrid(np.linspace(-5, 520, 300).astype(np.float32), np.linspace(3, 515, 200).astype(np.float32))
    assert np.abs(io.remap_linear(f, mx, my) - cv2.remap(
        f, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)).max() < 1e-4


def test_drawing_and_hull_match():
    pts = np.array([[10, 10], [200, 30], [150, 220], [30, 180]])
    ours = io.fill_polygon(np.zeros((256, 256), np.uint8), pts)
    ref = cv2.fillPoly(np.zeros((256, 256), np.uint8), [pts.astype(np.int32)], 1)
    assert (ours != ref).sum() < 0.01 * ref.sum()  # edge pixels only
    ours = io.fill_ellipse(np.zeros((256, 256), np.uint8), (128, 120), (60, 90))
    ref = cv2.ellipse(np.zeros((256, 256), np.uint8), (128, 120), (60, 90), 0, 0, 360, 1, -1)
    assert (ours != ref).sum() < 0.01 * ref.sum()
    rng = np.random.default_rng(0)
    for _ in range(20):
        p = rng.integers(0, 500, (60, 2))
        hull = {tuple(v) for v in io.convex_hull(p).astype(int).tolist()}
        assert hull == {tuple(v) for v in cv2.convexHull(p.astype(np.int32)).reshape(-1, 2).tolist()}


def test_saturating_arithmetic():
    a = np.array([[250, 5]], np.uint8)
    assert io.add_saturate(a, np.array([[10, 10]], np.uint8)).tolist() == [[255, 15]]
    assert io.subtract_saturate(a, np.array([[10, 10]], np.uint8)).tolist() == [[240, 0]]
