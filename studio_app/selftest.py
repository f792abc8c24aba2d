"""``studio-app --self-test``: the whole still pipeline on a bundled sample, verified.

Runs, in a temporary folder and without touching the user's data: resources (model hashes, font,
spec library), load the sample, face analysis, compliance checks, correction (crop, background,
lighting, JPEG), export (the spec-exact JPEG and the print sheet, re-read from disk: pixel size,
DPI, file-size band), the photo receipt PDF (structure parsed, embedded images decoded), and the
Qt runtime (platform, fonts, image formats, multimedia backend, translations). Each stage prints
one bilingual line; the exit code is 0 when every stage passed, 1 otherwise, and the last line
names the stages that failed. It is how the installer, an IT person and CI know a build works,
so it must run the same from a checkout, offscreen, and frozen (PyInstaller).
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import __version__, messages
from .errors import StudioError
# the verifiers and the stages live beside the runner; importable from here as before
from .selftest_files import SelfTestFailure, jpeg_facts, pdf_facts  # noqa: F401
from .selftest_stages import SAMPLE_CANDIDATES, SPEC_ID, STAGES, Context, StageResult, find_sample  # noqa: F401

log = logging.getLogger(__name__)

messages.register({
    "selftest.pass": ("通过", "PASS"),
    "selftest.fail": ("失败", "FAIL"),
    "selftest.skip": ("跳过", "SKIP"),
    "selftest.header": ("证件照采集工作站 自检 {version}（{where}）",
                        "ID Photo Capture Station self-test {version} ({where})"),
    "selftest.frozen": ("安装版", "frozen"),
    "selftest.source": ("源码版", "source"),
    "selftest.ok": ("自检通过：{n} 项全部通过，用时 {seconds:.1f} 秒",
                    "Self-test passed: all {n} stages, {seconds:.1f} s"),
    "selftest.failed": ("自检失败：{names}", "Self-test FAILED: {names}"),
    "selftest.needs": ("前一步失败：{names}", "an earlier stage failed: {names}"),
    "selftest.stage.resources": ("模型与资源", "models and resources"),
    "selftest.stage.load": ("读取样张", "load sample"),
    "selftest.stage.analyze": ("人脸分析", "face analysis"),
    "selftest.stage.checks": ("合规检查", "compliance checks"),
    "selftest.stage.correct": ("照片处理", "correction"),
    "selftest.stage.export": ("导出照片与排版", "export photo and sheet"),
    "selftest.stage.receipt": ("照片回执 PDF", "receipt PDF"),
    "selftest.stage.qt": ("界面运行库", "Qt runtime"),
})


def _stage_name(key: str) -> str:
    return f"{messages.text('selftest.stage.' + key, 'zh_CN')} / {messages.text('selftest.stage.' + key, 'en')}"


def _status_word(status: str) -> str:
    return f"{messages.text('selftest.' + status, 'zh_CN')} {messages.text('selftest.' + status, 'en')}"


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, StudioError):
        zh, en = exc.message("zh_CN"), exc.message("en")
        return zh if zh == en else f"{zh} / {en}"
    if isinstance(exc, SelfTestFailure):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _safe_stream(stream):
    """A stream that can print Chinese: a Windows console redirected to a file may be cp1252."""
    if stream is None:
        return io.StringIO()  # windowed (no console) frozen build
    try:
        "证件照 – ≥ ° 自检".encode(stream.encoding or "ascii")  # what the report prints
    except (UnicodeEncodeError, LookupError):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass
    return stream


def run_stages(ctx: Context, stream=None, stages=None) -> list[StageResult]:
    stream = _safe_stream(stream if stream is not None else sys.stdout)
    results: dict[str, StageResult] = {}
    for key, func, needs in stages or STAGES:
        missing = [n for n in needs if not results.get(n, StageResult(n, "fail")).ok]
        if missing:
            res = StageResult(key, "skip", 0.0, messages.text("selftest.needs", "zh_CN", names=", ".join(missing))
                              + " / " + messages.text("selftest.needs", "en", names=", ".join(missing)))
        else:
            t0 = time.perf_counter()
            try:
                detail = func(ctx) or ""
                res = StageResult(key, "pass", time.perf_counter() - t0, detail)
            except Exception as exc:  # every failure is reported, never a traceback alone
                res = StageResult(key, "fail", time.perf_counter() - t0, _error_text(exc))
                if os.environ.get("STUDIO_APP_SELFTEST_TRACEBACK"):
                    traceback.print_exc(file=stream)
        results[key] = res
        log.log(logging.INFO if res.ok else logging.WARNING, "self-test %s %s (%.2f s): %s",
                key, res.status, res.seconds, res.detail)
        print(f"[{_status_word(res.status)}] {_stage_name(key)} ({res.seconds:.2f} s): {res.detail}",
              file=stream, flush=True)
    return list(results.values())


def _release(ctx: Context) -> None:
    """Close the MediaPipe graphs now: at interpreter exit their dispatcher may be gone first."""
    if ctx.analysis is None:
        return
    try:
        import gc

        from .vision.analyzer import shared_analyzer

        shared_analyzer().close()
        gc.collect()  # graphs dropped by the pipeline are closed while their dispatcher still runs
    except Exception:
        pass


def run_self_test(out_dir: str | os.PathLike | None = None, *, stream=None, spec_id: str = SPEC_ID,
                  sample: str | os.PathLike | None = None) -> int:
    """Run every stage; 0 when all passed, 1 otherwise. Output goes to a temporary folder that is
    removed afterwards, unless ``out_dir`` (or ``STUDIO_APP_SELFTEST_OUT``) names one to keep."""
    stream = _safe_stream(stream if stream is not None else sys.stdout)
    keep = out_dir or os.environ.get("STUDIO_APP_SELFTEST_OUT")
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="studio-selftest-"))
    work.mkdir(parents=True, exist_ok=True)
    frozen = bool(getattr(sys, "frozen", False))
    where = messages.text("selftest.frozen" if frozen else "selftest.source", "zh_CN") + " / " + \
        messages.text("selftest.frozen" if frozen else "selftest.source", "en")
    print(messages.text("selftest.header", "zh_CN", version=__version__, where=where), file=stream)
    print(messages.text("selftest.header", "en", version=__version__, where=where), file=stream, flush=True)
    t0 = time.perf_counter()
    ctx = Context(out_dir=work, spec_id=spec_id, sample=Path(sample) if sample else None)
    try:
        results = run_stages(ctx, stream)
    finally:
        _release(ctx)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    failed = [r.key for r in results if not r.ok]
    if failed:
        names = ", ".join(failed)
        print(messages.text("selftest.failed", "zh_CN", names=names), file=stream)
        print(messages.text("selftest.failed", "en", names=names), file=stream, flush=True)
        return 1
    seconds = time.perf_counter() - t0
    print(messages.text("selftest.ok", "zh_CN", n=len(results), seconds=seconds), file=stream)
    print(messages.text("selftest.ok", "en", n=len(results), seconds=seconds), file=stream, flush=True)
    return 0
