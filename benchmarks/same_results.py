"""Every check value and analysis field on the shared portraits and the live bench frames, to JSON,
and the comparison of two such dumps: a speed change must not change a result.

    python -m benchmarks.same_results dump OUT.json      # from the worktree root, PYTHONPATH=$PWD
    python -m benchmarks.same_results compare A.json B.json [--tol 1e-6]

dump: each portrait (still, with segmentation) for three specs (crown / eye line / chin placed),
the live bench frames (bench_analysis's 1280x720 sequence, 60 frames) and each single-face
portrait as a short live sequence (12 frames, moving), every field of the analysis (landmarks,
pose, points, features, measures) and every check's status, measured value, limit, direction
and params, plus the spec crop's window. compare: every differing value (relative tolerance
``--tol`` for floats), exit 1 when any.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from pathlib import Path

import numpy as np

PORTRAITS = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata" / "portraits"
SPECS = ("sscard", "us_passport", "exit_entry")


def _plain(v):
    if isinstance(v, np.ndarray):
        return _plain(v.tolist())
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return f if math.isfinite(f) else str(f)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    return v


def _analysis(a) -> dict:
    out = {}
    for f in dataclasses.fields(a):
        v = getattr(a, f.name)
        if f.name == "person_mask":
            v = None if v is None else [float(np.asarray(v, np.float64).sum()), list(v.shape)]
        out[f.name] = _plain(v)
    return out


def _checks(a, live: bool) -> dict:
    from studio_app import headmodel
    from studio_app.compliance import guidance, run_checks
    from studio_app.specs import get_spec

    out = {}
    for sid in SPECS:
        spec = get_spec(sid)
        rep = run_checks(a, spec, live=live)
        crop = headmodel.spec_crop(a, spec)
        out[sid] = {
            "checks": {r.id: _plain({"status": r.status, "measured": r.measured, "limit": r.limit,
                                     "direction": r.direction, "params": r.params, "message": r.message_key})
                       for r in rep.results},
            "window": None if crop is None else _plain(crop.window),
            "hint": _plain(guidance.live_hint(rep, "en")) if live else None,
        }
    return out


def dump(path: str) -> None:
    from benchmarks.bench_analysis import _face_source, make_frame
    from studio_app.imageio import load_image
    from studio_app.vision.analyzer import FaceAnalyzer

    result: dict = {"still": {}, "live_bench": [], "live_portraits": {}}
    names = sorted(p.name for p in PORTRAITS.iterdir() if p.suffix.lower() in (".jpg", ".png"))
    with FaceAnalyzer("still") as an:
        for name in names:
            a = an.analyze(load_image(PORTRAITS / name), segmentation=True)
            result["still"][name] = {"analysis": _analysis(a), "checks": _checks(a, False)}
            print("still", name, file=sys.stderr)
    src, _ = _face_source()
    frames = [make_frame(src, 1280, 720, 1.0, dx=int(20 * np.sin(i / 5))) for i in range(16)]
    with FaceAnalyzer("live") as an:
        for i in range(60):
            a = an.analyze(frames[i % len(frames)], timestamp_ms=i * 33)
            result["live_bench"].append({"analysis": _analysis(a), "checks": _checks(a, True)})
    print("live bench", file=sys.stderr)
    for name in names:
        src = load_image(PORTRAITS / name)
        seq = [make_frame(src, 1280, 720, 0.9, dx=int(30 * np.sin(i / 3))) for i in range(12)]
        with FaceAnalyzer("live") as an:
            result["live_portraits"][name] = [
                {"analysis": _analysis(a), "checks": _checks(a, True)}
                for a in (an.analyze(f, timestamp_ms=i * 33) for i, f in enumerate(seq))]
        print("live", name, file=sys.stderr)
    Path(path).write_text(json.dumps(result), encoding="utf-8")


def _diff(a, b, where: str, tol: float, out: list) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append((where + "/" + k, "missing in " + ("A" if k not in a else "B"), 0.0))
            else:
                _diff(a[k], b[k], where + "/" + k, tol, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((where, f"length {len(a)} != {len(b)}", 0.0))
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                _diff(x, y, f"{where}[{i}]", tol, out)
    elif isinstance(a, float) and isinstance(b, float) and not isinstance(a, bool):
        d = abs(a - b)
        if d > tol * max(1.0, abs(a), abs(b)):
            out.append((where, f"{a!r} != {b!r}", d))
    elif a != b:
        out.append((where, f"{a!r} != {b!r}", math.inf))


def compare(pa: str, pb: str, tol: float) -> int:
    a = json.loads(Path(pa).read_text(encoding="utf-8"))
    b = json.loads(Path(pb).read_text(encoding="utf-8"))
    out: list = []
    _diff(a, b, "", tol, out)
    for where, what, _ in out[:200]:
        print(where, what)
    print(f"{len(out)} differing values (tolerance {tol:g} relative)")
    return 1 if out else 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out")
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--tol", type=float, default=1e-6)
    args = p.parse_args(argv)
    if args.cmd == "dump":
        dump(args.out)
        return 0
    return compare(args.a, args.b, args.tol)


if __name__ == "__main__":
    sys.exit(main())
