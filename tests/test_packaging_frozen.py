"""The frozen one-folder app in dist/ (opt-in: building takes minutes of CPU).

    make bundle && STUDIO_APP_TEST_BUNDLE=1 .venv/bin/python -m pytest tests/test_packaging_frozen.py

or `scripts/bundle_selftest.sh`, which also measures. Skipped unless STUDIO_APP_TEST_BUNDLE=1.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(os.environ.get("STUDIO_APP_TEST_BUNDLE") != "1",
                                reason="frozen-bundle tests are opt-in: STUDIO_APP_TEST_BUNDLE=1 after `make bundle`")


def _cfg():
    spec = importlib.util.spec_from_file_location("bundle_config", REPO / "pyinstaller_hooks" / "bundle_config.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dist() -> Path:
    cfg = _cfg()
    root = REPO / "dist" / cfg.DIST_NAME
    exe = root / (cfg.EXE_CONSOLE + (".exe" if sys.platform == "win32" else ""))
    if not exe.is_file():
        pytest.fail(f"{exe} missing: run `make bundle` first")
    return root


def _internal(dist: Path) -> Path:
    return dist / "_internal" if (dist / "_internal").is_dir() else dist


def test_frozen_self_test_passes_offscreen(dist, tmp_path):
    cfg = _cfg()
    exe = dist / (cfg.EXE_CONSOLE + (".exe" if sys.platform == "win32" else ""))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STUDIO_APP_HOME=str(tmp_path))
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "STUDIO_APP_RESOURCES", "PYTHONPATH"):
        env.pop(var, None)
    proc = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True, env=env, timeout=600,
                          cwd=tmp_path)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr[-3000:]
    assert "安装版 / frozen" in out  # it really ran frozen, not from the checkout
    assert out.count("[通过 PASS]") == 8, out
    assert "Self-test passed" in out


def test_frozen_app_reports_a_broken_model(dist, tmp_path):
    """The installed self-test must catch a damaged install, not only pass on a good one."""
    import shutil

    cfg = _cfg()
    copy = tmp_path / "app"
    shutil.copytree(dist, copy, symlinks=True)
    model = _internal(copy) / "resources" / "models" / "selfie_segmentation.tflite"
    data = bytearray(model.read_bytes())
    data[500] ^= 0xFF
    model.write_bytes(bytes(data))
    exe = copy / (cfg.EXE_CONSOLE + (".exe" if sys.platform == "win32" else ""))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STUDIO_APP_HOME=str(tmp_path / "home"))
    env.pop("STUDIO_APP_RESOURCES", None)
    proc = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 1
    assert "selfie_segmentation.tflite" in proc.stdout
    assert "Self-test FAILED: resources" in proc.stdout


def test_bundle_holds_the_resources_and_plugins(dist):
    base = _internal(dist)
    res = base / "resources"
    for name in ("models/face_landmarker.task", "models/SHA256SUMS", "models/LICENSE", "demo/astronaut.png",
                 "icons/studio_app.ico"):
        assert (res / name).is_file(), name
    assert list((res / "fonts").glob("*.tt[cf]"))
    assert list((base / "studio_app" / "specs" / "data").glob("*.toml"))
    assert list((base / "mediapipe" / "tasks" / "c").glob("libmediapipe*"))
    plugins = base / "PySide6" / ("plugins" if sys.platform == "win32" else "Qt/plugins")
    assert list((plugins / "multimedia").glob("*ffmpeg*")), "Qt multimedia FFmpeg backend missing"
    assert list((plugins / "platforms").glob("*offscreen*"))
    assert list((plugins / "imageformats").glob("*jpeg*"))


def test_bundle_leaves_out_the_bloat(dist):
    base = _internal(dist)
    for pkg in ("matplotlib", "skimage", "scipy", "tkinter", "pytest", "PyInstaller"):
        assert not (base / pkg).exists(), pkg
    names = {p.name for p in base.rglob("*") if p.is_file()}
    # (libQt6Qml/libQt6Quick stay: Qt 6.12's FFmpeg multimedia plugin links them.)
    for forbidden in ("WebEngineCore", "Qt63D", "Qt6Charts", "Qt6Designer", "Qt6Quick3D", "VirtualKeyboard",
                      "Qt6Pdf", "Qt6Bluetooth", "Qt6Positioning",
                      # trimmed: what the gtk3 theme, Wayland/EGLFS platforms and libcups pulled in
                      "Qt6WaylandClient", "Qt6WlShell", "Qt6EglFS", "libgtk-3", "libgdk-3", "libcairo",
                      "libpango", "libatk", "libgdk_pixbuf", "libcups.", "libgnutls", "libavahi"):
        assert not [n for n in names if forbidden in n], forbidden
    assert not list(base.rglob("qml"))
    assert not list(base.glob("PIL/_avif*")) and not list(base.glob("PIL/_imagingtk*"))
    qt_translations = [n for n in names if n.endswith(".qm") and n.startswith("qt")]
    assert qt_translations and all(n.endswith(("_zh_CN.qm", "_en.qm")) for n in qt_translations), qt_translations
    assert not [n for n in qt_translations if n.startswith("qt_help")]


def test_every_qt_plugin_in_the_bundle_is_on_the_allow_list(dist):
    cfg = _cfg()
    base = _internal(dist)
    plugins = [p.relative_to(base).as_posix() for p in base.glob("PySide6/**/plugins/*/*") if p.is_file()]
    assert plugins
    extra = [p for p in plugins if not cfg.keep_qt_plugin(p)]
    assert not extra, extra
    folders = {p.split("/")[-2] for p in plugins}
    assert {"platforms", "imageformats", "multimedia", "iconengines"} <= folders, folders


def test_every_library_a_bundled_binary_links_is_bundled_or_a_system_library(dist):
    """Pruning must never take a library that a kept file still links (ELF only: on Windows the
    frozen self-test is the check)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("ELF check")
    cfg = _cfg()
    base = _internal(dist)
    present = {p.name for p in base.rglob("*")}
    missing = {}
    for path in base.rglob("*"):
        if path.is_symlink() or not path.is_file() or ".so" not in path.name:
            continue
        if path.relative_to(base).parts[0] in ("cv2", "opencv_contrib_python.libs"):
            continue  # OpenCV's own Qt5/X11 GUI libraries (about to leave the bundle)
        for name in cfg.direct_imports(path):
            if name not in present and not _system_library(name) and not cfg.is_host_lib(name):
                missing.setdefault(name, []).append(path.name)
    assert not missing, missing


