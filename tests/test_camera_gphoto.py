"""The gPhoto2 seam, with a fake ``gphoto2`` module (no camera here): live-view JPEGs become
frames that drive the live guidance, the shutter returns the full-resolution still and deletes
it from the card, a missing module / camera says what to do, the hybrid source pairs a webcam's
preview with the DSLR's shutter."""

from __future__ import annotations

import io
import sys
import threading

import numpy as np
import pytest
from PIL import Image

from studio_app.camera import open_source
from studio_app.camera.files import ImageSource
from studio_app.camera.gphoto import GPhotoCamera, GPhotoSource, HybridSource
from studio_app.errors import StudioError
from tests.conftest import load_portrait


def _jpeg(rgb: np.ndarray, size: tuple[int, int] | None = None) -> bytes:
    im = Image.fromarray(rgb)
    if size:
        im = im.resize(size, Image.BILINEAR)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


class FakeGPhoto2:
    """The calls python-gphoto2's object API offers that the source uses."""

    GP_CAPTURE_IMAGE = 0
    GP_FILE_TYPE_NORMAL = 1

    class GPhoto2Error(Exception):
        pass

    def __init__(self, preview: bytes, still: bytes, connected: bool = True, preview_fails_after: int | None = None):
        self.preview, self.still, self.connected = preview, still, connected
        self.preview_fails_after = preview_fails_after
        self.calls: list[str] = []
        self.card: dict[tuple[str, str], bytes] = {}
        gp = self

        class CameraFile:
            def __init__(self, data: bytes) -> None:
                self.data = data

            def get_data_and_size(self):
                return memoryview(self.data)

        class Path:
            def __init__(self, folder, name):
                self.folder, self.name = folder, name

        class Camera:
            def init(self):
                gp.calls.append("init")
                if not gp.connected:
                    raise gp.GPhoto2Error("[-105] Unknown model")

            def get_summary(self):
                return "Model: Canon EOS 2000D\nSerial: 123"

            def capture_preview(self):
                gp.calls.append("preview")
                if gp.preview_fails_after is not None and gp.calls.count("preview") > gp.preview_fails_after:
                    raise gp.GPhoto2Error("[-7] I/O problem")  # the cable was pulled
                return CameraFile(gp.preview)

            def capture(self, kind):
                assert kind == gp.GP_CAPTURE_IMAGE
                gp.calls.append("capture")
                n = sum(1 for c in gp.calls if c == "capture")
                path = Path("/store_00020001/DCIM/100CANON", f"IMG_{n:04d}.JPG")
                gp.card[(path.folder, path.name)] = gp.still
                return path

            def file_get(self, folder, name, kind):
                assert kind == gp.GP_FILE_TYPE_NORMAL
                gp.calls.append("file_get")
                return CameraFile(gp.card[(folder, name)])

            def file_delete(self, folder, name):
                gp.calls.append("file_delete")
                del gp.card[(folder, name)]

            def exit(self):
                gp.calls.append("exit")

        self.Camera = Camera


@pytest.fixture
def portrait():
    return load_portrait("ldn_006_f_bun.jpg")


def test_live_view_frames_drive_the_guidance_and_the_shutter_takes_the_full_still(portrait):
    from studio_app.live import LiveLoop
    from studio_app.specs import get_spec

    h, w = portrait.shape[:2]
    fake = FakeGPhoto2(_jpeg(portrait, (960, int(960 * h / w))), _jpeg(portrait))
    src = GPhotoSource(gp=fake)
    with src:
        assert "Canon EOS 2000D" in src.name
        frame, ts = src.read()
        assert frame.shape == (int(960 * h / w), 960, 3)
        lp = LiveLoop(spec=get_spec("sscard"))
        r = lp.process(frame, ts)
        assert r.analysis is not None and r.analysis.has_face and r.hint is not None  # guidance from live view
        still = src.capture_still()
        assert still.shape == portrait.shape  # full resolution, not the preview
        assert np.abs(still.astype(int) - portrait.astype(int)).mean() < 4
        assert fake.calls[-3:] == ["capture", "file_get", "file_delete"] and not fake.card
        # live view goes on after the shot
        assert src.read() is not None
    assert fake.calls[-1] == "exit"


def test_a_pulled_cable_ends_the_live_view(portrait):
    fake = FakeGPhoto2(_jpeg(portrait, (640, 480)), _jpeg(portrait), preview_fails_after=2)
    with GPhotoSource(gp=fake) as src:
        assert src.read() is not None and src.read() is not None
        assert src.read() is None  # lost: the shell shows the camera-lost state


def test_keep_on_card_leaves_the_photo_on_the_camera(portrait):
    fake = FakeGPhoto2(_jpeg(portrait, (640, 480)), _jpeg(portrait))
    cam = GPhotoCamera(gp=fake, keep_on_card=True).open()
    cam.capture_still()
    assert len(fake.card) == 1 and "file_delete" not in fake.calls
    cam.close()


def test_no_camera_and_no_module_say_what_to_do(portrait, monkeypatch):
    fake = FakeGPhoto2(b"", b"", connected=False)
    with pytest.raises(StudioError) as info:
        GPhotoSource(gp=fake).start()
    assert info.value.key == "camera.dslr_not_found" and "USB" in info.value.message("en")
    monkeypatch.setitem(sys.modules, "gphoto2", None)  # not installed (e.g. Windows)
    with pytest.raises(StudioError) as info:
        open_source("dslr").start()
    assert info.value.key == "camera.no_gphoto2"
    assert "hot folder" in info.value.message("en") and "热文件夹" in info.value.message("zh_CN")


def test_open_source_finds_the_fake_module(portrait, monkeypatch):
    fake = FakeGPhoto2(_jpeg(portrait, (640, 480)), _jpeg(portrait))
    monkeypatch.setitem(sys.modules, "gphoto2", fake)
    with open_source("dslr") as src:
        assert isinstance(src, GPhotoSource) and src.read()[0].shape == (480, 640, 3)


def test_hybrid_webcam_preview_with_dslr_shutter(portrait, tmp_path):
    small = tmp_path / "webcam.jpg"
    small.write_bytes(_jpeg(portrait, (640, 480)))
    fake = FakeGPhoto2(b"", _jpeg(portrait))
    src = HybridSource(ImageSource(small, fps=30, realtime=True), GPhotoCamera(gp=fake))
    with src:
        frame, _ = src.read()
        assert frame.shape == (480, 640, 3)
        assert "preview" not in fake.calls  # the webcam does the live view
        assert src.capture_still().shape == portrait.shape
    assert "exit" in fake.calls
    # stop() from another thread ends a paced read at once
    src2 = HybridSource(ImageSource(small, fps=0.2, realtime=True), GPhotoCamera(gp=fake)).start()
    src2.read()
    got = []
    t = threading.Thread(target=lambda: got.append(src2.read()))
    t.start()
    src2.stop()
    t.join(5)
    assert got == [None]
