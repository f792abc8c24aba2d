"""`studio-app check IMAGE --spec ID [--json]`: every compliance check on one photo."""

from __future__ import annotations

import json
import sys

from .. import messages

messages.register({
    "checkcmd.header": ("{file} — 规格 {spec}", "{file} — spec {spec}"),
    "checkcmd.col.check": ("检查项", "Check"),
    "checkcmd.col.status": ("结果", "Result"),
    "checkcmd.col.class": ("类别", "Class"),
    "checkcmd.col.measured": ("测量值", "Measured"),
    "checkcmd.col.limit": ("限值", "Limit"),
    "checkcmd.col.message": ("说明", "Message"),
    "checkcmd.status.pass": ("通过", "pass"),
    "checkcmd.status.warn": ("注意", "warn"),
    "checkcmd.status.fail": ("不通过", "FAIL"),
    "checkcmd.class.retake": ("需重拍", "retake"),
    "checkcmd.class.fixable": ("可修正", "fixable"),
})


def register(sub) -> None:
    p = sub.add_parser("check", help="检查照片是否符合规格 / check a photo against a spec",
                       epilog="退出码 / exit status: 0 符合 compliant, 1 不符合 not compliant, 2 错误 error")
    p.add_argument("image", help="照片文件 / photo file (JPEG, PNG, WebP, BMP, TIFF)")
    p.add_argument("--spec", required=True, help="规格编号 / spec id (see `studio-app specs`)")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    p.set_defaults(func=run)


def _width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    return str(v)


def run(args) -> int:
    from ..compliance import run_checks
    from ..imageio import load_image
    from ..specs import get_spec
    from ..vision.analyzer import analyze_still

    spec = get_spec(args.spec)  # StudioError for an unknown id -> clear message, exit 2
    rgb = load_image(args.image)  # StudioError for non-images, truncated files, bombs
    analysis = analyze_still(rgb)
    report = run_checks(analysis, spec)
    lang = messages.language()
    if args.json:
        data = report.to_dict(lang)
        data["file"] = str(args.image)
        data["image_size"] = list(analysis.image_size)
        data["faces"] = analysis.face_count
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0 if report.ok else 1
    t = lambda k: messages.text(k, lang)  # noqa: E731
    print(messages.text("checkcmd.header", lang, file=args.image, spec=f"{spec.name(lang)} [{spec.id}]"))
    rows = [(t("checkcmd.col.check"), t("checkcmd.col.status"), t("checkcmd.col.class"),
             t("checkcmd.col.measured"), t("checkcmd.col.limit"), t("checkcmd.col.message"))]
    for r in report.results:
        rows.append((r.title(lang), t(f"checkcmd.status.{r.status}"),
                     t(f"checkcmd.class.{r.category}") if r.status != "pass" else "",
                     _fmt(r.to_dict(lang)["measured"]), _fmt(r.to_dict(lang)["limit"]), r.message(lang)))
    widths = [max(_width(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print("  ".join(_pad(c, w) for c, w in zip(row[:5], widths)) + "  " + row[5])
    print()
    print(messages.text(report.verdict_key(), lang))
    sys.stdout.flush()
    return 0 if report.ok else 1
