"""Hot folder: a new file is handed on once it is completely written (size stable and it decodes
fully), each file once; as a FrameSource; and `batch --watch` processing each new shot."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from studio_app.camera.hotfolder import HotFolder, HotFolderSource, decodes_fully


def _png(jpeg: bytes) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).save(buf, "PNG")
    return buf.getvalue()


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_a_file_being_written_is_handed_on_only_when_complete(dressed_portraits, tmp_path):
    data = (dressed_portraits / "ldn_006_f_bun.jpg").read_bytes()
    (tmp_path / "old.jpg").write_bytes(data)  # there before the watch began: not new
    clock = Clock()
    hot = HotFolder(tmp_path, settle_s=0.5, clock=clock)
    target = tmp_path / "IMG_0001.jpg"
    with open(target, "wb") as fh:  # tethering software writing the shot in pieces
        fh.write(data[: len(data) // 3])
        fh.flush()
        assert hot.poll() == []  # just appeared
        clock.t += 1.0
        assert not decodes_fully(target)
        assert hot.poll() == []  # size stable for a second, but the JPEG is truncated
        fh.write(data[len(data) // 3:])
    assert hot.poll() == []  # size changed: wait for it to settle again
    clock.t += 0.2
    assert hot.poll() == []
    clock.t += 0.4
    assert hot.poll() == [target]
    clock.t += 1.0
    assert hot.poll() == []  # once only
    # temporary and hidden names are ignored until the tool renames them
    (tmp_path / ".IMG_0002.jpg").write_bytes(data)
    (tmp_path / "IMG_0003.jpg.part").write_bytes(data)
    clock.t += 1.0
    hot.poll()
    clock.t += 1.0
    assert hot.poll() == []
    (tmp_path / ".IMG_0002.jpg").rename(tmp_path / "IMG_0002.jpg")
    hot.poll()
    clock.t += 1.0
    assert hot.poll() == [tmp_path / "IMG_0002.jpg"]


def test_a_file_that_never_decodes_is_handed_on_after_a_while(dressed_portraits, tmp_path):
    clock = Clock()
    hot = HotFolder(tmp_path, settle_s=0.5, give_up_s=10.0, clock=clock)
    broken = tmp_path / "IMG_7.jpg"
    broken.write_bytes((dressed_portraits / "ldn_006_f_bun.jpg").read_bytes()[:5000])  # the copy died half-way
    assert hot.poll() == []
    clock.t += 5.0
    assert hot.poll() == []  # could still be in progress
    clock.t += 5.0
    assert hot.poll() == [broken]  # unchanged for 10 s: broken; the batch reports its error


def test_existing_files_are_handed_on_when_asked(dressed_portraits, tmp_path):
    shutil.copy(dressed_portraits / "ldn_006_f_bun.jpg", tmp_path / "a.jpg")
    hot = HotFolder(tmp_path, ignore_existing=False, settle_s=0.0)
    assert hot.poll() == [tmp_path / "a.jpg"]


def test_source_delivers_each_new_shot_at_full_resolution_and_stops_promptly(dressed_portraits, tmp_path):
    src = HotFolderSource(tmp_path, settle_s=0.2, interval=0.05)
    src.start()
    got: list = []
    reader = threading.Thread(target=lambda: got.append(src.read()))
    reader.start()
    time.sleep(0.3)
    assert not got  # blocks until a shot lands
    shutil.copy(dressed_portraits / "ldn_021_m_bald.jpg", tmp_path / "shot1.jpg")
    reader.join(10)
    frame, ts = got[0]
    from PIL import Image

    with Image.open(dressed_portraits / "ldn_021_m_bald.jpg") as im:
        assert frame.shape == (im.height, im.width, 3) and frame.dtype == np.uint8
    assert src.last_path == tmp_path / "shot1.jpg"
    # stop() from another thread wakes a waiting read
    waiting: list = []
    reader = threading.Thread(target=lambda: waiting.append(src.read()))
    reader.start()
    time.sleep(0.2)
    t0 = time.monotonic()
    src.stop()
    reader.join(5)
    assert waiting == [None] and time.monotonic() - t0 < 2


def test_batch_watch_processes_each_new_file_as_it_lands(dressed_portraits, tmp_path):
    from studio_app.batch import BatchOptions, run_batch
    from studio_app.batch.report import write_reports

    src = tmp_path / "hot"
    src.mkdir()
    out = tmp_path / "out"
    hot = HotFolder(src, settle_s=0.3, interval=0.05, exclude=out)
    stop = threading.Event()
    landed: dict[str, float] = {}
    results: dict[str, float] = {}

    def on_rows(summary):
        write_reports(summary, out)
        for r in summary.rows:
            results.setdefault(r["file"], time.monotonic())

    box: list = []
    runner = threading.Thread(target=lambda: box.append(run_batch(
        src, BatchOptions(specs=("sscard",), out=out, workers=1), watch=hot, on_rows=on_rows, stop=stop)))
    runner.start()
    data = (dressed_portraits / "ldn_006_f_bun.jpg").read_bytes()
    for name in ("IMG_1.jpg", "IMG_2.jpg", "IMG_1.png"):
        tmp = src / (name + ".part")
        tmp.write_bytes(data if name.endswith(".jpg") else _png(data))
        tmp.rename(src / name)  # as tethering tools do: write, then rename
        landed[name] = time.monotonic()
        deadline = time.monotonic() + 90
        while name not in results and time.monotonic() < deadline:
            time.sleep(0.05)
        assert name in results, f"{name} was not processed"
    stop.set()
    runner.join(60)
    summary = box[0]
    assert sorted(r["file"] for r in summary.rows) == ["IMG_1.jpg", "IMG_1.png", "IMG_2.jpg"]
    assert all(r["verdict"] == "ok" for r in summary.rows)
    assert (out / "IMG_2" / "sscard" / "photo.jpg").is_file() and (out / "summary.csv").is_file()
    # a later file with the same stem gets its own folder, the first one's stays
    assert (out / "IMG_1_png" / "sscard" / "photo.jpg").is_file() and (out / "IMG_1" / "sscard" / "photo.jpg").is_file()
    # the second file did not wait for a worker start: it was processed within seconds
    assert results["IMG_2.jpg"] - landed["IMG_2.jpg"] < 15


def test_watch_cli_ends_on_ctrl_c_with_the_reports_written(dressed_portraits, tmp_path):
    import json
    import os
    import signal
    import subprocess
    import sys

    from tests.conftest import REPO

    src, out = tmp_path / "hot", tmp_path / "out"
    src.mkdir()
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-m", "studio_app", "--lang", "en", "batch", str(src), "--spec", "sscard",
                             "--out", str(out), "--watch", "--json"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    shutil.copy(dressed_portraits / "ldn_004_m_stubble.jpg", src / "IMG_9.jpg")
    deadline = time.monotonic() + 90
    while not (out / "IMG_9" / "sscard" / "batch.json").is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)  # how a hot folder run ends
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr  # everything processed passed
    assert json.loads(stdout)["counts"]["ok"] == 1
    assert "IMG_9.jpg" in (out / "summary.csv").read_text("utf-8-sig")


def test_open_source_hot_folder(tmp_path):
    from studio_app.camera import open_source

    src = open_source(f"hot:{tmp_path}")
    assert isinstance(src, HotFolderSource) and src.folder == tmp_path


def test_each_frame_keeps_its_file_for_a_reader_on_another_thread(dressed_portraits, tmp_path):
    """The shell shows the file of a frame after the reader thread may have read the next one."""
    data = (dressed_portraits / "ldn_006_f_bun.jpg").read_bytes()
    src = HotFolderSource(tmp_path, settle_s=0.05, interval=0.02).start()
    try:
        (tmp_path / "IMG_1.jpg").write_bytes(data)
        (tmp_path / "IMG_2.jpg").write_bytes(data)
        got = [src.read(), src.read()]
    finally:
        src.stop()
    assert src.last_path == tmp_path / "IMG_2.jpg"
    assert [src.path_of(ts) for _, ts in got] == [tmp_path / "IMG_1.jpg", tmp_path / "IMG_2.jpg"]
