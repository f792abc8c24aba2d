"""Where things live: bundled resources, user config, user data.

``STUDIO_APP_HOME`` overrides both user folders (tests and portable installs use it);
``STUDIO_APP_RESOURCES`` overrides the resources folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from . import APP_NAME


def resources_dir() -> Path:
    env = os.environ.get("STUDIO_APP_RESOURCES")
    if env:
        return Path(env)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:  # PyInstaller one-folder bundle
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def _home() -> Path | None:
    env = os.environ.get("STUDIO_APP_HOME")
    return Path(env) if env else None


def config_dir() -> Path:
    home = _home()
    path = home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    home = _home()
    path = home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_specs_dir() -> Path:
    """A studio's own spec TOML files (add or override by id)."""
    return config_dir() / "specs"
