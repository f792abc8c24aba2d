"""Issue 15: a receipt's QR is signed by the studio's Ed25519 key and parsed strictly; a copied or
hand-made QR, a bare number, an old unsigned QR do not verify as "valid"; verify shows the clerk
the masked name and the stored photo; the PDF reader is PDFium with a size cap (no inflate bomb)."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import subprocess
import sys
import zlib

import numpy as np
import pytest
from PIL import Image

from studio_app.cli import main as cli_main
from studio_app.orders import open_store
from studio_app.services.orders import issue_receipt
from studio_app.receipts import payload, signing, verify

ID = "11010519491231002X"


def _jpeg(seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (441, 358, 3), dtype=np.uint8)).save(buf, "JPEG", quality=85)
    return buf.getvalue()


@pytest.fixture
def order(tmp_path):
    with open_store() as store:
        o = store.create_order("sscard_shenzhen", "欧阳娜娜", ID, "深圳")
        jpeg = _jpeg()
        o = store.export_photo(o.receipt_no, jpeg, tmp_path / "out" / "photo.jpg")
        yield o, jpeg


def _cli(capsys, *argv):
    rc = cli_main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_signed_qr_verifies_and_shows_masked_name_and_stored_photo(order, capsys):
    o, jpeg = order
    text = payload(o, hashlib.sha256(jpeg).hexdigest())
    assert text.startswith("SRCPT2/") and len(text) < 300 and text == text.upper()
    rc, out, _ = _cli(capsys, "receipt", "verify", text)
    assert rc == 0 and out.startswith("valid"), out
    assert "欧**娜" in out and "欧阳娜娜" not in out and "深圳" in out and "110***********002X" in out
    photo_path = [line for line in out.splitlines() if ".jpg" in line][0]
    path = next(p for p in photo_path.split() if p.endswith(".jpg") or ".jpg（" in p).split("（")[0]
    with open(path, "rb") as fh:
        assert fh.read() == jpeg
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


@pytest.mark.parametrize("mangle", [
    lambda t: f"FORGED 李四 {t} trailing",  # a copied QR inside other text
    lambda t: t.lower(),
    lambda t: t + "X",
    lambda t: " " + t,
])
def test_qr_text_is_the_whole_payload_or_nothing(order, capsys, mangle):
    o, jpeg = order
    rc, out, _ = _cli(capsys, "receipt", "verify", mangle(payload(o, hashlib.sha256(jpeg).hexdigest())))
    assert rc != 0 and not out.startswith("valid"), out


def test_bare_and_sequential_numbers_prove_nothing(order, capsys):
    o, _ = order
    rc, out, _ = _cli(capsys, "receipt", "verify", o.receipt_no)
    assert rc == 5 and out.startswith("number") and "欧**娜" in out, out
    nxt = o.receipt_no[:-2] + ("2" if o.receipt_no[-2] != "2" else "3") + o.receipt_no[-1]
    rc, out, _ = _cli(capsys, "receipt", "verify", nxt)
    assert rc == 3 and out.startswith("unknown"), out


def test_a_qr_made_for_another_name_or_with_another_key_fails(order, capsys):
    o, jpeg = order
    sha = hashlib.sha256(jpeg).hexdigest()
    genuine = payload(o, sha)
    # another person's name under the studio's genuine key: the name hash differs
    other = signing.make_payload(o.receipt_no, o.image_no, o.spec_id, sha, "李四")
    assert verify(other, _store()).status == "tampered"
    # a forger's own key: unknown to this station
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    forged = signing.make_payload(o.receipt_no, o.image_no, o.spec_id, sha, "欧阳娜娜", key=Ed25519PrivateKey.generate())
    rc, out, _ = _cli(capsys, "receipt", "verify", forged)
    assert rc == 3 and out.startswith("unknown"), out
    # one field edited in the genuine text: the signature breaks
    edited = genuine.replace("/S:SSCARD.SHENZHEN/", "/S:SSCARD/")
    rc, out, _ = _cli(capsys, "receipt", "verify", edited)
    assert rc == 1 and out.startswith("tampered"), out


def _store():
    return open_store()


def test_old_unsigned_qr_is_legacy_not_valid(order, capsys):
    o, jpeg = order
    legacy = (f"SRCPT1/R:{o.receipt_no}/I:{o.image_no}/S:SSCARD.SHENZHEN"
              f"/H:{hashlib.sha256(jpeg).hexdigest().upper()}")
    rc, out, _ = _cli(capsys, "receipt", "verify", legacy)
    assert rc == 4 and out.startswith("legacy"), out


def test_key_file_private_public_key_export_rotation_and_another_station(order, capsys, tmp_path, monkeypatch):
    o, jpeg = order
    sha = hashlib.sha256(jpeg).hexdigest()
    before = payload(o, sha)
    assert stat.S_IMODE(os.stat(signing.private_path()).st_mode) == 0o600
    rc, out, _ = _cli(capsys, "receipt", "public-key", "--out", str(tmp_path / "pub.txt"))
    assert rc == 0 and before.split("/K:")[1][:8] in out
    assert (tmp_path / "pub.txt").read_text() == out
    rc, out, _ = _cli(capsys, "receipt", "rotate-key")
    assert rc == 0
    after = payload(o, sha)
    assert after.split("/K:")[1][:8] != before.split("/K:")[1][:8]
    assert verify(before, _store()).status == "valid" and verify(after, _store()).status == "valid"
    # an offline checker (another home, no private key) knows the keys only once imported
    monkeypatch.setenv("STUDIO_APP_HOME", str(tmp_path / "checker"))
    assert signing.parse(before)["signature"] == "unknown_key"
    _cli(capsys, "receipt", "public-key", "--out", str(tmp_path / "theirs.txt"))  # makes the checker's own key
    assert _cli(capsys, "receipt", "public-key", "--add", str(tmp_path / "pub.txt"))[0] == 0
    assert signing.parse(before)["signature"] == "ok"


def test_verify_names_a_missing_file(capsys, tmp_path):
    rc, out, err = _cli(capsys, "receipt", "verify", str(tmp_path / "missing.pdf"))
    assert rc != 0 and ("No such file" in err + out or "文件不存在" in err + out), (out, err)
    assert "check character" not in err + out and "校验" not in err + out


def _bomb(path, inflated_mb: int) -> None:
    """A valid-looking PDF whose one stream inflates to ``inflated_mb`` MB of zeros."""
    comp = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    data = b"".join(comp.compress(chunk) for _ in range(inflated_mb)) + comp.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
            b"<< /Producer (bomb) >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 3 0 R >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


def test_pdf_inflate_bomb_gives_a_message_not_memory_error(tmp_path):
    bomb = tmp_path / "bomb.pdf"
    _bomb(bomb, 2100)  # ~2 MB on disk, 2.1 GB inflated
    assert bomb.stat().st_size < 4 * 2**20
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))\n"
        "from studio_app.cli import main\n"
        f"sys.exit(main(['receipt', 'verify', {str(bomb)!r}]))\n")
    env = dict(os.environ, STUDIO_APP_HOME=str(tmp_path / "home"))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert "MemoryError" not in r.stderr and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert r.returncode == 3 and r.stdout.startswith("unknown"), (r.stdout, r.stderr[-500:])


def test_selftest_pdf_reader_caps_the_inflate(tmp_path):
    """The self-test's own PDF checker inflates with a cap: a bomb is a SelfTestFailure."""
    bomb = tmp_path / "bomb.pdf"
    _bomb(bomb, 2100)
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))\n"
        "from studio_app.selftest import SelfTestFailure, pdf_facts\n"
        "try:\n"
        f"    pdf_facts(open({str(bomb)!r}, 'rb').read())\n"
        "except SelfTestFailure as exc:\n"
        "    print('refused', exc)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert "MemoryError" not in r.stderr and r.stdout.startswith("refused") and "MB" in r.stdout, (r.stdout, r.stderr[-800:])
