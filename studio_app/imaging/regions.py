"""Region operations on masks and mattes, in numpy only (the bundle ships without OpenCV or SciPy).

Replacements for what :mod:`studio_app.imaging.matte` took from cv2:

* :func:`distance_transform` ~ ``cv2.distanceTransform(mask_u8, cv2.DIST_L2, 3)``
* :func:`connected_components` ~ ``cv2.connectedComponents(mask_u8, connectivity=8)``
* :func:`guided_filter` ~ ``cv2.ximgproc.guidedFilter(guide_u8, src, radius, eps * 255**2)``
  (clipped to 0–1, as ``matte.guided_filter`` returns it)

Accuracy against cv2 and timings: tests/test_imaging_regions.py, benchmarks/bench_regions.py.
"""

from __future__ import annotations

import numpy as np

# cv2's 3x3 chamfer weights for DIST_L2 (Borgefors): horizontal/vertical step, diagonal step
CHAMFER_A = 0.955
CHAMFER_B = 1.3693
# what cv2 (5.x, float accumulation) gives for a mask without any zero pixel
_NO_ZERO = np.finfo(np.float32).max


# ---------------------------------------------------------------------------------------------
# distance transform


def distance_transform(mask: np.ndarray) -> np.ndarray:
    """For every nonzero pixel of ``mask`` (HxW, any dtype) the 3x3 chamfer distance (a=0.955,
    b=1.3693) to the nearest zero pixel; zero pixels give 0. float32 HxW.

    Same two raster passes as ``cv2.distanceTransform(mask, cv2.DIST_L2, 3)``; the sums are done in
    float64 (cv2 accumulates in float32, so it drifts by ~1e-5 relative along long paths). A mask
    with no zero pixel gives FLT_MAX everywhere, as cv2 does.

    Each pass walks the rows (of the shorter dimension: the chamfer distance is symmetric under
    transposition) and is vectorised along the row: the three candidates from the previous row are
    whole-row operations, and the in-row chain ``d[x] = min_{j<=x} (t[j] + a (x - j))`` is
    ``a x + minimum.accumulate(t - a x)`` (mirrored for the backward pass)."""
    return distance_transforms([mask])[0]


def distance_transforms(masks) -> list[np.ndarray]:
    """:func:`distance_transform` of several masks of one size, in one walk over the rows: the
    per-row operations are short, so their cost is mostly numpy's per-call overhead, which the
    masks then share (two masks cost little more than one)."""
    ms = [np.asarray(m) for m in masks]
    for m in ms:
        if m.ndim != 2:
            raise ValueError(f"distance_transform needs a 2-D mask, got shape {m.shape}")
    if not ms:
        return []
    h, w = ms[0].shape
    if any(m.shape != (h, w) for m in ms):
        raise ValueError("distance_transforms needs masks of one size")
    results: list = [None] * len(ms)
    todo = []
    for k, m in enumerate(ms):
        if h == 0 or w == 0:
            results[k] = np.zeros((h, w), np.float32)
            continue
        zero = m == 0
        if not zero.any():
            results[k] = np.full((h, w), _NO_ZERO, np.float32)
        elif zero.all():
            results[k] = np.zeros((h, w), np.float32)
        else:
            todo.append((k, zero))
    if todo:
        transposed = h > w
        zero = np.stack([z.T if transposed else z for _, z in todo]) if len(todo) > 1 else \
            (todo[0][1].T if transposed else todo[0][1])[None]
        d = _chamfer(zero)
        for j, (k, _) in enumerate(todo):
            dj = d[j].T if transposed else d[j]
            results[k] = np.ascontiguousarray(dj, dtype=np.float32)
    return results


