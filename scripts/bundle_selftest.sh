#!/usr/bin/env bash
# Build the frozen one-folder app (`make bundle` -> dist/studio_app/), start it offscreen with
# --self-test, and measure: build time, bundle size, self-test time, start-up to the main window
# (operator and kiosk, on Xvfb). Writes benchmarks/results/bundle.json; exits non-zero when the
# build or the frozen self-test fails.
#
#   scripts/bundle_selftest.sh              build, then measure
#   SKIP_BUILD=1 scripts/bundle_selftest.sh measure an existing dist/studio_app
#   NO_GUI=1 ...                            skip the start-up (Xvfb) measurements
#
# The build is CPU-heavy (minutes on 2 cores); it runs at low priority.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
mkdir -p benchmarks/results build
build_seconds=""
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    start=$(date +%s.%N)
    if ! nice -n 10 make bundle > build/bundle.log 2>&1; then
        tail -40 build/bundle.log
        echo "make bundle FAILED (full log: build/bundle.log)" >&2
        exit 1
    fi
    end=$(date +%s.%N)
    build_seconds=$(python3 -c "print(round($end - $start, 1))")
    echo "build: ${build_seconds} s (log: build/bundle.log)"
    grep -E "WARNING: (Hidden import|Library not found|Cannot find)" build/bundle.log | sort -u | head -20 || true
fi

echo "size: $(du -sh dist/studio_app | cut -f1)"
args=()
[[ -n "$build_seconds" ]] && args+=(--build-seconds "$build_seconds")
[[ "${NO_GUI:-0}" == "1" ]] && args+=(--no-gui)
[[ -n "${BUNDLE_JSON:-}" ]] && args+=(--out "$BUNDLE_JSON")
exec "$PY" scripts/bundle_measure.py "${args[@]}"
