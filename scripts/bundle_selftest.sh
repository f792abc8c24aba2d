#!/usr/bin/env bash
# Build the frozen one-folder app (`make bundle` -> dist/studio_app/), start it offscreen with
# --self-test, and measure: build time, bundle size, self-test time, start-up to the main window
# (operator and kiosk, on Xvfb). Writes benchmarks/results/bundle.json; exits non-zero when the
# build or the frozen self-test fails.
#
#   scripts/bundle_selftest.sh              build, then measure
#   SKIP_BUILD=1 scripts/bundle_selftest.sh measure an existing dist/studio_app
#   NO_GUI=1 ...                            skip the start-up (Xvfb) measurements
#   HEADLESS_OPENCV=1 ...                   bundle opencv-contrib-python-headless (no Qt5/X11 libs)
#
# The build is CPU-heavy (minutes on 2 cores); it runs at low priority.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
mkdir -p benchmarks/results build
if [[ "${HEADLESS_OPENCV:-0}" == "1" ]]; then
    # Bundle OpenCV without its GUI (Qt5/X11) libraries: same package family, headless build.
    if [[ ! -d build/opencv-headless/cv2 ]]; then
        rm -rf build/opencv-wheel && mkdir -p build/opencv-wheel build/opencv-headless
        "$PY" -m pip download -q --no-deps -d build/opencv-wheel opencv-contrib-python-headless
        "$PY" -m zipfile -e build/opencv-wheel/opencv_contrib_python_headless-*.whl build/opencv-headless
    fi
    export STUDIO_APP_OPENCV_DIR="$PWD/build/opencv-headless"
    echo "OpenCV: headless wheel from $STUDIO_APP_OPENCV_DIR"
fi
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
args+=(--variant "$([[ "${HEADLESS_OPENCV:-0}" == "1" ]] && echo headless-opencv || echo standard)")
exec "$PY" scripts/bundle_measure.py "${args[@]}"
