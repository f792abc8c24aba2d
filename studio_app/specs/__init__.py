"""Document photo specifications as data (TOML) loaded into frozen dataclasses."""

from .loader import SpecError, SpecLibrary, default_library, get_spec, load_file, load_library
from .model import PALETTE, Background, FileRules, Geometry, Pose, Range, Spec

__all__ = [
    "PALETTE", "Background", "FileRules", "Geometry", "Pose", "Range", "Spec", "SpecError",
    "SpecLibrary", "default_library", "get_spec", "load_file", "load_library",
]
