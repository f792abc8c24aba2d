"""PyInstaller hook for mediapipe >= 1.2 (the Tasks API). There is no upstream hook.

The 1.2.x wheels ship one native library, ``mediapipe/tasks/c/libmediapipe.{so,dll,dylib}``,
which ``mediapipe.tasks.python.core.mediapipe_c_bindings`` loads with ctypes through
``importlib.resources.files('mediapipe.tasks.c')``. Nothing imports ``mediapipe.tasks.c``, so the
analysis never sees it: it must be a hidden import, and the library must sit at the same relative
path inside the bundle. The ``.fbs`` metadata schemas and the label maps are small data files.

``matplotlib`` is imported only by ``mediapipe.tasks.python.vision.drawing_utils`` (never used
here) and ``sounddevice`` only, and lazily, by the audio tasks: both are excluded from the bundle.
The runtime hook ``rthooks/pyi_rth_mediapipe.py`` supplies an inert ``matplotlib`` so that
``import mediapipe.tasks.python.vision`` still succeeds.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs, collect_submodules

hiddenimports = ["mediapipe.tasks.c"] + collect_submodules(
    "mediapipe.tasks.python",
    # Model-maker/test helpers are not part of the runtime wheel, but filter defensively.
    filter=lambda name: ".test" not in name and "_test" not in name,
)

# libmediapipe.so / libmediapipe.dll / libmediapipe.dylib, at mediapipe/tasks/c/ in the bundle.
binaries = collect_dynamic_libs("mediapipe")

datas = collect_data_files("mediapipe", excludes=["**/__pycache__", "**/*.pyi"])

excludedimports = ["matplotlib", "sounddevice", "cv2"]
