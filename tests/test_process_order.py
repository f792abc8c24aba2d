"""`studio-app process --name --id-number --city`: validated applicant, order, receipt PDF."""

from __future__ import annotations

import subprocess

import pytest

from conftest import PORTRAITS
from studio_app.cli import main as cli_main


@pytest.fixture
def ldn_photo(tmp_path_factory):
    """ldn_006 in a navy top: her white T-shirt on the 社保卡's white backdrop needs a retake."""
    path = PORTRAITS / "ldn_006_f_bun.jpg"
    if not path.is_file():
        pytest.skip("shared portraits not present")
    import edits
    from conftest import load_portrait

    out = tmp_path_factory.mktemp("dark_top") / "ldn_006_dark_top.jpg"
    edits.save_jpeg(edits.with_dark_top(load_portrait("ldn_006_f_bun.jpg")), out)
    return out


def test_process_with_applicant_creates_order_and_receipt(ldn_photo, tmp_path, capsys):
    out = tmp_path / "out"
    rc = cli_main(["process", str(ldn_photo), "--spec", "sscard", "--out", str(out),
                   "--name", "王小明", "--id-number", "11010519491231002x", "--city", "深圳"])
    assert rc == 0, capsys.readouterr()
    printed = capsys.readouterr().out

    from studio_app.orders import open_store

    store = open_store()
    try:
        (order,) = store.list()
        assert order.receipt_no in printed
        assert order.spec_id == "sscard_shenzhen"  # the city picks the Shenzhen variant
        assert order.status == "exported"
        assert store.id_number(order.receipt_no) == "11010519491231002X"
    finally:
        store.close()
    out = out / order.receipt_no  # each order in its own folder, named by its receipt number
    assert {"photo.jpg", "sheet.jpg", "sheet.pdf", "report.json", "receipt.pdf"} <= {p.name for p in out.iterdir()}
    text = subprocess.run(["pdftotext", str(out / "receipt.pdf"), "-"], capture_output=True, text=True).stdout
    assert "王小明" in text and order.receipt_no in text
    assert "11010519491231002X" not in text  # masked on the receipt


@pytest.mark.parametrize("extra, words", [
    (["--id-number", "110105194912310021"], "校验码"),  # wrong check character
    (["--city", "广东省"], "深圳市"),  # a province, not a city
    (["--id-number", "11010519491231002X"], "--name"),  # an order needs a name
])
def test_bad_applicant_is_refused_before_any_work(ldn_photo, tmp_path, capsys, extra, words):
    out = tmp_path / "out"
    args = ["process", str(ldn_photo), "--spec", "sscard", "--out", str(out)]
    if "--name" != words:
        args += ["--name", "王小明"]
    rc = cli_main(args + extra)
    assert rc == 2
    assert words in capsys.readouterr().err
    assert not out.exists()
