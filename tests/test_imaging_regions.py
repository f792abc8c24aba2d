"""studio_app.imaging.regions (numpy only) against the cv2 calls it replaces in matte.py.

cv2 is the reference here only: the app code must not import it."""

from __future__ import annotations

import ast as pyast
from pathlib import Path

import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")

from studio_app.imaging import regions  # noqa: E402
from studio_app.imaging.regions import connected_components, distance_transform, guided_filter  # noqa: E402

from conftest import PORTRAITS, load_portrait  # noqa: E402

PORTRAIT_NAMES = sorted(p.name for p in PORTRAITS.glob("*.jpg"))[:6] if PORTRAITS.is_dir() else []
# cv2 adds the chamfer steps in float32, we in float64: along a path of n <= d/0.955 steps each of
# its additions rounds by at most half an ulp of a value <= d, so |cv2 - exact| <= n * d * 2**-24.
# Checked as a ratio to that bound (with 1e-5 of slack for the final float32 rounding).
DIST_TOL = 1.0


def _grey(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def _masks_from(rgb: np.ndarray) -> dict[str, np.ndarray]:
    g = _grey(rgb)
    out = {f"grey>{t}": (g > t).astype(np.uint8) for t in (30, int(np.median(g)), 200)}
    out["otsu"] = cv2.threshold(g, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    out["adaptive"] = (cv2.adaptiveThreshold(g, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, 4) > 0).astype(np.uint8)
    out["red"] = ((rgb[..., 0].astype(int) - rgb[..., 2]) > 30).astype(np.uint8)
    return out


def _blobs(seed: int, shape=(240, 310), n=25) -> np.ndarray:
    rng = np.random.default_rng(seed)
    m = np.zeros(shape, np.uint8)
    for _ in range(n):
        cy, cx = rng.integers(0, shape[0]), rng.integers(0, shape[1])
        ry, rx = rng.integers(1, 30, size=2)
        cv2.ellipse(m, (int(cx), int(cy)), (int(rx), int(ry)), float(rng.uniform(0, 180)), 0, 360, 1, -1)
    return m


def _edge_cases() -> dict[str, np.ndarray]:
    one = np.zeros((7, 9), np.uint8)
    one[3, 4] = 1
    hole = np.ones((7, 9), np.uint8)
    hole[3, 4] = 0
    row = np.array([[1, 1, 0, 1, 0, 0, 1, 1, 1]], np.uint8)
    diag = np.eye(12, dtype=np.uint8)
    anti = diag[:, ::-1].copy()
    checker = (np.indices((16, 21)).sum(axis=0) % 2).astype(np.uint8)
    return {
        "empty": np.zeros((13, 17), np.uint8), "full": np.ones((13, 17), np.uint8),
        "one_pixel": one, "one_hole": hole, "single_px_1x1_on": np.ones((1, 1), np.uint8),
        "single_px_1x1_off": np.zeros((1, 1), np.uint8), "one_row": row, "one_col": row.T.copy(),
        "diagonal": diag, "antidiagonal": anti, "checker": checker, "corner_zero": _corner_zero(),
        "values_255": (_blobs(3, (40, 50), 6) * 255).astype(np.uint8),
    }


def _corner_zero() -> np.ndarray:
    m = np.ones((31, 45), np.uint8)
    m[-1, -1] = 0
    return m


def _cases(astronaut: np.ndarray) -> dict[str, np.ndarray]:
    cases = {f"astronaut {k}": v for k, v in _masks_from(astronaut).items()}
    for seed in range(4):
        cases[f"blobs {seed}"] = _blobs(seed)
    rng = np.random.default_rng(7)
    cases["noise 50%"] = (rng.random((150, 190)) < 0.5).astype(np.uint8)
    cases["noise 10%"] = (rng.random((150, 190)) < 0.1).astype(np.uint8)
    cases.update(_edge_cases())
    return cases


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Same background and the same grouping of foreground pixels (label numbers may differ)."""
    if a.shape != b.shape or not np.array_equal(a == 0, b == 0):
        return False
    fg = a > 0
    if not fg.any():
        return True
    pairs = np.unique(np.stack([a[fg], b[fg]]), axis=1)
    return len(np.unique(pairs[0])) == pairs.shape[1] == len(np.unique(pairs[1]))


def _check_dt(mask: np.ndarray) -> float:
    ref = cv2.distanceTransform(mask, cv2.DIST_L2, 3)
    got = distance_transform(mask)
    assert got.dtype == np.float32 and got.shape == mask.shape
    assert np.array_equal(got == 0, ref == 0)
    big = ref > 1e30
    assert np.array_equal(got > 1e30, big)
    if big.all():
        assert np.array_equal(got, ref)  # no zero pixel: FLT_MAX, as cv2
        return 0.0
    r = ref[~big].astype(np.float64)
    diff = np.abs(got[~big] - r)
    bound = 1e-5 + (r / 0.955) * r * 2.0 ** -24
    _DT_STATS["max_abs"] = max(_DT_STATS.get("max_abs", 0.0), float(diff.max()))
    return float((diff / bound).max())


_DT_STATS: dict[str, float] = {}


def _check_cc(mask: np.ndarray, conn: int) -> None:
    n_ref, lab_ref = cv2.connectedComponents(mask, connectivity=conn)
    n, lab = connected_components(mask, connectivity=conn)
    assert lab.dtype == np.int32 and lab.shape == mask.shape
    assert n == n_ref
    assert lab.min() >= 0 and lab.max() == n - 1 and len(np.unique(lab[lab > 0])) == n - 1
    assert same_partition(lab, lab_ref)


# ---------------------------------------------------------------------------------------------


def test_app_module_does_not_use_cv2_or_scipy():
    tree = pyast.parse(Path(regions.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in pyast.walk(tree):
        if isinstance(node, pyast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, pyast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"cv2", "scipy", "skimage"}, imported


def test_distance_transform_matches_cv2(astronaut):
    worst = {}
    for name, m in _cases(astronaut).items():
        for variant, mm in (("", m), (" inverted", (1 - (m > 0)).astype(np.uint8)), (" transposed", np.ascontiguousarray(m.T))):
            worst[name + variant] = _check_dt(mm)
    print("distance transform vs cv2: worst ratio to the float32 bound", max(worst.values()),
          max(worst, key=worst.get), "max abs diff", _DT_STATS["max_abs"])
    assert max(worst.values()) < DIST_TOL, worst


def test_distance_transform_edge_values():
    assert distance_transform(np.zeros((5, 6), np.uint8)).max() == 0.0
    full = distance_transform(np.ones((5, 6), np.uint8))
    assert np.all(full == np.finfo(np.float32).max)  # what cv2 gives: no zero pixel to measure from
    row = distance_transform(np.array([[1, 1, 1, 0, 1]], np.uint8))
    assert np.allclose(row, [[3 * 0.955, 2 * 0.955, 0.955, 0, 0.955]])
    m = np.ones((5, 5), bool)
    m[0, 0] = False
    assert np.isclose(distance_transform(m)[4, 4], 4 * 1.3693, atol=1e-5)  # bool input works


def test_distance_transform_large_tall_and_wide():
    rng = np.random.default_rng(1)
    base = cv2.GaussianBlur(rng.random((600, 250)).astype(np.float32), (0, 0), 6)
    m = (base > np.median(base)).astype(np.uint8)
    assert _check_dt(m) < DIST_TOL
    assert _check_dt(np.ascontiguousarray(m.T)) < DIST_TOL
    sparse = np.ones((700, 300), np.uint8)
    sparse[5, 290] = 0  # long paths: cv2's float32 sums drift most here
    assert _check_dt(sparse) < DIST_TOL


@pytest.mark.parametrize("conn", [8, 4])
def test_connected_components_match_cv2(astronaut, conn):
    for name, m in _cases(astronaut).items():
        _check_cc(m, conn)
        _check_cc(np.ascontiguousarray(m.T), conn)
        _check_cc((1 - (m > 0)).astype(np.uint8), conn)


def test_connected_components_edge_cases():
    assert connected_components(np.zeros((4, 5), np.uint8))[0] == 1
    n, lab = connected_components(np.ones((4, 5), bool))
    assert n == 2 and np.all(lab == 1)
    # diagonal touch joins with 8-connectivity only
    d = np.eye(4, dtype=np.uint8)
    assert connected_components(d, 8)[0] == 2
    assert connected_components(d, 4)[0] == 5
    # labels are numbered in raster order of the components' first pixels
    m = np.array([[0, 0, 1], [1, 0, 0], [1, 0, 1]], np.uint8)
    n, lab = connected_components(m, 4)
    assert n == 4 and lab[0, 2] == 1 and lab[1, 0] == 2 and lab[2, 2] == 3
    with pytest.raises(ValueError):
        connected_components(m, 6)


def test_connected_components_noisy_large():
    rng = np.random.default_rng(5)
    for p in (0.3, 0.5, 0.6):
        m = (rng.random((500, 400)) < p).astype(np.uint8)
        _check_cc(m, 8)
        _check_cc(m, 4)


def test_connected_components_spiral():
    """A long thin spiral: one component whose runs chain through hundreds of unions."""
    n = 101
    m = np.zeros((n, n), np.uint8)
    top, left, bottom, right = 0, 0, n - 1, n - 1
    while top <= bottom and left <= right:
        m[top, left:right + 1] = 1
        m[top:bottom + 1, right] = 1
        m[bottom, left:right + 1] = 1
        m[top + 2:bottom + 1, left] = 1
        if top + 2 <= bottom:
            m[top + 2, left:left + 3] = 1
        top, left, bottom, right = top + 2, left + 2, bottom - 2, right - 2
        top, left = top, left
    _check_cc(m, 8)
    _check_cc(m, 4)
    _check_cc(np.ascontiguousarray(m[::-1]), 4)


# ---------------------------------------------------------------------------------------------
# guided filter


def _soft_src(rgb: np.ndarray) -> np.ndarray:
    g = _grey(rgb).astype(np.float32)
    return cv2.GaussianBlur((g > np.median(g)).astype(np.float32), (0, 0), 3)


def _gf_diff(rgb: np.ndarray, src: np.ndarray, radius: int, eps: float = 1e-4) -> tuple[float, float]:
    ref = np.clip(cv2.ximgproc.guidedFilter(rgb, src, radius, eps * 255.0 ** 2), 0.0, 1.0)
    got = guided_filter(rgb, src, radius, eps)
    assert got.dtype == np.float32 and got.shape == src.shape
    assert got.min() >= 0.0 and got.max() <= 1.0
    d = np.abs(got - ref)
    m = 2 * radius + 1
    return float(d.mean()), float(d[m:-m, m:-m].mean())


@pytest.mark.parametrize("radius", [2, 5, 11])
def test_guided_filter_exact_matches_cv2(astronaut, radius):
    assert regions.fast_guided_step(radius) == 1
    whole, inner = _gf_diff(astronaut, _soft_src(astronaut), radius)
    print(f"guided r={radius}: mean abs diff {whole:.2e} (away from the border {inner:.2e})")
    assert inner < 1e-4  # same filter; cv2 reflects the border where we clip the window
    assert whole < 2e-3


@pytest.mark.parametrize("radius", [12, 16, 24, 32])
def test_guided_filter_fast_close_to_cv2(astronaut, radius):
    assert regions.fast_guided_step(radius) > 1
    whole, inner = _gf_diff(astronaut, _soft_src(astronaut), radius)
    print(f"guided fast r={radius}: mean abs diff {whole:.4f} (away from the border {inner:.4f})")
    assert inner < 0.02  # astronaut is a busy worst case; portraits are ~3x closer


def test_guided_filter_random_source_and_eps():
    rng = np.random.default_rng(2)
    rgb = cv2.GaussianBlur(rng.integers(0, 256, (90, 120, 3), dtype=np.uint8), (0, 0), 1.5)
    src = rng.random((90, 120), dtype=np.float32)
    for eps in (1e-4, 1e-2):
        _, inner = _gf_diff(rgb, src, 4, eps)
        assert inner < 1e-4


def test_guided_filter_unclipped_and_flat():
    rgb = np.full((40, 50, 3), 128, np.uint8)
    src = np.linspace(0, 1, 40 * 50, dtype=np.float32).reshape(40, 50)
    out = guided_filter(rgb, src, 3, clip=False)
    box = cv2.blur(src, (7, 7), borderType=cv2.BORDER_REFLECT_101)
    assert np.abs(out - box)[7:-7, 7:-7].max() < 1e-4  # flat guide: the filter is a box mean


@pytest.mark.parametrize("name", PORTRAIT_NAMES or ["absent.jpg"])
def test_on_portraits(name):
    rgb = load_portrait(name)
    h, w = rgb.shape[:2]
    if max(h, w) > 900:  # keep the test quick
        f = 900 / max(h, w)
        rgb = cv2.resize(rgb, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA)
    for mname, m in _masks_from(rgb).items():
        assert _check_dt(m) < DIST_TOL, mname
        _check_cc(m, 8)
    src = _soft_src(rgb)
    _, inner = _gf_diff(rgb, src, 8)
    assert inner < 1e-4
    _, inner_fast = _gf_diff(rgb, src, 20)
    assert inner_fast < 0.01
