"""Exports pass an independent re-measurement of the margin above the hair: the crown re-found on
the finished, decoded file by colour against the spec backdrop (vision.crown), not by the person
segmenter that placed the crop, lies inside the spec's crown range. The crop places the crown
scanned along the face's own up when it straightens a tilted head, and raised to the colour crown
where light hair passes the mask on a plain backdrop (vision.crown.with_refined_crown)."""

from __future__ import annotations

import pytest

from conftest import load_portrait

#: studio portraits (light-grey backdrop; a bun, light and grey hair, a bald head) and a press
#: portrait on white
NAMES = ["ldn_004_m_stubble.jpg", "ldn_006_f_bun.jpg", "ldn_021_m_bald.jpg", "ldn_107_f_older.jpg",
         "df_bezos.jpg"]


@pytest.fixture(scope="module")
def sscard():
    from studio_app.specs import get_spec

    return get_spec("sscard")


#: the studio portraits straightened from a 15 deg roll: light flyaway hair (ldn_107) and short
#: hair left 3-4 px above the hair before the crown was scanned along the face's own up
ROTATED = [(n, d) for n in ("ldn_004_m_stubble.jpg", "ldn_107_f_older.jpg") for d in (15.0, -15.0)]


@pytest.mark.parametrize("name,deg", [(n, 0.0) for n in NAMES] + ROTATED)
def test_export_crown_margin_remeasured_by_colour(name, deg, sscard):
    from test_roll_straighten import rotated

    from studio_app.imaging.pipeline import process_photo
    from studio_app.vision.analyzer import analyze_still
    from studio_app.vision.crown import crown_from_backdrop

    rgb = load_portrait(name)
    res = process_photo(rotated(rgb, deg) if deg else rgb, sscard)
    out = analyze_still(res.photo, segmentation=False)
    assert out.has_face
    y = crown_from_backdrop(res.photo, out.landmarks, backdrop_rgb=res.background.rgb)
    lo, hi = sscard.geometry.crown_y.lo, sscard.geometry.crown_y.hi
    assert y is not None and y > 0, f"{name}: hair reaches the top edge of the export"
    # 2 px of tolerance: the matte's soft edge and JPEG ringing on a 441-px-high photo
    assert lo - 2 <= y <= hi + 2, f"{name}: crown at {y} px, spec {lo}-{hi}"
    # the measure can fail: the same export with the rows above the hair cut off reads 0
    import numpy as np

    cut = int(y) + 2
    pts = np.array(out.landmarks, np.float64)
    pts[:, 1] -= cut
    assert crown_from_backdrop(np.ascontiguousarray(res.photo[cut:]), pts, backdrop_rgb=res.background.rgb) == 0.0


def test_the_colour_crown_sees_hair_the_mask_misses_nothing_of():
    """On the originals the two methods agree where the hair differs from the backdrop."""
    from studio_app.vision.analyzer import analyze_still
    from studio_app.vision.crown import crown_from_backdrop

    for name in ("ldn_004_m_stubble.jpg", "ldn_006_f_bun.jpg", "ldn_021_m_bald.jpg"):
        a = analyze_still(load_portrait(name))
        y = crown_from_backdrop(load_portrait(name), a.landmarks)
        assert y == pytest.approx(a.crown[1], abs=0.02 * a.face_height), (name, y, a.crown)


#: single-face exports whose crown cannot meet the spec, and the problem the export names for it:
#: the top of the head is cut off in the original (fr_obama_partial), a 49-px face upscaled past
#: what the geometry re-check trusts (mt_speaker_small)
SAYS_SO = {"fr_obama_partial.jpg": "crop.edge_top", "mt_speaker_small.jpg": "verify.geometry"}


def test_every_single_face_export_passes_the_remeasurement(sscard):
    """All single-face labelled portraits: the export's crown, re-found by colour, lies in the
    spec's range, or the export itself names why not (a retake). 23 of 25 in range."""
    from conftest import portrait_labels, portraits_dir

    if not portraits_dir().is_dir():
        pytest.skip("../shared/testdata/portraits not present")
    from studio_app.imaging.pipeline import process_photo
    from studio_app.vision.analyzer import analyze_still
    from studio_app.vision.crown import crown_from_backdrop

    lo, hi = sscard.geometry.crown_y.lo, sscard.geometry.crown_y.hi
    inside, outside = [], []
    for row in portrait_labels():
        if row["faces"] != "1":
            continue
        name = row["file"]
        res = process_photo(load_portrait(name), sscard)
        out = analyze_still(res.photo, segmentation=False)
        y = crown_from_backdrop(res.photo, out.landmarks, backdrop_rgb=res.background.rgb) if out.has_face else None
        if y is not None and lo - 2 <= y <= hi + 2:
            inside.append(name)
        else:
            outside.append(name)
            assert name in SAYS_SO and res.retake, (name, y)
            assert SAYS_SO[name] in [p["key"] for p in res.problems], (name, res.problems)
    assert len(inside) >= 23 and len(inside) + len(outside) == 25, (inside, outside)
