"""Shared fixtures: isolated user folders, the real portraits, the astronaut."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GLOG_minloglevel", "2")

REPO = Path(__file__).resolve().parent.parent
PORTRAITS = REPO.parent / "shared" / "testdata" / "portraits"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own config/data folders (settings, specs, database, logs)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("STUDIO_APP_HOME", str(home))
    monkeypatch.delenv("STUDIO_APP_DATABASE_URL", raising=False)
    return home


def portraits_dir() -> Path:
    return PORTRAITS


def portrait_labels() -> list[dict]:
    path = PORTRAITS / "labels.csv"
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def portraits() -> Path:
    if not PORTRAITS.is_dir():
        pytest.skip("../shared/testdata/portraits not present")
    return PORTRAITS


_DRESSED: dict[str, Path] = {}


def dressed_portrait(name: str) -> Path:
    """A JPEG of an ldn_* studio portrait with its white T-shirt recoloured navy (tests/edits.py,
    shading kept), made once per test run: the four studio sitters wear white on a white
    backdrop, which 身份证/社保卡 reject (the clothing check). Tests that need a photo passing
    社保卡 use this; the shared file itself is never changed."""
    if name in _DRESSED:
        return _DRESSED[name]
    import atexit
    import shutil
    import tempfile

    from edits import save_jpeg, with_dark_top

    if "_dir" not in _DRESSED:
        d = Path(tempfile.mkdtemp(prefix="dressed-portraits-"))
        atexit.register(shutil.rmtree, d, True)
        _DRESSED["_dir"] = d
    out = _DRESSED["_dir"] / name
    save_jpeg(with_dark_top(load_portrait(name)), out)
    _DRESSED[name] = out
    return out


@pytest.fixture
def dressed_portraits(portraits) -> Path:
    """A folder like ``portraits`` (every shared file) whose ldn_* sitters wear navy tops."""
    for p in portraits.glob("ldn_*.jpg"):
        dressed_portrait(p.name)
    d = _DRESSED["_dir"]
    for p in portraits.iterdir():
        if p.is_file() and not (d / p.name).exists():
            (d / p.name).symlink_to(p)
    return d


def load_portrait(name: str) -> np.ndarray:
    """RGB uint8 array of one shared portrait (skip when the folder is absent)."""
    from PIL import Image, ImageOps

    path = PORTRAITS / name
    if not path.is_file():
        pytest.skip(f"portrait {name} not present")
    with Image.open(path) as im:
        return np.asarray(ImageOps.exif_transpose(im).convert("RGB"))


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    from skimage import data

    return np.ascontiguousarray(data.astronaut())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The order store's tests run on SQLite and, where STUDIO_APP_TEST_PG_URL is set, PostgreSQL."""
    from studio_app.orders.testing import pg_test_url, scratch_schema

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'orders.sqlite3'}"
        return
    if not pg_test_url():
        pytest.skip("STUDIO_APP_TEST_PG_URL is not set")
    with scratch_schema() as url:
        yield url
