"""`studio-app batch IN_DIR --spec ID[,ID...] --out OUT`: every photo in a folder, one folder per
photo and spec, summary.csv / summary.json / contact_sheet.html; ``--watch`` keeps processing each
new file that lands in the folder (a hot folder for tethering software)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import messages

messages.register({
    "batch.done": ("完成：合格 {ok}，可修正 {problems}，需重拍 {retake}，无法处理 {error}（本次处理 {processed}，跳过已完成 {skipped}，{seconds:.1f} 秒）",
                   "Done: {ok} passed, {problems} with problems, {retake} retakes, {error} errors ({processed} processed, "
                   "{skipped} already done and skipped, {seconds:.1f} s)"),
    "batch.reports": ("报告：{csv}，{html}", "Reports: {csv}, {html}"),
    "batch.interrupted": ("已中断：已完成的照片都已保存，再次运行会继续。", "Interrupted: finished photos are kept; run again to continue."),
    "batch.watching": ("正在监视 {path}（按 Ctrl-C 结束）", "Watching {path} (Ctrl-C to stop)"),
    "batch.nothing": ("文件夹中没有图片：{path}", "No images in the folder: {path}"),
})

EPILOG = """退出状态 / exit status:
  0  全部合格 / every photo passed for every spec
  2  参数或文件夹错误 / bad arguments or folder
  4  有照片需要重拍、有问题或无法处理（见 summary.csv）/ some need a retake, have problems or failed (see summary.csv)
  130 已中断（已完成的保留）/ interrupted (finished photos kept)"""


def register(sub) -> None:
    import argparse

    p = sub.add_parser("batch", help="批量处理文件夹 / process a folder of photos", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("in_dir", metavar="IN_DIR", help="照片文件夹 / folder of photos")
    p.add_argument("--spec", required=True, help="规格 ID，逗号分隔 / spec ids, comma separated (see `studio-app specs`)")
    p.add_argument("--out", required=True, help="输出文件夹 / output folder")
    p.add_argument("--workers", type=int, default=None,
                   help="并行进程数（默认：CPU 核数，最多 4；每个约 360 MB 内存）/ worker processes (default: the CPU "
                        "cores, at most 4; ~360 MB of memory each)")
    p.add_argument("--recursive", action="store_true", help="包括子文件夹 / include sub-folders")
    p.add_argument("--force", action="store_true", help="重做已完成的照片 / redo photos already done")
    p.add_argument("--watch", action="store_true", help="监视文件夹，处理每张新照片 / hot folder: process each new file")
    p.add_argument("--json", action="store_true", help="把汇总以 JSON 输出到标准输出 / print the summary as JSON")
    p.add_argument("--background", help="white|blue|red|...|#RRGGBB（默认：规格的第一种 / default: the spec's first）")
    p.add_argument("--sheet", default="6inch", choices=["6inch", "5inch", "a4", "none"],
                   help="冲印版式 / print sheet (default 6inch)")
    p.add_argument("--sheet-layout", help='混排版式，例如 "one_inch:4,two_inch:2" / mixed sheet, e.g. "one_inch:4,two_inch:2"')
    p.add_argument("--dpi", type=int, default=300, help="冲印分辨率 / printer dpi (default 300; 254 supported)")
    p.add_argument("--no-lighting", action="store_true", help="不做光线校正 / no lighting correction")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..batch import BatchOptions, run_batch
    from ..batch.runner import default_workers
    from ..batch.progress import Progress
    from ..batch.report import summary_dict, write_reports

    specs = tuple(dict.fromkeys(s.strip() for s in args.spec.split(",") if s.strip()))
    out = Path(args.out)
    workers = args.workers if args.workers else default_workers()
    opts = BatchOptions(specs=specs, out=out, workers=max(1, workers), recursive=args.recursive,
                        force=args.force, background=args.background, lighting=not args.no_lighting,
                        sheet=None if args.sheet == "none" else args.sheet, dpi=args.dpi,
                        sheet_layout=args.sheet_layout)
    progress = Progress()
    watch = None
    if args.watch:
        from ..camera.hotfolder import HotFolder

        watch = HotFolder(args.in_dir, recursive=args.recursive, ignore_existing=True, exclude=out)
        print(messages.text("batch.watching", path=args.in_dir), file=sys.stderr)

    def on_rows(summary) -> None:
        if watch is not None:  # a hot folder has no end: keep the reports current
            write_reports(summary, out)

    summary = run_batch(args.in_dir, opts, progress=progress, watch=watch, on_rows=on_rows)
    progress.finish()
    if not summary.rows:
        if not args.watch:
            print(messages.text("batch.nothing", path=args.in_dir), file=sys.stderr)
            return 2
        return 0
    paths = write_reports(summary, out)
    if args.json:
        print(json.dumps(summary_dict(summary, out), ensure_ascii=False, indent=2, default=str))
    stream = sys.stderr if args.json else sys.stdout
    print(messages.text("batch.done", processed=summary.processed, skipped=summary.skipped,
                        seconds=summary.seconds, **summary.counts()), file=stream)
    print(messages.text("batch.reports", csv=paths["summary.csv"], html=paths["contact_sheet.html"]), file=stream)
    if summary.interrupted and not args.watch:
        print(messages.text("batch.interrupted"), file=sys.stderr)
        return 130
    passed = all(r["verdict"] == "ok" for r in summary.rows)
    return 0 if passed else 4
