"""Nothing leaves the machine: the whole pipeline runs with the network blocked and never tries.

A fresh interpreter installs a guard before anything of the app is imported: creating an
Internet socket (AF_INET/AF_INET6), connecting one, or resolving a host name records the attempt
and raises. It then runs the station's whole day in miniature: face analysis (``studio-app
check``), the live loop on the demo camera, correction and export (``studio-app process``), the
operator's output step (order, photo, sheets, receipt PDF with QR), ``receipt verify``, order
listing, consistency check and purge. The test fails on any attempt, even one the app would have
survived. Where ``strace`` exists the same run is traced at the system-call level too, which
also catches native code (MediaPipe, OpenCV, Qt) that Python-level patching cannot see.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

CHILD = r"""
import json, os, socket, sys
attempts = []

def _deny(what):
    attempts.append(what)
    raise OSError(101, f"network blocked by test: {what}")

_real_socket = socket.socket

class GuardedSocket(_real_socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        fam = family if family != -1 else socket.AF_INET
        if fileno is None and fam in (socket.AF_INET, socket.AF_INET6):
            _deny(f"socket({fam})")
        super().__init__(family, type, proto, fileno)

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _deny(f"connect({address})")
        return super().connect(address)

socket.socket = GuardedSocket
socket.create_connection = lambda *a, **k: _deny(f"create_connection{a}")
socket.getaddrinfo = lambda *a, **k: _deny(f"getaddrinfo{a[:2]}")
socket.gethostbyname = lambda *a, **k: _deny(f"gethostbyname{a}")
import urllib.request
urllib.request.urlopen = lambda *a, **k: _deny(f"urlopen{a[:1]}")

import contextlib, io
from pathlib import Path
from types import SimpleNamespace
import numpy as np
from PIL import Image

work = Path(sys.argv[1])
from skimage import data as skdata
Image.fromarray(skdata.astronaut()).save(work / "in.jpg", quality=92)

from studio_app.cli import main

def cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(argv))
    return rc, out.getvalue(), err.getvalue()

steps = {}
rc, out, err = cli("check", str(work / "in.jpg"), "--spec", "sscard", "--json")
steps["check"] = [rc, json.loads(out)["faces"]]
rc, out, err = cli("process", str(work / "in.jpg"), "--spec", "sscard", "--out", str(work / "processed"))
steps["process"] = [rc, sorted(p.name for p in (work / "processed").iterdir())]

from studio_app.camera import DemoSource
from studio_app.live import LiveLoop
from studio_app.specs import get_spec
loop = LiveLoop(spec=get_spec("sscard"), lang="zh_CN")
src = DemoSource(size=(640, 480), realtime=False).start()
faces = 0
for _ in range(15):
    frame, ts = src.read()
    r = loop.process(frame, ts)
    faces += bool(r.analysis is not None and r.analysis.has_face)
src.stop(); loop.close()
steps["live"] = faces

from studio_app.imageio import load_image
from studio_app.imaging.pipeline import process_photo
from studio_app.orders import open_store
from studio_app.session import Applicant, OutputRequest, write_order_outputs
from studio_app.settings import Settings
spec = get_spec("sscard_shenzhen")
result = process_photo(load_image(work / "in.jpg"), spec)
req = OutputRequest(spec=spec, city="深圳市", province="广东省", capture=None, result=result,
                    applicant=Applicant(name="张三", id_number="11010519491231002X", city="深圳市"),
                    approved=True, reject_reasons=())
with open_store() as store:
    rec = write_order_outputs(req, settings=Settings(output_dir=str(work / "output")), store=store)
