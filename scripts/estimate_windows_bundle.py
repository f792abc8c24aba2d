"""Estimate the size of the Windows one-folder bundle (dist\\studio_app) without a Windows machine.

An ESTIMATE, not a measurement: the product ships on Windows, but only the Linux build can be run
here. What it does:

1. the runtime dependency closure of studio-app (with the ``postgres`` extra, which the installer
   bundles), markers evaluated for Windows, at the versions installed in this venv;
   distributions whose packages build.spec excludes (matplotlib, sounddevice, ...) are skipped;
2. ``pip download --platform win_amd64 --python-version 3.11 --only-binary=:all: --no-deps`` of
   each, unpacked into one folder (like site-packages);
3. applies build.spec's rules by name (pyinstaller_hooks/bundle_config.py): only packages the Linux
   build collected (read from its work files), excluded modules left out, the Qt plugin
   allow-list, Qt translations, then the binaries the kept ones link (PE import tables, read by
   bundle_config.direct_imports), as PyInstaller's dependency analysis would;
4. adds what no wheel holds, from the Linux build: the app's resources and package data, and the
   executables (bootloader + the PYZ of compiled modules, twice: studio-app.exe and
   StudioApp.exe each embed it), plus an assumed size for the python.org runtime (python311.dll,
   the DLLs\\ extension modules, OpenSSL, SQLite; see PYTHON_RUNTIME_MB).

With and without OpenCV (cv2 and whatever only it links). Results go to stdout and into
benchmarks/results/bundle.json (key ``windows_estimate``).

    .venv/bin/python scripts/estimate_windows_bundle.py [--cache build/win-wheels] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "pyinstaller_hooks"))
import bundle_config as cfg  # noqa: E402

WORK = REPO / "build" / "build"          # build.spec's work folder (make bundle)
DIST = REPO / "dist" / cfg.DIST_NAME
# python311.dll 5.6 MB + DLLs\*.pyd and their libcrypto-3/libssl-3/sqlite3/libffi DLLs (~10 MB) +
# base_library.zip 1.4 MB, as in a PyInstaller build with the python.org 3.11 installer. Not in any
# wheel, so assumed rather than downloaded; the Linux equivalent measures ~19 MB after strip.
PYTHON_RUNTIME_MB = 17.0
WIN_MARKERS = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
               "platform_machine": "AMD64", "python_version": "3.11", "python_full_version": "3.11.9",
               "implementation_name": "cpython", "platform_python_implementation": "CPython"}
# Loaded at run time by name (ctypes / Qt / hooks), so never found through import tables.
EXTRA_ROOTS = (
    "mediapipe/tasks/c/libmediapipe.dll",      # hook-mediapipe.py
    "pypdfium2_raw/pdfium.dll",                # pypdfium2's own hook
    "PySide6/opengl32sw.dll",                  # PyInstaller's Qt hook; build.spec drops it (DROP_BINARIES)
    "cv2/opencv_videoio_ffmpeg*.dll",          # hook-cv2 (VideoCapture of files)
)


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def top_names_of(dist: metadata.Distribution) -> set[str]:
    text = dist.read_text("top_level.txt")
    if text:
        return {line.strip() for line in text.splitlines() if line.strip()}
    names = set()
    for f in dist.files or ():
        first = f.parts[0]
        if first.endswith((".dist-info", ".data")) or first == "..":
            continue
        names.add(first[:-3] if first.endswith(".py") else first.split(".")[0])
    return names


def runtime_closure() -> dict[str, str]:
    """``{distribution: version}`` that the Windows app needs at run time."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    env_base = dict(default_environment(), **WIN_MARKERS)
    excluded_tops = {m.split(".")[0] for m in cfg.EXCLUDE_PACKAGES if "." not in m}
    out: dict[str, str] = {}
    todo = [("studio-app", {"postgres"})]
    while todo:
        name, extras = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            out.setdefault(norm(name), "")  # Windows-only dependency not installed here: latest
            continue
        tops = top_names_of(dist)
        if tops & excluded_tops:
            continue  # e.g. matplotlib, sounddevice: build.spec leaves their packages out
        if norm(name) != "studio-app":
            if norm(name) in out:
                continue
            out[norm(name)] = dist.version
        for spec in dist.requires or ():
            req = Requirement(spec)
            if req.marker and not any(req.marker.evaluate(dict(env_base, extra=e)) for e in (extras or {""})):
                continue
            todo.append((req.name, set(req.extras)))
    return out


