"""Personal data stays where it belongs.

* the full ID number is never at rest in clear: not in the SQLite file nor its WAL, not in any
  log, report, receipt or output file (the receipt shows it masked);
* the audit log and the rotating log file never hold names, full ID numbers or images, whatever
  flows ran (orders, rejection, resubmission, ID look-up, failures, purge);
* the retention purge leaves no file of an expired order behind (re-issued receipts included);
* the receipt's QR code, read back from the rendered page, and ``studio-app receipt verify``
  detect a swapped or edited photo.

(tests/test_orders_store.py checks the ``id_cipher`` column and the audit rows of one order;
the kiosk's wipe of memory and disk is tested in tests/test_kiosk_flow.py.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import logging
import os
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from studio_app import logging_setup
from studio_app.cli import main as cli_main
from studio_app.errors import StudioError
from studio_app.orders import open_store
from studio_app.paths import data_dir, log_dir
from studio_app.session import Applicant, OutputRequest, Session, State, write_order_outputs
from studio_app.settings import Settings
from studio_app.specs import get_spec

NAME = "欧阳娜娜"
NAME2 = "司马相如"
ID = "11010519491231002X"
ID2 = "440305199003071236"
SECRETS = [NAME, NAME2, ID, ID2, ID[6:14], ID2[6:14], ID[:14], ID2[:14]]


def _result(spec, seed=3):
    from studio_app.imaging.encode import encode_for_spec, inspect_jpeg

    rng = np.random.default_rng(seed)
    h, w = spec.height_px, spec.width_px
    photo = np.clip(np.full((h, w, 3), 200.0) + rng.normal(0, 25, (h, w, 3)), 0, 255).astype(np.uint8)
    enc = encode_for_spec(photo, spec)
    _facts, decoded = inspect_jpeg(enc.data)
    return SimpleNamespace(photo=decoded, jpeg=enc.data, ok=True, to_dict=lambda lang=None: {"ok": True})


def _request(spec, result, name, idn, approved=True, reasons=()):
    return OutputRequest(spec=spec, city="深圳市", province="广东省", capture=None, result=result,
                         applicant=Applicant(name=name, id_number=idn, city="深圳市", phone="13800138000"),
                         approved=approved, reject_reasons=tuple(reasons))


@pytest.fixture
def file_log():
    """The app's real rotating log file, at DEBUG so that nothing escapes the grep."""
    logging_setup._DONE = False
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    logging_setup.setup_logging(level=logging.DEBUG)
    yield log_dir()
    for h in list(root.handlers):
        if h not in before:
            h.close()
            root.removeHandler(h)
    root.setLevel(level)
    logging_setup._DONE = False


def run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli_main(argv)
    return rc, out.getvalue(), err.getvalue()


def _every_flow(tmp_path) -> dict:
    """Orders exported, rejected, resubmitted; the ID looked up; a receipt re-issued; failures."""
    spec = get_spec("sscard_shenzhen")
    settings = Settings(output_dir=str(tmp_path / "output"))
    with open_store() as store:
        rec = write_order_outputs(_request(spec, _result(spec), NAME, ID), settings=settings, store=store)
        rej = write_order_outputs(_request(spec, _result(spec, 4), NAME2, ID2, approved=False,
                                           reasons=["头发遮住眉毛"]), settings=settings, store=store)
        again = write_order_outputs(_request(spec, _result(spec, 5), NAME2, ID2), settings=settings, store=store,
                                    resubmit_of=rej.receipt_no)
        from studio_app.ui.kiosk.services import KioskServices

        kiosk = KioskServices(settings, store=store)  # a self-service order too
        kiosk_rec = kiosk.output(_request(spec, _result(spec, 6), "自助客户", ID2))
        assert kiosk_rec.receipt_no
        assert store.id_number(rec.receipt_no) == ID  # an audited look-up
        assert [o.receipt_no for o in store.list(search=ID)] == [rec.receipt_no]  # found by its keyed hash
        # failures that carry the applicant's data into an exception
        for bad in (("张三", ID[:-1] + "0"), ("张三3", None)):
            with pytest.raises(StudioError):
                store.create_order("sscard", bad[0], bad[1])
        session = Session(services={"output": lambda req: (_ for _ in ()).throw(OSError(28, "No space left"))})
        session.start()
        session.data.applicant = Applicant(name=NAME, id_number=ID)
        session.fail(StudioError("orders.bad_id", message="test"))
        assert session.state == State.FAILSAFE
    assert run_cli(["orders", "list"])[0] == 0
    assert run_cli(["orders", "show", rec.receipt_no])[0] == 0
    assert run_cli(["receipt", rec.receipt_no, "--out", str(tmp_path / "reprint.pdf")])[0] == 0
    assert run_cli(["receipt", "verify", str(tmp_path / "reprint.pdf")])[0] == 0
    assert run_cli(["orders", "check"])[0] == 0
    return {"exported": rec, "rejected": rej, "resubmitted": again}


