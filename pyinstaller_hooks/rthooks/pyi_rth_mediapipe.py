"""Runtime hook (frozen app only): an inert ``matplotlib`` for mediapipe's drawing_utils.

``mediapipe.tasks.python.vision`` imports ``drawing_utils``, which does
``import matplotlib.pyplot as plt`` at module level although only its plotting helpers use it.
The bundle leaves matplotlib out (about 60 MB with its dependencies); this finder answers
``import matplotlib`` / ``import matplotlib.<anything>`` with an empty module whose attributes
raise ImportError, so the import succeeds and any real use fails loudly.
It is installed only when the real matplotlib cannot be found.
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
        raise ImportError(
            f"{self.__name__}.{name}: matplotlib is not included in this application bundle"
        )


class _InertMatplotlibFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    ROOT = "matplotlib"

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.ROOT or fullname.startswith(self.ROOT + "."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _InertModule(spec.name)
        module.__path__ = []
        module.__studio_app_inert__ = True
        return module

    def exec_module(self, module):
        return None


def _install():
    try:
        if importlib.util.find_spec("matplotlib") is not None:
            return
    except (ImportError, ValueError):
        pass
    if not any(isinstance(f, _InertMatplotlibFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _InertMatplotlibFinder())


_install()
