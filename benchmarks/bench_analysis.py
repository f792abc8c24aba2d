"""Speed of face analysis: live frames and still photos.

    python -m benchmarks.bench_analysis [--frames 200] [--stills 30] [--out benchmarks/results/analysis.json]

live:  1280x720 frames through FaceAnalyzer("live") (VIDEO mode, downscaled to 640 px,
       segmentation every 5th frame) + run_checks(live=True) + guidance.live_hint.
       Target: median <= 20 ms on the 2-core reference machine.
still: a 1920x1080 photo through FaceAnalyzer("still") with segmentation + run_checks.
       Target: median <= 200 ms.
The test face is a real portrait (the shared London-set photo when present, else the
scikit-image astronaut), placed in the frame at a typical capture-station size and moved a
little between frames so tracking has work to do.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
PORTRAIT = REPO.parent / "shared" / "testdata" / "portraits" / "ldn_004_m_stubble.jpg"


def _face_source() -> tuple[np.ndarray, str]:
    if PORTRAIT.is_file():
        from studio_app.imageio import load_image

        return load_image(PORTRAIT), PORTRAIT.name
    from skimage import data

    return np.ascontiguousarray(data.astronaut()), "skimage astronaut"


def make_frame(src: np.ndarray, width: int, height: int, head_frac: float, dx: int = 0) -> np.ndarray:
    """``src`` scaled so it fills ``head_frac`` of the frame height, centred (+dx), on grey."""
    frame = np.full((height, width, 3), 200, np.uint8)
    s = head_frac * height / src.shape[0]
    img = cv2.resize(src, (int(src.shape[1] * s), int(src.shape[0] * s)), interpolation=cv2.INTER_AREA)
    h, w = img.shape[:2]
    x0 = (width - w) // 2 + dx
    y0 = (height - h) // 2
    xs, xe = max(0, x0), min(width, x0 + w)
    ys, ye = max(0, y0), min(height, y0 + h)
    frame[ys:ye, xs:xe] = img[ys - y0:ye - y0, xs - x0:xe - x0]
    return frame


def _stats(ms: list[float]) -> dict:
    arr = np.asarray(ms)
    return {
        "n": len(ms), "median_ms": round(float(np.median(arr)), 2),
        "p95_ms": round(float(np.percentile(arr, 95)), 2), "mean_ms": round(float(arr.mean()), 2),
        "min_ms": round(float(arr.min()), 2), "max_ms": round(float(arr.max()), 2),
    }


def bench_live(src, n_frames: int) -> dict:
    from studio_app.compliance import guidance, run_checks
    from studio_app.specs import get_spec
    from studio_app.vision.analyzer import FaceAnalyzer

    spec = get_spec("sscard")
    frames = [make_frame(src, 1280, 720, 1.0, dx=int(20 * np.sin(i / 5))) for i in range(16)]
    times, faces = [], 0
    with FaceAnalyzer("live") as an:
        for i in range(20):  # warm-up
            an.analyze(frames[i % len(frames)], timestamp_ms=i * 33)
        for i in range(n_frames):
            frame = frames[i % len(frames)]
            t0 = time.perf_counter()
            a = an.analyze(frame, timestamp_ms=(i + 20) * 33)
            report = run_checks(a, spec, live=True)
            guidance.live_hint(report, "zh_CN")
            times.append((time.perf_counter() - t0) * 1000)
            faces += a.has_face
    out = _stats(times)
    out.update(frame="1280x720", face_found_share=round(faces / n_frames, 3), target_median_ms=20)
    return out


def bench_still(src, n: int) -> dict:
    from studio_app.compliance import run_checks
    from studio_app.specs import get_spec
    from studio_app.vision.analyzer import FaceAnalyzer

    spec = get_spec("sscard")
    photo = make_frame(src, 1920, 1080, 1.0)
    times, faces = [], 0
    with FaceAnalyzer("still") as an:
        for _ in range(3):
            an.analyze(photo)
        for _ in range(n):
            t0 = time.perf_counter()
            a = an.analyze(photo, segmentation=True)
            run_checks(a, spec)
            times.append((time.perf_counter() - t0) * 1000)
            faces += a.has_face
    out = _stats(times)
    out.update(photo="1920x1080", segmentation=True, face_found_share=round(faces / n, 3), target_median_ms=200)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=200)
    p.add_argument("--stills", type=int, default=30)
    p.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "analysis.json"))
    args = p.parse_args(argv)
    src, name = _face_source()
    live = bench_live(src, args.frames)
    still = bench_still(src, args.stills)
    result = {
        "benchmark": "analysis",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None},
        "face_source": name,
        "live": live,
        "still": still,
        "meets_targets": {"live": live["median_ms"] <= 20, "still": still["median_ms"] <= 200},
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
