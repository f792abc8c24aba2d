"""Checks vs the hand labels of the 29 shared portraits (../shared/testdata/portraits).

Each labelled column is compared with what the checks say (``predict``). The per-label agreement
table and every disagreement are printed on each run (``test_agreement_table``, shown even when
pytest captures output), and each column must keep at least the agreement it had when the floor
was last raised (``FLOOR``: agreeing photos out of those evaluated): a change that costs one photo
on any column fails. No photo labelled non-compliant may come out fully compliant. The analyses
are computed once per module (CPU is shared). docs/compliance-accuracy.md explains the misses.
"""

from __future__ import annotations

import pytest

from conftest import load_portrait, portrait_labels, portraits_dir

#: No column may fall below this share, whatever its floor.
MIN_AGREEMENT = 0.90
#: Agreement today (agreeing, evaluated). Raise these when a change wins photos; never lower them
#: without a note in docs/compliance-accuracy.md saying which label was judged wrong and why.
FLOOR = {
    "faces": (29, 29),
    "frontal": (28, 29),  # fitted pose (vision/pose.py): 29/29 today, but fr_obama_and_biden fails yaw at -10.005 (limit 10)
    "eyes_open": (26, 27),  # miss: if_group_t1
    "mouth_closed": (27, 27),
    "headwear": (27, 27),  # the dark cap and wrap caught by the cloth's smoothness (checks_headwear)
    "glasses": (27, 27),
    "lighting": (25, 27),  # df_dicaprio_studio, fr_obama_and_biden (symmetric sculpted / stage light)
    "sharp": (27, 27),
}


def _yes(v: str) -> bool:
    return v.strip().lower() == "yes"


