"""The seed's accessory rules on real photos: painted earrings, chains, a hair clip and long hair
(tests/edits.py, each of a stated size and colour) are found and marked where they were painted;
the shared photos as they are raise no accessory warning. The numbers behind the limits:
docs/compliance-accuracy.md, "Accessories"."""

from __future__ import annotations

import numpy as np
import pytest

import edits
from conftest import load_portrait, portrait_labels, portraits_dir
from studio_app import messages
from studio_app.compliance import run_checks
from studio_app.compliance.checks_accessories import ACCESSORY_CHECKS, HINTS, LIMITS
from studio_app.specs import get_spec

pytestmark = pytest.mark.skipif(not portraits_dir().is_dir(), reason="../shared/testdata/portraits not present")


def _analyse(rgb):
    from studio_app.vision.analyzer import analyze_still

    return analyze_still(rgb)


@pytest.fixture(scope="module")
def sitters():
    """Bare studio sitters (no jewellery, hair tied back or short) and their analyses."""
    out = {}
    for name in ("ldn_004_m_stubble.jpg", "ldn_006_f_bun.jpg", "ldn_021_m_bald.jpg", "ldn_107_f_older.jpg"):
        rgb = load_portrait(name)
        out[name] = (rgb, _analyse(rgb))
    return out


def _inside(region, point) -> bool:
    x, y, w, h = region
    return x <= point[0] <= x + w and y <= point[1] <= y + h


def _warns(a, cid):
    r = run_checks(a, get_spec("sscard"), only=(cid,))[cid]
    return r


def test_bare_sitters_raise_no_accessory_warning(sitters):
    for name, (_rgb, a) in sitters.items():
        assert set(a.accessories) == set(ACCESSORY_CHECKS), name
        assert a.shoulders is not None, name  # the pose landmarker finds both shoulders
        for cid in ACCESSORY_CHECKS:
            assert _warns(a, cid).status == "pass", (name, cid, a.accessories[cid])


@pytest.mark.parametrize("name", ["ldn_004_m_stubble.jpg", "ldn_006_f_bun.jpg", "ldn_021_m_bald.jpg",
                                  "ldn_107_f_older.jpg"])
def test_gold_studs_are_found_at_the_lobe(sitters, name):
    rgb, a = sitters[name]
    b = _analyse(edits.paint_earrings(rgb, a, edits.GOLD))
    r = _warns(b, "earrings")
    assert r.status == "warn" and r.hint_key == "hint.remove_earrings", b.accessories["earrings"]
    assert any(_inside(r.params["region"], lobe) for lobe in edits.ear_lobes(a)), r.params["region"]


def test_a_gold_drop_earring_on_one_side_is_found(sitters):
    rgb, a = sitters["ldn_107_f_older.jpg"]
    b = _analyse(edits.paint_earrings(rgb, a, edits.GOLD, drop=True, sides=(1,)))
    r = _warns(b, "earrings")
    assert r.status == "warn" and _inside(r.params["region"], edits.ear_lobes(a)[1]), b.accessories["earrings"]


@pytest.mark.parametrize("name,colour", [("ldn_006_f_bun.jpg", edits.SILVER), ("ldn_021_m_bald.jpg", edits.GOLD),
                                         ("ldn_107_f_older.jpg", edits.SILVER), ("ldn_004_m_stubble.jpg", edits.GOLD)])
def test_a_chain_across_the_neck_is_found(sitters, name, colour):
    rgb, a = sitters[name]
    b = _analyse(edits.paint_chain(rgb, a, colour))
    r = _warns(b, "necklace")
    assert r.status == "warn" and r.hint_key == "hint.remove_necklace", b.accessories["necklace"]
    cx, cy = a.chin
    fw = edits.face_width(a)
    assert _inside(r.params["region"], (cx, cy + 0.6 * fw)), r.params["region"]  # the chain's lowest point


@pytest.mark.parametrize("name", ["ldn_004_m_stubble.jpg", "ldn_006_f_bun.jpg", "ldn_107_f_older.jpg"])
def test_a_red_hair_clip_is_found(sitters, name):
    rgb, a = sitters[name]
    b = _analyse(edits.paint_hair_clip(rgb, a))
    r = _warns(b, "hair_accessory")
    assert r.status == "warn" and r.hint_key == "hint.remove_hair_clip", b.accessories["hair_accessory"]
    fw, p = edits.face_width(a), a.landmarks
    clip = (p[10, 0] - 0.22 * fw, p[10, 1] - 0.4 * (p[10, 1] - a.crown[1]))
    assert _inside(r.params["region"], clip), r.params["region"]


