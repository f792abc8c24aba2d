"""Head-pose noise for a still person in the live feed (issue 16: pitch std <= 1.5 deg).

    python -m benchmarks.bench_pose_noise [--frames 300] [--out benchmarks/results/pose_noise.json]

Two feeds whose true pose does not change (only in-plane motion and sensor noise):
  demo:  the bundled demo camera (its first subject, ldn_006 in a navy top; sway, breathing
         zoom, +-0.8 deg roll, noise sd 2), the lean-aside wander off;
  still: the London-set portrait (ldn_004) at capture-station size in a 1280x720 frame with
         fresh Gaussian sensor noise (sd 3 grey levels) every frame, and no motion.
For each, FaceAnalyzer("live") at 30 fps timestamps: the standard deviation of yaw, pitch, roll
(degrees) over the frames after a 1 s warm-up, and the frame-to-frame jitter (median absolute
difference). Roll on the demo feed follows the known +-0.8 deg roll, so its std is not noise.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
PORTRAIT = REPO.parent / "shared" / "testdata" / "portraits" / "ldn_004_m_stubble.jpg"
TARGET_PITCH_STD = 1.5


def _series(frames, n_frames: int) -> dict:
    from studio_app.vision.analyzer import FaceAnalyzer

    vals = {"yaw": [], "pitch": [], "roll": []}
    times = []
    found = 0
    with FaceAnalyzer("live") as an:
        for i in range(n_frames + 30):
            frame = frames(i)
            t0 = time.perf_counter()
            a = an.analyze(frame, timestamp_ms=i * 33)
            times.append((time.perf_counter() - t0) * 1000)
            if i < 30 or not a.has_face:
                continue
            found += 1
            for k in vals:
                vals[k].append(getattr(a, k))
    out = {"frames": n_frames, "face_found_share": round(found / n_frames, 3),
           "analysis_median_ms": round(float(np.median(times[30:])), 2)}
    for k, v in vals.items():
        arr = np.asarray(v, np.float64)
        if arr.size < 2:
            continue
        out[k] = {"mean_deg": round(float(arr.mean()), 2), "std_deg": round(float(arr.std()), 3),
                  "jitter_deg": round(float(np.median(np.abs(np.diff(arr)))), 3),
                  "range_deg": [round(float(arr.min()), 2), round(float(arr.max()), 2)]}
    return out


def demo_feed(n: int):
    from studio_app.camera.demo import DemoSource

    src = DemoSource(realtime=False, wander=False)
    src._open()
    frames = [src._grab() for _ in range(n + 30)]
    return lambda i: frames[i]


def still_feed(n: int):
    from benchmarks.bench_analysis import make_frame
    from studio_app.imageio import load_image

    if not PORTRAIT.is_file():
        return None
    base = make_frame(load_image(PORTRAIT), 1280, 720, 1.0).astype(np.float32)
    rng = np.random.default_rng(0)
    noise = [rng.normal(0, 3.0, base.shape).astype(np.float32) for _ in range(8)]

    def frame(i):
        # fresh-looking noise each frame: one of 8 fields, shifted by a random amount
        k = noise[i % 8]
        sh = int(rng.integers(0, 64))
        return np.clip(base + np.roll(k, sh, axis=1) + 0.5, 0, 255).astype(np.uint8)

    return frame


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--frames", type=int, default=300)
    p.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "pose_noise.json"))
    args = p.parse_args(argv)
    result = {
        "benchmark": "pose_noise",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None},
        "target_pitch_std_deg": TARGET_PITCH_STD,
        "demo": _series(demo_feed(args.frames), args.frames),
    }
    still = still_feed(args.frames)
    if still is not None:
        result["still_with_noise"] = _series(still, args.frames)
    result["meets_target"] = all(result[k]["pitch"]["std_deg"] <= TARGET_PITCH_STD
                                 for k in ("demo", "still_with_noise") if k in result)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
