"""Run a folder of photos through the pipeline in worker processes, skipping what is done.

Workers are started with "spawn" (no model state is forked) and load the models once, in their
initialiser; they ignore SIGINT so that Ctrl-C stops only the parent, which cancels what has not
started, lets the running photos finish (their folders are written atomically) and writes the
summary of everything finished. A photo whose folder holds a finished row for the same input
(size and modification time) is skipped unless ``force``.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import messages
from ..camera.hotfolder import PHOTO_EXTS
from ..errors import StudioError
from .jobs import Job, fingerprint, load_row, run_job


messages.register({
    "batch.no_folder": ("找不到输入文件夹：{path}", "Input folder not found: {path}"),
    "batch.no_specs": ("请用 --spec 指定至少一个规格", "Give at least one spec with --spec"),
    "batch.worker_crashed": ("处理进程意外退出（{error}）", "The worker process exited unexpectedly ({error})"),
    "batch.out_is_file": ("输出位置是一个文件：{path}", "The output location is a file: {path}"),
})


@dataclass(frozen=True)
class BatchOptions:
    specs: tuple[str, ...]
    out: Path
    workers: int = 2
    recursive: bool = False
    force: bool = False
    background: str | None = None
    lighting: bool = True
    sheet: str | None = "6inch"
    dpi: int = 300
    sheet_layout: str | None = None


@dataclass
class BatchSummary:
    rows: list[dict] = field(default_factory=list)
    processed: int = 0  # photo-specs done in this run
    skipped: int = 0  # photo-specs already done (rows taken from their folders)
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def all_passed(self) -> bool:
        return bool(self.rows) and all(r["verdict"] == "ok" for r in self.rows) and not self.interrupted

    def counts(self) -> dict[str, int]:
        out = {"ok": 0, "problems": 0, "retake": 0, "error": 0}
        for r in self.rows:
            out[r["verdict"]] = out.get(r["verdict"], 0) + 1
        return out


def default_workers() -> int:
    """Worker processes when none are asked for: the CPU cores, at most 4 (~360 MB each)."""
    return max(1, min(4, os.cpu_count() or 1))


class _Cancelled(Exception):
    """``cancel`` was set: stop as Ctrl-C does (finished photos kept)."""


def find_photos(in_dir: Path, recursive: bool = False, exclude: Path | None = None) -> list[Path]:
    """Image files by extension, sorted; hidden files and the output folder are left out."""
    in_dir = Path(in_dir)
    it = in_dir.rglob("*") if recursive else in_dir.iterdir()
    ex = exclude.resolve() if exclude is not None else None
    out = []
    for p in it:
        rel = p.relative_to(in_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if ex is not None and (p.resolve() == ex or ex in p.resolve().parents):
            continue
        if p.suffix.lower() in PHOTO_EXTS and p.is_file():
            out.append(p)
    return sorted(out, key=lambda p: str(p.relative_to(in_dir)).lower())


def output_folders(photos: list[Path], in_dir: Path, out: Path) -> dict[Path, Path]:
    """One folder per photo: its relative path without the extension (with it when two share a stem)."""
    stems: dict[Path, int] = {}
    for p in photos:
        key = p.relative_to(in_dir).with_suffix("")
        stems[key] = stems.get(key, 0) + 1
    folders = {}
    for p in photos:
        rel = p.relative_to(in_dir)
        key = rel.with_suffix("")
        name = key if stems[key] == 1 else rel.with_name(rel.stem + "_" + rel.suffix.lstrip(".").lower())
        folders[p] = out / name
    return folders


def _watch_folder(photo: Path, in_dir: Path, opts: BatchOptions) -> Path:
    """A new file's folder; with the extension added when another file of the same stem has it."""
    folder = output_folders([photo], in_dir, opts.out)[photo]
    rel = str(photo.relative_to(in_dir))
    for spec_id in opts.specs:
        row = load_row(folder / spec_id)
        if row is not None and row.get("file") != rel:
            r = photo.relative_to(in_dir)
            return opts.out / r.with_name(r.stem + "_" + r.suffix.lstrip(".").lower())
    return folder