def _chamfer(zero: np.ndarray) -> np.ndarray:
    """The two chamfer passes over a stack of masks (n x rows x cols bool, True = zero pixel,
    every mask with at least one zero and one nonzero pixel); float64 n x rows x cols."""
    n, rows, cols = zero.shape
    a, b = CHAMFER_A, CHAMFER_B
    # Rows are kept shifted by a linear ramp so that each step is only minima and one
    # accumulate: forward  u = d - a*x - a*y  (the in-row chain becomes a running minimum and the
    # straight-down candidate needs no offset), backward  v = d + a*x + a*y  (mirrored).
    ay = a * np.arange(rows, dtype=np.float64)[:, None]
    ax = a * np.arange(cols, dtype=np.float64)[None, :]
    out = np.full((rows, n, cols + 2), np.inf)  # one +inf column either side (cv2's border)
    inner = out[:, :, 1:-1]
    np.copyto(inner, (-ay - ax)[:, None, :], where=zero.transpose(1, 0, 2))  # zero pixels, forward-shifted
    # the row walk on (n, cols + 2) rows, or on plain 1-D rows for a single mask (less per-call
    # overhead); ``...`` indexing serves both
    walk = out.reshape(rows, cols + 2) if n == 1 else out
    t1 = np.empty(walk.shape[1:-1] + (cols,))
    t2 = np.empty_like(t1)
    k_diag_near, k_diag_far = b - 2 * a, b  # offsets of the two diagonal neighbours

    # forward pass: top-left to bottom-right (the first row has only its in-row chain)
    c = walk[0, ..., 1:-1]
    np.minimum.accumulate(c, axis=-1, out=c)
    for i in range(1, rows):
        prev = walk[i - 1]
        c = walk[i, ..., 1:-1]
        np.add(prev[..., :-2], k_diag_near, out=t1)
        np.add(prev[..., 2:], k_diag_far, out=t2)
        np.minimum(t1, t2, out=t1)
        np.minimum(t1, prev[..., 1:-1], out=t1)
        np.minimum(c, t1, out=c)
        np.minimum.accumulate(c, axis=-1, out=c)
    inner += (2 * ay)[:, None, :]  # to the backward shift
    inner += (2 * ax)[:, None, :]

    # backward pass: bottom-right to top-left
    rc = walk[rows - 1, ..., 1:-1][..., ::-1]
    np.minimum.accumulate(rc, axis=-1, out=rc)
    for i in range(rows - 2, -1, -1):
        nxt = walk[i + 1]
        c = walk[i, ..., 1:-1]
        np.add(nxt[..., 2:], k_diag_near, out=t1)
        np.add(nxt[..., :-2], k_diag_far, out=t2)
        np.minimum(t1, t2, out=t1)
        np.minimum(t1, nxt[..., 1:-1], out=t1)
        np.minimum(c, t1, out=c)
        rc = c[..., ::-1]
        np.minimum.accumulate(rc, axis=-1, out=rc)
    inner -= ay[:, None, :]
    inner -= ax[:, None, :]
    np.copyto(inner, 0.0, where=zero.transpose(1, 0, 2))  # exact zeros (the shifts leave ~1e-13)
    return inner.transpose(1, 0, 2)


# ---------------------------------------------------------------------------------------------
# connected components


