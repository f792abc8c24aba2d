"""One "ID number required" rule for every shell (services.id_rule, Settings.require_id_number):
the CLI, the operator window and the kiosk ask for the resident ID number for the same documents."""

from __future__ import annotations

import json

import pytest

from conftest import PORTRAITS
from studio_app.cli import main as cli_main
from studio_app.errors import StudioError
from studio_app.services.id_rule import id_number_required
from studio_app.settings import Settings, load_settings, save_settings, settings_path
from studio_app.specs import get_spec

GOOD_ID = "11010519491231002X"


@pytest.mark.parametrize("spec_id, needed", [
    ("sscard", True), ("sscard_shenzhen", True), ("resident_id", True), ("one_inch", False),
    ("schengen_visa", False),
])
def test_by_document_default(spec_id, needed):
    assert id_number_required(get_spec(spec_id), Settings()) is needed
    assert id_number_required(get_spec(spec_id), Settings(require_id_number="always")) is True
    assert id_number_required(get_spec(spec_id), Settings(require_id_number="never")) is False


def test_a_typo_in_the_setting_falls_back_to_the_default_and_is_reported():
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(json.dumps({"require_id_number": "yes"}), encoding="utf-8")
    settings, problems = load_settings()
    assert settings.require_id_number == "by_document"
    assert len(problems) == 1 and "require_id_number" in problems[0] and "always" in problems[0]


@pytest.fixture
def both_languages(monkeypatch):
    """The CLI as started (no --lang): messages in Chinese and English; an earlier in-process test
    may have chosen one language."""
    from studio_app import messages

    monkeypatch.setattr(messages, "_CHOSEN", False)
    monkeypatch.setattr(messages, "_LANG", "zh_CN")


def _photo():
    path = PORTRAITS / "ldn_004_m_stubble.jpg"
    if not path.is_file():
        pytest.skip("shared portraits not present")
    return path


def test_cli_order_for_a_document_that_needs_the_id_number_is_refused_before_any_work(tmp_path, capsys,
                                                                                   both_languages):
    """Before: `process --spec sscard --name X` made an order without the ID number (only the kiosk asked)."""
    out = tmp_path / "out"
    rc = cli_main(["process", str(_photo()), "--spec", "sscard", "--out", str(out), "--name", "王小明"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "--id-number" in err and "公民身份号码" in err and "resident ID number" in err  # zh and en
    assert "社保卡" in err and "Social security card" in err  # the document named
    assert not out.exists()
    from studio_app.orders import open_store

    with open_store() as store:
        assert store.list() == []


def test_cli_follows_the_setting(tmp_path, capsys):
    """"always": even a studio-size photo's order needs it (and nothing is written)."""
    save_settings(Settings(require_id_number="always"))
    out = tmp_path / "out"
    rc = cli_main(["process", str(_photo()), "--spec", "one_inch", "--out", str(out), "--name", "张三"])
    assert rc == 2 and "--id-number" in capsys.readouterr().err
    assert not out.exists()


def test_the_shells_writer_refuses_an_order_without_the_id_number(tmp_path):
    """session.write_order_outputs (operator window, kiosk) holds the same rule, rejected orders too."""
    from types import SimpleNamespace

    from studio_app.orders import open_store
    from studio_app.session import Applicant, OutputRequest, write_order_outputs

    settings = Settings(output_dir=str(tmp_path / "out"))
    result = SimpleNamespace(ok=True, to_dict=lambda lang=None: {"ok": True})
    with open_store() as store:
        for approved in (True, False):
            req = OutputRequest(spec=get_spec("resident_id"), city="", province="", capture=None, result=result,
                                applicant=Applicant(name="王小明"), approved=approved, reject_reasons=("x",))
            with pytest.raises(StudioError) as info:
                write_order_outputs(req, settings=settings, store=store)
            assert info.value.key == "applicant.id_required"
            assert "居民身份证" in info.value.message("zh_CN")
        assert store.list() == []
    assert not (tmp_path / "out").exists()


def test_kiosk_asks_by_the_same_rule():
    from studio_app.ui.kiosk.services import KioskServices

    visa, sscard = get_spec("schengen_visa"), get_spec("sscard")
    assert not KioskServices(Settings()).id_required(visa)
    assert KioskServices(Settings()).id_required(sscard)
    assert KioskServices(Settings(require_id_number="always")).id_required(visa)
    assert not KioskServices(Settings(require_id_number="never")).id_required(sscard)


@pytest.mark.gui
def test_operator_window_asks_for_the_id_number_by_the_same_rule(qtbot, tmp_path):
    """Before: the operator's form always demanded the ID number, for a studio-size photo too,
    while the kiosk let a visa customer skip it and the CLI never asked."""
    pytest.importorskip("pytestqt")
    from studio_app.camera import ImageSource
    from studio_app.orders import open_store
    from studio_app.session import State
    from studio_app.ui.main_window import MainWindow

    from conftest import load_portrait

    _photo()
    store = open_store()
    w = MainWindow(frame_source=ImageSource(load_portrait("ldn_004_m_stubble.jpg")), spec_id="one_inch",
                   use_qt_camera=False, store=store, settings=Settings(output_dir=str(tmp_path / "out")))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    try:
        qtbot.waitUntil(lambda: w.session.state == State.REVIEW and w.review.result is not None, timeout=60000)
        assert w.review.result.ok
        form = w.review.form
        form.name.setText("张三")
        form.set_city("深圳市")
        assert not form.require_id and form.valid  # a studio-size photo: no ID number needed
        assert w.review.approve.isEnabled()
        with qtbot.waitSignal(w.outputWritten, timeout=60000) as sig:
            w.review.approve.click()
        order = store.get(sig.args[0].receipt_no)
        assert order.spec_id == "one_inch" and order.status == "exported" and not order.id_masked

        # "always" in the settings: the next customer's studio photo needs it
        w.settings = Settings(output_dir=str(tmp_path / "out"), require_id_number="always")
        w.next_customer()
        qtbot.waitUntil(lambda: w.session.state == State.REVIEW and w.review.result is not None, timeout=60000)
        form.name.setText("李四")
        form.set_city("深圳市")
        assert form.require_id and not form.valid and not w.review.approve.isEnabled()
        form.id_number.setText(GOOD_ID)
        assert form.valid and w.review.approve.isEnabled()
    finally:
        w.shutdown()
        store.close()
