"""`make bench`: run every benchmark in its own process (clean memory and model state for each);
each writes its JSON to benchmarks/results/. The soak run is long: `make bench SOAK=1` adds it."""

from __future__ import annotations

import os
import subprocess
import sys

BENCHES = ["bench_analysis", "bench_pipeline", "bench_live", "bench_regions", "bench_batch"]


def main() -> int:
    names = BENCHES + (["bench_soak"] if os.environ.get("SOAK") else [])
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], env=env).returncode != 0:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
