"""The batch's reports: ``summary.csv`` (UTF-8 with BOM: Excel opens it as Unicode),
``summary.json`` and ``contact_sheet.html`` (before/after thumbnails, verdict, problems).
All three are written atomically and list every row, sorted by file then spec."""

from __future__ import annotations

import csv
import html
import io
import json
import os
from pathlib import Path

from .. import messages
from ..atomic import write_bytes_atomic, write_text_atomic

SUMMARY_CSV = "summary.csv"
SUMMARY_JSON = "summary.json"
CONTACT_SHEET = "contact_sheet.html"

VERDICTS = {
    "ok": ("合格", "passed"),
    "problems": ("有问题（可修正）", "problems (fixable)"),
    "retake": ("需要重拍", "retake"),
    "error": ("无法处理", "error"),
}
COLUMNS = ["file", "spec", "verdict", "retake_problems", "fixable_problems", "error", "not_exported",
           "photo", "sheet_jpg", "sheet_pdf", "report", "kb", "load_ms", "analysis_ms", "process_ms",
           "export_ms", "total_ms"]

messages.register({f"batch.verdict.{k}": v for k, v in VERDICTS.items()})


def sorted_rows(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["file"].lower(), r["spec"]))


def _rel(path: str | None, out: Path) -> str:
    if not path:
        return ""
    try:
        return os.path.relpath(path, out)
    except ValueError:  # another drive on Windows
        return str(path)


def _text(value, lang: str, sep: str) -> str:
    if not value:
        return ""
    if isinstance(value, dict):
        value = value.get(lang) or value.get("zh_CN") or []
    return sep.join(value) if isinstance(value, list) else str(value)


def csv_bytes(rows: list[dict], out: Path, lang: str) -> bytes:
    sep = "；" if lang == "zh_CN" else "; "
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for r in sorted_rows(rows):
        o = r.get("outputs") or {}
        t = r.get("timings_ms") or {}
        w.writerow([r["file"], r["spec"], messages.text(f"batch.verdict.{r['verdict']}", lang),
                    _text(r.get("retake_problems"), lang, sep), _text(r.get("fixable_problems"), lang, sep),
                    _text(r.get("error"), lang, sep), _text(r.get("not_exported"), lang, sep),
                    _rel(o.get("photo.jpg"), out), _rel(o.get("sheet.jpg"), out), _rel(o.get("sheet.pdf"), out),
                    _rel(o.get("report.json"), out), "" if r.get("kb") is None else r["kb"],
                    *("" if t.get(k) is None else t[k] for k in ("load_ms", "analysis_ms", "process_ms", "export_ms",
                                                                  "total_ms"))])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def summary_dict(summary, out: Path) -> dict:
    return {"counts": summary.counts(), "all_passed": summary.all_passed, "processed": summary.processed,
            "skipped": summary.skipped, "interrupted": summary.interrupted, "seconds": round(summary.seconds, 2),
            "rows": sorted_rows(summary.rows), "out": str(out)}


def write_reports(summary, out: Path, lang: str | None = None) -> dict[str, Path]:
    lang = lang or messages.language()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out / SUMMARY_CSV, csv_bytes(summary.rows, out, lang))
    write_text_atomic(out / SUMMARY_JSON, json.dumps(summary_dict(summary, out), ensure_ascii=False, indent=2,
                                                     default=str))
    write_text_atomic(out / CONTACT_SHEET, contact_sheet_html(summary, out, lang))
    return {name: out / name for name in (SUMMARY_CSV, SUMMARY_JSON, CONTACT_SHEET)}


