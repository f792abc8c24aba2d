"""The review's finished-photo list (成品复检) names every check that makes the photo fail, also
the clothing judged on the original; an operator's confirmation of customary headwear makes the
photo printable and is recorded on the order (its stored report and report.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import load_portrait, portraits_dir
from studio_app.specs import get_spec


@pytest.fixture(scope="module")
def white_top():
    """A studio sitter in a white T-shirt for the 社保卡 (white backdrop): the finished photo
    fails for the clothing, which the export's own re-check cannot see."""
    if not portraits_dir().is_dir():
        pytest.skip("../shared/testdata/portraits not present")
    from studio_app.imaging.pipeline import process_photo

    return process_photo(load_portrait("ldn_004_m_stubble.jpg"), get_spec("sscard"))


def test_finished_report_lists_the_clothing_failure(white_top):
    from studio_app.compliance.finished import finished_report

    res = white_top
    assert not res.ok and any(p["key"] == "check.clothing.fail" for p in res.problems)
    rep = finished_report(res)
    assert rep["clothing"].status == "fail"
    # every check named by a problem of the finished photo fails in the list
    for p in res.problems:
        if p["key"] == "verify.check_failed":
            assert rep[p["params"]["id"]].status == "fail", p
    failing = {r.id for r in rep.results if r.status == "fail"}
    assert "clothing" in failing and not rep.ok
    # the rest is the export's own re-check, untouched
    for r in res.after.results:
        if r.id != "clothing":
            assert rep[r.id] is r


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_review_finished_list_shows_the_clothing_failure(qtbot, white_top, lang, tmp_path):
    from studio_app import messages
    from studio_app.ui.review import ReviewPanel

    page = ReviewPanel(lang=lang)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.start(get_spec("sscard"), load_portrait("ldn_004_m_stubble.jpg"))
    page.show_result(white_top)
    assert page.status.text().startswith(page.tr("成品不合格："))
    assert page.after.statuses.get("clothing") == "fail"
    item = page.after._items["clothing"]
    assert item.text(0) == messages.text("check.clothing", lang)
    # sorted first among the failures, and the summary counts it
    assert page.after.tree.topLevelItem(0).data(0, 0x0100) in {r for r, s in page.after.statuses.items() if s == "fail"}
    assert page.after.summary.text() != page.tr("全部通过")
    shot = Path(tmp_path) / f"review_finished_{lang}.png"
    page.grab().save(str(shot))
    assert shot.stat().st_size > 10_000


def _only_headwear(result):
    import dataclasses

    hat = {"key": "verify.check_failed", "retake": True,
           "params": {"id": "headwear", "message_key": "check.headwear.fail",
                      "check_params": {"confirmable": True}}}
    return dataclasses.replace(result, ok=False, retake=True, problems=[hat])


def test_confirm_moves_only_confirmable_headwear(white_top):
    from studio_app.compliance.finished import confirm

    only = _only_headwear(white_top)
    done = confirm(only, ["headwear"])
    assert done.ok and not done.retake and not done.problems
    assert any(w["key"] == "confirm.headwear" for w in done.warnings)
    assert confirm(only, []) is only  # nothing confirmed: unchanged
    import dataclasses

    both = dataclasses.replace(only, problems=only.problems + list(white_top.problems))
    still = confirm(both, ["headwear"])
    assert not still.ok and still.retake  # the white top still needs a retake
    strict = dict(only.problems[0], params={**only.problems[0]["params"], "check_params": {}})
    not_allowed = dataclasses.replace(only, problems=[strict])
    assert confirm(not_allowed, ["headwear"]).problems == [strict]


@pytest.fixture(scope="module")
def capped():
    """The bun sitter in a navy top with a plain dark cap painted over her hair
    (tests/edits.paint_cap), processed for the 身份证, which allows customary headwear."""
    if not portraits_dir().is_dir():
        pytest.skip("../shared/testdata/portraits not present")
    import edits
    from conftest import dressed_portrait
    from studio_app.imageio import load_image
    from studio_app.imaging.pipeline import process_photo
    from studio_app.vision.analyzer import analyze_still

    rgb = load_image(dressed_portrait("ldn_006_f_bun.jpg"))
    cap = edits.paint_cap(rgb, analyze_still(rgb))
    return cap, process_photo(cap, get_spec("resident_id"))


def test_confirmed_headwear_is_recorded_on_the_order(tmp_path, capped):
    """Through the writer the shells use: approved with the confirmation, the photo is printed
    and the stored report and report.json say what was confirmed; without it, no photo."""
    import dataclasses

    from studio_app.orders import open_store
    from studio_app.session import Applicant, OutputRequest, write_order_outputs
    from studio_app.settings import Settings

    _, hat = capped
    assert not hat.ok and hat.retake
    assert [p["params"].get("id") for p in hat.problems] == ["headwear"]  # the cap is the only problem
    spec = get_spec("resident_id")
    settings = Settings(output_dir=str(tmp_path / "out"))
    with open_store(f"sqlite:///{tmp_path / 'o.sqlite3'}") as store:
        req = OutputRequest(spec=spec, city="", province="", capture=None, result=hat,
                            applicant=Applicant(name="王小明", id_number="11010519491231002X"), approved=True, reject_reasons=(),
                            confirmations=("headwear",))
        rec = write_order_outputs(req, settings=settings, store=store)
        assert rec.photo_path is not None and Path(rec.photo_path).is_file()
        report = json.loads((Path(rec.folder) / "report.json").read_text("utf-8"))
        assert report["ok"] and any(w["key"] == "confirm.headwear" for w in report["warnings"])
        assert any("操作员已核实" in w["text"] for w in report["warnings"])
        stored = store.get(rec.receipt_no).report
        assert any(w["key"] == "confirm.headwear" for w in stored["warnings"])
        # without the confirmation the same photo is not printable
        rec2 = write_order_outputs(dataclasses.replace(req, confirmations=()), settings=settings, store=store)
        assert rec2.photo_path is None


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_review_marks_the_cap_and_offers_the_confirmation(qtbot, capped, lang, tmp_path):
    from studio_app import messages
    from studio_app.ui.review import ReviewPanel, problem_marks

    img, hat = capped
    marks = problem_marks(hat.before, lang)
    assert any(m[4] == messages.text("check.headwear.cover", lang) and m[5] for m in marks)
    page = ReviewPanel(lang=lang)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.start(get_spec("resident_id"), img)
    page.show_result(hat)
    assert page.after.statuses.get("headwear") == "fail"
    assert page.headwear_ok.isVisible() and not page.approve.isEnabled()
    page.headwear_ok.setChecked(True)
    assert page.confirmations == ["headwear"]
    page.grab().save(str(Path(tmp_path) / f"review_cap_{lang}.png"))


def test_session_carries_the_confirmation_to_the_output():
    from studio_app.session import Applicant, OutputRecord, Session, State

    calls = []

    class Done:
        ok = False

    def output(req):
        calls.append(req)
        return OutputRecord(receipt_no="A0112345")

    s = Session(services={"process": lambda rgb, spec, options, analysis: Done(), "output": output})
    s.start()
    s.send("accept")
    s.choose_spec(get_spec("resident_id"))
    s.send("ready")
    s.capture(np.full((40, 30, 3), 200, np.uint8), 1)
    assert s.run_processing() == State.REVIEW
    assert s.approve(Applicant(name="张三"), confirmations=["headwear"]) == State.APPROVED
    assert s.run_output() == State.DONE
    assert calls[0].confirmations == ("headwear",) and calls[0].approved
