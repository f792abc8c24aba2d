"""Issue 15: CLI numbers have bounds and a bilingual message (no traceback), negative purge days are
refused, a huge retention_days in settings.json is reported and ignored, and stored fields with
control characters never reach the terminal raw (orders list/show)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from studio_app.cli import main as cli_main
from studio_app.orders import open_store
from studio_app.paths import config_dir
from studio_app.settings import load_settings
from studio_app.termtext import clean


def _cli(capsys, *argv):
    try:
        rc = cli_main(list(argv))
    except SystemExit as exc:  # argparse refuses a value with exit code 2
        rc = exc.code
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.parametrize("argv", [
    ["orders", "list", "--limit", "99999999999999999999"],
    ["orders", "list", "--limit", "0"],
    ["orders", "purge", "--days", "-1"],
    ["orders", "purge", "--days", "99999999999"],
])
def test_numbers_out_of_bounds_are_refused_in_both_languages(capsys, argv):
    with open_store() as store:
        store.create_order("sscard", "张三", None, "深圳")
    rc, out, err = _cli(capsys, *argv)
    assert rc == 2 and "Traceback" not in err, err
    assert "须在" in err and "must be" in err, err
    with open_store() as store:  # nothing was purged
        assert len(store.list()) == 1


def test_huge_retention_days_in_settings_is_reported_not_a_traceback(capsys):
    path = config_dir() / "settings.json"
    path.write_text(json.dumps({"retention_days": 9999999999}), encoding="utf-8")
    settings, problems = load_settings()
    assert settings.retention_days == 90 and any("retention_days" in p for p in problems)
    rc, out, err = _cli(capsys, "orders", "purge")
    assert rc == 0 and "Traceback" not in err, err


def test_control_characters_in_stored_fields_never_reach_the_terminal(capsys):
    with open_store() as store:
        o = store.create_order("sscard", "张三", None, "深圳", phone="13800138000")
        with store.engine.begin() as conn:  # as if written by an older version or another station
            conn.execute(sa.text("UPDATE orders SET phone = :p, applicant_name = :n WHERE receipt_no = :r"),
                         {"p": "138\x1b[2J\x1b[31m00\n138000", "n": "张\r三\x07\u202e", "r": o.receipt_no})
    for argv in (["orders", "show", o.receipt_no], ["orders", "list"], ["orders", "list", "--json"]):
        rc, out, err = _cli(capsys, *argv)
        assert rc == 0, err
        assert not any(ch in out for ch in "\x1b\r\x07\u202e"), (argv, out)
        assert "\\x" in out or "\\u" in out, (argv, out)  # shown escaped, not dropped
    rc, out, _ = _cli(capsys, "orders", "show", o.receipt_no)
    assert "\\x1b[2J" in out and "138\\x1b[2J\\x1b[31m00\\x0a138000" in out


def test_clean_keeps_ordinary_text():
    assert clean("买买提·艾力 0755-12345678") == "买买提·艾力 0755-12345678"
    assert clean(None) == "" and clean("a\tb") == "a\\x09b"
