"""The live preview through the real operator window, offscreen.

    python -m benchmarks.bench_live [--seconds 15] [--source demo|portrait|both] [--out benchmarks/results/live.json]

A 1280x720 30 fps video file is written first (the bundled demo source — a real face with
gentle motion — or the shared London-set portrait moved a little across a grey frame), then
played in real time through :class:`studio_app.ui.main_window.MainWindow` exactly as a camera
would be. Reported:

* displayed fps — frames the live view actually painted per second (aim >= 28);
* analysis rate — live analyses delivered to the window per second (aim >= 20 Hz);
* analysis latency — analysis + checks + hint per frame (median, p95);
* dropped — frames replaced in the one-slot mailbox before analysis took them (expected: the
  preview runs at the camera rate, analysis at its own).
Auto-capture is switched off so the run stays in the live state.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GLOG_minloglevel", "2")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PORTRAIT = REPO.parent / "shared" / "testdata" / "portraits" / "ldn_004_m_stubble.jpg"
WIDTH, HEIGHT, FPS = 1280, 720, 30


def write_clip(path: Path, kind: str, seconds: float) -> str:
    """A 1280x720 30 fps MJPG clip of ``kind`` ("demo" or "portrait"); returns its description."""
    n = int(seconds * FPS)
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (WIDTH, HEIGHT))
    if kind == "portrait" and PORTRAIT.is_file():
        from studio_app.imageio import load_image

        src = load_image(PORTRAIT)
        s = 0.95 * HEIGHT / src.shape[0]
        img = cv2.resize(src, (int(src.shape[1] * s), int(src.shape[0] * s)), interpolation=cv2.INTER_AREA)
        desc = PORTRAIT.name
        for i in range(n):
            frame = np.full((HEIGHT, WIDTH, 3), 200, np.uint8)
            dx = int(12 * np.sin(2 * np.pi * i / 90))
            x0 = (WIDTH - img.shape[1]) // 2 + dx
            y0 = (HEIGHT - img.shape[0]) // 2
            frame[y0:y0 + img.shape[0], x0:x0 + img.shape[1]] = img
            vw.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    else:
        from studio_app.camera import DemoSource

        src = DemoSource(size=(WIDTH, HEIGHT), fps=FPS, realtime=False).start()
        desc = "bundled demo (astronaut)"
        for _ in range(n):
            vw.write(cv2.cvtColor(src.read()[0], cv2.COLOR_RGB2BGR))
        src.stop()
    vw.release()
    return desc


def run(seconds: float, kind: str, warmup: float = 3.0) -> dict:
    from PySide6.QtWidgets import QApplication

    from studio_app.camera import VideoFileSource
    from studio_app.ui.app import create_app
    from studio_app.ui.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp(prefix="bench_live_"))
    os.environ.setdefault("STUDIO_APP_HOME", str(tmp / "home"))
    clip = tmp / "clip.avi"
    desc = write_clip(clip, kind, min(seconds + warmup, 20.0))
    app = create_app()
    window = MainWindow(frame_source=VideoFileSource(clip, loop=True, realtime=True), use_qt_camera=False,
                        spec_id="sscard")
    window.auto_box.setChecked(False)
    window.resize(1400, 880)
    window.show()
    painted: list[float] = []
    analysed: list[tuple[float, float, int]] = []
    window.live_view.frameShown.connect(lambda _ts: painted.append(time.perf_counter()))
    window.resultShown.connect(lambda r: analysed.append((time.perf_counter(), r.latency_ms, r.dropped)))
    t_end_warm = time.perf_counter() + warmup
    while time.perf_counter() < t_end_warm:
        app.processEvents()
        time.sleep(0.001)
    painted.clear()
    analysed.clear()
    t0 = time.perf_counter()
    t_end = t0 + seconds
    while time.perf_counter() < t_end:
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - t0
    window.shutdown()
    window.close()
    QApplication.processEvents()
    lat = [a[1] for a in analysed]
    gaps = np.diff(painted) * 1000 if len(painted) > 1 else np.array([0.0])
    return {
        "source": desc,
        "frame": f"{WIDTH}x{HEIGHT} @ {FPS} fps (MJPG file, played in real time)",
        "seconds": round(elapsed, 2),
        "displayed_fps": round(len(painted) / elapsed, 2),
        "display_gap_ms": {"median": round(float(np.median(gaps)), 1), "p95": round(float(np.percentile(gaps, 95)), 1),
                           "max": round(float(gaps.max()), 1)},
        "analysis_hz": round(len(analysed) / elapsed, 2),
        "analysis_latency_ms": {
            "median": round(statistics.median(lat), 1) if lat else None,
            "p95": round(float(np.percentile(lat, 95)), 1) if lat else None,
            "mean": round(statistics.fmean(lat), 1) if lat else None,
        },
        "frames_dropped_before_analysis": int(sum(a[2] for a in analysed)),
        "targets": {"displayed_fps": 28, "analysis_hz": 20},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--source", choices=["demo", "portrait", "both"], default="both")
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "live.json"))
    args = parser.parse_args(argv)
    kinds = ["demo", "portrait"] if args.source == "both" else [args.source]
    runs = [run(args.seconds, kind) for kind in kinds]
    result = {"runs": runs, "displayed_fps_min": min(r["displayed_fps"] for r in runs),
              "analysis_hz_min": min(r["analysis_hz"] for r in runs)}
    report = {
        "benchmark": "live",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None},
        **result,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
