"""Measure the frozen one-folder app in dist/: size, self-test, start-up to the main window.

Called by scripts/bundle_selftest.sh after `make bundle`; can be run alone on an existing build:

    .venv/bin/python scripts/bundle_measure.py [--build-seconds N] [--out benchmarks/results/bundle.json]

* size: bytes on disk of dist/studio_app (du), plus the largest parts;
* self-test: `studio-app --self-test` offscreen, wall time and exit code (a first run right after
  the build, and a second, warm one);
* start-up: the app started on a virtual X screen (Xvfb), time until its main window is mapped
  (polled with xwininfo), for the operator window and for the kiosk.

Nothing here asserts a time; the numbers are written to JSON for the packaging notes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "pyinstaller_hooks"))
import bundle_config as cfg  # noqa: E402

DIST = REPO / "dist" / cfg.DIST_NAME
EXE = DIST / (cfg.EXE_CONSOLE + (".exe" if os.name == "nt" else ""))


def _use_dist(path: Path) -> None:
    global DIST, EXE
    DIST = path.resolve()
    EXE = DIST / (cfg.EXE_CONSOLE + (".exe" if os.name == "nt" else ""))


def du_bytes(path: Path) -> int:
    out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


def du_human(path: Path) -> str:
    return subprocess.run(["du", "-sh", str(path)], capture_output=True, text=True, check=True).stdout.split()[0]


def largest_parts(root: Path, n: int = 12) -> list[dict]:
    internal = root / "_internal"
    base = internal if internal.is_dir() else root
    parts = []
    for child in base.iterdir():
        size = du_bytes(child) if child.is_dir() and not child.is_symlink() else child.lstat().st_size
        parts.append({"path": str(child.relative_to(root)), "mb": round(size / 2**20, 1)})
    parts.sort(key=lambda p: -p["mb"])
    return parts[:n]


# Components of the one-folder app, by path inside _internal/ (first match wins). Sizes are the
# bytes of regular files (symbolic links count 0), so the parts add up to the bundle.
COMPONENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("OpenCV", ("cv2/*", "opencv_contrib_python.libs/*", "opencv*")),
    ("MediaPipe", ("mediapipe/*", "mediapipe.libs/*")),
    ("Qt: ICU data and libraries", ("PySide6/Qt/lib/libicu*",)),
    ("Qt: FFmpeg (multimedia backend)", ("PySide6/Qt/lib/libav*", "PySide6/Qt/lib/libsw*",
                                         "PySide6/Qt/lib/libQt6FFmpegStub*")),
    ("Qt: Qml/Quick (linked by the FFmpeg plugin)", ("PySide6/Qt/lib/libQt6Qml*", "PySide6/Qt/lib/libQt6Quick*")),
    ("Qt: other libraries", ("PySide6/Qt/lib/*",)),
    ("Qt: plugins", ("PySide6/Qt/plugins/*", "PySide6/plugins/*")),
    ("Qt: translations", ("PySide6/Qt/translations/*", "PySide6/translations/*")),
    ("PySide6 bindings", ("PySide6/*", "shiboken6/*")),
    ("NumPy", ("numpy/*", "numpy.libs/*")),
    ("Pillow", ("PIL/*", "pillow.libs/*")),
    ("Python runtime", ("libpython*", "python3*/*", "base_library.zip", "lib-dynload/*", "_*.so")),
    ("resources (models, fonts, demo, i18n, sounds, icons)", ("resources/*",)),
    ("cryptography", ("cryptography*", "_cffi_backend*")),
    ("psycopg (PostgreSQL)", ("psycopg*",)),
    ("SQLAlchemy", ("sqlalchemy/*",)),
    ("pypdfium2", ("pypdfium2*",)),
    ("ReportLab", ("reportlab/*",)),
    ("studio_app package data", ("studio_app/*",)),
    ("system libraries (Linux)", ("lib*.so*",)),
)


def component_of(rel: str) -> str:
    import fnmatch

    for name, patterns in COMPONENTS:
        if any(fnmatch.fnmatch(rel, pat) for pat in patterns):
            return name
    return "other"


def component_sizes(root: Path) -> dict:
    """``{component: {"mb": ..., "files": ...}}``, largest first, plus the executables."""
    internal = root / "_internal"
    base = internal if internal.is_dir() else root
    sizes: dict[str, list[int]] = {}
    for path in base.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        name = component_of(path.relative_to(base).as_posix())
        entry = sizes.setdefault(name, [0, 0])
        entry[0] += path.stat().st_size
        entry[1] += 1
    for exe in root.iterdir():
        if exe.is_file() and not exe.is_symlink():
            entry = sizes.setdefault("executables (+ PYZ archive)", [0, 0])
            entry[0] += exe.stat().st_size
            entry[1] += 1
    return {k: {"mb": round(v[0] / 2**20, 1), "files": v[1]}
            for k, v in sorted(sizes.items(), key=lambda kv: -kv[1][0])}


def drop_caches() -> str:
    """Make the next start a cold one: empty the page cache (root outside a container), or at
    least evict every file of the bundle from it (posix_fadvise DONTNEED, no privileges needed;
    shared system libraries such as libc stay cached)."""
    os.sync()
    try:
        with open("/proc/sys/vm/drop_caches", "w") as fh:
            fh.write("3\n")
        return "page cache dropped"
    except OSError:
        pass
    if not hasattr(os, "posix_fadvise"):
        return "none (warm)"
    for path in DIST.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return "bundle files evicted from the page cache"


def run_selftest(home: Path) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STUDIO_APP_HOME=str(home))
    env.pop("DISPLAY", None)
    t0 = time.perf_counter()
    proc = subprocess.run([str(EXE), "--self-test"], capture_output=True, text=True, env=env, timeout=600)
    seconds = time.perf_counter() - t0
    return {
        "exit_code": proc.returncode,
        "seconds": round(seconds, 2),
        "stdout": proc.stdout.strip().splitlines(),
        "stderr_tail": proc.stderr.strip().splitlines()[-15:],
    }


# Times differ run to run; so does a file size by a few bytes (JPEG/PDF metadata), while the
# decoded pixels are the same: compare lines with both normalised.
_TIMING = re.compile(r" \(\d+\.\d+ s\)|\d+ KB(?! \(band)")


def compare_with_source(frozen_lines: list[str], home: Path) -> dict:
    """Run the same self-test from the checkout: the frozen app must compute the same results
    (same faces, checks, corrections, file sizes) - a missing data file or module would show."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STUDIO_APP_HOME=str(home))
    env.pop("DISPLAY", None)
    proc = subprocess.run([sys.executable, "-m", "studio_app", "--self-test"], capture_output=True, text=True,
                          env=env, timeout=600, cwd=REPO)
    src = [_TIMING.sub("", line) for line in proc.stdout.splitlines() if line.startswith("[")]
    frz = [_TIMING.sub("", line) for line in frozen_lines if line.startswith("[")]
    differ = [{"source": a, "frozen": b} for a, b in zip(src, frz) if a != b]
    return {"source_exit_code": proc.returncode, "same_results": not differ and len(src) == len(frz),
            "differences": differ}