def test_full_id_number_is_nowhere_at_rest(tmp_path, file_log):
    flows = _every_flow(tmp_path)
    home = Path(os.environ["STUDIO_APP_HOME"])
    db = data_dir() / "orders.sqlite3"
    assert db.is_file()
    scanned = []
    for root in (home, tmp_path):
        for p in root.rglob("*"):
            if not p.is_file():
                continue
            data = p.read_bytes()
            scanned.append(p.name)
            for needle in (ID, ID2, ID.lower(), ID[6:14] + ID[14:], ID2[6:]):
                assert needle.encode() not in data, f"{needle} found in {p}"
                assert needle.encode("utf-16-le") not in data, f"{needle} (UTF-16) found in {p}"
    assert "orders.sqlite3" in scanned and "studio_app.log" in scanned and "receipt.pdf" in scanned
    # the receipt shows the masked number (so the test above was able to see a number at all)
    import pypdfium2 as pdfium

    text = "".join(page.get_textpage().get_text_range()
                   for page in pdfium.PdfDocument(str(flows["exported"].receipt_path)))
    assert "110***********002X" in text.replace(" ", "") and ID not in text


def test_logs_and_audit_hold_no_names_ids_or_images(tmp_path, file_log):
    _every_flow(tmp_path)
    with open_store() as store:
        import datetime as _dt

        store.purge_expired(days=0, now=_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=1))
        entries = store.audit_entries(limit=100_000)
    assert {"created", "exported", "rejected", "id_viewed", "purged"} <= {e["action"] for e in entries}
    blob = json.dumps([{k: str(v) for k, v in e.items()} for e in entries], ensure_ascii=False)
    for secret in SECRETS + ["13800138000"]:
        assert secret not in blob, f"audit log holds {secret}"
    assert max(len(e["detail"] or "") for e in entries) < 2000  # no images, encoded or not
    assert "/9j/" not in blob and "\\xff\\xd8" not in blob
    for h in logging.getLogger().handlers:
        h.flush()
    logs = sorted(log_dir().glob("studio_app.log*"))
    assert logs
    text = "".join(p.read_text("utf-8", errors="replace") for p in logs)
    assert "session failsafe" in text  # the failure was logged …
    for secret in SECRETS + ["13800138000"]:
        assert secret not in text, f"log file holds {secret}"  # … without the applicant's data


def test_purge_removes_every_file_and_every_byte_of_an_expired_order(tmp_path):
    """Files (re-issued receipts included) and the database bytes: SQLite keeps deleted rows in
    free pages and old WAL frames unless told otherwise; a station runs for days between restarts."""
    spec = get_spec("sscard")
    settings = Settings(output_dir=str(tmp_path / "output"))
    other = open_store()  # another window of the station keeps the database open all along
    try:
        with open_store() as store:
            result = _result(spec)
            rec = write_order_outputs(_request(spec, result, NAME, ID), settings=settings, store=store)
            assert run_cli(["receipt", rec.receipt_no, "--out", str(tmp_path / "reprints" / "r.pdf")])[0] == 0
            raw = store.engine.raw_connection()  # part of the day's pages reach the main file
            raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
            raw.close()
            other.create_order("sscard", "李四")
            files = [p for p in tmp_path.rglob("*") if p.is_file()]
            assert len(files) >= 5  # photo, sheet jpg+pdf, receipt, re-issued receipt
            before = b"".join(p.read_bytes() for p in data_dir().glob("orders.sqlite3*"))
            assert NAME.encode() in before and result.jpeg[200:264] in before  # the probe can see them
            assert store.purge_expired(days=0, now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)) == 2
            assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
            with pytest.raises(StudioError):
                store.get(rec.receipt_no)
        other.create_order("sscard", "王五")  # the station goes on
        raw = b"".join(p.read_bytes() for p in data_dir().glob("orders.sqlite3*"))
        assert NAME.encode() not in raw, "the purged name is still in the database file"
        assert result.jpeg[200:264] not in raw, "the purged photo is still in the database file"
    finally:
        other.close()