_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;margin:16px;background:#f4f4f4;color:#222}
h1{font-size:20px;margin:0 0 4px} .counts{margin:0 0 14px;color:#555}
.grid{display:flex;flex-wrap:wrap;gap:12px}
.card{background:#fff;border:1px solid #ccc;border-left:6px solid #999;border-radius:4px;padding:8px;width:330px}
.card.ok{border-left-color:#2e7d32}.card.problems{border-left-color:#ef6c00}
.card.retake{border-left-color:#c62828}.card.error{border-left-color:#6a1b9a}
.pics{display:flex;gap:6px;align-items:flex-end}
.pics figure{margin:0}.pics figcaption{font-size:11px;color:#777}
.pics img{display:block;max-height:160px;max-width:158px;border:1px solid #ddd;background:#eee}
.pics .none{width:120px;height:160px;display:flex;align-items:center;justify-content:center;background:#eee;color:#888;font-size:12px;text-align:center}
.name{font-weight:bold;margin-top:6px;word-break:break-all}.spec{color:#555;font-size:13px}
.verdict{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:13px;margin:4px 0}
.verdict.ok{background:#2e7d32}.verdict.problems{background:#ef6c00}.verdict.retake{background:#c62828}.verdict.error{background:#6a1b9a}
ul{margin:4px 0 0 18px;padding:0;font-size:13px} li.retake{color:#b71c1c} li.fixable{color:#e65100} li.error{color:#4a148c} li.note{color:#555;list-style:none;margin-left:-18px;font-style:italic}
.links{font-size:12px;margin-top:4px}.links a{margin-right:8px}
"""


def contact_sheet_html(summary, out: Path, lang: str) -> str:
    e = html.escape
    title = "批量处理结果" if lang == "zh_CN" else "Batch results"
    before_l, after_l = ("原图", "成品") if lang == "zh_CN" else ("before", "after")
    counts = summary.counts()
    count_text = " · ".join(f"{messages.text('batch.verdict.' + k, lang)} {v}" for k, v in counts.items())
    parts = [f"<!doctype html><html lang=\"{'zh-CN' if lang == 'zh_CN' else 'en'}\"><head><meta charset=\"utf-8\">"
             f"<title>{e(title)}</title><style>{_CSS}</style></head><body><h1>{e(title)}</h1>"
             f"<p class=\"counts\">{e(count_text)}</p><div class=\"grid\">"]
    for r in sorted_rows(summary.rows):
        v = r["verdict"]
        thumbs = r.get("thumbs") or {}
        pics = []
        for key, label in (("before", before_l), ("after", after_l)):
            path = thumbs.get(key)
            if path and Path(path).is_file():
                pics.append(f"<figure><img src=\"{e(_rel(path, out))}\" alt=\"{e(label)}\">"
                            f"<figcaption>{e(label)}</figcaption></figure>")
            else:
                pics.append(f"<div class=\"none\">{e(label)}<br>—</div>")
        items = []
        for cls, field in (("retake", "retake_problems"), ("fixable", "fixable_problems")):
            for t in (r.get(field) or {}).get(lang, []) if isinstance(r.get(field), dict) else []:
                items.append(f"<li class=\"{cls}\">{e(t)}</li>")
        if r.get("error"):
            items.append(f"<li class=\"error\">{e(_text(r['error'], lang, '; '))}</li>")
        if r.get("not_exported"):
            items.append(f"<li class=\"note\">{e(_text(r['not_exported'], lang, '; '))}</li>")
        links = []
        for name, p in (r.get("outputs") or {}).items():
            links.append(f"<a href=\"{e(_rel(p, out))}\">{e(name)}</a>")
        parts.append(
            f"<div class=\"card {e(v)}\"><div class=\"pics\">{''.join(pics)}</div>"
            f"<div class=\"name\">{e(r['file'])}</div><div class=\"spec\">{e(r['spec'])}</div>"
            f"<span class=\"verdict {e(v)}\">{e(messages.text('batch.verdict.' + v, lang))}</span>"
            f"<ul>{''.join(items)}</ul><div class=\"links\">{''.join(links)}</div></div>")
    parts.append("</div></body></html>\n")
    return "".join(parts)