def plan(photo: Path, in_dir: Path, folder: Path, opts: BatchOptions) -> tuple[Job | None, list[dict]]:
    """The job for the specs not done yet, and the finished rows of those that are."""
    try:
        fp = fingerprint(photo)
    except OSError:
        fp = {}
    # what the outputs depend on besides the photo: another background or sheet redoes the photo
    fp["options"] = {"background": opts.background, "lighting": opts.lighting, "sheet": opts.sheet, "dpi": opts.dpi,
                     "sheet_layout": opts.sheet_layout}
    todo, done = [], []
    for spec_id in opts.specs:
        row = None if opts.force else load_row(folder / spec_id)
        if row is not None and row.get("fingerprint") == fp and row.get("file") == str(photo.relative_to(in_dir)):
            done.append(row)
        else:
            todo.append(spec_id)
    job = None
    if todo:
        job = Job(path=str(photo), rel=str(photo.relative_to(in_dir)), folder=str(folder), specs=tuple(todo),
                  background=opts.background, lighting=opts.lighting, sheet=opts.sheet, dpi=opts.dpi,
                  sheet_layout=opts.sheet_layout, fingerprint=fp)
    return job, done


def _exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """A worker whose parent was killed outright (SIGKILL, a crash) would wait for work forever,
    holding its models (~350 MB): it leaves when its parent is gone. ``parent`` comes from the
    parent itself: a worker may already have been orphaned before this runs."""

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _init_worker(lang: str, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C does
    _exit_with_parent(parent)
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    messages.set_language(lang)
    from .jobs import warm_up

    warm_up()


def _worker_job(job: Job) -> list[dict]:
    import resource
    import sys

    rows = run_job(job)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024.0 if sys.platform != "darwin" else 1024.0 ** 2)
    for r in rows:
        r["worker"] = {"pid": os.getpid(), "peak_rss_mb": round(peak, 1)}
    return rows


THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


