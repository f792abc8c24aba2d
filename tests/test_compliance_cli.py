"""`studio-app check IMAGE --spec ID [--json]`: report, exit codes, clean errors (no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, lang: str = "en") -> subprocess.CompletedProcess:
    env = dict(os.environ, STUDIO_APP_LANG=lang, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "studio_app", "--lang", lang, *args], capture_output=True,
                          text=True, env=env, timeout=240, cwd=REPO)


@pytest.fixture(scope="module")
def astro_png(tmp_path_factory):
    from skimage import data

    p = tmp_path_factory.mktemp("cli") / "astronaut.png"
    Image.fromarray(data.astronaut()).save(p)
    return p


@pytest.fixture(scope="module")
def json_run(astro_png):
    return run_cli("check", str(astro_png), "--spec", "sscard", "--json")


def test_json_report(json_run):
    assert json_run.returncode == 1, json_run.stderr  # the astronaut is not an ID photo
    data = json.loads(json_run.stdout)
    assert data["spec"] == "sscard" and data["faces"] == 1 and data["ok"] is False
    ids = [c["id"] for c in data["checks"]]
    assert ids[0] == "single_face" and {"yaw", "pitch", "roll", "background_colour", "sharpness"} <= set(ids)
    for c in data["checks"]:
        assert set(c) >= {"id", "status", "class", "measured", "limit", "message"}
    assert "Traceback" not in json_run.stderr


def test_table_report_in_chinese(astro_png):
    r = run_cli("check", str(astro_png), "--spec", "sscard", lang="zh_CN")
    assert r.returncode == 1
    assert "单人" in r.stdout and "需要重拍" in r.stdout
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("content,word", [
    (b"not an image at all", "Not a recognised image"),
    (None, "truncated"),
])
def test_bad_files_exit_cleanly(tmp_path, content, word):
    path = tmp_path / "bad.jpg"
    if content is None:
        buf = tmp_path / "full.jpg"
        Image.fromarray(np.random.default_rng(1).integers(0, 255, (300, 300, 3), dtype=np.uint8)).save(buf, quality=90)
        data = buf.read_bytes()
        content = data[: len(data) // 3]
    path.write_bytes(content)
    r = run_cli("check", str(path), "--spec", "sscard")
    assert r.returncode == 2
    assert word.lower() in r.stderr.lower()
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_bomb_and_unknown_spec(tmp_path, astro_png):
    bomb = tmp_path / "bomb.png"
    Image.new("L", (4000, 3000), 0).save(bomb)
    env_limit = dict(os.environ, STUDIO_APP_MAX_PIXELS="1000000", PYTHONPATH=str(REPO))
    r = subprocess.run([sys.executable, "-m", "studio_app", "--lang", "en", "check", str(bomb), "--spec", "sscard"],
                       capture_output=True, text=True, env=env_limit, timeout=240, cwd=REPO)
    assert r.returncode == 2 and "too many pixels" in r.stderr.lower() and "Traceback" not in r.stderr
    r = run_cli("check", str(astro_png), "--spec", "no_such_spec")
    assert r.returncode == 2 and "Traceback" not in r.stderr