# --- the receipt's QR code and `receipt verify` --------------------------------------------
def _qr_text(pdf: Path) -> str:
    import cv2
    import pypdfium2 as pdfium

    # like tests/test_receipts.py: OpenCV's classic detector misses some symbols (the content,
    # and so the symbol, changes with every receipt number): try the ArUco-based one and a
    # second resolution too; every decode must agree
    page = pdfium.PdfDocument(str(pdf))[0]
    found = set()
    for dpi in (300, 200):
        img = np.ascontiguousarray(page.render(scale=dpi / 72).to_numpy()[..., :3])
        for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
            text, _pts, _ = detector.detectAndDecode(img)
            if text:
                found.add(text)
    assert found, "no QR code could be read from the receipt"
    assert len(found) == 1, found
    return found.pop()


def test_receipt_qr_and_verify_detect_a_swapped_or_edited_photo(tmp_path):
    from studio_app.receipts.render import parse_payload

    spec = get_spec("sscard_shenzhen")
    settings = Settings(output_dir=str(tmp_path / "output"))
    with open_store() as store:
        a = write_order_outputs(_request(spec, _result(spec, 1), NAME, ID), settings=settings, store=store)
        b = write_order_outputs(_request(spec, _result(spec, 2), NAME2, ID2), settings=settings, store=store)
        oa, ob = store.get(a.receipt_no), store.get(b.receipt_no)
    # the QR printed on A's receipt names A and A's photo
    qr = parse_payload(_qr_text(Path(a.receipt_path)))
    assert qr is not None and qr["receipt_no"] == oa.receipt_no and qr["sha256"] == oa.photo_sha256
    assert run_cli(["receipt", "verify", str(a.receipt_path)])[0] == 0
    assert run_cli(["receipt", "verify", str(a.photo_path), "--receipt", oa.receipt_no])[0] == 0

    # swap: B's (genuine) photo put in A's folder in place of A's
    swapped = Path(a.photo_path)
    swapped.write_bytes(Path(b.photo_path).read_bytes())
    rc, out, _ = run_cli(["receipt", "verify", str(swapped), "--receipt", oa.receipt_no])
    assert rc == 1 and out.startswith("tampered")
    rc, out, _ = run_cli(["receipt", "verify", oa.receipt_no])
    assert rc == 1 and out.startswith("tampered")
    # the QR's photo hash does not match the swapped file either
    import hashlib

    assert hashlib.sha256(swapped.read_bytes()).hexdigest() != qr["sha256"]

    # edit: one pixel block of the photo changed (re-encoded, still a valid JPEG)
    from PIL import Image

    im = np.asarray(Image.open(io.BytesIO(Path(b.photo_path).read_bytes())).convert("RGB")).copy()
    im[10:20, 10:20] = 0
    buf = io.BytesIO()
    Image.fromarray(im).save(buf, "JPEG", quality=90)
    edited = tmp_path / "edited.jpg"
    edited.write_bytes(buf.getvalue())
    rc, out, _ = run_cli(["receipt", "verify", str(edited), "--receipt", ob.receipt_no])
    assert rc == 1 and out.startswith("tampered")
    rc, out, _ = run_cli(["receipt", "verify", str(edited)])
    assert rc == 3 and out.startswith("unknown")  # no order has this photo

    # a receipt re-rendered around another photo carries that photo's hash: tampered
    from studio_app.receipts import Studio, render_receipt

    with open_store() as store:
        forged = tmp_path / "forged.pdf"
        forged.write_bytes(render_receipt(store.get(oa.receipt_no), Path(b.photo_path).read_bytes(),
                                          Studio.from_settings(settings)))
    rc, out, _ = run_cli(["receipt", "verify", str(forged)])
    assert rc == 1 and out.startswith("tampered")
    qr_forged = parse_payload(_qr_text(forged))
    assert qr_forged["receipt_no"] == oa.receipt_no and qr_forged["sha256"] != oa.photo_sha256


