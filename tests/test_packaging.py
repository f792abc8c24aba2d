"""The packaging set-up, checked without building: build.spec, the bundle manifest, the MediaPipe
hook and runtime hook, the Inno Setup script and the Windows workflow."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HOOKS = REPO / "pyinstaller_hooks"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cfg():
    return _load("bundle_config", HOOKS / "bundle_config.py")


@pytest.fixture(scope="module")
def bundled(cfg):
    """Relative path inside the bundle's resource root -> source file, as build.spec collects."""
    out = {}
    for src, dest in cfg.all_datas(REPO):
        out[(Path(dest) / Path(src).name).as_posix()] = Path(src)
    return out


# -- build.spec -----------------------------------------------------------------------------------

def test_build_spec_is_valid_python_using_the_manifest_and_hooks():
    source = (REPO / "build.spec").read_text(encoding="utf-8")
    tree = ast.parse(source)
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= calls
    assert "import bundle_config" in source
    assert "pyi_rth_mediapipe.py" in source and "hookspath" in source
    assert "upx=False" in source and "COLLECT(" in source  # one-folder, no UPX
    for kw in ("datas=cfg.all_datas(REPO)", "hiddenimports=cfg.hidden_imports(REPO)",
               "excludes=list(cfg.EXCLUDES)", "icon=ICON", "version=VERSION_FILE"):
        assert kw in source, kw


