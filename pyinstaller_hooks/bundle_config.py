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
RESOURCE_DIRS = ("models", "fonts", "demo", "i18n", "sounds", "icons", "selftest", "styles")
# Sources and notes that are not needed at run time (the .qm files are the compiled translations).
# Imports of excluded modules that the app makes on purpose, inside a function that turns the
# ImportError into a clear message: (module, file) -> why.
OPTIONAL_IMPORTS = {
    ("cv2", "studio_app/camera/files.py"): "video files and the OpenCV camera fallback (a source "
                                           "checkout has OpenCV through MediaPipe; the bundle says "
                                           "it cannot open them and uses QtMultimedia cameras)",
}
RESOURCE_SKIP = ("*.ts", "*.pro", "*.xcf", "*.psd", ".gitkeep", ".DS_Store", "*.pyc")

# Python packages never wanted in the bundle. scikit-image/scipy/matplotlib are test or plotting
# dependencies (matplotlib comes in through mediapipe's drawing_utils; the runtime hook
# pyinstaller_hooks/rthooks/pyi_rth_mediapipe.py stands in for it).
EXCLUDE_PACKAGES = (
    # OpenCV (~300 MB on Linux with FFmpeg, OpenBLAS and its own Qt5/X11; ~160 MB on Windows):
    # the app's image operations are NumPy + Pillow (studio_app/imageops.py); mediapipe imports
    # cv2 only in drawing_utils, answered by the runtime hook like matplotlib.
    "cv2",
    "matplotlib", "mpl_toolkits", "skimage", "scipy", "imageio", "tifffile", "lazy_loader",
    "networkx", "pandas", "IPython", "jupyter_client", "notebook", "tkinter", "_tkinter",
    "pytest", "_pytest", "pytestqt", "hypothesis", "pytest_timeout", "pluggy",
    "sounddevice", "PyInstaller", "pip", "setuptools._distutils", "docutils", "sphinx",
    "pydoc_data", "lib2to3", "unittest.test", "test", "idlelib",
    # Pillow's AVIF codec (libavif + AV1 codecs, ~5 MB on Linux): the app reads JPEG, PNG, WebP,
    # BMP and TIFF only (studio_app/imageio.py); AvifImagePlugin copes with a missing _avif.
    # Its Tk bridge goes with tkinter.
    "PIL._avif", "PIL._imagingtk", "PIL.ImageTk", "PIL._tkinter_finder",
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

# Qt's own translations: only the languages the app speaks, only the catalogues of modules it uses
# (qt_xx.qm is the meta catalogue that loads qtbase_xx and qtmultimedia_xx).
QT_TRANSLATION_KEEP = ("zh_CN", "en")
QT_TRANSLATION_MODULES = ("qt", "qtbase", "qtmultimedia")

# Qt plugins: an allow-list per plugin folder, by plugin name without "lib" and suffix (the same
# names on Linux and Windows). A folder not listed here is left out whole: platformthemes (gtk3
# pulls GTK, cairo, pango, gdk-pixbuf), wayland-*, egldeviceintegrations, generic (evdev/tuio),
# networkinformation, tls, qmltooling, position, sqldrivers, ... . Libraries that only the
# left-out plugins needed are then pruned by build.spec (prune_unreferenced).
QT_PLUGINS_KEEP: dict[str, tuple[str, ...]] = {
    # xcb: the Linux desktop; offscreen: --self-test and CI; windows: the counter PCs.
    "platforms": ("qxcb", "qoffscreen", "qwindows"),
    "xcbglintegrations": ("qxcb-glx-integration", "qxcb-egl-integration"),
    # Qt itself reads only JPEG (print sheets), ICO (window icon) and SVG (icons); PNG is built in.
    # The operator's photo files are decoded by Pillow, not by Qt.
    "imageformats": ("qjpeg", "qico", "qsvg"),
    "iconengines": ("qsvgicon",),
    # Camera, shutter sound, kiosk prompts. Qt >= 6.5 uses FFmpeg on Windows and Linux.
    "multimedia": ("ffmpegmediaplugin",),
    # Dead keys, and IBus for Chinese input on a Linux desktop (Windows needs no plugin).
    "platforminputcontexts": ("composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"),
    "printsupport": ("cupsprintersupport", "windowsprintersupport"),
    # The kiosk's voice (studio_app/ui/kiosk/voice.py skips "mock").
    "texttospeech": ("qtexttospeech_speechd", "qtexttospeech_sapi", "qtexttospeech_winrt"),
    # Native look of Widgets on Windows 10/11.
    "styles": ("qmodernwindowsstyle", "qwindowsvistastyle"),
}

# Linux system libraries that stay out of the bundle: used from the host when present. libcups is
# the client side of the host's CUPS (printing needs a CUPS install anyway) and alone pulls GnuTLS,
# nettle, gmp, p11-kit, libunistring, Kerberos and Avahi (~8 MB). Without it the cups print plugin
# does not load: printing to PDF still works, physical printers are not listed. libspeechd is the
# client of the host's speech-dispatcher daemon (the kiosk voice's Linux engine): useless without it.
HOST_LIBS = ("libcups.so*", "libspeechd.so*")

# Windows: PyInstaller's Qt hook adds Mesa's software OpenGL renderer (opengl32sw.dll, ~20 MB), which
# Qt loads only when OpenGL is asked for and no driver provides it. The app uses no OpenGL: no
# QOpenGLWidget, no Qt Quick, no QVideoWidget (frames are QImages on widgets); Qt Widgets paint
# in software and the FFmpeg plugin decodes through D3D11/Media Foundation.
DROP_BINARIES = ("opengl32sw.dll",)

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
    # Linux wheels: PySide6/Qt/translations/; Windows wheels: PySide6/translations/.
    if not norm.startswith(("PySide6/Qt/translations/", "PySide6/translations/")) or not norm.endswith(".qm"):
        return True
    stem = norm.rsplit("/", 1)[-1][:-3]
    return any(stem == f"{mod}_{lang}" for mod in QT_TRANSLATION_MODULES for lang in QT_TRANSLATION_KEEP)


def qt_plugin(dest: str) -> tuple[str, str] | None:
    """``(plugin folder, plugin name)`` for a Qt plugin's destination in the bundle, else None.
    ``PySide6/Qt/plugins/imageformats/libqjpeg.so`` and ``PySide6/plugins/imageformats/qjpeg.dll``
    both give ``("imageformats", "qjpeg")``."""
    parts = dest.replace("\\", "/").split("/")
    if "PySide6" not in parts or "plugins" not in parts[:-2]:
        return None
    i = len(parts) - 1 - parts[::-1].index("plugins")
    if len(parts) - i != 3:
        return None
    name = parts[-1]
    for suffix in (".so", ".dll", ".dylib"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    else:
        return None
    if parts[-1].startswith("lib"):
        name = name[3:]
    return parts[i + 1], name


def keep_qt_plugin(dest: str) -> bool:
    """False for a Qt plugin that is not on the allow-list (True for anything that is no plugin)."""
    plugin = qt_plugin(dest)
    if plugin is None:
        return True
    folder, name = plugin
    return name in QT_PLUGINS_KEEP.get(folder, ())


def is_host_lib(dest: str) -> bool:
    name = dest.replace("\\", "/").rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(name, pat) for pat in HOST_LIBS)


def keep_binary(dest: str) -> bool:
    """False for Qt plugins off the allow-list, host libraries, and the Qt virtual keyboard."""
    norm = dest.replace("\\", "/")
    if not keep_qt_plugin(norm) or is_host_lib(norm):
        return False
    if norm.rsplit("/", 1)[-1].lower() in DROP_BINARIES:
        return False
    # Qt's QML virtual keyboard (and the libraries only it needs): the kiosk has its own keypad.
    name = norm.rsplit("/", 1)[-1]
    return "virtualkeyboard" not in name.lower()


def _elf_needed(fh, data: bytes) -> list[str]:
    import struct

    is64, little = data[4] == 2, data[5] == 1
    e = "<" if little else ">"
    if is64:
        shoff, = struct.unpack_from(e + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(e + "HH", data, 0x3A)
    else:
        shoff, = struct.unpack_from(e + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(e + "HH", data, 0x2E)
    fh.seek(shoff)
    table = fh.read(shentsize * shnum)
    sections = []
    for i in range(shnum):
        if is64:
            _n, typ, _f, _a, off, size, link, _i, _al, _es = struct.unpack_from(e + "IIQQQQIIQQ", table, i * shentsize)
        else:
            _n, typ, _f, _a, off, size, link, _i, _al, _es = struct.unpack_from(e + "IIIIIIIIII", table, i * shentsize)
        sections.append((typ, off, size, link))
    out = []
    for typ, off, size, link in sections:
        if typ != 6:  # SHT_DYNAMIC
            continue
        fh.seek(off)
        dyn = fh.read(size)
        _t, str_off, str_size, _l = sections[link]
        fh.seek(str_off)
        strtab = fh.read(str_size)
        fmt, step = (e + "qQ", 16) if is64 else (e + "iI", 8)
        for j in range(0, len(dyn) - step + 1, step):
            tag, val = struct.unpack_from(fmt, dyn, j)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                out.append(strtab[val:strtab.index(b"\0", val)].decode())
    return out


def _pe_imports(fh, data: bytes) -> list[str]:
    import struct

    pe = struct.unpack_from("<I", data, 0x3C)[0]
    fh.seek(pe)
    head = fh.read(24 + 240)
    if head[:4] != b"PE\0\0":
        return []
    nsec, = struct.unpack_from("<H", head, 6)
    opt_size, = struct.unpack_from("<H", head, 20)
    opt = pe + 24
    fh.seek(opt)
    optional = fh.read(opt_size)
    magic, = struct.unpack_from("<H", optional, 0)
    dirs = 112 if magic == 0x20B else 96
    fh.seek(opt + opt_size)
    sec = fh.read(40 * nsec)
    spans = [struct.unpack_from("<IIII", sec, i * 40 + 8) for i in range(nsec)]  # vsize, va, rawsize, rawptr

    def read(rva: int, n: int) -> bytes:
        for vsize, va, rawsize, rawptr in spans:
            if va <= rva < va + max(vsize, rawsize):
                fh.seek(rawptr + rva - va)
                return fh.read(n)
        return b""

    def cstr(rva: int) -> str:
        raw = read(rva, 260)
        return raw[: raw.find(b"\0")].decode("ascii", "replace") if raw else ""

    out = []
    for index, size, name_at in ((1, 20, 12), (13, 32, 4)):  # imports, delay-load imports
        if len(optional) < dirs + 8 * index + 8:
            continue
        rva, _n = struct.unpack_from("<II", optional, dirs + 8 * index)
        while rva:
            desc = read(rva, size)
            if len(desc) < size or not any(desc):
                break
            name_rva, = struct.unpack_from("<I", desc, name_at)
            if name_rva:
                out.append(cstr(name_rva))
            rva += size
    return out


def direct_imports(path) -> list[str]:
    """The libraries a binary links against directly (ELF ``DT_NEEDED``, PE import and
    delay-import tables), by name; [] for anything else. Pure Python, so the same code reads
    Windows DLLs on Linux (scripts/estimate_windows_bundle.py). Unlike ``ldd``, not transitive."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(64)
            if data[:4] == b"\x7fELF":
                return _elf_needed(fh, data)
            if data[:2] == b"MZ":
                return _pe_imports(fh, data)
    except (OSError, ValueError, IndexError, __import__("struct").error):
        pass
    return []


def prune_unreferenced(kept: list, dropped: list, imports_of) -> tuple[list, list]:
    """Binaries that were collected only because a dropped one needed them.

    ``kept``/``dropped``: TOC entries ``(dest, src, typecode)``; ``imports_of(src)`` -> the names
    (or paths) of the libraries ``src`` links against directly (``direct_imports``; not ldd, which
    lists the transitive closure and would keep a dropped library's dependencies). A library is pruned when a dropped binary needs it, directly or not, and nothing
    kept does. Matching is by file name (case-insensitive, as on Windows). Returns
    ``(kept without the pruned, pruned)``.
    """
    def key(path: str) -> str:
        return path.replace("\\", "/").rsplit("/", 1)[-1].lower()

    real = [e for e in kept if e[2] != "SYMLINK"]
    by_name: dict[str, list] = {}
    for e in real:
        by_name.setdefault(key(e[0]), []).append(e)
        by_name.setdefault(key(e[1]), []).append(e)
    deps_cache: dict[int, list] = {}

    def deps(e) -> list:
        if id(e) not in deps_cache:
            found = []
            for name in imports_of(e[1]):
                for hit in by_name.get(key(name), ()):
                    if hit is not e and hit not in found:
                        found.append(hit)
            deps_cache[id(e)] = found
        return deps_cache[id(e)]

    def closure(start) -> set[int]:
        seen: set[int] = set()
        stack = list(start)
        while stack:
            e = stack.pop()
            if id(e) in seen:
                continue
            seen.add(id(e))
            stack.extend(deps(e))
        return seen

    # Everything reachable from the dropped binaries (by name: the dropped ones are not in `real`).
    candidates: set[int] = set()
    for d in dropped:
        for name in imports_of(d[1]):
            candidates |= closure(by_name.get(key(name), ()))
    if not candidates:
        return list(kept), []
    needed = closure(e for e in real if id(e) not in candidates)
    pruned_ids = candidates - needed
    pruned = [e for e in real if id(e) in pruned_ids]
    return [e for e in kept if id(e) not in pruned_ids], pruned


# Linux only: files build.spec strips, with the strip option to use (pattern on the destination).
# Not a global strip=True: that broke auditwheel/patchelf-patched libraries (NumPy's OpenBLAS:
# "ELF load command address/offset not page-aligned") and the Qt multimedia plugin. None of these
# is patchelf-patched: libmediapipe.so carries a 28 MB symbol table (its exported symbols, used by
# ctypes, are kept by --strip-unneeded); the Python runtime of the build machine (pyenv, built
# with -g) and SQLAlchemy's Cython modules carry ~25 MB of DWARF debug info. On Windows none of
# them has any: python.org and the wheels ship release DLLs.
STRIP_ON_LINUX: tuple[tuple[str, str], ...] = (
    ("mediapipe/tasks/c/libmediapipe.so", "--strip-unneeded"),
    ("libpython3*.so*", "--strip-debug"),
    ("python3*/lib-dynload/*.so", "--strip-debug"),
    ("sqlalchemy/*.so", "--strip-debug"),
)


def strip_on_linux(dest: str) -> str | None:
    """The ``strip`` option for this destination on Linux, or None to leave it as it is."""
    norm = dest.replace("\\", "/")
    for pattern, option in STRIP_ON_LINUX:
        if fnmatch.fnmatch(norm, pattern):
            return option
    return None


def trim_reason(dest: str) -> str:
    """Why keep_binary() leaves a destination out (for the trim report)."""
    plugin = qt_plugin(dest)
    if plugin is not None and not keep_qt_plugin(dest):
        return f"Qt plugin {plugin[0]}/{plugin[1]}"
    if is_host_lib(dest):
        return "host library"
    if dest.replace("\\", "/").rsplit("/", 1)[-1].lower() in DROP_BINARIES:
        return "unused (no OpenGL)"
    return "Qt virtual keyboard"


def trim_record(entry, why: str | None = None) -> dict:
    import os

    dest, src, typ = entry
    size = 0 if typ == "SYMLINK" or not os.path.isfile(src) else os.path.getsize(src)
    return {"dest": dest.replace("\\", "/"), "why": why or trim_reason(dest), "bytes": size}


def write_trim_report(path: Path, records: list[dict]) -> Path:
    """``{"total_mb", "by_reason": {reason: mb}, "files": [...]}`` as JSON, largest first."""
    import json

    def group(why: str) -> str:
        return why.rsplit("/", 1)[0] if why.startswith("Qt plugin") else why

    by_reason: dict[str, int] = {}
    for r in records:
        by_reason[group(r["why"])] = by_reason.get(group(r["why"]), 0) + r["bytes"]
    report = {
        "total_mb": round(sum(r["bytes"] for r in records) / 2**20, 1),
        "by_reason_mb": {k: round(v / 2**20, 2) for k, v in sorted(by_reason.items(), key=lambda kv: -kv[1])},
        "files": sorted(records, key=lambda r: -r["bytes"]),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return path


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
