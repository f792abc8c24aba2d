"""What the accessory rules (vision.accessories: earrings, necklace, hair clips, hair over the
shoulders; the pose landmarker for the shoulders) cost.

    python -m benchmarks.bench_accessories [--frames 240] [--out benchmarks/results/accessories.json]

* per slow-cadence frame: the measure alone and the pose landmarker alone, on 1280x720 live
  frames (each runs on one frame in ACCESSORY_EVERY, never both on the same frame);
* on a still: both, on the 1350-px studio portrait;
* live analysis (FaceAnalyzer("live") + run_checks + live_hint) median/p95 with the accessories
  on and off (ACCESSORY_EVERY set beyond the run), measured back-to-back, alternating blocks.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

from benchmarks.bench_analysis import _face_source, make_frame

REPO = Path(__file__).resolve().parent.parent


def _stats(xs):
    xs = sorted(xs)
    return {"n": len(xs), "median_ms": round(statistics.median(xs), 2),
            "p95_ms": round(xs[int(0.95 * (len(xs) - 1))], 2), "mean_ms": round(statistics.fmean(xs), 2)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=240)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "accessories.json")
    args = ap.parse_args(argv)

    from studio_app.compliance import guidance, run_checks
    from studio_app.specs import get_spec
    from studio_app.vision import accessories as acc
    from studio_app.vision.analyzer import FaceAnalyzer, analyze_still
    from studio_app.vision.shoulders import ShoulderFinder

    src, name = _face_source()
    spec = get_spec("sscard")
    frames = [make_frame(src, 1280, 720, 0.9, int(10 * np.sin(i / 8))) for i in range(60)]

    # the pieces, on live frames
    with FaceAnalyzer("live") as an:
        an._accessories.every = 10 ** 9  # measured by hand below
        a = an.analyze(frames[0], timestamp_ms=0)
        meas, pose = [], []
        with ShoulderFinder() as finder:
            for i in range(40):
                f = frames[i % len(frames)]
                a = an.analyze(f, timestamp_ms=33 * (i + 1))
                t = time.perf_counter()
                sh = finder.find(f)
                pose.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                acc.find_accessories(f, a.landmarks, a.person_mask, sh)
                meas.append((time.perf_counter() - t) * 1000)

    # on a still
    analyze_still(src)
    still = []
    for _ in range(5):
        t = time.perf_counter()
        analyze_still(src)
        still.append((time.perf_counter() - t) * 1000)

    # live, on and off, alternating blocks of 40 frames
    times = {"on": [], "off": []}
    analyzers = {"on": FaceAnalyzer("live"), "off": FaceAnalyzer("live")}
    analyzers["off"]._accessories.every = 10 ** 9
    analyzers["off"]._accessories._found = {}  # never measured (first frame included)
    analyzers["off"]._accessories.measure = lambda rgb, analysis: analysis
    ts = {"on": 0, "off": 0}
    for block in range(max(1, args.frames // 80)):
        for mode in ("on", "off") if block % 2 == 0 else ("off", "on"):
            for i in range(40):
                f = frames[(block * 40 + i) % len(frames)]
                ts[mode] += 33
                t = time.perf_counter()
                rep = run_checks(analyzers[mode].analyze(f, timestamp_ms=ts[mode]), spec, live=True)
                guidance.live_hint(rep, "zh_CN")
                if block or i >= 5:  # warm-up
                    times[mode].append((time.perf_counter() - t) * 1000)
    for an in analyzers.values():
        an.close()

    out = {
        "benchmark": "accessories",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_avg_1m": round(os.getloadavg()[0], 2)},
        "face_source": name,
        "slow_cadence_every_frames": acc.ACCESSORY_EVERY,
        "measure_per_slow_frame": _stats(meas),
        "pose_per_slow_frame": _stats(pose),
        "still_analysis_with_accessories": _stats(still),
        "live_with_accessories": _stats(times["on"]),
        "live_without_accessories": _stats(times["off"]),
        "note": "live on/off measured back-to-back in alternating blocks on the shared 2-core machine",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
