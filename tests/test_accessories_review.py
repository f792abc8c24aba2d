"""The operator's review marks each accessory on the original photo (an amber box with its
message, in zh and en): earrings, a necklace, a hair clip and hair over the shoulders painted on
one studio sitter (tests/edits.py)."""

from __future__ import annotations

import numpy as np
import pytest

import edits
from conftest import load_portrait, portraits_dir
from studio_app import messages
from studio_app.compliance.checks_accessories import ACCESSORY_CHECKS
from studio_app.specs import get_spec


def dressed_up(rgb: np.ndarray) -> np.ndarray:
    """ldn_107 in a navy top wearing gold studs, a silver chain, a red clip and her hair down."""
    from studio_app.vision.analyzer import analyze_still

    rgb = edits.with_dark_top(rgb)
    a = analyze_still(rgb)
    rgb = edits.hair_over_shoulders(rgb, a, a.shoulders)  # the jewellery in front of the hair
    rgb = edits.paint_earrings(rgb, a, edits.GOLD)
    rgb = edits.paint_chain(rgb, a, edits.SILVER, drop=0.3, sag=0.12)  # on the neck, above the top
    return edits.paint_hair_clip(rgb, a)


@pytest.fixture(scope="module")
def adorned():
    if not portraits_dir().is_dir():
        pytest.skip("../shared/testdata/portraits not present")
    from studio_app.imaging.pipeline import process_photo

    img = dressed_up(load_portrait("ldn_107_f_older.jpg"))
    return img, process_photo(img, get_spec("sscard"))


def test_each_accessory_warns_with_its_place(adorned):
    _, result = adorned
    warned = {r.id: r for r in result.before.results if r.id in ACCESSORY_CHECKS and r.status == "warn"}
    assert set(warned) == set(ACCESSORY_CHECKS), {r.id: (r.status, r.measured) for r in result.before.results
                                                  if r.id in ACCESSORY_CHECKS}
    assert all(len(r.params["region"]) == 4 for r in warned.values())
    assert all(r.category == "retake" and r.status == "warn" for r in warned.values())  # warn only


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_review_marks_each_accessory_on_the_photo(qtbot, adorned, lang, tmp_path):
    from studio_app.ui.review import ReviewPanel, problem_marks

    img, result = adorned
    texts = {m[4] for m in problem_marks(result.before, lang)}
    for cid in ACCESSORY_CHECKS:
        assert messages.text(f"check.{cid}.warn", lang) in texts, (cid, texts)
    page = ReviewPanel(lang=lang)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.start(get_spec("sscard"), img)
    page.show_result(result)
    page.grab().save(str(tmp_path / f"review_page_accessories_{lang}.png"))
    shot = page.original.grab().toImage()
    shot.save(str(tmp_path / f"review_accessories_{lang}.png"))
    arr = np.frombuffer(shot.constBits(), np.uint8).reshape(shot.height(), shot.bytesPerLine() // 4, 4)
    amber = (arr[..., 2] > 220) & (abs(arr[..., 1].astype(int) - 156) < 30) & (arr[..., 0] < 60)  # BGRA warn
    assert amber.sum() > 1500, amber.sum()
