"""Runtime hook (frozen app only): inert ``matplotlib`` and ``cv2`` for mediapipe's drawing_utils.

``mediapipe.tasks.python.vision`` imports ``drawing_utils``, which does ``import cv2`` and
``import matplotlib.pyplot as plt`` at module level although only its drawing helpers use them.
The bundle leaves both out (OpenCV ~300 MB, matplotlib ~60 MB with their dependencies; the app's
own image operations are NumPy + Pillow); this finder answers ``import cv2`` /
``import matplotlib.<anything>`` with an empty module whose attributes raise ImportError, so the
import succeeds and any real use fails loudly. Each is installed only when the real package
cannot be found. Inert modules carry ``__studio_app_inert__ = True`` (studio_app/camera/files.py
checks it to explain that video files need OpenCV).
"""

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types


class _InertModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        raise ImportError(f"{self.__name__}.{name}: not included in this application bundle")


class _InertFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, root: str):
        self.root = root

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.root or fullname.startswith(self.root + "."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _InertModule(spec.name)
        module.__path__ = []
        module.__studio_app_inert__ = True
        return module

    def exec_module(self, module):
        return None


# kept for tests and older callers
class _InertMatplotlibFinder(_InertFinder):
    def __init__(self):
        super().__init__("matplotlib")


def _install(roots=("matplotlib", "cv2")):
    for root in roots:
        try:
            if importlib.util.find_spec(root) is not None:
                continue
        except (ImportError, ValueError):
            pass
        if not any(isinstance(f, _InertFinder) and f.root == root for f in sys.meta_path):
            sys.meta_path.insert(0, _InertFinder(root))


_install()
