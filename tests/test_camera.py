"""Qt-free frame sources: image, folder, video, demo, open_source."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest

from studio_app.camera import (DemoSource, FolderSource, ImageSource, VideoFileSource, open_source)
from studio_app.errors import StudioError


def _write_video(path, frames, fps=30):
    h, w = frames[0].shape[:2]
    vw = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert vw.isOpened()
    for f in frames:
        vw.write(cv2.cvtColor(f, cv2.COLOR_RGB2BGR))
    vw.release()


def test_image_source_repeats_the_image(tmp_path, astronaut):
    path = tmp_path / "a.png"
    cv2.imwrite(str(path), cv2.cvtColor(astronaut, cv2.COLOR_RGB2BGR))
    src = ImageSource(path, realtime=False).start()
    (f1, t1), (f2, t2) = src.read(), src.read()
    src.stop()
    assert f1.shape == astronaut.shape and np.array_equal(f1, astronaut)
    assert t2 > t1
    assert f1 is not f2  # each frame is its own buffer (consumers may hold them)
    assert src.read() is None  # stopped


def test_image_source_paces_itself_in_realtime(astronaut):
    src = ImageSource(astronaut, fps=20).start()
    t0 = time.monotonic()
    n = sum(1 for _ in zip(range(6), src))
    elapsed = time.monotonic() - t0
    src.stop()
    assert n == 6
    assert elapsed >= 5 / 20 * 0.9  # the sixth frame is due 250 ms after the first


def test_folder_source_cycles_in_name_order(tmp_path):
    for i, value in enumerate((10, 20, 30)):
        cv2.imwrite(str(tmp_path / f"{i}.png"), np.full((8, 8, 3), value, np.uint8))
    (tmp_path / "notes.txt").write_text("not an image")
    src = FolderSource(tmp_path, fps=10, seconds_per_image=0.2, loop=False, realtime=False).start()
    values = [int(f[0, 0, 0]) for f, _ in src]
    assert values == [10, 10, 20, 20, 30, 30]


def test_video_source_reads_and_loops(tmp_path):
    frames = [np.full((48, 64, 3), v, np.uint8) for v in (0, 80, 160, 240)]
    path = tmp_path / "clip.avi"
    _write_video(path, frames)
    src = VideoFileSource(path, loop=True, realtime=False).start()
    got = [int(src.read()[0].mean()) for _ in range(6)]
    src.stop()
    assert src.fps == pytest.approx(30, abs=1)
    assert [abs(g - e) < 12 for g, e in zip(got, (0, 80, 160, 240, 0, 80))] == [True] * 6
    once = VideoFileSource(path, loop=False, realtime=False).start()
    assert len(list(once)) == 4


def test_demo_source_moves_a_real_face():
    src = DemoSource(realtime=False, noise=0).start()
    frames = [src.read()[0] for _ in range(15)]
    src.stop()
    assert frames[0].shape == (720, 1280, 3) and frames[0].dtype == np.uint8
    diff = np.abs(frames[0].astype(int) - frames[14].astype(int)).mean()
    assert diff > 0.5  # it moves
    # the sharp picture sits in the middle: more detail there than in the blurred fill at the edge
    grey = cv2.cvtColor(frames[0], cv2.COLOR_RGB2GRAY)
    centre = cv2.Laplacian(grey[150:450, 500:780], cv2.CV_32F).var()
    side = cv2.Laplacian(grey[150:450, 0:40], cv2.CV_32F).var()
    assert centre > 4 * side


def test_demo_face_is_found_centred_and_large_enough():
    from studio_app.vision.analyzer import analyze_still

    frame = DemoSource(realtime=False, noise=0).start().read()[0]
    a = analyze_still(frame, segmentation=False)
    assert a.face_count == 1
    ex, ey = a.eye_mid
    assert abs(ex - 640) < 40 and 150 < ey < 400
    assert a.face_width > 200  # enough pixels for a 358-px-wide social-security photo


def test_demo_wanders_aside_then_returns():
    src = DemoSource(realtime=False, wander_period=10.0)
    assert src.pose_at(0.0)[0] == pytest.approx(0.0, abs=1e-6)
    dx_mid, _, zoom_mid, _ = src.pose_at(7.8)
    assert dx_mid > 50 and zoom_mid < 0.9
    assert abs(src.pose_at(9.5)[0]) < 10


def test_open_source_dispatch(tmp_path, astronaut):
    img = tmp_path / "p.jpg"
    cv2.imwrite(str(img), cv2.cvtColor(astronaut, cv2.COLOR_RGB2BGR))
    assert isinstance(open_source(None), DemoSource)
    assert isinstance(open_source("demo"), DemoSource)
    assert isinstance(open_source(str(img)), ImageSource)
    assert isinstance(open_source(str(tmp_path)), FolderSource)
    with pytest.raises(StudioError):
        open_source(str(tmp_path / "missing.mp4"))


def test_broken_image_file_is_a_studio_error(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg at all")
    with pytest.raises(StudioError):
        ImageSource(bad).start()


def test_stop_from_another_thread_waits_for_the_grab_in_progress():
    import threading

    from studio_app.camera import FrameSource

    events = []

    class Slow(FrameSource):
        def _open(self):
            self.handle = "open"

        def _grab(self):
            events.append("grab start")
            started.set()
            release.wait(5)
            events.append(f"grab end ({self.handle})")
            return np.zeros((2, 2, 3), np.uint8)

        def _close(self):
            events.append("close")
            self.handle = "closed"

    started, release = threading.Event(), threading.Event()
    src = Slow(realtime=False).start()
    reader = threading.Thread(target=src.read)
    reader.start()
    assert started.wait(5)
    stopper = threading.Thread(target=src.stop)
    stopper.start()
    stopper.join(0.2)
    assert stopper.is_alive()  # close waits for the grab using the device
    release.set()
    reader.join(5)
    stopper.join(5)
    assert events == ["grab start", "grab end (open)", "close"]
    assert src.read() is None
