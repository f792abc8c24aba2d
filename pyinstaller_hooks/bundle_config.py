"""What goes into the frozen bundle: one place, read by build.spec and by the packaging tests.

Kept free of PyInstaller imports so the tests can check it without building anything.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11
    import tomli as tomllib  # type: ignore[no-redef]

REPO = Path(__file__).resolve().parent.parent

DIST_NAME = "studio_app"        # dist/studio_app/ (the one-folder app)
EXE_CONSOLE = "studio-app"      # console program: --self-test, batch commands, CI, IT staff
EXE_WINDOWED = "StudioApp"      # windowed program for the shortcuts (Windows only: no console flashes)
ICON = Path("resources") / "icons" / "studio_app.ico"
ENTRY_SCRIPT = Path("installer") / "entry.py"
COMPANY = "Studio App"
PRODUCT_ZH = "证件照采集工作站"
PRODUCT_EN = "ID Photo Capture Station"

# Every folder of resources/ that the app reads at run time. All of them ship.
RESOURCE_DIRS = ("models", "fonts", "demo", "i18n", "sounds", "icons", "selftest")
# Sources and notes that are not needed at run time (the .qm files are the compiled translations).
RESOURCE_SKIP = ("*.ts", "*.pro", "*.xcf", "*.psd", ".gitkeep", ".DS_Store", "*.pyc")

# Python packages never wanted in the bundle. scikit-image/scipy/matplotlib are test or plotting
# dependencies (matplotlib comes in through mediapipe's drawing_utils; the runtime hook
# pyinstaller_hooks/rthooks/pyi_rth_mediapipe.py stands in for it).
EXCLUDE_PACKAGES = (
    "matplotlib", "mpl_toolkits", "skimage", "scipy", "imageio", "tifffile", "lazy_loader",
    "networkx", "pandas", "IPython", "jupyter_client", "notebook", "tkinter", "_tkinter",
    "pytest", "_pytest", "pytestqt", "hypothesis", "pytest_timeout", "pluggy",
    "sounddevice", "PyInstaller", "pip", "setuptools._distutils", "docutils", "sphinx",
    "pydoc_data", "lib2to3", "unittest.test", "test", "idlelib",
)

# Qt modules this app does not use. Excluding the Python bindings keeps their hooks from
# collecting whole plugin/QML trees (QtQml alone drags in ~100 MB of qml/ files).
EXCLUDE_QT = tuple(
    f"PySide6.{name}"
    for name in (
        "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel",
        "QtWebChannelQuick", "QtWebSockets", "QtWebView", "QtHttpServer",
        "Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras",
        "QtQuick", "QtQuick3D", "QtQuickWidgets", "QtQuickControls2", "QtQuickTest", "QtQml",
        "QtCharts", "QtDataVisualization", "QtGraphs", "QtGraphsWidgets",
        "QtDesigner", "QtHelp", "QtUiTools", "QtTest", "QtSql",
        "QtBluetooth", "QtNfc", "QtPositioning", "QtLocation", "QtSensors", "QtSerialPort",
        "QtSerialBus", "QtRemoteObjects", "QtScxml", "QtStateMachine",
        "QtSpatialAudio", "QtPdf", "QtPdfWidgets", "QtAxContainer", "QtCanvasPainter",
    )
)

EXCLUDES = EXCLUDE_PACKAGES + EXCLUDE_QT

# Qt's own translations: only the languages the app speaks.
QT_TRANSLATION_KEEP = ("zh_CN", "en")

HIDDEN_IMPORTS_EXTRA = (
    "mediapipe.tasks.c",        # loaded through importlib.resources; see hook-mediapipe.py
    "PySide6.QtMultimedia",     # the camera source is imported lazily by the shells
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSvg",            # SVG icons
)


def project_version(repo: Path = REPO) -> str:
    with open(repo / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` / ``"1.2.3rc1"`` / ``"1.2"`` -> ``(1, 2, 3, 0)`` for the Windows FILEVERSION."""
    parts = [int(m.group()) for m in (re.match(r"\d+", p) for p in version.split(".")) if m][:4]
    if not parts:
        raise ValueError(f"not a version: {version!r}")
    return tuple(parts + [0] * (4 - len(parts)))  # type: ignore[return-value]


def _skip(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pat) for pat in RESOURCE_SKIP)


def resource_datas(repo: Path = REPO) -> list[tuple[str, str]]:
    """``(source file, destination folder)`` for every run-time resource file."""
    out = []
    root = repo / "resources"
    for folder in RESOURCE_DIRS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.is_file() and not _skip(path.name) and "__pycache__" not in path.parts:
                out.append((str(path), str(Path("resources") / path.parent.relative_to(root))))
    return out


def package_datas(repo: Path = REPO) -> list[tuple[str, str]]:
    """Non-Python files inside the studio_app package (spec TOMLs and any other package data)."""
    out = []
    pkg = repo / "studio_app"
    for path in sorted(pkg.rglob("*")):
        if (
            path.is_file()
            and path.suffix not in (".py", ".pyc", ".pyo")
            and "__pycache__" not in path.parts
            and not _skip(path.name)
        ):
            out.append((str(path), str(path.parent.relative_to(repo))))
    return out