def _find_roots(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Union-find over ``n`` nodes and edges (u, v), vectorised: hook the larger root onto the
    smaller one, then compress every path fully; repeat until no edge joins two roots. Returns
    each node's root, the smallest node of its component."""
    parent = np.arange(n, dtype=np.int64)
    u = u.astype(np.int64, copy=False)
    v = v.astype(np.int64, copy=False)
    while len(u):
        pu, pv = parent[u], parent[v]
        keep = pu != pv
        if not keep.all():
            pu, pv = pu[keep], pv[keep]
        if len(pu) == 0:
            break
        lo, hi = np.minimum(pu, pv), np.maximum(pu, pv)
        np.minimum.at(parent, hi, lo)
        while True:
            pp = parent[parent]
            if np.array_equal(pp, parent):
                break
            parent = pp
        u, v = lo, hi  # the same relation, on roots: fewer hops next round
    return parent


def connected_components(mask: np.ndarray, connectivity: int = 8) -> tuple[int, np.ndarray]:
    """Label the connected parts of the nonzero pixels of ``mask`` (HxW, any dtype).

    Returns ``(n, labels)`` as ``cv2.connectedComponents``: ``labels`` int32 HxW with 0 for the
    background and 1..n-1 for the components (numbered in raster order of their first pixel), ``n``
    counting the background. ``connectivity`` 8 (diagonal neighbours join) or 4.

    Run-length based: the runs of every row (from a diff of the padded rows), the runs of
    consecutive rows that touch (a range per run found with searchsorted), union-find on that run
    graph, and the labels painted back by a cumulative sum."""
    if connectivity not in (4, 8):
        raise ValueError("connectivity must be 4 or 8")
    m = np.asarray(mask)
    if m.ndim != 2:
        raise ValueError(f"connected_components needs a 2-D mask, got shape {m.shape}")
    h, w = m.shape
    labels = np.zeros((h, w), np.int32)
    if h == 0 or w == 0:
        return 1, labels
    k = w + 1  # row stride of the diff image: run keys are row * k + column
    p = np.zeros((h, w + 2), np.int8)
    p[:, 1:-1] = m != 0
    d = np.subtract(p[:, 1:], p[:, :-1])  # h x (w+1): +1 where a run starts, -1 one past its end
    flat = d.ravel()
    edges_at = np.flatnonzero(flat)
    if len(edges_at) == 0:
        return 1, labels
    up = flat[edges_at] > 0
    start = edges_at[up]  # key of the first pixel of each run, raster order
    end = edges_at[~up]  # key one past the last pixel (same row: a run ends by column w)
    nruns = len(start)

    # runs of the previous row touching each run [s, e): previous-row runs with end >= s and
    # start <= e (8-connected; 4-connected: end > s and start < e). Within a row the runs are
    # sorted and disjoint, so those form the contiguous range [lo, hi).
    slack = 0 if connectivity == 8 else 1
    lo = np.searchsorted(end, start - k + slack, side="left")
    hi = np.searchsorted(start, end - k - slack, side="right")
    cnt = np.maximum(hi - lo, 0)
    total = int(cnt.sum())
    if total:
        src = np.repeat(np.arange(nruns), cnt)
        offs = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        dst = np.repeat(lo, cnt) + offs
        roots = _find_roots(nruns, src, dst)
    else:
        roots = np.arange(nruns)
    # roots are the first run of each component (raster order): number them 1..n-1 in that order
    is_root = roots == np.arange(nruns)
    comp = np.cumsum(is_root, dtype=np.int32)[roots]
    n = int(np.count_nonzero(is_root)) + 1

    # paint: +label at the run start, -label one past its end; a row's runs balance, so a running
    # sum over the whole (h, w+1) image gives the labels
    paint = np.zeros(h * k, np.int32)
    paint[start] = comp
    paint[end] = -comp  # start and end keys never coincide (runs are separated by a gap)
    np.cumsum(paint, out=paint)
    labels[:] = paint.reshape(h, k)[:, :w]
    return n, labels


# ---------------------------------------------------------------------------------------------
# guided filter


class _BoxSums:
    """(2r+1)² box sums of HxW float32 planes, zero outside (the window clipped at the border).

    Each plane is copied into a zero-padded buffer and summed along the columns, then along the
    rows, each time on the flattened buffer: ``out[i] = sum_k flat[i + k*unit]`` (unit = the
    padded row length, then 1; the zero padding keeps every window inside its own row), built by
    doubling: partial sums of 1, 2, 4, … consecutive terms, combined by the binary digits of 2r+1.
    That is ~2 log2(2r+1) contiguous whole-plane additions per pass, and every output is a short
    balanced sum of at most 2r+1 terms, so float32 keeps ~1e-7 relative (no running-sum drift, no
    cumsum cancellation). The buffers are allocated once and reused plane after plane (fresh
    multi-MB arrays would cost more in page faults than the additions do)."""

    def __init__(self, h: int, w: int, r: int):
        self.h, self.w, self.r = h, w, r
        self.length = 2 * r + 1
        self.wp = w + 2 * r
        self.pad = np.zeros((h + 2 * r, self.wp), np.float32)
        self.inner = self.pad[r:r + h, r:r + w]
        n = self.pad.size
        self.t1 = np.empty(n, np.float32)
        self.t2 = np.empty(n, np.float32)
        self.cols = np.empty(h * self.wp, np.float32)
        self.rows = np.empty(h * self.wp, np.float32)
        self.inv_counts = _inv_counts(h, w, r)

    def _pass(self, flat: np.ndarray, unit: int, n_out: int, out: np.ndarray) -> None:
        length = self.length
        acc = out[:n_out]
        pending = None  # the first part is added to the second straight into acc (no copy)
        started = False
        off = 0
        size = 1
        p = flat
        bufs = (self.t1, self.t2)
        k = 0
        while True:
            if length & size:
                part = p[off * unit: off * unit + n_out]
                if started:
                    acc += part
                elif pending is None:
                    pending = part
                else:
                    np.add(pending, part, out=acc)
                    started = True
                off += size
            if size * 2 > length:
                break
            m = len(p) - size * unit
            nxt = bufs[k][:m]
            k ^= 1
            np.add(p[:m], p[size * unit: size * unit + m], out=nxt)
            p = nxt
            size *= 2
        if not started:  # a single part (length a power of two: never here, 2r+1 is odd and > 1)
            np.copyto(acc, pending)

    def mean_into(self, out: np.ndarray) -> np.ndarray:
        """Box means (sum / pixels of the window inside the image) of what is in ``self.inner``
        (fill it first), written to ``out`` (HxW float32)."""
        h, w, wp = self.h, self.w, self.wp
        self._pass(self.pad.reshape(-1), wp, h * wp, self.cols)
        self._pass(self.cols, 1, h * wp - 2 * self.r, self.rows)
        np.multiply(self.rows.reshape(h, wp)[:, :w], self.inv_counts, out=out)
        return out


def _inv_counts(h: int, w: int, r: int) -> np.ndarray:
    """1 / the number of pixels of each (2r+1)² window inside an HxW image, float32 HxW."""
    ih, iw = np.arange(h), np.arange(w)
    ch = np.minimum(ih + r + 1, h) - np.maximum(ih - r, 0)
    cw = np.minimum(iw + r + 1, w) - np.maximum(iw - r, 0)
    return (1.0 / ch).astype(np.float32)[:, None] * (1.0 / cw).astype(np.float32)[None, :]


def _box_means(sources, h: int, w: int, r: int, box: _BoxSums | None = None) -> np.ndarray:
    """Box means (window clipped at the border, divided by the pixels inside) of each source, as a
    CxHxW float32 stack; a source is an HxW array or a pair (x, y) meaning the product x*y
    (written straight into the padded buffer). ``box``: buffers to reuse (for this h, w, r)."""
    if box is None:
        box = _BoxSums(h, w, r)
    out = np.empty((len(sources), h, w), np.float32)
    for i, src in enumerate(sources):
        if isinstance(src, tuple):
            np.multiply(src[0], src[1], out=box.inner)
        else:
            np.copyto(box.inner, src)
        box.mean_into(out[i])
    return out


def _box_mean(x: np.ndarray, r: int) -> np.ndarray:
    """(2r+1)² box mean over the first two axes (extra axes are channels), the window clipped at
    the image border and divided by the number of pixels inside it. float32."""
    h, w = x.shape[:2]
    if x.ndim == 2:
        return _box_means([x], h, w, r)[0]
    planes = x.reshape(h, w, -1)
    stack = _box_means([planes[..., c] for c in range(planes.shape[2])], h, w, r)
    return np.moveaxis(stack, 0, -1).reshape(x.shape)


def _downsample(x: np.ndarray, s: int) -> np.ndarray:
    """Mean of s x s blocks over the first two axes (the last, partial blocks are padded with
    their edge values). float32."""
    h, w = x.shape[:2]
    hs, ws = -(-h // s), -(-w // s)
    ph, pw = hs * s - h, ws * s - w
    x = np.asarray(x, np.float32)
    if ph or pw:
        x = np.pad(x, ((0, ph), (0, pw)) + ((0, 0),) * (x.ndim - 2), mode="edge")
    # strided slices summed (a mean over two small non-adjacent axes is several times slower)
    rows = x[0::s].copy()
    for k in range(1, s):
        rows += x[k::s]
    out = rows[:, 0::s].copy()
    for k in range(1, s):
        out += rows[:, k::s]
    out *= np.float32(1.0 / (s * s))
    return out


def _interp_index(n_full: int, n_small: int, s: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bilinear taps for upsampling s x s blocks back to ``n_full``: block k's centre sits at
    full-resolution coordinate k*s + (s-1)/2."""
    pos = (np.arange(n_full, dtype=np.float64) - (s - 1) / 2.0) / s
    pos = np.clip(pos, 0.0, n_small - 1)
    i0 = np.floor(pos).astype(np.intp)
    i1 = np.minimum(i0 + 1, n_small - 1)
    return i0, i1, (pos - i0).astype(np.float32)


def _upsample(x: np.ndarray, h: int, w: int, s: int) -> np.ndarray:
    hs, ws = x.shape[:2]
    y0, y1, fy = _interp_index(h, hs, s)
    x0, x1, fx = _interp_index(w, ws, s)
    extra = (1,) * (x.ndim - 2)
    fy = fy.reshape((h, 1) + extra)
    rows = x[y0] * (1 - fy) + x[y1] * fy
    fx = fx.reshape((1, w) + extra)
    return rows[:, x0] * (1 - fx) + rows[:, x1] * fx


def fast_guided_step(radius: int) -> int:
    """Subsampling factor of the fast guided filter for ``radius`` (1: the exact filter).

    Measured against cv2.ximgproc.guidedFilter (benchmarks/results/regions.json): the exact
    filter is within ~1e-5 mean abs diff away from the border; subsampling by s adds a mean abs
    diff of ~0.002-0.005 (s=2) to ~0.004-0.014 (s=4) on real photos, concentrated on strong edges.
    The matte runs at radius ~10-18 on a ~1000 px working image, where the exact filter cost
    ~6x cv2's time with running-sum box means (~1.7x with the doubling sums of :class:`_BoxSums`):
    s=2 from radius 12 (window >= 6 subsampled pixels either side), then radius // 8; the
    before/after photos of the shared portraits did not visibly change."""
    r = int(radius)
    return 1 if r < 12 else max(2, r // 8)


def _solve_strip(m: np.ndarray, eps: float, out: np.ndarray) -> None:
    """a = (Sigma + eps)^-1 cov(I, p) and b = mean p - a . mean I from the 13 box means ``m``
    (see :func:`_coefficients`) of a strip of rows; written to ``out`` (a0, a1, a2, b)."""
    mi0, mi1, mi2, mean_p = m[0], m[1], m[2], m[3]
    # covariance of the guide (+eps on the diagonal) and of guide and source, per pixel
    s00 = m[4] - mi0 * mi0 + eps
    s01 = m[5] - mi0 * mi1
    s02 = m[6] - mi0 * mi2
    s11 = m[7] - mi1 * mi1 + eps
    s12 = m[8] - mi1 * mi2
    s22 = m[9] - mi2 * mi2 + eps
    c0 = m[10] - mi0 * mean_p
    c1 = m[11] - mi1 * mean_p
    c2 = m[12] - mi2 * mean_p
    # a = Sigma^-1 cov, by the adjugate of the symmetric 3x3 matrix
    i00 = s11 * s22 - s12 * s12
    i01 = s02 * s12 - s01 * s22
    i02 = s01 * s12 - s02 * s11
    i11 = s00 * s22 - s02 * s02
    i12 = s01 * s02 - s00 * s12
    i22 = s00 * s11 - s01 * s01
    inv_det = 1.0 / (s00 * i00 + s01 * i01 + s02 * i02)
    a0, a1, a2, b = out[0], out[1], out[2], out[3]
    np.multiply(i00 * c0 + i01 * c1 + i02 * c2, inv_det, out=a0)
    np.multiply(i01 * c0 + i11 * c1 + i12 * c2, inv_det, out=a1)
    np.multiply(i02 * c0 + i12 * c1 + i22 * c2, inv_det, out=a2)
    np.subtract(mean_p, a0 * mi0 + a1 * mi1 + a2 * mi2, out=b)


def _coefficients(guide: np.ndarray, src: np.ndarray, r: int, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """He's colour guided filter coefficients, box-averaged: mean a (3xHxW) and mean b (HxW).

    ``guide`` is 3xHxW float32 (channels first, centred on its mean: the coefficients do not
    depend on a constant shift of the guide, and the covariances lose less to rounding), ``src``
    HxW float32. All 13 means (guide, source, the 6 guide products, the 3 guide-source products)
    go through one set of box-sum buffers."""
    _, h, w = guide.shape
    g0, g1, g2 = guide[0], guide[1], guide[2]
    box = _BoxSums(h, w, r)
    m = _box_means([g0, g1, g2, src, (g0, g0), (g0, g1), (g0, g2), (g1, g1), (g1, g2), (g2, g2),
                    (g0, src), (g1, src), (g2, src)], h, w, r, box)
    ab = np.empty((4, h, w), np.float32)
    # the per-pixel 3x3 solve, ~40 array operations: in strips of rows, whose temporaries stay in
    # the cache (whole-image temporaries would each be a fresh, page-faulted allocation)
    step = max(1, 16384 // max(w, 1))
    for y0 in range(0, h, step):
        _solve_strip(m[:, y0:y0 + step], eps, ab[:, y0:y0 + step])
    mab = _box_means([ab[0], ab[1], ab[2], ab[3]], h, w, r, box)
    return mab[:3], mab[3]


def _downsample_planes(x: np.ndarray, s: int) -> np.ndarray:
    """:func:`_downsample` of a CxHxW stack, plane by plane."""
    return np.stack([_downsample(x[c], s) for c in range(x.shape[0])])


def guided_filter(guide: np.ndarray, src: np.ndarray, radius: int, eps: float = 1e-4,
                  clip: bool = True) -> np.ndarray:
    """Colour guided filter (He et al.) of ``src`` (float HxW, 0–1) steered by ``guide`` (uint8
    RGB HxWx3); ``eps`` as for a 0–1 guide. Drop-in for ``matte.guided_filter`` (whose cv2 call is
    ``cv2.ximgproc.guidedFilter(guide, src, radius, eps * 255**2)``); result float32, clipped to
    0–1 unless ``clip`` is False.

    Box means are exact sums with the window clipped at the image border (cv2 reflects the border
    instead, so the two differ within ~2 radius of the edge). For radius >= 16 the
    coefficients are computed on a copy subsampled by :func:`fast_guided_step` and upsampled
    bilinearly (the fast guided filter), then applied to the full-resolution guide."""
    radius = max(1, int(radius))
    g = np.asarray(guide)
    if g.ndim != 3 or g.shape[2] != 3:
        raise ValueError(f"guided_filter needs an HxWx3 guide, got shape {g.shape}")
    p = np.ascontiguousarray(src, dtype=np.float32)
    if p.shape != g.shape[:2]:
        raise ValueError(f"guide {g.shape} and source {p.shape} differ in size")
    h, w = p.shape
    # channels first, scaled to 0–1 and centred (see _coefficients)
    gc = np.empty((3, h, w), np.float32)
    for c in range(3):
        np.multiply(g[..., c], np.float32(1.0 / 255.0), out=gc[c], dtype=np.float32)
    mu = gc.reshape(3, -1).mean(axis=1, dtype=np.float64).astype(np.float32)
    gc -= mu[:, None, None]
    s = fast_guided_step(radius)
    s = max(1, min(s, h // 4, w // 4)) if s > 1 else 1
    if s == 1:
        mean_a, mean_b = _coefficients(gc, p, radius, eps)
    else:
        r_s = max(1, int(round(radius / s)))
        ma, mb = _coefficients(_downsample_planes(gc, s), _downsample(p, s), r_s, eps)
        mean_a = [_upsample(ma[c], h, w, s) for c in range(3)]
        mean_b = _upsample(mb, h, w, s)
    out = mean_a[0] * gc[0]
    out += mean_a[1] * gc[1]
    out += mean_a[2] * gc[2]
    out += mean_b
    out = out.astype(np.float32, copy=False)
    if clip:
        np.clip(out, 0.0, 1.0, out=out)
    return out
