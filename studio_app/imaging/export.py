"""Write a processed photo's files atomically: photo.jpg, sheet.jpg, sheet.pdf, report.json.

Everything is first written into a temporary folder beside ``out_dir`` (same file system); only
when every file is complete are they renamed into place, so a failure leaves no partial files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from .. import messages
from ..errors import StudioError
from . import keys  # noqa: F401
from .pipeline import ProcessResult
from .sheets import Sheet, make_sheet

messages.register({
    "export.retake_not_written": ("需要重拍：照片和冲印排版未写出（见 problems）",
                                  "Retake needed: photo and print sheets not written (see problems)"),
})

PHOTO = "photo.jpg"
SHEET_JPG = "sheet.jpg"
SHEET_PDF = "sheet.pdf"
REPORT = "report.json"


def render_outputs(result: ProcessResult, sheet: str | None = "6inch", dpi: int = 300, caption: str | None = None,
                   lang: str = "zh_CN", extra: dict | None = None, spec=None,
                   prepared_sheet: Sheet | None = None) -> dict[str, bytes]:
    """The files' bytes in memory, ``name -> bytes`` (photo.jpg, sheet.jpg, sheet.pdf, report.json);
    ``sheet=None`` makes no sheet; ``prepared_sheet`` (e.g. a mixed sheet from :func:`layout_sheet`)
    is used instead of one. The order writer (services/order_writer.py) writes these too.

    A result that needs a retake is never made into a printable file: only report.json, which
    says why."""
    printable = not getattr(result, "retake", False)
    sh: Sheet | None = prepared_sheet if printable else None
    if prepared_sheet is not None:
        sheet = prepared_sheet.layout.sheet
    elif sheet and printable:
        sh = make_sheet(result.photo, spec or result.spec, sheet=sheet, dpi=dpi, caption=caption,
                        photo_jpeg=result.jpeg)
    report = result.to_dict(lang)
    if sh is not None:
        report["sheet"] = {"name": sheet, "dpi": sh.dpi, "copies": sh.copies, "page_mm": list(sh.layout.page_mm),
                           "size_px": list(sh.size_px)}
        counts: dict[str, int] = {}
        for place in getattr(sh.layout, "places", ()):
            counts[place.key] = counts.get(place.key, 0) + 1
        if prepared_sheet is not None:  # a mixed sheet: which photos, how many of each
            report["sheet"]["photos"] = counts
    if extra:
        report.update(extra)
    files: dict[str, bytes] = {PHOTO: result.jpeg} if printable else {}
    if not printable:
        report["not_written"] = {"files": [PHOTO, SHEET_JPG, SHEET_PDF],
                                 "reason": messages.text("export.retake_not_written", lang)}
    if sh is not None:
        files[SHEET_JPG] = sh.jpeg
        files[SHEET_PDF] = sh.pdf
    report["files"] = sorted(list(files) + [REPORT])
    files[REPORT] = json.dumps(report, ensure_ascii=False, indent=2, default=_json_default).encode("utf-8")
    return files


def write_outputs(result: ProcessResult, out_dir: str | os.PathLike, sheet: str | None = "6inch", dpi: int = 300,
                  caption: str | None = None, lang: str = "zh_CN", extra: dict | None = None,
                  prepared_sheet: Sheet | None = None) -> dict[str, Path]:
    """Write the files (no order); returns ``name -> path``. ``sheet=None`` writes no sheet.

    A retake writes only report.json, and printable files an earlier run left in ``out_dir`` are
    removed with it."""
    out = Path(out_dir)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file in the way, read-only or full disk: a user error, not a traceback
        raise StudioError("export.failed", error=str(exc)) from exc
    printable = not getattr(result, "retake", False)
    files = render_outputs(result, sheet, dpi, caption, lang, extra, prepared_sheet=prepared_sheet)

    _remove_stale_temps(out)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise StudioError("export.failed", error=str(exc)) from exc
    try:
        for name, data in files.items():
            with open(tmp / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if not out.exists():
            os.replace(tmp, out)  # the whole folder appears at once
            tmp = None
        else:
            for name in files:
                os.replace(tmp / name, out / name)
            if not printable:  # an earlier run's photo must not outlive a report saying "retake"
                for name in (PHOTO, SHEET_JPG, SHEET_PDF):
                    (out / name).unlink(missing_ok=True)
    except OSError as exc:
        raise StudioError("export.failed", error=str(exc)) from exc
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return {name: out / name for name in files}


def layout_results(rgb, layout_text: str, have: dict[str, ProcessResult], options) -> dict[str, ProcessResult]:
    """The results a mixed sheet needs: those in ``have``, the other specs of the layout processed
    from the same photo (analysed once)."""
    from ..specs import get_spec
    from ..vision.analyzer import analyze_still
    from .pipeline import process_photo
    from .sheets import parse_layout

    out = dict(have)
    missing = [k for k, _ in parse_layout(layout_text) if k not in out]
    if missing:
        analysis = analyze_still(rgb, segmentation=True)
        for key in missing:
            out[key] = process_photo(rgb, get_spec(key), options, analysis=analysis)
    return out


def layout_sheet(results: dict[str, ProcessResult], layout_text: str, sheet: str = "6inch", dpi: int = 300,
                 caption: str | None = None) -> Sheet | None:
    """A mixed sheet (``"one_inch:4,two_inch:2"``) of the processed photos; None when one of them
    needs a retake (a retake is never printable)."""
    from .sheets import make_mixed_sheet, parse_layout

    items = parse_layout(layout_text, available=tuple(results))
    if any(results[k].retake for k, _ in items):
        return None
    entries = [(k, results[k].photo, results[k].jpeg, tuple(results[k].spec.print_mm), n) for k, n in items]
    return make_mixed_sheet(entries, sheet=sheet, dpi=dpi, caption=caption)


def _remove_stale_temps(out: Path, age_s: float = 600.0) -> None:
    """Temporary folders of this output left by a run that was killed (they hold the photo):
    removed once they are older than ``age_s`` (a concurrent run's folder is younger)."""
    import glob
    import time

    for stale in out.parent.glob(f".{glob.escape(out.name)}.*.tmp"):
        try:
            if stale.is_dir() and time.time() - stale.stat().st_mtime > age_s:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            pass


def json_safe(value):
    """``value`` with plain JSON types only (numpy numbers and arrays, sets, tuples converted)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=_json_default))


def _json_default(obj):
    try:
        import numpy as np

        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, np.ndarray):
            return obj.tolist()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(obj, (set, tuple)):
        return list(obj)
    return str(obj)