def all_datas(repo: Path = REPO) -> list[tuple[str, str]]:
    return resource_datas(repo) + package_datas(repo)


def app_modules(repo: Path = REPO) -> list[str]:
    """Every module of studio_app, by walking the source tree (the CLI discovers commands with
    pkgutil, so static analysis alone would miss them). No imports are executed."""
    names = []
    pkg = repo / "studio_app"
    for path in sorted(pkg.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        rel = path.relative_to(repo).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if all(p.isidentifier() for p in parts):
            names.append(".".join(parts))
    return names


def hidden_imports(repo: Path = REPO) -> list[str]:
    return sorted(set(app_modules(repo)) | set(HIDDEN_IMPORTS_EXTRA))


def is_excluded(module: str) -> bool:
    return any(module == ex or module.startswith(ex + ".") for ex in EXCLUDES)


def imports_of_app(repo: Path = REPO) -> dict[str, set[str]]:
    """``module name -> {files importing it}`` over studio_app's sources (static, by AST)."""
    found: dict[str, set[str]] = {}
    for path in sorted((repo / "studio_app").rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                found.setdefault(name, set()).add(str(path.relative_to(repo)))
    return found


def keep_qt_translation(dest: str) -> bool:
    """False for Qt's own .qm files in languages the app does not offer."""
    norm = dest.replace("\\", "/")
    if "/Qt/translations/" not in norm or not norm.endswith(".qm"):
        return True
    stem = norm.rsplit("/", 1)[-1][:-3]
    return any(stem.endswith("_" + lang) for lang in QT_TRANSLATION_KEEP)


def keep_binary(dest: str) -> bool:
    """False for native files that only excluded Qt modules need (they can slip in as plugins)."""
    norm = dest.replace("\\", "/")
    unwanted_plugins = (
        "/plugins/qmltooling/", "/plugins/sceneparsers/", "/plugins/assetimporters/",
        "/plugins/renderers/", "/plugins/geoservices/", "/plugins/position/", "/plugins/sensors/",
        "/plugins/sqldrivers/", "/plugins/designer/", "/plugins/webview/",
        "/plugins/canbus/", "/plugins/wayland-graphics-integration-server/",
    )
    if any(p in norm for p in unwanted_plugins):
        return False
    # Qt's QML virtual keyboard (and the libraries only it needs): the kiosk has its own keypad.
    name = norm.rsplit("/", 1)[-1]
    return "virtualkeyboard" not in name.lower()


def keep_for_headless_opencv(dest: str) -> bool:
    """With a headless OpenCV (build.spec, STUDIO_APP_OPENCV_DIR): drop the GUI wheel's Qt5
    plugins and fonts (cv2/qt/) and the Qt5/X11 libraries only they need."""
    norm = dest.replace("\\", "/")
    return not norm.startswith(("cv2/qt/", "opencv_contrib_python.libs/"))


def drop_dangling_symlinks(binaries: list, datas: list) -> tuple[list, list]:
    """PyInstaller's Analysis adds ``(dest, relative target, 'SYMLINK')`` entries (e.g. a top-level
    link to a library collected in a sub-folder). After entries are filtered out, links to them
    would dangle in dist/: drop those links too."""
    import posixpath

    kept = {e[0].replace("\\", "/") for e in binaries + datas if e[2] != "SYMLINK"}

    def ok(entry) -> bool:
        if entry[2] != "SYMLINK":
            return True
        dest = entry[0].replace("\\", "/")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(dest), entry[1].replace("\\", "/")))
        return target in kept

    return [e for e in binaries if ok(e)], [e for e in datas if ok(e)]


def version_info_text(version: str) -> str:
    """PyInstaller's version-resource file (a Python expression); written next to the build."""
    v = version_tuple(version)
    description = f"{PRODUCT_ZH} {PRODUCT_EN}"
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('080404b0', [
        StringStruct('CompanyName', {COMPANY!r}),
        StringStruct('FileDescription', {description!r}),
        StringStruct('FileVersion', {version!r}),
        StringStruct('InternalName', {EXE_CONSOLE!r}),
        StringStruct('LegalCopyright', {COMPANY!r}),
        StringStruct('OriginalFilename', {EXE_CONSOLE + '.exe'!r}),
        StringStruct('ProductName', {PRODUCT_ZH!r}),
        StringStruct('ProductVersion', {version!r})]),
      StringTable('040904b0', [
        StringStruct('CompanyName', {COMPANY!r}),
        StringStruct('FileDescription', {PRODUCT_EN!r}),
        StringStruct('FileVersion', {version!r}),
        StringStruct('InternalName', {EXE_CONSOLE!r}),
        StringStruct('LegalCopyright', {COMPANY!r}),
        StringStruct('OriginalFilename', {EXE_CONSOLE + '.exe'!r}),
        StringStruct('ProductName', {PRODUCT_EN!r}),
        StringStruct('ProductVersion', {version!r})])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200, 0x0409, 1200])])
  ]
)
"""


def write_version_info(path: Path, version: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_info_text(version), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - a quick look: python pyinstaller_hooks/bundle_config.py
    print(project_version(), version_tuple(project_version()))
    for src, dst in all_datas():
        print(dst, Path(src).name)
    sys.exit(0)