steps["order"] = rec.receipt_no
steps["verify"] = cli("receipt", "verify", str(rec.receipt_path))[0]
steps["list"] = cli("orders", "list")[0]
steps["check_store"] = cli("orders", "check")[0]
steps["purge"] = cli("orders", "purge", "--days", "3650")[0]
print("STEPS " + json.dumps(steps))
print("ATTEMPTS " + json.dumps(attempts))
"""


def _run(tmp_path, prefix: list[str]) -> tuple[dict, list, subprocess.CompletedProcess]:
    env = os.environ.copy()
    env["no_proxy"] = env["NO_PROXY"] = "*"  # a machine set up to bypass proxies must not leak either
    proc = subprocess.run([*prefix, sys.executable, "-c", textwrap.dedent(CHILD), str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    steps = json.loads(next(ln for ln in proc.stdout.splitlines() if ln.startswith("STEPS "))[6:])
    attempts = json.loads(next(ln for ln in proc.stdout.splitlines() if ln.startswith("ATTEMPTS "))[9:])
    return steps, attempts, proc


def _check_steps(steps: dict) -> None:
    assert steps["check"][0] in (0, 1) and steps["check"][1] == 1
    assert steps["process"][0] in (0, 3, 4)
    # a retake (the astronaut) writes only its report, never a printable photo
    assert ("photo.jpg" in steps["process"][1]) == (steps["process"][0] != 3) and "report.json" in steps["process"][1]
    assert steps["live"] >= 10
    assert steps["order"] and steps["verify"] == 0
    assert steps["list"] == 0 and steps["check_store"] == 0 and steps["purge"] == 0


def _strace_works() -> bool:
    """strace installed and allowed to trace here (containers may forbid ptrace)."""
    if not shutil.which("strace"):
        return False
    probe = subprocess.run(["strace", "-f", "-qq", "-o", os.devnull, sys.executable, "-c", "pass"],
                           capture_output=True, timeout=60)
    return probe.returncode == 0


@pytest.mark.timeout(600)
def test_whole_pipeline_makes_no_network_attempt(tmp_path):
    if _strace_works():
        trace = tmp_path / "trace.txt"
        steps, attempts, proc = _run(tmp_path, ["strace", "-f", "-qq", "-e", "trace=socket,connect,sendto",
                                                "-e", "signal=none", "-o", str(trace)])
        calls = trace.read_text(errors="replace").splitlines()
        # creating a socket is not traffic (libraries open one for ioctl); connecting or sending
        # to anything but this machine is
        outside = [c for c in calls if re.search(r"\b(connect|sendto)\(", c) and re.search(r"AF_INET6?\b", c)
                   and not re.search(r'inet_addr\("127\.|inet_pton\(AF_INET6, "::1"', c)]
        assert outside == [], "system-level network attempts:\n" + "\n".join(outside[:20])
    else:  # pragma: no cover - machines without strace
        steps, attempts, proc = _run(tmp_path, [])
    _check_steps(steps)
    assert attempts == [], f"network attempts: {attempts}"


def test_the_guard_itself_catches_an_attempt(tmp_path):
    """The guard is not decorative: an actual attempt in the same harness is recorded."""
    code = textwrap.dedent(CHILD).split("import contextlib, io")[0] + textwrap.dedent("""
        try:
            socket.create_connection(("example.org", 80), timeout=1)
        except OSError:
            pass
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        except OSError:
            pass
        print("ATTEMPTS " + json.dumps(attempts))
        """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    attempts = json.loads(proc.stdout.split("ATTEMPTS ", 1)[1])
    assert len(attempts) == 2


def test_mediapipe_telemetry_is_pointed_at_a_dead_local_port():
    """Where strace cannot run, at least the switch that keeps MediaPipe's own libcurl uploader
    on this machine must be in place before any task is created (in a fresh interpreter)."""
    code = ("import os; os.environ['no_proxy'] = '*'; import studio_app.vision.analyzer, studio_app.imaging.matte; "
            "print(os.environ.get('https_proxy'), os.environ.get('HTTPS_PROXY'), os.environ.get('no_proxy'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout.split()
    assert out[0] == out[1] == "http://127.0.0.1:9" and out[2] == "None"