def _windows(display: str) -> list[dict]:
    out = subprocess.run(["xwininfo", "-root", "-children", "-display", display],
                         capture_output=True, text=True).stdout
    found = []
    for m in re.finditer(r"^\s+(0x[0-9a-f]+) (\"[^\"]*\"|\(has no name\)).*?(\d+)x(\d+)\+", out, re.M):
        wid, name, w, h = m.group(1), m.group(2).strip('"'), int(m.group(3)), int(m.group(4))
        found.append({"id": wid, "name": name, "w": w, "h": h})
    return found


def _viewable(display: str, wid: str) -> bool:
    out = subprocess.run(["xwininfo", "-id", wid, "-display", display], capture_output=True, text=True).stdout
    return "IsViewable" in out


def start_xvfb(display: str) -> subprocess.Popen | None:
    if not shutil.which("Xvfb") or not shutil.which("xwininfo"):
        return None
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["xwininfo", "-root", "-display", display], capture_output=True).returncode == 0:
            return proc
        time.sleep(0.05)
    proc.kill()
    return None


def time_to_main_window(display: str, home: Path, extra: list[str], screenshot: Path | None,
                        timeout: float = 120.0) -> dict:
    """Start the frozen app on the X display; seconds until a large window is mapped."""
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", STUDIO_APP_HOME=str(home))
    before = {w["id"] for w in _windows(display)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(EXE), *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    result: dict = {"args": extra, "seconds": None}
    try:
        while time.perf_counter() - t0 < timeout:
            if proc.poll() is not None:
                result["exited"] = proc.returncode
                break
            for w in _windows(display):
                if w["id"] in before or w["w"] < 400 or w["h"] < 300:
                    continue
                if _viewable(display, w["id"]):
                    result.update(seconds=round(time.perf_counter() - t0, 2), window=w)
                    break
            if result["seconds"] is not None:
                break
            time.sleep(0.05)
        if result["seconds"] is not None and screenshot and shutil.which("import"):
            time.sleep(1.5)  # let the first frames paint
            subprocess.run(["import", "-display", display, "-window", "root", str(screenshot)],
                           capture_output=True, timeout=30)
            result["screenshot"] = str(screenshot.relative_to(REPO)) if screenshot.is_file() else None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        _out, err = proc.communicate()
        result["stderr_tail"] = err.decode("utf-8", "replace").strip().splitlines()[-8:]
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-seconds", type=float, default=None)
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "bundle.json"))
    ap.add_argument("--no-gui", action="store_true", help="skip the start-up measurements")
    ap.add_argument("--variant", default="standard", help="label stored in the JSON (e.g. standard)")
    ap.add_argument("--dist", default=None, help="the one-folder app to measure (default dist/studio_app)")
    args = ap.parse_args()
    if args.dist:
        _use_dist(Path(args.dist))
    if not EXE.is_file():
        print(f"no frozen app at {EXE}: run `make bundle` first", file=sys.stderr)
        return 2

    results: dict = {
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "host": {"system": platform.system(), "machine": platform.machine(), "cpus": os.cpu_count(),
                 "python": platform.python_version()},
        "variant": args.variant,
        "build_seconds": args.build_seconds,
        "bundle": {"path": os.path.relpath(DIST, REPO), "bytes": du_bytes(DIST), "du_sh": du_human(DIST),
                   "files": sum(1 for p in DIST.rglob("*") if p.is_file()),
                   "dangling_symlinks": [str(p.relative_to(DIST)) for p in DIST.rglob("*")
                                         if p.is_symlink() and not p.exists()],
                   "largest": largest_parts(DIST),
                   "components": component_sizes(DIST)},
        "aim_mb": 450,
    }
    try:
        import PyInstaller

        results["pyinstaller"] = PyInstaller.__version__
    except ImportError:
        pass
    results["bundle"]["mb"] = round(results["bundle"]["bytes"] / 2**20, 1)
    # What build.spec left out or stripped (written by the build next to its other work files).
    trim = REPO / "build" / "build" / "trimmed.json"
    if trim.is_file() and trim.stat().st_mtime >= (EXE.stat().st_mtime - 3600):
        report = json.loads(trim.read_text(encoding="utf-8"))
        results["trimmed"] = {"total_mb": report["total_mb"], "by_reason_mb": report["by_reason_mb"],
                              "largest": [dict(f, mb=round(f["bytes"] / 2**20, 2)) for f in report["files"][:25]]}

    with tempfile.TemporaryDirectory(prefix="bundle-measure-") as tmp:
        home = Path(tmp)
        cold = drop_caches()
        first = run_selftest(home / "st1")
        first["cold"] = cold
        second = run_selftest(home / "st2")
        results["selftest_first"] = first
        results["selftest_warm"] = second
        results["frozen_vs_source"] = compare_with_source(first["stdout"], home / "src")
        print("\n".join(first["stdout"]))

        if not args.no_gui:
            display = ":93"
            xvfb = start_xvfb(display)
            if xvfb is None:
                results["startup"] = {"skipped": "Xvfb/xwininfo not available"}
            else:
                try:
                    shots = REPO / "benchmarks" / "results"
                    shots.mkdir(parents=True, exist_ok=True)
                    cold = drop_caches()
                    op = time_to_main_window(display, home / "op", [], shots / "bundle_operator.png")
                    op["cold"] = cold
                    op_warm = time_to_main_window(display, home / "op2", [], None)
                    # The kiosk refuses to start without an admin PIN (the installer asks for one).
                    pin_env = dict(os.environ, STUDIO_APP_HOME=str(home / "kiosk"), QT_QPA_PLATFORM="offscreen")
                    pin = subprocess.run([str(EXE), "kiosk", "set-pin", "--pin-stdin"], input="246813\n",
                                         capture_output=True, text=True, env=pin_env, timeout=120)
                    cold = drop_caches()
                    kiosk = time_to_main_window(display, home / "kiosk", ["--kiosk"], shots / "bundle_kiosk.png")
                    kiosk["cold"] = cold
                    kiosk["set_pin_exit"] = pin.returncode
                    kiosk_warm = time_to_main_window(display, home / "kiosk", ["--kiosk"], None)
                    results["startup"] = {"operator_first": op, "operator_warm": op_warm, "kiosk": kiosk,
                                          "kiosk_warm": kiosk_warm}
                finally:
                    xvfb.terminate()
                    xvfb.wait(timeout=10)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.is_file():  # keep the Windows estimate (scripts/estimate_windows_bundle.py) across re-measures
        previous = json.loads(out.read_text(encoding="utf-8"))
        if "windows_estimate" in previous:
            results["windows_estimate"] = previous["windows_estimate"]
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    summary = {
        "build_s": results["build_seconds"], "size": results["bundle"]["du_sh"],
        "selftest_exit": first["exit_code"], "selftest_s": first["seconds"], "selftest_warm_s": second["seconds"],
        "main_window_s": results.get("startup", {}).get("operator_first", {}).get("seconds"),
        "kiosk_window_s": results.get("startup", {}).get("kiosk", {}).get("seconds"),
        "same_as_source": results["frozen_vs_source"]["same_results"],
    }
    print(json.dumps(summary, ensure_ascii=False))
    print(f"written: {out}")
    return 0 if first["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
