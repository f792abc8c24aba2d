"""One photo, one or more specs: what a batch worker does (in a worker process or in-process).

The photo is loaded and analysed once; each spec is processed from that analysis with the one
pipeline (:func:`imaging.pipeline.process_photo`) and written with the one exporter
(:func:`imaging.export.write_outputs`). A retake gets ``report.json`` and thumbnails only: it is
never written as a printable photo or sheet. Every failure becomes a row, never an exception.
"""

from __future__ import annotations

import io
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import messages
from ..atomic import write_bytes_atomic, write_text_atomic

ROW_FILE = "batch.json"  # the finished row, beside the outputs: a re-run skips a folder that has it
THUMB_BEFORE = "before_thumb.jpg"
THUMB_AFTER = "after_thumb.jpg"
THUMB_H = 240

messages.register({
    "batch.retake_not_exported": ("需要重拍，未导出可冲印的照片和版面（原因见重拍问题）",
                                  "Needs a retake: no printable photo or sheet written (see the retake problems)"),
    "batch.failed_unexpectedly": ("处理失败：{error}", "Processing failed: {error}"),
})


@dataclass(frozen=True)
class Job:
    path: str  # absolute input path
    rel: str  # the path shown in the report (relative to the input folder)
    folder: str  # output folder of this photo (absolute); one sub-folder per spec
    specs: tuple[str, ...]
    background: str | None = None
    lighting: bool = True
    sheet: str | None = "6inch"
    dpi: int = 300
    sheet_layout: str | None = None
    fingerprint: dict = field(default_factory=dict)


def fingerprint(path: str | os.PathLike) -> dict:
    st = os.stat(path)
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def warm_up() -> None:
    """Worker initialiser: load the models once per process (the first analysis creates them)."""
    from ..vision.analyzer import analyze_still

    analyze_still(np.full((240, 200, 3), 200, np.uint8), segmentation=True)


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000.0, 1)


def _error_row(job: Job, spec_id: str, exc: BaseException, timings: dict) -> dict:
    from ..errors import StudioError

    if isinstance(exc, StudioError):
        text = {lang: exc.message(lang) for lang in messages.LANGUAGES}
    else:
        detail = f"{type(exc).__name__}: {exc}"
        text = {lang: messages.text("batch.failed_unexpectedly", lang, error=detail) for lang in messages.LANGUAGES}
    return _row(job, spec_id, "error", error=text, timings_ms=timings)


def _row(job: Job, spec_id: str, verdict: str, **extra) -> dict:
    row = {"file": job.rel, "spec": spec_id, "verdict": verdict,
           "folder": os.path.join(job.folder, spec_id), "retake_problems": {"zh_CN": [], "en": []},
           "fixable_problems": {"zh_CN": [], "en": []}, "error": None, "not_exported": None,
           "outputs": {}, "kb": None, "timings_ms": {}, "fingerprint": job.fingerprint}
    row.update(extra)
    return row


def problem_texts(result) -> dict[str, dict[str, list[str]]]:
    """Retake and fixable problems of a result, in both languages, each said once."""
    out = {"retake": {lang: [] for lang in messages.LANGUAGES}, "fixable": {lang: [] for lang in messages.LANGUAGES}}
    for lang in messages.LANGUAGES:
        items = result.to_dict(lang)["problems"]
        for raw, item in zip(result.problems, items):
            bucket = out["retake" if raw.get("retake") else "fixable"][lang]
            if item["text"] not in bucket:
                bucket.append(item["text"])
        if result.retake and not out["retake"][lang] and result.before is not None:
            # retake judged on the input alone (no verified output): its failed retake checks say why
            for r in result.before.failed:
                if r.category == "retake" and r.message(lang) not in out["retake"][lang]:
                    out["retake"][lang].append(r.message(lang))
    return out


def _thumb(rgb: np.ndarray, height: int = THUMB_H) -> bytes:
    from PIL import Image

    im = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8), "RGB")
    w = max(1, int(round(im.width * height / im.height)))
    im = im.resize((w, height), Image.BILINEAR if im.height < height else Image.BOX)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def run_job(job: Job) -> list[dict]:
    """Process one photo for each of its specs; one row per spec (never raises for a bad photo).
    Each row is saved in its spec folder: a re-run skips it (errors too) unless the input changed."""
    rows = _run(job)
    finished = round(time.time(), 3)
    for row in rows:
        row["finished_at"] = finished
        t = row["timings_ms"]
        t["total_ms"] = round(sum(v for k, v in t.items() if k != "total_ms"), 1)
        save_row(row)
    return rows