@pytest.mark.parametrize("name", ["ldn_004_m_stubble.jpg", "ldn_006_f_bun.jpg", "ldn_107_f_older.jpg"])
def test_hair_over_the_shoulders_is_found(sitters, name):
    rgb, a = sitters[name]
    b = _analyse(edits.hair_over_shoulders(rgb, a, a.shoulders))
    r = _warns(b, "hair_shoulders")
    assert r.status == "warn" and r.hint_key == "hint.hair_behind_shoulders", b.accessories["hair_shoulders"]
    x, y, w, h = r.params["region"]
    assert y + h > (a.shoulders[0][1] + a.shoulders[1][1]) / 2  # marked down to the shoulders


def test_no_accessory_warning_on_the_shared_photos():
    """The 29 shared photos as they are: none wears jewellery or a clip; Harington's long hair
    reads 0.74 of the way to his shoulders (below the 0.9 limit, a known miss)."""
    flagged, judged = [], 0
    for row in portrait_labels():
        a = _analyse(load_portrait(row["file"]))
        if not a.has_face:
            continue
        judged += 1
        for cid in ACCESSORY_CHECKS:
            r = _warns(a, cid)
            if r.status != "pass":
                flagged.append((row["file"], cid, r.measured))
    assert judged >= 25 and flagged == [], flagged


def test_messages_and_limits_read_in_both_languages():
    for cid in ACCESSORY_CHECKS:
        for key in (f"check.{cid}", f"check.{cid}.pass", f"check.{cid}.warn", HINTS[cid]):
            zh, en = messages.text(key, "zh_CN"), messages.text(key, "en")
            assert zh != en and zh != key and en != key
        assert LIMITS[cid] > 0
    assert messages.text("hint.remove_earrings", "zh_CN") == "请摘下耳环"


def test_a_check_without_a_measure_passes_as_not_judged(astronaut):
    """A live frame before the first slow-cadence measure (or a hand-made analysis) has no
    accessories: the checks pass and say they did not judge."""
    import dataclasses

    a = dataclasses.replace(_analyse(astronaut), accessories={})
    for cid in ACCESSORY_CHECKS:
        r = _warns(a, cid)
        assert r.status == "pass" and r.message_key == "check.accessory.unknown"


def test_live_measures_at_the_slow_cadence(sitters, monkeypatch):
    """Live frames carry the accessories of the last slow-cadence run; the measure and the pose
    model each run once every ACCESSORY_EVERY frames, never on the same frame."""
    from studio_app.vision import accessories as acc
    from studio_app.vision.analyzer import FaceAnalyzer

    calls = {"measure": [], "pose": []}
    real_find = acc.find_accessories
    frame_no = {"n": 0}

    def counting_find(*args, **kw):
        calls["measure"].append(frame_no["n"])
        return real_find(*args, **kw)

    monkeypatch.setattr(acc, "find_accessories", counting_find)
    rgb, _ = sitters["ldn_006_f_bun.jpg"]
    img = edits.paint_hair_clip(rgb, sitters["ldn_006_f_bun.jpg"][1])
    frame = np.ascontiguousarray(img[::2, ::2])
    with FaceAnalyzer("live") as an:
        real_pose = an._accessories._find_shoulders

        def counting_pose(x):
            calls["pose"].append(frame_no["n"])
            return real_pose(x)

        an._accessories._find_shoulders = counting_pose
        results = []
        for i in range(2 * acc.ACCESSORY_EVERY + 1):
            frame_no["n"] = i
            results.append(an.analyze(frame, timestamp_ms=1000 + 33 * i))
    assert all(r.accessories for r in results)
    assert len(calls["measure"]) <= 3 and len(calls["pose"]) <= 3, calls
    assert set(calls["measure"][1:]).isdisjoint(calls["pose"][1:]), calls  # never both on one frame
    assert results[-1].accessories["hair_accessory"].score >= LIMITS["hair_accessory"]


def test_kiosk_says_the_accessory_prompt_in_both_languages():
    """An accessory warning on a live frame that otherwise passes: the kiosk picks it (instead of
    "hold still") and has a recorded prompt for it in Chinese and English."""
    from studio_app.compliance.report import CheckResult, ComplianceReport
    from studio_app.ui.kiosk import voice
    from studio_app.ui.kiosk.wording import HINT_PROMPTS, accessory_warning

    ok = CheckResult("eyes_open", "pass", "retake", 0.3, 0.12, "check.eyes_open.pass")
    assert accessory_warning(ComplianceReport((ok,), "sscard", True)) is None
    for cid, hint in HINTS.items():
        warn = CheckResult(cid, "warn", "retake", 2 * LIMITS[cid], LIMITS[cid], f"check.{cid}.warn", hint,
                           {"region": [10, 10, 20, 20]})
        assert accessory_warning(ComplianceReport((ok, warn), "sscard", True)) is warn
        key = HINT_PROMPTS[hint]
        assert key in voice.PROMPTS and key in voice.PROMPTS_EN
        for lang in ("zh_CN", "en"):
            assert (voice.sounds_dir(lang) / f"{key}.wav").is_file(), (lang, key)
    assert voice.PROMPTS["remove_earrings"] == "请摘下耳环。"
