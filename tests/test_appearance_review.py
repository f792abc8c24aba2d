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