def _run(job: Job) -> list[dict]:
    from ..imageio import load_image
    from ..imaging.export import write_outputs
    from ..imaging.pipeline import ProcessOptions, process_photo
    from ..specs import get_spec
    from ..vision.analyzer import analyze_still

    t0 = time.perf_counter()
    try:
        rgb = load_image(job.path)
    except Exception as exc:  # unreadable, not an image, truncated, too big: a row each
        return [_error_row(job, s, exc, {"load_ms": _ms(t0)}) for s in job.specs]
    load_ms = _ms(t0)
    t1 = time.perf_counter()
    try:
        analysis = analyze_still(rgb, segmentation=True)
    except Exception as exc:
        return [_error_row(job, s, exc, {"load_ms": load_ms, "analysis_ms": _ms(t1)}) for s in job.specs]
    analysis_ms = _ms(t1)
    before_thumb = _thumb(rgb)
    results: dict[str, object] = {}
    rows = []
    for spec_id in job.specs:
        timings = {"load_ms": load_ms, "analysis_ms": analysis_ms}
        t2 = time.perf_counter()
        try:
            spec = get_spec(spec_id)
            result = process_photo(rgb, spec, ProcessOptions(background=job.background, lighting=job.lighting),
                                   analysis=analysis)
            timings["process_ms"] = _ms(t2)
            t3 = time.perf_counter()
            rows.append(_export(job, spec_id, result, before_thumb, timings, t3, write_outputs))
            results[spec_id] = result
        except Exception as exc:
            timings.setdefault("process_ms", _ms(t2))
            rows.append(_error_row(job, spec_id, exc, timings))
    if job.sheet_layout and job.sheet:
        from .layout import write_layout_sheet

        write_layout_sheet(job, results, rows)
    return rows


def _export(job: Job, spec_id: str, result, before_thumb: bytes, timings: dict, t3: float, write_outputs) -> dict:
    out = Path(job.folder) / spec_id
    texts = problem_texts(result)
    lang = messages.language()
    extra = {"input": job.path}
    if result.retake:
        # Listed, never printable: the report and thumbnails only (a stale printable file goes).
        not_exported = {lg: messages.text("batch.retake_not_exported", lg) for lg in messages.LANGUAGES}
        report = result.to_dict(lang) | extra | {"not_exported": not_exported, "retake_reasons": texts["retake"],
                                                 "files": ["report.json"]}
        out.mkdir(parents=True, exist_ok=True)
        for stale in ("photo.jpg", "sheet.jpg", "sheet.pdf"):
            try:
                (out / stale).unlink()
            except FileNotFoundError:
                pass
        write_text_atomic(out / "report.json", json.dumps(report, ensure_ascii=False, indent=2, default=str))
        paths = {"report.json": out / "report.json"}
        verdict = "retake"
    else:
        not_exported = None
        sheet = None if job.sheet_layout else job.sheet  # a mixed sheet is written for the whole photo
        paths = write_outputs(result, out, sheet=sheet, dpi=job.dpi, lang=lang, extra=extra)
        verdict = "ok" if result.ok else "problems"
    write_bytes_atomic(out / THUMB_BEFORE, before_thumb)
    write_bytes_atomic(out / THUMB_AFTER, _thumb(result.photo))
    timings["export_ms"] = _ms(t3)
    return _row(job, spec_id, verdict, retake_problems=texts["retake"], fixable_problems=texts["fixable"],
                not_exported=not_exported, outputs={name: str(p) for name, p in paths.items()},
                thumbs={"before": str(out / THUMB_BEFORE), "after": str(out / THUMB_AFTER)},
                kb=result.file.get("kb"), timings_ms=timings)


def save_row(row: dict) -> None:
    folder = Path(row["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(folder / ROW_FILE, json.dumps(row, ensure_ascii=False, indent=2, default=str))


def load_row(folder: str | os.PathLike) -> dict | None:
    try:
        return json.loads((Path(folder) / ROW_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
