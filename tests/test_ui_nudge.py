"""Manual crop nudge in review: limits from the spec, re-encode and re-check, the drag widget."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import Qt

pytest.importorskip("pytestqt")

from conftest import load_portrait  # noqa: E402

from studio_app.specs import get_spec  # noqa: E402
from studio_app.ui.nudge import Nudge, apply_nudge, clamp, limits, shift_limits  # noqa: E402

pytestmark = pytest.mark.gui


def fake_result(**px):
    spec = get_spec("sscard")  # crown 7–21, face width 179–255, eye x 162–196, eye y <= 234
    geometry = {k: {"px": v} for k, v in px.items()}
    return SimpleNamespace(spec=spec, geometry=geometry)


def test_limits_follow_the_spec_ranges():
    r = fake_result(face_width=217.0, crown_y=14.0, eye_x=179.0, eye_y=185.0, chin_margin=80.0)
    lim = limits(r)
    m = 3.0  # safety margin inside every range
    assert lim["zoom"] == pytest.approx(((179 + m) / 217, (255 - m) / 217), abs=1e-4)
    assert lim["dx"] == pytest.approx((162 + m - 179, 196 - m - 179))
    assert lim["dy"] == pytest.approx((7 + m - 14, 21 - m - 14))  # the crown margin is the tightest rule
    n = clamp(r, Nudge(dx=100, dy=-100, zoom=3.0))
    assert n.dx == pytest.approx(17 - m)
    # at the clamped zoom the crown must still fit: cy + z (crown - cy) + dy >= 7 + m
    assert n.zoom == pytest.approx((255 - m) / 217, abs=1e-4)
    assert 185 + n.zoom * (14 - 185) + n.dy == pytest.approx(7 + m, abs=1e-6)


def test_identity_always_allowed_even_when_a_rule_is_broken():
    r = fake_result(crown_y=40.0, eye_x=179.0, eye_y=185.0)  # crown margin already too big
    (dx_lo, dx_hi), (dy_lo, dy_hi) = shift_limits(r, 1.0)
    assert (dy_lo, dy_hi) == pytest.approx((7 + 3 - 40, 21 - 3 - 40))
    assert clamp(r, Nudge()).is_identity  # resetting shows the pipeline's photo
    assert clamp(r, Nudge(dy=-2.0)).dy == pytest.approx(-22)  # any nudge lands inside the range


@pytest.fixture(scope="module")
def processed():
    from studio_app.imaging.pipeline import process_photo

    import edits

    # in a navy top: a white T-shirt on the 社保卡's white backdrop is a retake
    return process_photo(edits.with_dark_top(load_portrait("ldn_004_m_stubble.jpg")), get_spec("sscard"))


def test_apply_nudge_moves_the_head_and_rechecks(processed):
    assert processed.ok
    crown0 = processed.geometry["crown_y"]["px"]
    moved = apply_nudge(processed, Nudge(dy=2.5))
    assert moved.after is not None and moved.photo.shape == processed.photo.shape
    assert moved.geometry["crown_y"]["px"] == pytest.approx(crown0 + 2.5, abs=2.5)
    assert moved.geometry["crown_y"]["px"] > crown0
    assert moved.jpeg[:2] == b"\xff\xd8" and moved.jpeg != processed.jpeg
    assert any(c["id"] == "nudge" for c in moved.corrections)
    assert moved.ok  # still inside every range
    # asking for far too much is clamped to the spec: the crown margin stays within 7–21 px
    far = apply_nudge(processed, Nudge(dy=80.0))
    assert far.ok and far.geometry["crown_y"]["px"] <= 21


def test_nudge_view_emits_after_a_pause(qtbot, processed):
    from studio_app.ui.review import NudgeView

    view = NudgeView()
    qtbot.addWidget(view)
    view.resize(360, 440)
    view.show()
    view.set_base(processed)
    before = view._rgb.copy()
    with qtbot.waitSignal(view.nudgeChanged, timeout=3000) as sig:
        view.set_nudge(Nudge(dx=6.0))
    assert sig.args[0].dx == pytest.approx(6.0)
    assert not np.array_equal(view._rgb, before)  # the preview moved at once
    with qtbot.waitSignal(view.nudgeChanged, timeout=3000) as sig:
        qtbot.mouseDClick(view, Qt.MouseButton.LeftButton)
    assert sig.args[0].is_identity and np.array_equal(view._rgb, before)
