"""The operator overlay and the kiosk oval draw the same head for a spec (one head model)."""
from __future__ import annotations

import pytest

from studio_app.compliance.framing import FACE_PER_HEAD
from studio_app.specs import default_library

pytest.importorskip("PySide6")

from studio_app.ui.kiosk.guide import head_targets  # noqa: E402
from studio_app.ui.overlay import spec_targets  # noqa: E402


_SPECS = default_library().specs


@pytest.mark.parametrize("spec", list(_SPECS.values()) if isinstance(_SPECS, dict) else list(_SPECS),
                         ids=lambda s: s.id)
def test_overlay_and_kiosk_agree_on_the_head(spec):
    g = spec.geometry
    if not ((g.head_height and g.head_height.bounded) or (g.face_width and g.face_width.bounded)):
        pytest.skip("spec fixes neither head height nor face width")
    op = spec_targets(spec)
    ki = head_targets(spec)
    assert op["head_h"] == pytest.approx(ki["chin"] - ki["crown"], abs=1.0)
    assert op["face_w"] == pytest.approx(ki["face_w"], abs=1.0)
    if not (g.head_height and g.head_height.bounded):
        # 社保卡 / 身份证: head height from the face width through the measured proportion
        assert op["head_h"] == pytest.approx(g.face_width.mid / FACE_PER_HEAD, abs=0.5)
        assert op["chin"] <= spec.height_px  # the chin line stays inside the photo
