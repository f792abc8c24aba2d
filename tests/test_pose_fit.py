"""The fitted head pose (vision/pose.py) against what is known about real photos: an in-plane
rotation changes roll by exactly that angle and pitch/yaw only by the landmarker's drift; a mirrored photo reads
minus the yaw; the faces labelled frontal read within a bounded spread; a face turned chin up or
down by a known angle (tests/pose_variants.repose) reads the right sign and most of the size."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import load_portrait, portrait_labels

ROTATED = ["ldn_107_f_older.jpg", "fr_obama_official.jpg", "ar_open_room.jpg"]


@pytest.fixture(scope="module")
def analyzer():
    from studio_app.vision.analyzer import FaceAnalyzer

    with FaceAnalyzer("still") as an:
        yield an


def test_canonical_face_is_read_from_the_bundled_model():
    from studio_app.vision.pose import canonical_face, rigid_ids

    face = canonical_face()
    assert face.points.shape == (468, 3)
    assert face.triangles.shape[1] == 3 and face.triangles.max() == 467
    # MediaPipe's canonical model is left/right symmetric: eye outer corners 33 / 263
    assert face.points[33, 0] == pytest.approx(-face.points[263, 0])
    assert face.points[1, 2] > face.points[234, 2] + 5  # the nose tip stands ~10 cm before the ears
    assert len(rigid_ids()) == 33 and 13 not in rigid_ids() and 152 not in rigid_ids()


@pytest.mark.parametrize("name", ROTATED)
def test_in_plane_rotation_moves_roll_exactly_and_nothing_else(analyzer, name):
    from test_roll_straighten import rotated

    rgb = load_portrait(name)
    base = analyzer.analyze(rgb, segmentation=False)
    # the landmarker itself places a rotated face a little differently (it is not rotation-
    # equivariant): measured drift <= 1.7 deg at 10 deg, <= 3.0 deg at 20 deg (fr_obama_official)
    for deg, tol in ((-20.0, 3.5), (10.0, 2.0)):
        turned = analyzer.analyze(rotated(rgb, deg), segmentation=False)
        assert turned.roll == pytest.approx(base.roll - deg, abs=1.0), (deg, turned.roll, base.roll)
        assert turned.pitch == pytest.approx(base.pitch, abs=tol), (deg, turned.pitch, base.pitch)
        assert turned.yaw == pytest.approx(base.yaw, abs=tol), (deg, turned.yaw, base.yaw)


@pytest.mark.parametrize("name", ["of_clapton_dark.jpg", "df_musk_light.jpg", "sk_astronaut.png"])
def test_a_mirrored_photo_reads_minus_the_yaw_and_the_same_pitch(analyzer, name):
    rgb = load_portrait(name)
    base = analyzer.analyze(rgb, segmentation=False)
    mirrored = analyzer.analyze(np.ascontiguousarray(rgb[:, ::-1]), segmentation=False)
    # no left/right bias (measured: yaw sums within 0.8 deg, as the matrix's within 0.6); a yaw
    # offset calibrated on the labelled photos' median (+1.8 deg) failed this by 3.6 deg
    assert mirrored.yaw == pytest.approx(-base.yaw, abs=1.0)
    assert mirrored.pitch == pytest.approx(base.pitch, abs=1.0)


def test_faces_labelled_frontal_read_within_a_bounded_spread(analyzer):
    """Before (MediaPipe's matrix): -9.8..+4.2 deg, sd 4.2; the fit: -6.4..+6.2, sd 3.8."""
    rows = [r for r in portrait_labels() if r["frontal"] == "yes" and r["faces"] == "1"]
    if len(rows) < 15:
        pytest.skip("labelled portraits not present")
    pitch, yaw = [], []
    for r in rows:
        a = analyzer.analyze(load_portrait(r["file"]), segmentation=False)
        pitch.append(a.pitch)
        yaw.append(a.yaw)
    pitch = np.array(pitch)
    assert abs(float(np.median(pitch))) <= 1.0  # the calibration: what people call frontal reads 0
    assert pitch.min() >= -7.5 and pitch.max() <= 7.5, dict(zip([r["file"] for r in rows], pitch.round(1)))
    assert float(pitch.std()) <= 4.0
    assert max(abs(v) for v in yaw) <= 10.0  # none fails as turned (10 = the fail limit at +-5)


@pytest.mark.parametrize("name", ["ldn_004_m_stubble.jpg", "df_zuck_white.jpg"])
def test_a_face_turned_by_a_known_angle_reads_the_right_sign_and_size(analyzer, name):
    from pose_variants import repose

    rgb = load_portrait(name)
    base = analyzer.analyze(rgb, segmentation=False)
    up = analyzer.analyze(repose(rgb, base.landmarks, pitch_deg=8.0), segmentation=False)
    down = analyzer.analyze(repose(rgb, base.landmarks, pitch_deg=-8.0), segmentation=False)
    right = analyzer.analyze(repose(rgb, base.landmarks, yaw_deg=8.0), segmentation=False)
    # chin up reads more positive, chin down more negative, by at least 40 % of the turn (the
    # measured slope is 0.55-0.7: the landmarker follows a re-rendered face only part way)
    assert up.pitch - base.pitch >= 0.4 * 8.0, (base.pitch, up.pitch)
    assert base.pitch - down.pitch >= 0.4 * 8.0, (base.pitch, down.pitch)
    assert right.yaw - base.yaw >= 0.4 * 8.0, (base.yaw, right.yaw)
    # and the other angle stays put
    assert up.yaw == pytest.approx(base.yaw, abs=1.5)
    assert right.pitch == pytest.approx(base.pitch, abs=2.0)


@pytest.mark.parametrize("name", ["ldn_004_m_stubble.jpg", "ldn_107_f_older.jpg", "df_zuck_white.jpg"])
def test_the_fit_reads_a_known_turn_of_the_mesh_itself(analyzer, name):
    """Separates the measure from the landmarker: the photo's own 468-point mesh turned by a
    known angle (the points repose warps the photo to, projected straight on: a distant camera)
    read by the fit alone. With that camera (a very long focal) the fit reads the whole turn
    (0.97-1.06 of +-10 deg, the other angle within 0.5 deg); with the default 60 deg prior
    (a webcam's near camera) 0.73-1.0, because a near camera would have seen that turn larger.
    So the under-read of re-posed photos (0.48-0.61 of the turn) is the camera assumption times
    the landmarker following the ears and outline the variant leaves in place."""
    from pose_variants import turned_mesh

    from studio_app.vision.pose import head_pose

    rgb = load_portrait(name)
    a = analyzer.analyze(rgb, segmentation=False)
    size = (rgb.shape[1], rgb.shape[0])
    pts = a.landmarks.astype(np.float64)
    for focal, lo, hi in ((1e5, 0.93, 1.1), (None, 0.7, 1.05)):
        base = head_pose(pts, size, focal=focal)
        for pitch, yaw in ((10.0, 0.0), (-10.0, 0.0), (0.0, 10.0), (0.0, -10.0)):
            moved = pts.copy()
            moved[:468] = turned_mesh(pts, pitch, yaw)
            got = head_pose(moved, size, focal=focal)
            turned, other = (1, 0) if pitch else (0, 1)
            assert lo <= (got[turned] - base[turned]) / (pitch or yaw) <= hi, (focal, pitch, yaw, base, got)
            assert got[other] == pytest.approx(base[other], abs=0.6), (focal, pitch, yaw, base, got)