def test_the_scanned_qr_text_itself_can_be_verified(tmp_path):
    """What a clerk's scanner types in is the QR text: verify accepts it and checks the photo hash."""
    spec = get_spec("sscard_shenzhen")
    settings = Settings(output_dir=str(tmp_path / "output"))
    with open_store() as store:
        a = write_order_outputs(_request(spec, _result(spec, 1), NAME, ID), settings=settings, store=store)
    text = _qr_text(Path(a.receipt_path))
    rc, out, _ = run_cli(["receipt", "verify", text])
    assert rc == 0 and out.startswith("valid"), out
    forged = re.sub(r"/H:[A-Z2-7]{52}", "/H:" + "AB" * 26, text)  # another photo hash: the signature breaks
    rc, out, _ = run_cli(["receipt", "verify", forged])
    assert rc == 1 and out.startswith("tampered"), out


def test_erase_on_request_removes_every_file_and_every_byte_of_one_order(tmp_path, file_log):
    """`studio-app orders erase` (PIPL): one customer's order is erased now, from every file the
    flows wrote (photo, sheets, receipt, re-issued receipt) and from the database file and WAL,
    while another open window keeps working; the order number stays, the audit entry holds who,
    when and why but no personal data; the other customers' orders are untouched."""
    spec = get_spec("sscard")
    settings = Settings(output_dir=str(tmp_path / "output"))
    other = open_store()
    try:
        with open_store() as store:
            result = _result(spec)
            probe = result.jpeg[-400:-336]  # entropy-coded data: this photo's own (the header is shared)
            rec = write_order_outputs(_request(spec, result, NAME, ID), settings=settings, store=store)
            kept = write_order_outputs(_request(spec, _result(spec, 9), NAME2, ID2), settings=settings, store=store)
            assert run_cli(["receipt", rec.receipt_no, "--out", str(tmp_path / "reprints" / "r.pdf")])[0] == 0
            raw = store.engine.raw_connection()
            raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
            raw.close()
            before = b"".join(p.read_bytes() for p in data_dir().glob("orders.sqlite3*"))
            assert NAME.encode() in before and probe in before
        rc, out, err = run_cli(["orders", "erase", rec.receipt_no, "--reason", "customer_request", "--note", f"{NAME}本人到店申请", "--yes",
                                "--operator", "前台1"])
        assert rc == 0, err
        other.create_order("sscard", "王五")  # the station goes on
        for p in list(tmp_path.rglob("*")) + list(Path(os.environ["STUDIO_APP_HOME"]).rglob("*")):
            if not p.is_file() or p.name.startswith("studio_app.log"):
                continue
            data = p.read_bytes()
            assert NAME.encode() not in data, f"the erased name is still in {p}"
            assert probe not in data, f"the erased photo is still in {p}"
            assert ID.encode() not in data, p  # (the phone number is also the kept order's: not checked)
        # the other customer's order and files are intact
        assert Path(kept.receipt_path).is_file() and Path(kept.photo_path).is_file()
        with open_store() as store:
            gone = store.get(rec.receipt_no)
            assert gone.erased and gone.applicant_name == "" and gone.files == {}
            assert store.get(kept.receipt_no).applicant_name == NAME2
            entries = store.audit_entries(rec.receipt_no)
        req = next(e for e in entries if e["action"] == "erase_requested")
        assert json.loads(req["detail"])["operator"] == "前台1" and req["at"] and req["station"]
        blob = json.dumps([{k: str(v) for k, v in e.items()} for e in entries], ensure_ascii=False)
        for secret in SECRETS + ["13800138000"]:
            assert secret not in blob, f"audit log holds {secret}"
        for h in logging.getLogger().handlers:
            h.flush()
        text = "".join(p.read_text("utf-8", errors="replace") for p in log_dir().glob("studio_app.log*"))
        assert NAME not in text and ID not in text
    finally:
        other.close()