def test_entry_script_calls_the_cli_main():
    tree = ast.parse((REPO / "installer" / "entry.py").read_text(encoding="utf-8"))
    imported = {(n.module, a.name) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert ("studio_app.cli", "main") in imported


# -- what is collected ----------------------------------------------------------------------------

def test_every_model_in_the_manifest_is_bundled_with_its_licence(bundled):
    sums = (REPO / "resources" / "models" / "SHA256SUMS").read_text().split()
    names = sums[1::2]
    assert names, "empty manifest"
    for name in names + ["SHA256SUMS", "LICENSE"]:
        assert f"resources/models/{name.lstrip('*')}" in bundled, name


def test_fonts_sample_icon_and_sounds_are_bundled(bundled):
    assert any(k.startswith("resources/fonts/") and k.endswith((".ttc", ".ttf")) for k in bundled)
    assert "resources/demo/astronaut.png" in bundled
    assert "resources/icons/studio_app.ico" in bundled
    sounds = sorted((REPO / "resources" / "sounds").rglob("*.wav"))
    for wav in sounds:
        assert wav.relative_to(REPO).as_posix() in bundled, wav


def test_every_spec_toml_is_bundled_as_package_data(bundled):
    tomls = sorted((REPO / "studio_app" / "specs" / "data").glob("*.toml"))
    assert tomls
    for toml in tomls:
        assert toml.relative_to(REPO).as_posix() in bundled, toml


def test_translations_ship_compiled_not_as_sources(bundled):
    i18n = REPO / "resources" / "i18n"
    sources = sorted(i18n.glob("*.ts"))
    for ts in sources:
        qm = ts.with_suffix(".qm")
        assert f"resources/i18n/{qm.name}" in bundled, f"{ts.name} has no compiled {qm.name} in the bundle"
    assert not any(k.endswith(".ts") for k in bundled)


def test_no_python_source_or_cache_is_collected_as_data(bundled):
    assert not [k for k in bundled if k.endswith((".py", ".pyc")) or "__pycache__" in k]


def test_every_resource_file_is_bundled_except_sources(cfg, bundled):
    for folder in cfg.RESOURCE_DIRS:
        base = REPO / "resources" / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if path.is_file() and not any(path.match(p) for p in cfg.RESOURCE_SKIP):
                assert path.relative_to(REPO).as_posix() in bundled, path


def test_bundle_layout_matches_paths_resources_dir(bundled, monkeypatch, tmp_path):
    """Frozen, resources_dir() is sys._MEIPASS/resources: the destinations must sit under it."""
    from studio_app import paths

    monkeypatch.delenv("STUDIO_APP_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    assert all(k.startswith(("resources/", "studio_app/")) for k in bundled)


# -- imports: hidden, excluded --------------------------------------------------------------------

def test_hidden_imports_cover_every_app_module_and_the_mediapipe_library(cfg):
    hidden = set(cfg.hidden_imports(REPO))
    assert "mediapipe.tasks.c" in hidden
    assert "studio_app.selftest" in hidden and "studio_app.cli" in hidden
    commands = [p.stem for p in (REPO / "studio_app" / "commands").glob("*.py") if p.stem != "__init__"]
    assert commands
    for name in commands:
        assert f"studio_app.commands.{name}" in hidden


def test_bloat_is_excluded(cfg):
    for name in ("matplotlib", "skimage", "scipy", "tkinter", "pytest", "cv2",
                 "PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.Qt3DCore"):
        assert cfg.is_excluded(name), name
    for name in ("PySide6.QtMultimedia", "PySide6.QtWidgets", "PySide6.QtGui", "mediapipe",
                 "numpy", "reportlab", "PIL", "sqlalchemy"):
        assert not cfg.is_excluded(name), name


def test_the_app_imports_nothing_that_the_bundle_excludes(cfg):
    """A module the app imports but the spec excludes would crash the frozen app only."""
    offending = {
        name: sorted(files)
        for name, files in cfg.imports_of_app(REPO).items()
        if cfg.is_excluded(name) and not all(f.startswith("studio_app/selftest") for f in files)
        and not all((name.split(".")[0], f) in cfg.OPTIONAL_IMPORTS for f in files)
    }
    assert not offending, offending


def test_the_app_imports_opencv_only_where_it_says_so(cfg):
    """OpenCV is out of the bundle: only the video-file / OpenCV-camera sources may import it,
    lazily, turning its absence into a clear message."""
    users = {f for name, files in cfg.imports_of_app(REPO).items() if name.split(".")[0] == "cv2" for f in files}
    assert users == {f for (mod, f) in cfg.OPTIONAL_IMPORTS if mod == "cv2"}
    source = (REPO / "studio_app" / "camera" / "files.py").read_text(encoding="utf-8")
    assert "\nimport cv2" not in source  # not at module level


def test_qt_translation_and_plugin_filters(cfg):
    assert cfg.keep_qt_translation("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert cfg.keep_qt_translation("PySide6/Qt/translations/qtmultimedia_en.qm")
    assert not cfg.keep_qt_translation("PySide6/Qt/translations/qtbase_de.qm")
    assert not cfg.keep_qt_translation("PySide6\\Qt\\translations\\qt_ja.qm")
    # the Windows wheel's layout (PySide6\translations\): filtered the same way
    assert not cfg.keep_qt_translation("PySide6\\translations\\qtbase_de.qm")
    assert cfg.keep_qt_translation("PySide6/translations/qtbase_zh_CN.qm")
    assert cfg.keep_qt_translation("resources/i18n/studio_app_de.qm")  # not Qt's own
    assert cfg.keep_binary("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so")
    assert cfg.keep_binary("PySide6/Qt/plugins/platforms/libqoffscreen.so")
    assert not cfg.keep_binary("PySide6/Qt/plugins/qmltooling/libqmldbg_debugger.so")


# -- version and Windows version resource ---------------------------------------------------------

def test_version_comes_from_pyproject(cfg):
    with open(REPO / "pyproject.toml", "rb") as fh:
        assert cfg.project_version(REPO) == tomllib.load(fh)["project"]["version"]


@pytest.mark.parametrize("text,expected", [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.10.3rc1", (2, 10, 3, 0)), ("1.2.3.4.5", (1, 2, 3, 4)),
])
def test_version_tuple(cfg, text, expected):
    assert cfg.version_tuple(text) == expected


def test_version_tuple_rejects_garbage(cfg):
    with pytest.raises(ValueError):
        cfg.version_tuple("abc")


def test_version_resource_text_is_a_valid_expression(cfg, tmp_path):
    path = cfg.write_version_info(tmp_path / "v.txt", "3.4.5")
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, mode="eval")
    assert isinstance(tree.body, ast.Call) and tree.body.func.id == "VSVersionInfo"
    assert "filevers=(3, 4, 5, 0)" in text
    assert "StringStruct('ProductVersion', '3.4.5')" in text
    assert "studio-app.exe" in text and "证件照采集工作站" in text


def test_icon_has_the_windows_sizes():
    from PIL import Image

    with Image.open(REPO / "resources" / "icons" / "studio_app.ico") as im:
        sizes = im.info["sizes"]
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(sizes)


# -- MediaPipe hook and runtime hook --------------------------------------------------------------

def test_mediapipe_hook_collects_the_native_library():
    pytest.importorskip("PyInstaller")
    hook = _load("hook_mediapipe", HOOKS / "hook-mediapipe.py")
    assert "mediapipe.tasks.c" in hook.hiddenimports
    assert "mediapipe.tasks.python.vision.face_landmarker" in hook.hiddenimports
    assert "mediapipe.tasks.python.vision.pose_landmarker" in hook.hiddenimports  # vision.shoulders
    libs = [(Path(src).name, Path(dest).as_posix()) for src, dest in hook.binaries]
    assert any(name.startswith("libmediapipe") and dest == "mediapipe/tasks/c" for name, dest in libs), libs
    assert "matplotlib" in hook.excludedimports and "cv2" in hook.excludedimports


_RTHOOK_PROBE = r"""
import runpy, sys
sys.modules["matplotlib"] = None          # as in the bundle: matplotlib and cv2 cannot be found
sys.modules["cv2"] = None
runpy.run_path(sys.argv[1])
del sys.modules["matplotlib"], sys.modules["cv2"]
from mediapipe.tasks.python import vision   # imports drawing_utils -> cv2, matplotlib.pyplot
import cv2, matplotlib, matplotlib.pyplot as plt
assert matplotlib.__studio_app_inert__ and cv2.__studio_app_inert__
assert hasattr(vision, "FaceLandmarker")
for name, attr in (("plt", "plot"), ("cv2", "circle")):
    try:
        getattr(eval(name), attr)
    except ImportError as exc:
        print("inert:", exc)
    else:
        raise SystemExit(f"{name}.{attr} should raise ImportError")
# the app's own pipeline runs without OpenCV
from studio_app.camera import files
try:
    files.VideoFileSource(sys.argv[1])
except Exception as exc:
    print("video:", type(exc).__name__, getattr(exc, "key", ""))
"""


def test_runtime_hook_lets_mediapipe_import_without_matplotlib_and_opencv():
    rthook = HOOKS / "rthooks" / "pyi_rth_mediapipe.py"
    proc = subprocess.run([sys.executable, "-c", _RTHOOK_PROBE, str(rthook)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "inert: matplotlib.pyplot.plot: not included in this application bundle" in proc.stdout
    assert "inert: cv2.circle: not included in this application bundle" in proc.stdout
    assert "video: StudioError camera.no_opencv" in proc.stdout


def test_runtime_hook_leaves_a_real_matplotlib_alone():
    pytest.importorskip("matplotlib")
    code = ("import runpy, sys; runpy.run_path(sys.argv[1]); import matplotlib; "
            "assert not hasattr(matplotlib, '__studio_app_inert__'); print(matplotlib.__version__)")
    proc = subprocess.run([sys.executable, "-c", code, str(HOOKS / "rthooks" / "pyi_rth_mediapipe.py")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]


# -- Inno Setup script ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def iss() -> str:
    raw = (REPO / "installer" / "windows" / "studio_app.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup needs a UTF-8 BOM for the Chinese text"
    return raw.decode("utf-8-sig").replace("\r\n", "\n")


def _section(text: str, name: str) -> str:
    m = re.search(rf"^\[{name}\]\s*$(.*?)(?=^\[\w+\]\s*$|\Z)", text, re.M | re.S)
    assert m, name
    return m.group(1)


def test_installer_is_per_machine_and_versioned(iss):
    setup = _section(iss, "Setup")
    assert re.search(r"^PrivilegesRequired=admin$", setup, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}", setup, re.M)
    assert re.search(r"^AppVersion=\{#AppVersion\}$", setup, re.M)
    assert "GetStringFileInfo" in iss and "ProductVersion" in iss  # fallback: the exe's version resource


def test_installer_packs_the_dist_folder_build_spec_makes(iss, cfg):
    assert f'#define ConsoleExe "{cfg.EXE_CONSOLE}.exe"' in iss
    assert f'#define WindowedExe "{cfg.EXE_WINDOWED}.exe"' in iss
    assert f'"..\\..\\dist\\{cfg.DIST_NAME}"' in iss
    files = _section(iss, "Files")
    assert "recursesubdirs" in files and "{#DistDir}\\*" in files


def test_installer_shortcuts_for_operator_and_kiosk_in_start_menu_and_desktop(iss):
    icons = [line for line in _section(iss, "Icons").splitlines() if line.startswith("Name:")]
    kiosk = [line for line in icons if '--kiosk' in line]
    operator = [line for line in icons if "OperatorWindow" in line]
    assert any("{group}" in line for line in kiosk) and any("{autodesktop}" in line for line in kiosk)
    assert any("{group}" in line for line in operator) and any("{autodesktop}" in line for line in operator)
    assert all("{#WindowedExe}" in line for line in kiosk + operator)


def test_installer_runs_the_self_test_and_keeps_data_unless_asked(iss):
    code = _section(iss, "Code")
    assert "--self-test" in code and "ssPostInstall" in code and "ResultCode <> 0" in code
    assert "usPostUninstall" in code and "MB_DEFBUTTON2" in code  # "No" (keep) is the default
    assert "UninstallSilent" in code
    assert "DelTree" in code and "{localappdata}\\{#DataFolder}" in code
    # The data folder is the one platformdirs gives the app on Windows.
    from studio_app import APP_NAME

    assert f'#define DataFolder "{APP_NAME}"' in iss


def test_installer_custom_messages_exist_in_every_language(iss):
    messages = _section(iss, "CustomMessages")
    used = set(re.findall(r"\{cm:(\w+)", iss)) | set(re.findall(r"CustomMessage\('(\w+)'\)", iss))
    builtin = {"CreateDesktopIcon", "AdditionalIcons", "UninstallProgram", "LaunchProgram"}
    for key in used - builtin:
        for lang in ("english", "chinesesimplified"):
            assert re.search(rf"^{lang}\.{key}=", messages, re.M), f"{lang}.{key}"


# -- workflow -------------------------------------------------------------------------------------

def test_windows_workflow_builds_self_tests_and_uploads():
    text = (REPO / ".github" / "workflows" / "windows-installer.yml").read_text(encoding="utf-8")
    assert "\t" not in text
    assert re.search(r"runs-on:\s*windows-latest", text)
    order = [text.index(s) for s in (
        'pip install ".[build,postgres]"', "pyinstaller --noconfirm --clean build.spec",
        "studio-app.exe --self-test", "/DAppVersion=", "actions/upload-artifact",
    )]
    assert order == sorted(order)
    assert "LASTEXITCODE" in text  # a failing self-test fails the job
    assert "installer\\windows\\studio_app.iss" in text
    assert "dist/installer/StudioApp-Setup-" in text


def test_installer_output_name_matches_the_workflow_artifact(iss):
    assert re.search(r"^OutputBaseFilename=StudioApp-Setup-\{#AppVersion\}$", _section(iss, "Setup"), re.M)
    assert re.search(r"^OutputDir=\.\.\\\.\.\\dist\\installer$", _section(iss, "Setup"), re.M)


def test_scripts_are_executable():
    script = REPO / "scripts" / "bundle_selftest.sh"
    assert script.is_file()
    assert os.access(script, os.X_OK)
    assert script.read_text().startswith("#!/usr/bin/env bash")


def test_reportlab_barcode_hook_collects_the_symbologies():
    pytest.importorskip("PyInstaller")
    hook = _load("hook_rl_barcode", HOOKS / "hook-reportlab.graphics.barcode.py")
    for name in ("code93", "code128", "qr", "usps4s"):  # the receipt failed frozen without code93
        assert f"reportlab.graphics.barcode.{name}" in hook.hiddenimports


def test_installer_code_uses_line_comments(iss):
    """A Pascal { comment } ends at the first '}', so '{app}' inside one breaks the script."""
    code = _section(iss, "Code")
    assert not re.search(r"^\s*\{[^#]", code, re.M)
    assert code.count("begin") == code.count("end;") - code.count("case ")  # balanced blocks


def test_installer_sets_the_kiosk_pin_through_stdin_as_the_original_user(iss):
    code = _section(iss, "Code")
    assert "kiosk set-pin --pin-stdin" in code and "ExecAsOriginalUser" in code
    assert "{param:KIOSKPIN|}" in code  # silent installs
    # the CLI this calls really exists with that flag
    from studio_app.cli import build_parser

    args = build_parser().parse_args(["kiosk", "set-pin", "--pin-stdin"])
    assert args.pin_stdin is True


def test_virtual_keyboard_is_left_out(cfg):
    assert not cfg.keep_binary("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so")
    assert not cfg.keep_binary("PySide6/Qt/lib/libQt6VirtualKeyboard.so.6")
    assert not cfg.keep_binary("PySide6/Qt6VirtualKeyboardQml.dll")
    assert cfg.keep_binary("PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so")


# -- trimming: what was taken out must stay out ---------------------------------------------------

# Each was measured in the bundle and removed (docs/packaging.md, "What was trimmed"). A change
# to bundle_config that lets one back in fails here, without a build.
TRIMMED_BINARIES = (
    # platform themes: gtk3 pulled GTK, cairo, pango, gdk-pixbuf, atk (~8 MB of system libraries)
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    # platforms other than xcb/offscreen/windows, and what they bring (Wayland client, EGLFS)
    "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so", "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so", "PySide6/Qt/plugins/platforms/libqminimalegl.so",
    "PySide6/plugins/platforms/qdirect2d.dll", "PySide6/plugins/platforms/qminimal.dll",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/plugins/wayland-decoration-client/libadwaita.so",
    "PySide6/Qt/plugins/wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-egldevice-integration.so",
    # input/network plugins the app has no use for
    "PySide6/Qt/plugins/generic/libqevdevtouchplugin.so", "PySide6/plugins/generic/qtuiotouchplugin.dll",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
    "PySide6/plugins/networkinformation/qnetworklistmanager.dll",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so", "PySide6/plugins/tls/qschannelbackend.dll",
    # image formats Qt never reads here (Pillow decodes the operator's files)
    "PySide6/Qt/plugins/imageformats/libqtiff.so", "PySide6/Qt/plugins/imageformats/libqwebp.so",
    "PySide6/plugins/imageformats/qgif.dll", "PySide6/plugins/imageformats/qtga.dll",
    "PySide6/plugins/imageformats/qicns.dll", "PySide6/plugins/imageformats/qwbmp.dll",
    "PySide6/plugins/imageformats/qpdf.dll",
    # the mock speech engine (voice.py skips it), QML tooling, SQL drivers
    "PySide6/Qt/plugins/texttospeech/libqtexttospeech_mock.so",
    "PySide6/Qt/plugins/qmltooling/libqmldbg_debugger.so", "PySide6/plugins/sqldrivers/qsqlite.dll",
    # the host's CUPS client and, with it, GnuTLS/Kerberos/Avahi
    "libcups.so.2",
    # Windows: Mesa's software OpenGL (the app uses no OpenGL), Qt's own Media Foundation backend
    # (FFmpeg is the one used), the vector image formats
    "PySide6/opengl32sw.dll", "PySide6/plugins/multimedia/windowsmediaplugin.dll",
    "PySide6/plugins/vectorimageformats/qsvgvectorimageformat.dll",
)


def test_trimmed_binaries_stay_out(cfg):
    back = [d for d in TRIMMED_BINARIES if cfg.keep_binary(d)]
    assert not back, f"left out on purpose, but bundle_config would collect them again: {back}"


def test_the_plugins_the_app_needs_are_kept(cfg):
    for dest in (
        "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/plugins/platforms/qwindows.dll", "PySide6/plugins/platforms/qoffscreen.dll",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so", "PySide6/plugins/imageformats/qjpeg.dll",
        "PySide6/plugins/imageformats/qico.dll", "PySide6/plugins/imageformats/qsvg.dll",
        "PySide6/plugins/iconengines/qsvgicon.dll", "PySide6/plugins/multimedia/ffmpegmediaplugin.dll",
        "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll", "PySide6/plugins/texttospeech/qtexttospeech_sapi.dll",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt6Core.dll", "libpython3.11.so.1.0",
    ):
        assert cfg.keep_binary(dest), dest
    assert cfg.qt_plugin("PySide6\\plugins\\platforms\\qwindows.dll") == ("platforms", "qwindows")
    assert cfg.qt_plugin("cv2/qt/plugins/platforms/libqxcb.so") is None  # not PySide6's


def test_trimmed_python_modules_and_translations_stay_out(cfg):
    for name in ("PIL._avif", "PIL._imagingtk", "PIL.ImageTk"):
        assert cfg.is_excluded(name), name
    assert not cfg.is_excluded("PIL._webp")  # the app reads WebP photos (studio_app/imageio.py)
    assert not cfg.keep_qt_translation("PySide6/Qt/translations/qt_help_zh_CN.qm")
    assert cfg.keep_qt_translation("PySide6/Qt/translations/qt_zh_CN.qm")


def test_direct_imports_are_not_transitive(cfg):
    if not sys.platform.startswith("linux"):
        pytest.skip("reads this platform's own ELF files")
    import sysconfig

    libpython = Path(sysconfig.get_config_var("LIBDIR") or "") / (sysconfig.get_config_var("LDLIBRARY") or "")
    names = cfg.direct_imports(sys.executable) + (cfg.direct_imports(libpython) if libpython.is_file() else [])
    assert any(n.startswith("libc.so") for n in names), names
    assert cfg.direct_imports(REPO / "pyproject.toml") == []


def test_direct_imports_reads_pe_import_and_delay_import_tables(cfg, tmp_path):
    """The Windows path of direct_imports (used by build.spec on Windows and by the estimate), on a
    minimal hand-made PE32+ file: one section holding an import and a delay-import descriptor."""
    import struct

    image = bytearray(0x400)
    image[0:2] = b"MZ"
    struct.pack_into("<I", image, 0x3C, 0x40)
    image[0x40:0x44] = b"PE\0\0"
    struct.pack_into("<HH", image, 0x44, 0x8664, 1)           # machine, one section
    struct.pack_into("<H", image, 0x44 + 16, 240)             # size of the optional header
    opt = 0x58
    struct.pack_into("<H", image, opt, 0x20B)                 # PE32+
    struct.pack_into("<II", image, opt + 112 + 8 * 1, 0x1000, 40)   # import directory
    struct.pack_into("<II", image, opt + 112 + 8 * 13, 0x1040, 64)  # delay-import directory
    struct.pack_into("<IIII", image, opt + 240 + 8, 0x200, 0x1000, 0x200, 0x200)  # vsize, va, raw size, raw ptr
    struct.pack_into("<I", image, 0x200 + 12, 0x1100)        # import descriptor -> name
    struct.pack_into("<I", image, 0x240 + 4, 0x1120)         # delay descriptor -> name
    image[0x300:0x30C] = b"Qt6Core.dll\0"
    image[0x320:0x32F] = b"avcodec-63.dll\0"
    dll = tmp_path / "plugin.dll"
    dll.write_bytes(bytes(image))
    assert cfg.direct_imports(dll) == ["Qt6Core.dll", "avcodec-63.dll"]


def test_prune_unreferenced_keeps_what_kept_binaries_still_need(cfg):
    graph = {
        "/s/libqgtk3.so": ["libgtk-3.so.0", "libQt6Gui.so.6"],
        "/s/libgtk-3.so.0": ["libcairo.so.2", "libglib-2.0.so.0"],
        "/s/libcairo.so.2": ["libpixman-1.so.0"],
        "/s/libQt6Gui.so.6": ["libglib-2.0.so.0", "libQt6Core.so.6"],
        "/s/libcups.so.2": ["libgnutls.so.30"],
        "/s/libcupsprintersupport.so": ["libcups.so.2", "libQt6Gui.so.6"],
    }
    entries = {name: (name, f"/s/{name}", "BINARY") for name in (
        "libgtk-3.so.0", "libcairo.so.2", "libpixman-1.so.0", "libglib-2.0.so.0", "libQt6Gui.so.6",
        "libQt6Core.so.6", "libgnutls.so.30", "libcupsprintersupport.so")}
    kept = list(entries.values()) + [("libgtk-3.so", "libgtk-3.so.0", "SYMLINK")]
    dropped = [("libqgtk3.so", "/s/libqgtk3.so", "BINARY"), ("libcups.so.2", "/s/libcups.so.2", "BINARY")]
    left, pruned = cfg.prune_unreferenced(kept, dropped, lambda src: graph.get(src, []))
    assert sorted(e[0] for e in pruned) == ["libcairo.so.2", "libgnutls.so.30", "libgtk-3.so.0", "libpixman-1.so.0"]
    assert {"libQt6Gui.so.6", "libglib-2.0.so.0", "libQt6Core.so.6", "libcupsprintersupport.so"} <= {e[0] for e in left}
    # the dangling link goes in the next step
    assert cfg.drop_dangling_symlinks(left, [])[0] == [e for e in left if e[2] != "SYMLINK"]


def test_only_unpatched_files_are_stripped_on_linux(cfg):
    assert cfg.strip_on_linux("mediapipe/tasks/c/libmediapipe.so") == "--strip-unneeded"
    assert cfg.strip_on_linux("libpython3.11.so.1.0") == "--strip-debug"
    assert cfg.strip_on_linux("python3.11/lib-dynload/_decimal.cpython-311-x86_64-linux-gnu.so") == "--strip-debug"
    # auditwheel/patchelf-patched libraries broke when stripped (OpenBLAS, the Qt FFmpeg plugin)
    for dest in ("numpy.libs/libscipy_openblas64_-32a4b2a6.so", "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
                 "PIL/_imaging.cpython-311-x86_64-linux-gnu.so", "PySide6/Qt/lib/libQt6Core.so.6"):
        assert cfg.strip_on_linux(dest) is None, dest


def test_links_to_filtered_out_files_are_dropped(cfg):
    binaries = [
        ("PySide6/Qt/lib/libQt6Core.so.6", "/y/libQt6Core.so.6", "BINARY"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt5Core-abc.so.5", "opencv_contrib_python.libs/libQt5Core-abc.so.5", "SYMLINK"),
    ]
    kept_bins, kept_datas = cfg.drop_dangling_symlinks(binaries, [])
    assert [e[0] for e in kept_bins] == ["PySide6/Qt/lib/libQt6Core.so.6", "libQt6Core.so.6"]
    assert kept_datas == []


def test_the_shells_stylesheets_ship_and_fill_in(cfg, bundled):
    from studio_app.ui.styles import load_stylesheet
    from studio_app.ui.kiosk.widgets import PRIMARY, kiosk_stylesheet

    for name in ("operator", "kiosk"):
        assert f"resources/styles/{name}.qss" in bundled
    assert "QLabel#hintLabel" in load_stylesheet("operator")
    kiosk = kiosk_stylesheet()
    assert "$" not in kiosk and f"background: {PRIMARY}" in kiosk