def _faces_class(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "many"


#: label column -> how a label value maps to the predicted value
LABEL_CHECKS = {
    "faces": lambda v: _faces_class(int(v)),
    "frontal": _yes,
    "eyes_open": _yes,
    "mouth_closed": _yes,
    "headwear": _yes,
    "glasses": lambda v: v.strip().lower(),
    "lighting": lambda v: v.strip().lower() == "even",
    "sharp": _yes,
}


def predict(analysis, report) -> dict:
    """The label columns as the checks see them (None = the check did not run)."""
    from studio_app.compliance.checks import has_glasses

    def status(cid):
        r = report.get(cid)
        return None if r is None else r.status

    out: dict = {}
    sf = report.get("single_face")
    if not analysis.has_face:
        out["faces"] = "0"
    else:
        out["faces"] = "many" if sf.status == "fail" else "1"
    if analysis.has_face:
        # a roll the export straightens (fails as fixable) leaves a frontal photo
        out["frontal"] = all(status(c) != "fail" or report.get(c).category != "retake"
                             for c in ("yaw", "pitch", "roll"))
        # eyes open and visible: dark lenses hide them
        out["eyes_open"] = status("eyes_open") != "fail" and status("tinted_glasses") != "fail"
        out["mouth_closed"] = status("mouth_closed") != "fail"
        out["headwear"] = status("headwear") == "fail"
        if status("tinted_glasses") == "fail":
            out["glasses"] = "dark"
        elif has_glasses(analysis):
            out["glasses"] = "clear"
        else:
            out["glasses"] = "none"
        out["lighting"] = status("lighting") != "fail" and status("exposure") != "fail"
        out["sharp"] = status("sharpness") != "fail"
    else:
        out["frontal"] = False  # nothing faces the camera
        out.update(eyes_open=None, mouth_closed=None, headwear=None, glasses=None, lighting=None, sharp=None)
    return out


@pytest.fixture(scope="module")
def evaluated():
    rows = portrait_labels()
    if not rows or not portraits_dir().is_dir():
        pytest.skip("../shared/testdata/portraits not present")
    from studio_app.compliance import run_checks
    from studio_app.specs import get_spec
    from studio_app.vision.analyzer import FaceAnalyzer

    spec = get_spec("sscard")
    out = []
    with FaceAnalyzer("still") as analyzer:
        for row in rows:
            analysis = analyzer.analyze(load_portrait(row["file"]))
            report = run_checks(analysis, spec)
            out.append((row, analysis, report))
    return out


def agreement(evaluated) -> dict[str, tuple[int, int, list[str]]]:
    table = {}
    for row, analysis, report in evaluated:
        pred = predict(analysis, report)
        for col, conv in LABEL_CHECKS.items():
            label = row[col].strip().lower()
            if label == "na" or pred.get(col) is None:
                continue
            agree, total, misses = table.get(col, (0, 0, []))
            ok = conv(label) == pred[col]
            table[col] = (agree + ok, total + 1, misses + ([] if ok else [row["file"]]))
    return table


def format_table(table) -> str:
    lines = [f"{'label':<14}{'agree':>7}{'of':>4}{'share':>8}{'floor':>7}  misses"]
    for col in LABEL_CHECKS:
        agree, total, misses = table.get(col, (0, 0, []))
        floor = FLOOR.get(col, (0, 0))[0]
        share = f"{agree / total:.0%}" if total else "-"
        lines.append(f"{col:<14}{agree:>7}{total:>4}{share:>8}{floor:>7}  {', '.join(misses) or '-'}")
    return "\n".join(lines)


def test_agreement_table(evaluated, capsys):
    """Print the per-label agreement and the misses (visible without -s)."""
    table = agreement(evaluated)
    with capsys.disabled():
        print("\n\nAgreement with ../shared/testdata/portraits/labels.csv\n" + format_table(table) + "\n")
    assert set(table) == set(LABEL_CHECKS)


@pytest.mark.parametrize("column", list(LABEL_CHECKS))
def test_agreement_with_labels(evaluated, column):
    table = agreement(evaluated)
    agree, total, misses = table[column]
    floor_agree, floor_total = FLOOR[column]
    assert total >= 10, f"{column}: only {total} photos evaluated"
    assert total == floor_total, f"{column}: {total} photos evaluated, the floor was set on {floor_total}"
    assert agree >= floor_agree, f"{column}: {agree}/{total} agree (floor {floor_agree}); disagree on {misses}"
    assert agree / total >= MIN_AGREEMENT, f"{column}: {agree}/{total} agree; disagree on {misses}"


def test_every_portrait_is_labelled_and_analysed(evaluated):
    assert len(evaluated) == 29
    names = {row["file"] for row, _, _ in evaluated}
    assert "sk_astronaut.png" in names


def test_non_compliant_photos_are_never_called_compliant(evaluated):
    wrong = [row["file"] for row, _, report in evaluated
             if row["id_photo_compliant"].strip().lower() == "no" and report.ok]
    assert not wrong, f"labelled non-compliant but reported compliant: {wrong}"


def test_compliant_studio_portraits_need_no_retake(evaluated):
    """The neutral frontal studio portraits fail only fixable checks (crop, backdrop colour), and
    their white T-shirts on the 社保卡's white backdrop (checks_appearance.clothing: a change of
    clothes, which the label's "compliant" did not judge)."""
    for row, _, report in evaluated:
        if row["file"].startswith("ldn_"):
            assert report["clothing"].status == "fail", row["file"]
            retake = [r.id for r in report.failed if r.category == "retake" and r.id != "clothing"]
            assert not retake, f"{row['file']}: retake demanded by {retake}"


def test_no_face_photos(evaluated):
    for row, analysis, report in evaluated:
        if row["faces"] == "0":
            assert not analysis.has_face, row["file"]
            assert report["single_face"].status == "fail"
            assert report.needs_retake


def test_closed_eyes_pair(evaluated):
    by = {row["file"]: report for row, _, report in evaluated}
    assert by["ar_closed_room.jpg"]["eyes_open"].status == "fail"
    assert by["ar_open_room.jpg"]["eyes_open"].status == "pass"


def test_sunglasses_are_tinted(evaluated):
    by = {row["file"]: report for row, _, report in evaluated}
    assert by["rb_sunglasses_cap.jpg"]["tinted_glasses"].status == "fail"


STABLE = ("single_face", "eyes_open", "mouth_closed", "expression", "tinted_glasses", "sharpness", "headwear")


def _jpeg(rgb, quality):
    import io

    from PIL import Image

    from studio_app.imageio import load_image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
    return load_image(buf.getvalue())


@pytest.mark.parametrize("name", ["ldn_107_f_older.jpg", "df_pichai_blue.jpg", "ar_closed_room.jpg", "sk_astronaut.png"])
def test_mirror_and_recompression_keep_the_verdicts(name):
    """Photos the checks have not seen: the same sitter mirrored, or re-saved at JPEG quality 40,
    gets the same verdicts; mirroring flips the sign of yaw and roll."""
    import numpy as np

    from studio_app.compliance import run_checks
    from studio_app.specs import get_spec
    from studio_app.vision.analyzer import FaceAnalyzer

    rgb = load_portrait(name)
    spec = get_spec("sscard")
    with FaceAnalyzer("still") as an:
        base = an.analyze(rgb, segmentation=False)
        mirrored = an.analyze(np.ascontiguousarray(rgb[:, ::-1]), segmentation=False)
        lossy = an.analyze(_jpeg(rgb, 40), segmentation=False)
    ref = run_checks(base, spec)
    for other in (mirrored, lossy):
        rep = run_checks(other, spec)
        for cid in STABLE:
            if cid in ref:
                assert rep[cid].status == ref[cid].status, (name, cid, rep[cid].measured, ref[cid].measured)
    assert mirrored.roll == pytest.approx(-base.roll, abs=2.0)
    assert mirrored.yaw == pytest.approx(-base.yaw, abs=3.0)


# --- measured edits of the same photos (no label column holds these rules) -------------------------
#: Per edit column: (caught, evaluated) today. An edit is evaluated on the single-face photos whose
#: face is at least 100 px wide and where the untouched photo does not already fail the rule.
EDIT_FLOOR = {
    "half_shadow_left": (21, 21),  # one half of the face x0.45, soft edge (tests/edits.py)
    "half_shadow_right": (21, 21),
    # misses: df_damon_white, df_dicaprio_studio (too little skin in the forehead box: not
    # measured), of_lennon_glasses (hair over the forehead)
    "brim_shadow": (18, 21),
    # the clothing recoloured white (shading kept) fails 社保卡; misses: df_damon_light (the
    # recolour leaves the dark jacket's edges), fr_harington_turned (fur collar)
    "white_top": (15, 17),
    "dark_top": (17, 17),  # ... recoloured navy passes
    # a plain dark cap painted over the hair (tests/edits.paint_cap: the head's shading, the
    # photo's grain) fails headwear; miss: ps_dark_uneven (its dark face leaves no skin reference
    # for the layer: not measured)
    "dark_cap": (20, 21),
}


def _edit_rows(evaluated):
    return [(row, a) for row, a, _ in evaluated
            if row["faces"] == "1" and a.has_face and (a.face_width or 0) >= 100]


@pytest.fixture(scope="module")
def edited(evaluated):
    """Each edit's verdict per photo: True = the rule caught it (lighting fails; white top fails
    clothing; a painted dark cap fails headwear), for dark_top True = clothing passes. None = not
    evaluated."""
    import edits
    from studio_app.compliance import run_checks
    from studio_app.specs import get_spec
    from studio_app.vision.analyzer import FaceAnalyzer

    spec = get_spec("sscard")
    out = {}
    with FaceAnalyzer("still") as an:
        for row, a in _edit_rows(evaluated):
            rgb = load_portrait(row["file"])
            base = run_checks(a, spec, only=("lighting", "clothing", "headwear"))
            res = {}

            def lit(img):
                b = an.analyze(img, segmentation=False)
                return b.has_face and run_checks(b, spec, only=("lighting",))["lighting"].status == "fail"

            if base["lighting"].status != "fail":
                res["half_shadow_left"] = lit(edits.half_face_shadow(rgb, a, 0.45, "left"))
                res["half_shadow_right"] = lit(edits.half_face_shadow(rgb, a, 0.45, "right"))
                res["brim_shadow"] = lit(edits.brim_shadow(rgb, a, 0.45))
            if base["headwear"].status != "fail" and a.person_mask is not None:
                b = an.analyze(edits.paint_cap(rgb, a))
                res["dark_cap"] = b.has_face and run_checks(b, spec, only=("headwear",))["headwear"].status == "fail"
            cl = base["clothing"]
            if cl.measured is not None and a.person_mask is not None and edits.clothing_mask(rgb, a).sum() > 0.02 * rgb.shape[0] * rgb.shape[1]:
                for col, colour, want in (("white_top", (245, 245, 245), "fail"), ("dark_top", edits.NAVY, "pass")):
                    b = an.analyze(edits.recolour_clothing(rgb, a, colour))
                    r = run_checks(b, spec, only=("clothing",)).get("clothing") if b.has_face else None
                    res[col] = r is not None and r.status == want
            out[row["file"]] = res
    return out


def edit_table(edited) -> dict[str, tuple[int, int, list[str]]]:
    table = {col: (0, 0, []) for col in EDIT_FLOOR}
    for name, res in edited.items():
        for col, ok in res.items():
            c, n, misses = table[col]
            table[col] = (c + ok, n + 1, misses + ([] if ok else [name]))
    return table


def test_edit_table(edited, capsys):
    table = edit_table(edited)
    lines = [f"{'edit':<18}{'caught':>7}{'of':>4}{'share':>8}{'floor':>7}  misses"]
    for col, (c, n, misses) in table.items():
        share = f"{c / n:.0%}" if n else "-"
        lines.append(f"{col:<18}{c:>7}{n:>4}{share:>8}{EDIT_FLOOR[col][0]:>7}  {', '.join(misses) or '-'}")
    with capsys.disabled():
        print("\n\nMeasured edits of the same photos (社保卡)\n" + "\n".join(lines) + "\n")


@pytest.mark.parametrize("column", list(EDIT_FLOOR))
def test_edit_floors(edited, column):
    c, n, misses = edit_table(edited)[column]
    floor_c, floor_n = EDIT_FLOOR[column]
    assert n == floor_n, f"{column}: {n} photos evaluated, the floor was set on {floor_n}"
    assert c >= floor_c, f"{column}: {c}/{n} caught (floor {floor_c}); missed {misses}"


# --- honest variants of the labelled photos (issue 16): columns with their own floors -------------
#: (agreeing, evaluated) today; a change that loses one fails
VARIANT_FLOOR = {
    "roll_15_fixable": (8, 8),  # 4 studio portraits rotated +-15 deg: roll fails as fixable
    "blur_caught": (8, 8),  # 4 sharp portraits, Gaussian sigma 1 % and motion 3 % of the face width
    "sharp_kept": (4, 4),  # ...and their originals not failed
    "low_key_not_tinted": (6, 6),  # blacks crushed (levels 40 / 70) on dark and studio faces
    "glasses_consistent": (27, 27),  # every labelled face: never "no/clear glasses" next to "tinted"
}
VARIANT_PHOTOS = ["ldn_004_m_stubble.jpg", "ldn_006_f_bun.jpg", "ldn_021_m_bald.jpg", "ldn_107_f_older.jpg"]


@pytest.fixture(scope="module")
def variants(evaluated):
    from blur_variants import gaussian, motion
    from test_glasses_consistency import crushed_blacks
    from test_roll_straighten import rotated

    from studio_app.compliance import run_checks
    from studio_app.specs import get_spec
    from studio_app.vision.analyzer import FaceAnalyzer

    spec = get_spec("sscard")
    table = {k: [0, 0, []] for k in VARIANT_FLOOR}

    def count(col, ok, what):
        table[col][0] += bool(ok)
        table[col][1] += 1
        if not ok:
            table[col][2].append(what)

    with FaceAnalyzer("still") as an:
        for name in VARIANT_PHOTOS:
            rgb = load_portrait(name)
            base = an.analyze(rgb, segmentation=False)
            count("sharp_kept", run_checks(base, spec)["sharpness"].status != "fail", name)
            for deg in (15.0, -15.0):
                r = run_checks(an.analyze(rotated(rgb, deg), segmentation=False), spec)["roll"]
                count("roll_15_fixable", r.status == "fail" and r.category == "fixable", f"{name}@{deg:+.0f}")
            for tag, im in (("gauss1%", gaussian(rgb, 0.01 * base.face_width)),
                            ("motion3%", motion(rgb, 0.03 * base.face_width, 90))):
                s = run_checks(an.analyze(im, segmentation=False), spec)["sharpness"]
                count("blur_caught", s.status == "fail", f"{name}/{tag}")
        for name, black in (("of_clapton_dark.jpg", 40), ("of_clapton_dark.jpg", 70), ("ps_dark_uneven.jpg", 40),
                            ("ldn_006_f_bun.jpg", 70), ("ldn_107_f_older.jpg", 70), ("fr_obama_official.jpg", 70)):
            a = an.analyze(crushed_blacks(load_portrait(name), black), segmentation=False)
            count("low_key_not_tinted", a.has_face and run_checks(a, spec)["tinted_glasses"].status != "fail",
                  f"{name}/black{black}")
    for row, analysis, report in evaluated:
        if not analysis.has_face:
            continue
        tinted = report["tinted_glasses"].status == "fail"
        glare_key = report["glasses_glare"].message_key
        count("glasses_consistent", not (tinted and glare_key.endswith((".none", ".clear"))), row["file"])
    return table


def test_variant_table(variants, capsys):
    lines = [f"{'variant column':<22}{'agree':>7}{'of':>4}{'floor':>7}  misses"]
    for col, (agree, total, misses) in variants.items():
        lines.append(f"{col:<22}{agree:>7}{total:>4}{VARIANT_FLOOR[col][0]:>7}  {', '.join(misses) or '-'}")
    with capsys.disabled():
        print("\n\nHonest variants of the shared portraits\n" + "\n".join(lines) + "\n")
    for col, (agree, total, misses) in variants.items():
        assert (agree, total) >= VARIANT_FLOOR[col] and total == VARIANT_FLOOR[col][1], (col, agree, total, misses)