def download(dists: dict[str, str], dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    wheels = []
    for name, version in sorted(dists.items()):
        pin = f"{name}=={version}" if version else name
        have = [w for w in dest.glob("*.whl")
                if norm(w.name.split("-")[0]) == name and (not version or w.name.split("-")[1] == version)]
        if not have:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                            "--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp",
                            "-d", str(dest), pin], check=True)
            have = [w for w in dest.glob("*.whl") if norm(w.name.split("-")[0]) == name]
        wheels.append(sorted(have)[-1])
    return wheels


def linux_collected() -> tuple[set[str], set[str]]:
    """Top-level names the Linux build collected (packages, modules), and the PySide6 modules."""
    import ast

    tops: set[str] = set()
    qt_modules: set[str] = set()
    toc = WORK / "PYZ-00.toc"
    if not toc.is_file():
        raise SystemExit(f"{toc} missing: run `make bundle` first (the estimate reads what it collected)")
    data = ast.literal_eval(toc.read_text(encoding="utf-8"))
    for name, _src, _typ in data[1]:
        tops.add(name.split(".")[0])
    base = DIST / "_internal"
    for child in base.iterdir():
        tops.add(child.name.split(".")[0])
    for so in (base / "PySide6").glob("Qt*.abi3.so"):
        qt_modules.add(so.name.split(".")[0])
    return tops, qt_modules


def component(rel: str) -> str:
    top = rel.split("/")[0]
    if top in ("cv2", "opencv_contrib_python.libs") or top.startswith("opencv"):
        return "OpenCV"
    if top == "PySide6":
        if "/plugins/" in rel:
            return "Qt: plugins"
        if "/translations/" in rel:
            return "Qt: translations"
        name = rel.rsplit("/", 1)[-1].lower()
        if name.startswith(("av", "sw")) and name.endswith(".dll"):
            return "Qt: FFmpeg (multimedia backend)"
        if name.startswith(("qt6qml", "qt6quick")):
            return "Qt: Qml/Quick (linked by the FFmpeg plugin)"
        if name == "opengl32sw.dll":
            return "Qt: opengl32sw.dll (software OpenGL)"
        if name.endswith(".pyd"):
            return "PySide6 bindings"
        return "Qt: other libraries"
    return {"shiboken6": "PySide6 bindings", "mediapipe": "MediaPipe", "numpy": "NumPy", "numpy.libs": "NumPy",
            "PIL": "Pillow", "cryptography": "cryptography", "_cffi_backend": "cryptography",
            "sqlalchemy": "SQLAlchemy", "pypdfium2_raw": "pypdfium2", "pypdfium2": "pypdfium2",
            "reportlab": "ReportLab"}.get(top.split(".")[0] if top.endswith(".pyd") else top,
                                          "psycopg (PostgreSQL)" if top.startswith("psycopg") else "other packages")


def select(site: Path, tops: set[str], qt_modules: set[str], with_opencv: bool) -> dict[str, int]:
    """``{relative path: bytes}`` of what build.spec would collect from the unpacked wheels."""
    import fnmatch

    files = {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}

    def package_wanted(rel: str) -> bool:
        top = rel.split("/")[0]
        if top.endswith((".dist-info", ".data")):
            return False
        name = top[:-5] if top.endswith(".libs") else top.split(".")[0]   # numpy.libs -> numpy
        if name.startswith("opencv") or name == "cv2":
            return with_opencv
        if name not in tops and name.replace("-", "_") not in tops:
            return False
        module = rel[:-4].replace("/", ".") if rel.endswith(".pyd") else ""
        return not (module and cfg.is_excluded(module.split(".cp3")[0]))

    # Binaries: extension modules of wanted packages (PySide6: only the Qt modules the Linux build
    # had), the allow-listed Qt plugins, and EXTRA_ROOTS; then everything they link.
    roots: list[str] = []
    for rel in files:
        if not package_wanted(rel):
            continue
        if rel.endswith(".pyd"):
            if rel.startswith("PySide6/Qt") and rel.split("/")[-1].split(".")[0] not in qt_modules:
                continue
            roots.append(rel)
        elif cfg.qt_plugin(rel) and rel.endswith(".dll") and cfg.keep_binary(rel):
            roots.append(rel)
        elif any(fnmatch.fnmatch(rel, pat) for pat in EXTRA_ROOTS) and cfg.keep_binary(rel):
            roots.append(rel)
    by_name: dict[str, list[str]] = {}
    for rel in files:
        if rel.lower().endswith((".dll", ".pyd")):
            by_name.setdefault(rel.rsplit("/", 1)[-1].lower(), []).append(rel)
    chosen: set[str] = set()
    stack = list(roots)
    while stack:
        rel = stack.pop()
        if rel in chosen:
            continue
        if not with_opencv and (rel.startswith("cv2/") or rel.startswith("opencv")):
            continue
        chosen.add(rel)
        for dep in cfg.direct_imports(files[rel]):
            hits = by_name.get(dep.lower(), [])
            # Prefer a copy in the same package (delvewheel's .libs), as the loader would.
            hits = sorted(hits, key=lambda h: h.split("/")[0] != rel.split("/")[0])
            if hits and cfg.keep_binary(hits[0]):
                stack.append(hits[0])
    # Data files the hooks collect: Qt translations (filtered as build.spec does), MediaPipe's
    # data, certifi's bundle, ReportLab's fonts; no .py (they are in the PYZ) and no .pyi/headers.
    for rel in files:
        if rel in chosen or not package_wanted(rel) or rel.endswith((".py", ".pyc", ".pyi", ".dll", ".pyd", ".lib",
                                                                    ".h", ".hpp", ".typed", ".exe", ".cmake")):
            continue
        top = rel.split("/")[0]
        if top == "PySide6":
            if "/translations/" in rel and rel.endswith(".qm") and cfg.keep_qt_translation(rel):
                chosen.add(rel)
            continue
        if top in ("mediapipe", "certifi", "reportlab", "cv2") and "/include/" not in rel:
            chosen.add(rel)
    return {rel: files[rel].stat().st_size for rel in chosen}


