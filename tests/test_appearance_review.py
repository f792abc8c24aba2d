"""The review marks each new problem on the original photo (a box with its message, red for a
failure), and the finished photo's result names the clothing problem the finished photo itself
cannot show (white on white)."""

from __future__ import annotations

import numpy as np
import pytest

import edits
from conftest import load_portrait, portraits_dir
from studio_app.specs import get_spec


@pytest.fixture(scope="module")
def shadowed():
    if not portraits_dir().is_dir():
        pytest.skip("../shared/testdata/portraits not present")
    from studio_app.imaging.pipeline import process_photo
    from studio_app.vision.analyzer import analyze_still

    rgb = load_portrait("ldn_107_f_older.jpg")
    img = edits.half_face_shadow(rgb, analyze_still(rgb), 0.45, "left")
    return img, process_photo(img, get_spec("sscard"))


def test_result_names_the_floating_head(shadowed):
    _, result = shadowed
    assert not result.ok and result.retake
    assert any(p["key"] == "check.clothing.fail" for p in result.problems)
    assert any("头像悬空" in line for line in result.messages("zh_CN"))
    assert any("head floats" in line for line in result.messages("en"))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_review_marks_shadow_and_clothing_on_the_photo(qtbot, shadowed, lang):
    from studio_app import messages
    from studio_app.ui.review import ReviewPanel, problem_marks

    img, result = shadowed
    marks = problem_marks(result.before, lang)
    texts = {m[4] for m in marks}
    assert messages.text("check.clothing.fail", lang) in texts
    assert any(m[4] in (messages.text("check.lighting.fail", lang), messages.text("check.lighting.shadow_edge", lang))
               for m in marks)
    face = next(m for m in marks if m[4] != messages.text("check.clothing.fail", lang))
    x, y, w, h = face[:4]
    assert 0 < x < img.shape[1] / 2 < x + w and 0 < y < img.shape[0] / 2 < y + h + img.shape[0] / 4
    page = ReviewPanel(lang=lang)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.start(get_spec("sscard"), img)
    page.show_result(result)
    shot = page.original.grab().toImage()
    arr = np.frombuffer(shot.constBits(), np.uint8).reshape(shot.height(), shot.bytesPerLine() // 4, 4)
    red = (arr[..., 2] > 200) & (arr[..., 1] < 100) & (arr[..., 0] < 90)  # BGRA: the fail colour
    assert red.sum() > 500, red.sum()
    page.original.set_marks([])
    shot = page.original.grab().toImage()
    arr = np.frombuffer(shot.constBits(), np.uint8).reshape(shot.height(), shot.bytesPerLine() // 4, 4)
    assert ((arr[..., 2] > 200) & (arr[..., 1] < 100) & (arr[..., 0] < 90)).sum() < red.sum() / 10


def test_customary_headwear_is_confirmed_by_the_operator(qtbot, shadowed):
    """A finished photo whose only problem is headwear the spec allows as a custom: the review
    shows the confirmation box; checked, the photo may be approved and the confirmation is
    recorded (``confirmations``); any other problem still blocks."""
    import dataclasses

    from studio_app.ui.review import ReviewPanel

    img, result = shadowed
    hat = {"key": "verify.check_failed", "retake": True,
           "params": {"id": "headwear", "message_key": "check.headwear.fail",
                      "check_params": {"confirmable": True}}}
    only_hat = dataclasses.replace(result, ok=False, problems=[hat])
    page = ReviewPanel(lang="zh_CN")
    qtbot.addWidget(page)
    page.show()
    page.start(get_spec("resident_id"), img)
    page.show_result(only_hat)
    assert page.headwear_ok.isVisible() and not page._ok_with_confirmations()
    page.headwear_ok.setChecked(True)
    assert page.confirmations == ["headwear"] and page._ok_with_confirmations()
    page.show_result(dataclasses.replace(result, ok=False, problems=[hat] + list(result.problems)))
    page.headwear_ok.setChecked(True)
    assert not page._ok_with_confirmations()  # the white top still needs a retake
    page.show_result(result)
    assert not page.headwear_ok.isVisible() and page.confirmations == []
