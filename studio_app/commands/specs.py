"""`studio-app specs` and `studio-app specs show ID`."""

from __future__ import annotations

import json
import sys

from .. import messages
from ..specs import default_library

messages.register({
    "specs.header": ("规格", "Specs"),
    "specs.errors": ("以下规格文件有错误，已跳过：", "These spec files have errors and were skipped:"),
    "specs.cli.usage": ("用法：studio-app specs show 规格ID", "usage: studio-app specs show ID"),
})


def register(sub) -> None:
    p = sub.add_parser("specs", help="列出证件照规格 / list photo specs")
    p.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    p.add_argument("spec_id", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def _width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


def run(args) -> int:
    lib = default_library()
    en = messages.language() == "en"
    for err in lib.errors:
        print(f"{messages.text('specs.errors')} {err.message()}", file=sys.stderr)
    if args.action == "show":
        if not args.spec_id:
            print(messages.say("specs.cli.usage"), file=sys.stderr)
            return 2
        spec = lib.get(args.spec_id)
        data = spec.to_dict()
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return 0
        print(f"{spec.name_zh} / {spec.name_en}  [{spec.id}]")
        print(f"  region      {spec.region_name} ({spec.region})")
        print(f"  pixels      {spec.width_px} x {spec.height_px} px @ {spec.dpi} dpi")
        print(f"  print       {spec.print_mm[0]:g} x {spec.print_mm[1]:g} mm")
        print(f"  background  {', '.join(b.label_zh + ' ' + b.hex for b in spec.backgrounds)}")
        for key, vals in data["geometry"].items():
            px, mm = vals["px"], vals["mm"]
            fmt = lambda a, u: (f"{a[0]:g}–{a[1]:g} {u}" if a[1] is not None else f"≥ {a[0]:g} {u}")
            print(f"  {key:<12}{fmt(px, 'px'):<22}{fmt(mm, 'mm')}")
        print(f"  pose        yaw ±{spec.pose.yaw:g}°  pitch ±{spec.pose.pitch:g}°  roll ±{spec.pose.roll:g}°")
        kb = spec.file
        band = f"{kb.kb_min or 0:g}–{kb.kb_max:g} KB" if kb.kb_max else (f"≥ {kb.kb_min:g} KB" if kb.kb_min else "—")
        print(f"  file        JPEG q{kb.quality_min}–{kb.quality_max}, {band}")
        print(f"  source      {spec.source}")
        if spec.notes:
            print(f"  notes       {spec.notes}")
        return 0
    specs = sorted(lib, key=lambda s: (s.family, s.region != "national", s.id))
    if args.json:
        print(json.dumps([s.to_dict() for s in specs], ensure_ascii=False, indent=2))
        return 0
    rows = [("ID", "名称 / Name", "像素 / Pixels", "冲印 / Print", "背景 / BG", "KB")]
    for s in specs:
        kb = s.file
        band = f"{kb.kb_min or 0:g}–{kb.kb_max:g}" if kb.kb_max else (f"≥{kb.kb_min:g}" if kb.kb_min else "")
        rows.append((s.id, s.name_en if en else s.name_zh, f"{s.width_px}x{s.height_px}",
                     f"{s.print_mm[0]:.4g}x{s.print_mm[1]:.4g} mm", "/".join(b.label_zh for b in s.backgrounds), band))
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip())
    print(f"\n{len(specs)} specs")
    return 0