def from_linux_build() -> dict[str, float]:
    """Parts no wheel holds, taken from the Linux build (platform-independent)."""
    base = DIST / "_internal"

    def mb(path: Path) -> float:
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20

    exe = DIST / cfg.EXE_CONSOLE
    return {
        "resources (models, fonts, demo, i18n, sounds, icons)": round(mb(base / "resources"), 1),
        "studio_app package data": round(mb(base / "studio_app"), 1),
        "executables x2 (bootloader + PYZ each; Linux size)": round(2 * exe.stat().st_size / 2**20, 1),
        "Python runtime (assumed, python.org 3.11)": PYTHON_RUNTIME_MB,
    }


def estimate(site: Path, with_opencv: bool, tops: set[str], qt_modules: set[str]) -> dict:
    chosen = select(site, tops, qt_modules, with_opencv)
    parts: dict[str, float] = {}
    for rel, size in chosen.items():
        parts[component(rel)] = parts.get(component(rel), 0) + size / 2**20
    parts.update(from_linux_build())
    parts = {k: round(v, 1) for k, v in sorted(parts.items(), key=lambda kv: -kv[1])}
    largest = sorted(chosen.items(), key=lambda kv: -kv[1])[:15]
    return {"mb": round(sum(parts.values()), 1), "files_from_wheels": len(chosen), "components_mb": parts,
            "largest_files_mb": {rel: round(size / 2**20, 1) for rel, size in largest}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", default=str(REPO / "build" / "win-wheels"), help="where the wheels are downloaded")
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results" / "bundle.json"))
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args()

    dists = runtime_closure()
    wheels = download(dists, Path(args.cache))
    tops, qt_modules = linux_collected()
    with tempfile.TemporaryDirectory(prefix="win-bundle-") as tmp:
        site = Path(tmp)
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as zf:
                zf.extractall(site)
        with_cv = estimate(site, True, tops, qt_modules)
        without_cv = estimate(site, False, tops, qt_modules)
    result = {
        "what": "ESTIMATE of dist\\studio_app on Windows (not measured): win_amd64 cp311 wheels of the "
                "installed versions, build.spec's include/exclude rules applied by name, Qt plugins by the "
                "allow-list, DLLs by their import tables; resources and executables from the Linux build; "
                f"the python.org runtime assumed {PYTHON_RUNTIME_MB} MB. Expect +-10 %.",
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "wheels": sorted(w.name for w in wheels),
        "with_opencv": with_cv,
        "without_opencv": without_cv,
        "opencv_mb": round(with_cv["mb"] - without_cv["mb"], 1),
    }
    print(json.dumps({k: result[k] for k in ("with_opencv", "without_opencv", "opencv_mb")}, indent=1))
    print(f"Windows estimate: {with_cv['mb']:.0f} MB with OpenCV, {without_cv['mb']:.0f} MB without")
    if not args.no_write:
        out = Path(args.out)
        data = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
        data["windows_estimate"] = result
        out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"written: {out} (windows_estimate)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
