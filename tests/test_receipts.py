"""Receipt PDFs parsed back (text, QR, photo size, embedded font), verify, CLI, an order's receipt
from the one order writer."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess

import cv2
import numpy as np
import pytest
from PIL import Image

from studio_app.cli import main as cli_main
from studio_app.orders import open_store
from studio_app.services.order_writer import write_order
from studio_app.services.orders import Applicant, issue_receipt, spec_for_city
from studio_app.receipts import Studio, parse_payload, payload, render_receipt, verify
from studio_app.settings import Settings, save_settings
from studio_app.specs import get_spec

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")

STUDIO = Studio("示例照相馆（福田店）", "深圳市福田区深南大道 1000 号", "0755-12345678", 60)
ID = "11010519491231002X"


def photo_jpeg(rgb: np.ndarray, spec_id: str = "sscard_shenzhen") -> bytes:
    spec = get_spec(spec_id)
    h, w = rgb.shape[:2]
    # a head-and-shoulders crop at the spec's aspect ratio
    ch = int(h * 0.75)
    cw = int(ch * spec.width_px / spec.height_px)
    x0 = max(0, (w - cw) // 2 - w // 12)
    im = Image.fromarray(rgb[:ch, x0:x0 + cw]).resize((spec.width_px, spec.height_px), Image.LANCZOS)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85, dpi=(spec.dpi, spec.dpi))
    return buf.getvalue()


@pytest.fixture
def jpeg(astronaut):
    return photo_jpeg(astronaut)


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'orders.sqlite3'}")
    yield s
    s.close()


REPORT = {"after": {"results": [
    {"id": "background", "status": "pass", "message": "背景为白色"},
    {"id": "eyes_open", "status": "pass", "message": "双眼睁开"},
    {"id": "ears", "status": "pass", "message": "耳朵露出"},
    {"id": "file_size", "status": "warn", "message": "文件偏大"},
]}}


def pdf_text(pdf: bytes, tmp_path) -> str:
    p = tmp_path / "r.pdf"
    p.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True, text=True, check=True).stdout


def render_png(pdf: bytes, tmp_path, dpi: int = 200) -> np.ndarray:
    p = tmp_path / "r.pdf"
    p.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(p), str(tmp_path / "page")], check=True)
    return cv2.imread(str(tmp_path / "page.png"))


def decode_qr(pdf: bytes, tmp_path) -> set | str | None:
    """Decode the page's QR code with OpenCV (classic detector, then the ArUco-based one, which
    copes better with a photo on the page), at 200 and 300 dpi; every decode must agree."""
    found = set()
    for dpi in (200, 300):
        img = render_png(pdf, tmp_path, dpi=dpi)
        for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
            text, _pts, _ = detector.detectAndDecode(img)
            if text:
                found.add(text)
    if len(found) > 1:
        return found
    return found.pop() if found else None


def decode_code128(img: np.ndarray) -> str | None:
    """Read a Code128 symbol (sets B and C) from a rendered page: scan rows, measure bar/space
    widths, map each 6-element symbol through the standard width table, check the checksum."""
    from reportlab.graphics.barcode.code128 import _patterns

    table = {"".join(str("abcd".index(ch.lower()) + 1) for ch in pat): val
             for val, pat in _patterns.items() if len(pat) == 6}
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    for y in range(0, gray.shape[0], 3):
        dark = gray[y] < 128
        edges = np.flatnonzero(np.diff(dark.astype(np.int8))) + 1
        bounds = np.concatenate([[0], edges, [dark.size]])
        widths = np.diff(bounds)
        is_bar = dark[bounds[:-1]]
        # candidate symbols start at every bar; try each start until one decodes
        for start in np.flatnonzero(is_bar):
            w = widths[start:]
            vals = []
            i = 0
            while i + 6 <= len(w):
                chunk = w[i:i + 6]
                unit = chunk.sum() / 11
                key = "".join(str(int(min(4, max(1, round(x / unit))))) for x in chunk)
                v = table.get(key)
                if v is None:
                    break
                vals.append(v)
                i += 6
                if len(w) >= i + 7:
                    stop = w[i:i + 7]
                    unit = stop.sum() / 13
                    if "".join(str(int(min(4, max(1, round(x / unit))))) for x in stop) == "2331112":
                        break
            if len(vals) < 3 or vals[0] not in (104, 105):
                continue
            body, check = vals[:-1], vals[-1]
            if (body[0] + sum(k * v for k, v in enumerate(body[1:], 1))) % 103 != check:
                continue
            out, code = "", "B" if body[0] == 104 else "C"
            for v in body[1:]:
                if v == 99:
                    code = "C"
                elif v == 100:
                    code = "B"
                elif code == "C":
                    out += f"{v:02d}"
                else:
                    out += chr(v + 32)
            return out
    return None


@pytest.mark.parametrize("template,page_w_mm", [("A5", 148), ("A6", 105), ("thermal80", 80)])
def test_receipt_parses_back(store, jpeg, tmp_path, template, page_w_mm):
    order = store.create_order("sscard_shenzhen", "买买提·艾力", ID, "深圳", report=REPORT)
    order = store.export_photo(order.receipt_no, jpeg, tmp_path / "photo.jpg")
    pdf = render_receipt(order, jpeg, STUDIO, template)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    for needle in (order.receipt_no, order.image_no, "买买提·艾力", "110***********002X", "深圳市",
                   "示例照相馆（福田店）", "0755-12345678", "身份证/社保卡 照片采集回执", "背景为白色", "耳朵露出",
                   "不是官方认证采集系统签发", "申请人签名"):
        assert needle in text, (template, needle)
    assert ID not in text and "文件偏大" not in text  # full ID never printed; warned checks not listed as passed
    captured = order.captured_local()
    assert captured.strftime("%Y-%m-%d %H:%M") in text
    import datetime as dt

    assert f"{(captured.date() + dt.timedelta(days=60)).isoformat()}（60 天）" in text
    # QR decodes to the payload: receipt number, spec and the photo's SHA-256
    decoded = decode_qr(pdf, tmp_path)
    assert decoded == payload(order, hashlib.sha256(jpeg).hexdigest())
    assert decode_code128(render_png(pdf, tmp_path, dpi=300)) == order.receipt_no
    info = parse_payload(decoded)
    assert info["signature"] == "ok" and {k: info[k] for k in ("receipt_no", "image_no", "spec_id", "sha256")} == {
        "receipt_no": order.receipt_no, "image_no": order.image_no, "spec_id": "sscard_shenzhen",
                    "sha256": order.photo_sha256}
    # page size and the photo drawn at its print size (26 x 32 mm for 社保卡)
    (tmp_path / "r.pdf").write_bytes(pdf)
    info_out = subprocess.run(["pdfinfo", str(tmp_path / "r.pdf")], capture_output=True, text=True).stdout
    w_pt = float(re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info_out).group(1))
    assert w_pt / 72 * 25.4 == pytest.approx(page_w_mm, abs=0.2)
    images = subprocess.run(["pdfimages", "-list", str(tmp_path / "r.pdf")], capture_output=True, text=True).stdout
    rows = [line.split() for line in images.splitlines()[2:] if line.strip()]
    assert len(rows) == 1
    width_px, height_px, xppi, yppi = int(rows[0][3]), int(rows[0][4]), float(rows[0][12]), float(rows[0][13])
    assert (width_px, height_px) == (358, 441)
    assert width_px / xppi * 25.4 == pytest.approx(26, abs=0.15)
    assert height_px / yppi * 25.4 == pytest.approx(32, abs=0.15)
    # the CJK font is embedded (the PDF needs no Chinese font on the reading machine)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "r.pdf")], capture_output=True, text=True).stdout
    listed = fonts.splitlines()[2:]
    assert listed and all("WenQuanYi" in line and " yes yes " in line for line in listed), fonts


def test_receipt_follows_template_per_city_and_type(store, jpeg, tmp_path):
    gz = store.create_order("sscard_guangzhou", "王小明", ID, "广州")
    text = pdf_text(render_receipt(gz, jpeg, STUDIO, "A6"), tmp_path)
    assert "广东省社会保障卡 照片回执" in text and "递交单位" in text and "申请人签名" in text
    bj = store.create_order("resident_id", "John Smith", None, "北京")
    text = pdf_text(render_receipt(bj, jpeg, STUDIO, "A6", lang="en"), tmp_path)
    assert "Resident ID card photo receipt" in text and "John Smith" in text and "signature" not in text
    assert "not an official image number" in " ".join(text.split())
    visa = store.create_order("us_visa", "张三")
    text = pdf_text(render_receipt(visa, photo_jpeg(np.full((600, 600, 3), 240, np.uint8), "us_visa"),
                                   STUDIO, "A5"), tmp_path)
    assert "签证及外国护照 照片回执" in text  # the default entry, titled by document type


def test_studio_template_file_overrides(store, jpeg, tmp_path):
    from studio_app.paths import config_dir

    (config_dir() / "receipts").mkdir()
    (config_dir() / "receipts" / "mine.toml").write_text(
        '[[receipt]]\ndoc_type = "social_security"\ncity = "滨州市"\ntitle_zh = "滨州市社保卡照片回执（本店）"\n'
        'title_en = "Binzhou"\nvalidity_days = 30\nfields = ["name", "valid_until"]\n', encoding="utf-8")
    o = store.create_order("sscard_binzhou", "张三", ID, "滨州")
    text = pdf_text(render_receipt(o, jpeg, STUDIO), tmp_path)
    assert "滨州市社保卡照片回执（本店）" in text and "30 天" in text and "110***********002X" not in text
    (config_dir() / "receipts" / "bad.toml").write_text('[[receipt]]\ndoc_type = "x"\ntitle_zh = "t"\n'
                                                        'title_en = "t"\nfields = ["shoe_size"]\n')
    from studio_app.errors import StudioError

    with pytest.raises(StudioError) as e:
        render_receipt(o, jpeg, STUDIO)
    assert "shoe_size" in e.value.message("en") and "bad.toml" in e.value.message("zh_CN")


def test_verify_valid_tampered_unknown(store, jpeg, tmp_path):
    o = store.create_order("sscard_shenzhen", "张三", ID, "深圳")
    o = store.export_photo(o.receipt_no, jpeg, tmp_path / "out" / "photo.jpg")
    path, o = issue_receipt(store, o.receipt_no, tmp_path / "out" / "receipt.pdf")
    assert verify(str(path), store).status == "valid"
    assert verify(str(tmp_path / "out" / "photo.jpg"), store).status == "valid"
    # a bare number proves nothing (issue 15): the order is shown to compare, never "valid"
    assert verify(o.receipt_no, store).status == "number"
    assert verify(o.image_no, store).status == "number"
    # an edited receipt: same payload, different bytes
    data = path.read_bytes()
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(data.replace(b"/Creator (studio-app)", b"/Creator (studio-apq)"))
    v = verify(str(forged), store)
    assert v.status == "tampered" and v.receipt_no == o.receipt_no and "not one the studio issued" in v.message("en")
    # a receipt whose payload names another photo
    other = tmp_path / "other.pdf"
    fake = store.get(o.receipt_no)
    other.write_bytes(render_receipt(fake, photo_jpeg(np.zeros((500, 400, 3), np.uint8)), STUDIO))
    v = verify(str(other), store)
    assert v.status == "tampered" and "照片哈希" in v.message("zh_CN")
    # a photo changed on disk
    photo = tmp_path / "out" / "photo.jpg"
    data = bytearray(photo.read_bytes())
    data[len(data) // 2] ^= 0xFF
    photo.write_bytes(bytes(data))
    assert verify(o.receipt_no, store).status == "tampered"
    assert verify(str(photo), store, receipt_no=o.receipt_no).status == "tampered"
    assert verify(str(photo), store).status == "unknown"
    # numbers and files the store does not know
    assert verify(o.receipt_no[:-1] + ("0" if o.receipt_no[-1] != "0" else "1"), store).status == "unknown"
    from studio_app.orders.numbering import first_numbers
    import datetime as dt

    unknown = first_numbers("{station}{date:%y%m%d}{seq:04d}", "Z09", dt.date.today(), 1)[0]
    assert verify(unknown, store).status == "unknown"
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert verify(str(plain), store).status == "unknown"


def _finished(jpeg: bytes):
    """A finished photo as the pipeline hands it over: its JPEG bytes, the decoded pixels, the report."""
    from types import SimpleNamespace

    rgb = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"))
    return SimpleNamespace(photo=rgb, jpeg=jpeg, ok=True, retake=False, to_dict=lambda lang=None: dict(REPORT))


def test_order_writer_records_the_order_photo_and_a_valid_receipt(jpeg, tmp_path):
    spec = spec_for_city(get_spec("sscard"), "深圳")
    assert spec.id == "sscard_shenzhen"
    assert spec_for_city(get_spec("sscard"), "广东省").id == "sscard"  # a province is not a city
    out = tmp_path / "job"
    with open_store() as store:
        written = write_order(store, spec, Applicant("买买提·艾力", ID, "深圳市", "13800000000"), _finished(jpeg),
                              out, settings=Settings(), client_token="job-1")
        order = written.order
        assert order.status == "exported" and order.export_state == "done"
        assert set(order.files) == {"photo", "sheet", "sheet_pdf", "report", "receipt"}
        receipt = written.path("receipt.pdf")
        assert receipt == (out / order.receipt_no / "receipt.pdf").resolve() and receipt.is_file()
        assert order.receipt_path == str(receipt)
        assert store.photo(order.receipt_no) == jpeg == written.path("photo.jpg").read_bytes()
        assert verify(str(receipt), store).status == "valid"
        assert order.report["after"] == REPORT["after"]
    save_settings(Settings(kiosk_review_queue=True))
    with open_store() as store:
        queued = write_order(store, spec, Applicant("张三", ID), _finished(jpeg), out, settings=Settings(
            kiosk_review_queue=True)).order
        assert queued.status == "captured" and [o.receipt_no for o in store.review_queue()] == [queued.receipt_no]


def test_cli_receipt_and_orders(jpeg, tmp_path, capsys):
    with open_store() as store:
        o = store.create_order("sscard_shenzhen", "张三", ID, "深圳")
        store.export_photo(o.receipt_no, jpeg, tmp_path / "photo.jpg")
        bare = store.create_order("sscard", "李四")
    out = tmp_path / "r.pdf"
    assert cli_main(["receipt", o.receipt_no, "--out", str(out), "--template", "thermal80"]) == 0
    assert out.is_file() and o.receipt_no in pdf_text(out.read_bytes(), tmp_path)
    capsys.readouterr()
    assert cli_main(["receipt", "verify", str(out)]) == 0
    assert capsys.readouterr().out.startswith("valid")
    assert cli_main(["receipt", "verify", "A01XYZ"]) == 3
    assert cli_main(["--lang", "zh_CN", "receipt", bare.receipt_no]) == 2  # no photo: a plain error
    err = capsys.readouterr().err
    assert "没有保存照片" in err
    assert cli_main(["orders", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {r["receipt_no"] for r in listed} == {o.receipt_no, bare.receipt_no}
    assert all(ID not in json.dumps(r, ensure_ascii=False) for r in listed)
    assert cli_main(["orders", "list", "--status", "rejected"]) == 0
    assert capsys.readouterr().out.strip() in ("没有订单", "No orders")
    assert cli_main(["orders", "reject", bare.receipt_no, "--reason", "头发遮挡眉毛"]) == 0
    capsys.readouterr()
    assert cli_main(["orders", "show", bare.receipt_no, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "rejected" and shown["reasons"] == ["头发遮挡眉毛"]
    assert [h["action"] for h in shown["history"]] == ["created", "rejected"]
    assert cli_main(["orders", "check"]) == 0
    assert cli_main(["orders", "purge", "--days", "30", "--all-stations"]) == 0
    from studio_app import messages

    assert capsys.readouterr().out.splitlines()[-1] == messages.text("orders.cli.purged", n=0, days=30)
    assert cli_main(["orders", "purge", "--days", "0"]) == 0
    assert cli_main(["orders", "list", "--json"]) == 0
    purged_line, listing = capsys.readouterr().out.split("\n", 1)
    assert purged_line == messages.text("orders.cli.purged", n=2, days=0)
    assert json.loads(listing) == []  # both were captured before now: purged
    capsys.readouterr()
    # --database points every command at another store
    assert cli_main(["--database", f"sqlite:///{tmp_path / 'other.db'}", "orders", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
