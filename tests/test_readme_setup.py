"""The README's set-up lines, as a newcomer on a fresh Debian/Ubuntu root shell runs them (issue 18):
the apt line brings every system package CI installs for the app (Qt's xcb plugin links
libxkbcommon-x11 etc.), it works without sudo, and pyproject.toml builds without warnings."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Installed by .ci/run only to run the tests or build the bundle, not to run the app.
CI_TOOLS_ONLY = {"poppler-utils", "postgresql", "strace", "binutils"}


def _apt_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.search(r"\bapt-get install\b", line)]


def _packages(line: str) -> set[str]:
    cmd = line.split("#", 1)[0].split("apt-get install", 1)[1]
    return {w for w in cmd.replace("\\", " ").split() if not w.startswith("-")}


def _ci_packages() -> set[str]:
    text = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"apt-get install[^\n]*\\\n((?:[^\n]*\\\n)*[^\n]*)", text)
    assert block, "no apt-get install block in .ci/run"
    return {w for w in block.group(1).replace("\\", " ").split() if not w.startswith("-")}


def test_readme_apt_lines_bring_every_package_ci_installs_for_the_app():
    lines = _apt_lines((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(lines) == 2, lines  # Chinese and English quick start
    needed = _ci_packages() - CI_TOOLS_ONLY
    assert {"libxkbcommon-x11-0", "libxcb-shape0", "libxcb-xkb1", "libfontconfig1"} <= needed
    for line in lines:
        missing = needed - _packages(line)
        assert not missing, f"README apt line lacks {sorted(missing)}"
        assert "python3-venv" in _packages(line) and "make" in _packages(line)
        # A fresh root shell has no sudo and an empty package list.
        assert not line.lstrip().startswith("sudo"), line
        assert "apt-get update" in line


@pytest.mark.skipif(shutil.which("apt-cache") is None, reason="not a Debian/Ubuntu system")
def test_readme_apt_packages_exist():
    line = _apt_lines((REPO / "README.md").read_text(encoding="utf-8"))[0]
    pkgs = sorted(_packages(line))
    out = subprocess.run(["apt-cache", "show", *pkgs], capture_output=True, text=True)
    found = set(re.findall(r"^Package: (\S+)$", out.stdout, re.M))
    assert set(pkgs) <= found, f"unknown packages: {sorted(set(pkgs) - found)}"


def test_pyproject_license_is_an_spdx_string():
    import tomllib
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # A table here makes setuptools warn twice on every `make run` install.
    assert isinstance(project["license"], str)
    for f in project["license-files"]:
        assert (REPO / f).is_file(), f


def test_makefile_install_is_not_silent():
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    install = re.search(r"^\$\(STAMP\):.*?(?=^\S)", text, re.M | re.S).group(0)
    assert "pip install" in install and " -q" not in install
    assert "echo" in install