def _system_library(name: str) -> bool:
    """Libraries PyInstaller never bundles on Linux (glibc, the GL/EGL drivers...) - they must come
    from the host; found through the dynamic loader's cache."""
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    return f"{name} " in out


def _start_and_stop(exe: Path, args: list[str], home: Path, seconds: float = 8.0) -> tuple[int | None, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STUDIO_APP_HOME=str(home))
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "STUDIO_APP_RESOURCES", "PYTHONPATH"):
        env.pop(var, None)
    proc = subprocess.Popen([str(exe), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        return None, out + err
    return proc.returncode, out + err


@pytest.mark.parametrize("mode", ["operator", "kiosk"])
def test_frozen_window_starts_offscreen(dist, tmp_path, mode):
    """The operator window and the kiosk start with the trimmed Qt (offscreen) and are still up
    after 8 s: no missing plugin, library or module on the way to the main window."""
    cfg = _cfg()
    exe = dist / (cfg.EXE_CONSOLE + (".exe" if sys.platform == "win32" else ""))
    args = ["--source", str(_internal(dist) / "resources" / "demo" / "astronaut.png")]
    if mode == "kiosk":
        env = dict(os.environ, STUDIO_APP_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
        pin = subprocess.run([str(exe), "kiosk", "set-pin", "--pin-stdin"], input="246813\n", capture_output=True,
                             text=True, env=env, timeout=120)
        assert pin.returncode == 0, pin.stdout + pin.stderr
        args.append("--kiosk")
    code, output = _start_and_stop(exe, args, tmp_path)
    assert code is None, f"exited with {code}:\n{output[-3000:]}"
    for bad in ("Traceback", "ModuleNotFoundError", "could not load the Qt platform plugin", "cannot open shared object"):
        assert bad.lower() not in output.lower(), output[-3000:]


def test_bundle_has_no_dangling_links(dist):
    dangling = [str(p.relative_to(dist)) for p in dist.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling, dangling
