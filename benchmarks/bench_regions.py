"""Speed (and agreement) of studio_app.imaging.regions against the cv2 calls it replaces.

    python -m benchmarks.bench_regions [--repeat 5] [--out benchmarks/results/regions.json]

Masks of 1000x800 and 2000x1600: a person-like blob (the matte's case) and 50% random noise
(the worst case for connected components); the guided filter on the astronaut (or a shared
portrait) scaled to the same sizes, at the radii matte.py uses. Times are the best of --repeat.
cv2 is the reference only (benchmarks are not bundled)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import cv2
import numpy as np

from studio_app.imaging import regions

REPO = Path(__file__).resolve().parent.parent
PORTRAIT = REPO.parent / "shared" / "testdata" / "portraits" / "ar_open_room.jpg"


def _best_ms(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return round(best * 1000.0, 2)


def _person_mask(h: int, w: int) -> np.ndarray:
    yy, xx = np.mgrid[:h, :w]
    head = ((yy - 0.35 * h) / (0.2 * h)) ** 2 + ((xx - 0.5 * w) / (0.17 * w)) ** 2 < 1
    body = (yy > 0.55 * h) & (np.abs(xx - 0.5 * w) < 0.42 * w * np.clip((yy - 0.5 * h) / (0.3 * h), 0, 1))
    m = (head | body).astype(np.uint8)
    rng = np.random.default_rng(0)
    for _ in range(20):  # stray blobs, as a segmentation leaves them
        cy, cx = int(rng.integers(0, h)), int(rng.integers(0, w))
        cv2.circle(m, (cx, cy), int(rng.integers(2, 15)), 1, -1)
    return m


def _guide(h: int, w: int) -> np.ndarray:
    if PORTRAIT.is_file():
        from PIL import Image

        rgb = np.asarray(Image.open(PORTRAIT).convert("RGB"))
    else:
        from skimage import data

        rgb = data.astronaut()
    return cv2.resize(np.ascontiguousarray(rgb), (w, h), interpolation=cv2.INTER_AREA)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "regions.json"))
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    results: dict = {"machine": {"python": platform.python_version(), "numpy": np.__version__,
                                 "cv2": cv2.__version__, "cpu": platform.processor() or platform.machine(),
                                 "cpus": os.cpu_count(), "loadavg_at_start": list(os.getloadavg())},
                     "repeat": args.repeat, "sizes": {}}
    for h, w in ((1000, 800), (2000, 1600)):
        key = f"{w}x{h}"
        person = _person_mask(h, w)
        noise = (rng.random((h, w)) < 0.5).astype(np.uint8)
        r: dict = {}
        for name, m in (("person", person), ("noise50", noise)):
            inv = (1 - m).astype(np.uint8)
            ref = cv2.distanceTransform(inv, cv2.DIST_L2, 3)
            got = regions.distance_transform(inv)
            r[f"distance_transform_{name}"] = {
                "cv2_ms": _best_ms(lambda: cv2.distanceTransform(inv, cv2.DIST_L2, 3), args.repeat),
                "numpy_ms": _best_ms(lambda: regions.distance_transform(inv), args.repeat),
                "max_abs_diff": float(np.abs(got - ref).max())}
            n_ref, _ = cv2.connectedComponents(m, connectivity=8)
            n, _ = regions.connected_components(m, 8)
            r[f"connected_components_{name}"] = {
                "cv2_ms": _best_ms(lambda: cv2.connectedComponents(m, connectivity=8), args.repeat),
                "numpy_ms": _best_ms(lambda: regions.connected_components(m, 8), args.repeat),
                "n_cv2": int(n_ref), "n_numpy": int(n)}
        guide = _guide(h, w)
        src = cv2.GaussianBlur(person.astype(np.float32), (0, 0), 4)
        for radius in (4, 10, 16, 24):
            ref = np.clip(cv2.ximgproc.guidedFilter(guide, src, radius, 1e-4 * 255.0 ** 2), 0, 1)
            got = regions.guided_filter(guide, src, radius)
            d = np.abs(got - ref)
            m2 = 2 * radius + 1
            r[f"guided_filter_r{radius}"] = {
                "step": regions.fast_guided_step(radius),
                "cv2_ms": _best_ms(lambda: cv2.ximgproc.guidedFilter(guide, src, radius, 1e-4 * 255.0 ** 2),
                                   max(2, args.repeat // 2)),
                "numpy_ms": _best_ms(lambda: regions.guided_filter(guide, src, radius), max(2, args.repeat // 2)),
                "mean_abs_diff": round(float(d.mean()), 6),
                "mean_abs_diff_inner": round(float(d[m2:-m2, m2:-m2].mean()), 6),
                "p99_abs_diff_inner": round(float(np.percentile(d[m2:-m2, m2:-m2], 99)), 5)}
        results["sizes"][key] = r
        print(key, json.dumps(r, indent=1), flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
