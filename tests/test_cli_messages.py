"""The CLI as a newcomer meets it (issue 18): errors in both languages until --lang picks one,
exit codes in --help and the README, where a RECEIPT_NO comes from, and the city's spec switch."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PORTRAITS

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "STUDIO_APP_LANG"}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "studio_app", *args], capture_output=True, text=True,
                          env=env, timeout=240, cwd=REPO)


def test_error_is_bilingual_without_lang_and_one_language_with_it(tmp_path):
    missing = str(tmp_path / "nope.jpg")
    r = run_cli("check", missing, "--spec", "sscard")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith("错误：") and lines[1].startswith("Error: ") and missing in lines[1], r.stderr
    r = run_cli("--lang", "en", "check", missing, "--spec", "sscard")
    assert r.returncode == 2 and r.stderr.startswith("Error: ") and "错误" not in r.stderr


def test_help_lists_the_exit_codes_the_commands_use():
    out = run_cli("--help").stdout
    for code, word in [("0", "success"), ("1", "does not meet"), ("2", "bad input"), ("3", "retake"),
                       ("4", "still does not meet"), ("130", "interrupted")]:
        assert re.search(rf"^\s+{code}\s+.*{word}", out, re.M | re.S), (code, out)
    assert "--lang" in out
    assert "3 需要重拍 retake" in run_cli("process", "--help").stdout


def test_readme_documents_exit_codes_and_lang():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    english = readme[readme.index('<a id="english"></a>'):]
    assert "--lang en" in english
    for code in ("0", "1", "2", "3", "4"):
        assert re.search(rf"^\| `{code}` \|", english, re.M), code
        assert re.search(rf"^\| `{code}` \|", readme[:readme.index('<a id="english"></a>')], re.M), code


def test_receipt_says_where_a_receipt_number_comes_from():
    r = run_cli("receipt", "--help")
    assert "orders list" in r.stdout and "--name" in r.stdout
    r = run_cli("receipt", "R-NOPE")
    assert r.returncode == 2
    assert "orders list" in r.stderr and "找不到订单 R-NOPE" in r.stderr and "Order R-NOPE not found" in r.stderr


def test_city_switch_is_announced_in_both_languages(tmp_path):
    src = PORTRAITS / "ldn_006_f_bun.jpg"
    if not src.is_file():
        pytest.skip("shared portraits not present")
    from conftest import load_portrait
    from edits import save_jpeg, with_dark_top

    photo = tmp_path / "navy.jpg"  # her white T-shirt fails 社保卡's clothing rule: dressed in navy
    save_jpeg(with_dark_top(load_portrait("ldn_006_f_bun.jpg")), photo)
    r = run_cli("process", str(photo), "--spec", "sscard", "--out", str(tmp_path / "o"),
                "--name", "王小明", "--id-number", "11010519491231002X", "--city", "深圳市")
    assert r.returncode == 0, r.stderr
    assert "sscard_shenzhen" in r.stderr and "9–20 KB" in r.stderr and "14–40 KB" in r.stderr
    assert "已改用" in r.stderr and "now using" in r.stderr


def test_order_and_receipt_verify_speak_both_languages(tmp_path, monkeypatch):
    """The newcomer's walk-through (README "First ten minutes"): process --name, then receipt verify."""
    photo = PORTRAITS / "ldn_004_m_stubble.jpg"
    if not photo.is_file():
        pytest.skip("shared portraits not present")
    monkeypatch.setenv("STUDIO_APP_HOME", str(tmp_path / "home"))
    out = tmp_path / "o"
    r = run_cli("process", str(photo), "--spec", "one_inch", "--out", str(out), "--name", "张三")
    assert r.returncode == 0, r.stderr
    assert "已创建订单" in r.stdout + r.stderr and "Order created" in r.stdout + r.stderr
    receipt = next(out.glob("*/receipt.pdf"))
    r = run_cli("receipt", "verify", str(receipt))
    assert r.returncode == 0, r.stderr
    for zh, en in (("有效", "valid:"), ("请与本人核对", "Compare with the person"), ("存档照片已写入", "stored photo")):
        assert zh in r.stdout and en in r.stdout and "\\x0a" not in r.stdout, r.stdout
    r = run_cli("--lang", "en", "receipt", "verify", str(receipt))
    assert r.returncode == 0 and not re.search(r"[\u4e00-\u9fff]", r.stdout.replace("张", "")), r.stdout
