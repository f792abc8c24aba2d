"""The mixed print sheet of one photo in a batch (``--sheet-layout``): written once per photo, in
the photo's folder, from the specs processed for it; never when one of them is a retake."""

from __future__ import annotations

from pathlib import Path

from .. import messages
from ..atomic import write_bytes_atomic

messages.register({
    "batch.layout_skipped": ("混排版面未生成：{reason} 需要重拍或无法处理", "No mixed sheet: {reason} needs a retake or failed"),
})


def write_layout_sheet(job, results: dict, rows: list[dict]) -> None:
    from ..imaging.export import layout_sheet
    from ..imaging.sheets import parse_layout

    wanted = [k for k, _ in parse_layout(job.sheet_layout)]
    in_layout = [r for r in rows if r["spec"] in wanted]
    missing = [k for k in wanted if k not in results]
    if missing or any(results[k].retake for k in wanted):
        bad = missing + [k for k in wanted if k in results and results[k].retake]
        for r in in_layout:
            if not r.get("not_exported"):  # a retake's own row already says why
                r["not_exported"] = {lg: messages.text("batch.layout_skipped", lg, reason=", ".join(bad))
                                     for lg in messages.LANGUAGES}
        return
    sh = layout_sheet(results, job.sheet_layout, sheet=job.sheet, dpi=job.dpi)
    folder = Path(job.folder)
    jpg = write_bytes_atomic(folder / "sheet.jpg", sh.jpeg)
    pdf = write_bytes_atomic(folder / "sheet.pdf", sh.pdf)
    for r in in_layout:
        r["outputs"]["sheet.jpg"] = str(jpg)
        r["outputs"]["sheet.pdf"] = str(pdf)