class _Pool:
    """A process pool that is re-made when a worker dies (a native crash on one odd file).

    Workers share the cores: each gets cores // workers threads for its numerical libraries
    (read from the environment when they load, so set before a worker starts). With 2 workers on
    2 cores, one thread each cut 16 portraits from 7.0 s to 5.3 s (CPU 12.2 -> 8.6 s): the
    libraries' own thread pools were fighting over the cores."""

    def __init__(self, workers: int, lang: str, work: Callable[[Job], list[dict]]) -> None:
        self.workers, self.lang, self.work = max(1, int(workers)), lang, work
        threads = str(max(1, (os.cpu_count() or 1) // self.workers))
        self._saved = {k: os.environ.get(k) for k in THREAD_VARS}
        for k in THREAD_VARS:
            os.environ.setdefault(k, threads)  # children inherit it; a user's own setting wins
        self.ex = self._make()

    def _make(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(self.lang, os.getpid()))

    def _restore_env(self) -> None:
        for k, v in self._saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    def submit(self, job: Job) -> Future:
        try:
            return self.ex.submit(self.work, job)
        except BrokenProcessPool:
            self.renew()
            return self.ex.submit(self.work, job)

    def renew(self) -> None:
        self.ex.shutdown(wait=False, cancel_futures=True)
        self.ex = self._make()

    def shutdown(self, cancel: bool) -> None:
        try:
            self.ex.shutdown(wait=True, cancel_futures=cancel)
        finally:
            self._restore_env()


def run_batch(in_dir: str | os.PathLike, opts: BatchOptions, progress: Callable[[list[dict], int, int], None] | None = None,
              watch=None, on_rows: Callable[[BatchSummary], None] | None = None,
              stop: threading.Event | None = None, work: Callable[[Job], list[dict]] | None = None,
              cancel: threading.Event | None = None) -> BatchSummary:
    """Process every photo in ``in_dir``; ``watch`` (a :class:`camera.hotfolder.HotFolder`) keeps
    going with each new complete file until ``stop`` is set or Ctrl-C. ``progress(rows, done, total)``
    after each photo; ``on_rows(summary)`` whenever rows were added (the reports are rewritten).
    ``cancel`` (the operator window's Cancel) stops as Ctrl-C does: what has not started is
    dropped, the photos being processed finish, their rows are kept, ``interrupted`` is set.
    ``work``: what a worker runs per job (default: process and export it; tests pass one that crashes)."""
    in_dir = Path(in_dir)
    if not in_dir.is_dir():
        raise StudioError("batch.no_folder", path=str(in_dir))
    if not opts.specs:
        raise StudioError("batch.no_specs")
    if opts.out.exists() and not opts.out.is_dir():
        raise StudioError("batch.out_is_file", path=str(opts.out))
    from ..specs import get_spec

    for s in opts.specs:
        get_spec(s)  # an unknown spec fails before any work
    if opts.sheet_layout:
        from ..imaging.sheets import parse_layout, plan_mixed

        items = parse_layout(opts.sheet_layout, available=opts.specs)
        if opts.sheet:  # too many for the sheet: said now, not once per photo
            plan_mixed([(k, tuple(get_spec(k).print_mm), n) for k, n in items], opts.sheet)
    t0 = time.perf_counter()
    summary = BatchSummary()
    photos = find_photos(in_dir, opts.recursive, exclude=opts.out)
    folders = output_folders(photos, in_dir, opts.out)
    jobs: list[Job] = []
    for p in photos:
        job, done = plan(p, in_dir, folders[p], opts)
        summary.rows.extend(done)
        summary.skipped += len(done)
        if job is not None:
            jobs.append(job)
    total = sum(len(j.specs) for j in jobs)
    if on_rows is not None and summary.rows:
        on_rows(summary)
    if not jobs and watch is None:
        summary.seconds = time.perf_counter() - t0
        return summary
    pool = _Pool(opts.workers, messages.language(), work or _worker_job)
    order = itertools.count()
    pending: dict[Future, tuple[Job, int, int]] = {}  # future -> (job, tries, submission order)
    suspects: deque[Job] = deque()  # in flight when a worker died: each re-run alone, to find the culprit
    held: deque[Job] = deque()  # queued behind them: re-run in parallel once the suspects are cleared

    def submit(job: Job, tries: int = 0) -> None:
        pending[pool.submit(job)] = (job, tries, next(order))

    for j in jobs:
        submit(j)
    if progress is not None and total:
        progress([], 0, total)  # the bar shows at once, not after the first photo
    seen = {j.path for j in jobs} | {str(p) for p in photos}
    try:
        while pending or suspects or held or (watch is not None and not (stop is not None and stop.is_set())):
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            if watch is not None:
                for p in watch.poll():
                    if str(p) in seen or opts.out.resolve() in p.resolve().parents:
                        continue
                    seen.add(str(p))
                    job, done = plan(p, in_dir, _watch_folder(p, in_dir, opts), opts)
                    summary.rows.extend(done)
                    if job is not None:
                        total += len(job.specs)
                        (held.append(job) if suspects else submit(job))
            if not pending:
                if suspects:
                    submit(suspects.popleft(), tries=1)
                    continue
                if held:
                    while held:
                        submit(held.popleft())
                    continue
                if stop is not None:
                    stop.wait(watch.interval if watch is not None else 0.2)
                else:
                    time.sleep(watch.interval if watch is not None else 0.2)
                continue
            finished, _ = wait(list(pending), timeout=0.25 if watch is not None or cancel is not None else 1.0,
                               return_when=FIRST_COMPLETED)
            new_rows: list[dict] = []
            broken: list[tuple[int, Job]] = []
            for fut in finished:
                job, tries, seq = pending.pop(fut)
                try:
                    rows = fut.result()
                except BrokenProcessPool as exc:
                    if tries == 0:
                        broken.append((seq, job))
                        continue
                    rows = _crash_rows(job, exc)  # it died again, alone: this file kills the worker
                except Exception as exc:  # pragma: no cover - run_job turns errors into rows
                    rows = _crash_rows(job, exc)
                new_rows.extend(rows)
            if broken:
                # a worker died: every job of that pool fails at once; the first workers + 1 (in
                # the order sent) were in flight, the rest never started
                late, _ = wait(list(pending), timeout=5.0)
                for fut in late:
                    if isinstance(fut.exception(), BrokenProcessPool):
                        job, _, seq = pending.pop(fut)
                        broken.append((seq, job))
                broken.sort(key=lambda item: item[0])
                suspects.extend(job for _, job in broken[: pool.workers + 1])
                held.extend(job for _, job in broken[pool.workers + 1:])
                pool.renew()
            if new_rows:
                summary.rows.extend(new_rows)
                summary.processed += len(new_rows)
                if progress is not None:
                    progress(new_rows, summary.processed, total)
                if on_rows is not None:
                    on_rows(summary)
    except (KeyboardInterrupt, _Cancelled):
        summary.interrupted = True
        for fut in pending:
            fut.cancel()
        # photos already running finish (workers ignore SIGINT); their rows are kept
        for fut, (job, _, _) in list(pending.items()):
            if fut.cancelled():
                continue
            try:
                rows = fut.result()
            except BaseException:
                continue
            summary.rows.extend(rows)
            summary.processed += len(rows)
    finally:
        pool.shutdown(cancel=True)
    summary.seconds = time.perf_counter() - t0
    return summary


def _crash_rows(job: Job, exc: BaseException) -> list[dict]:
    from .jobs import _row, save_row

    rows = []
    for s in job.specs:
        text = {lang: messages.text("batch.worker_crashed", lang, error=type(exc).__name__) for lang in messages.LANGUAGES}
        row = _row(job, s, "error", error=text)
        save_row(row)
        rows.append(row)
    return rows
