"""Check a receipt PDF, a photo, a scanned QR or a receipt number against the order store.

* ``valid``: a receipt PDF the store issued (its SHA-256 is recorded), a photo whose SHA-256 is
  the order's, or a QR whose studio signature checks and whose fields (name hash included) agree
  with the order;
* ``legacy``: an unsigned QR of an older version whose fields agree: it proves nothing by itself,
  compare the person with the stored photo;
* ``number``: only a receipt/image number was given: it proves nothing (numbers are sequential);
  the order's details are shown to compare;
* ``tampered``: it names a known order but something differs (bad signature, other name, a PDF
  not issued by the store, a photo changed on disk);
* ``unknown``: nothing in the store matches, or the text is not a whole receipt payload.

``store`` is passed in by the command layer (receipts/ does not import orders/); it needs
``find``, ``find_by_file_hash`` and ``photo``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import messages
from .signing import name_hash
from ..codes import numbering
from .render import parse_payload

MAX_PDF_BYTES = 20 * 1024 * 1024  # a receipt is < 1 MB; anything this big is not one of ours

messages.register({
    "receipts.verify.valid": ("有效", "valid"),
    "receipts.verify.tampered": ("被篡改", "tampered"),
    "receipts.verify.unknown": ("未知", "unknown"),
    "receipts.verify.issued": ("与本店为订单 {receipt_no} 出具的回执完全一致",
                               "identical to a receipt issued for order {receipt_no}"),
    "receipts.verify.not_issued": ("回执内容指向订单 {receipt_no}，但文件不是本店出具的版本（已被修改或伪造）",
                                   "names order {receipt_no} but the file is not one the studio issued "
                                   "(edited or forged)"),
    "receipts.verify.field_mismatch": ("回执中的{field}与订单记录不符", "the receipt's {field} does not match the order"),
    "receipts.verify.no_payload": ("文件中没有本店回执的数据", "the file carries no receipt data of this studio"),
    "receipts.verify.no_order": ("数据库中没有订单 {receipt_no}", "no order {receipt_no} in the store"),
    "receipts.verify.photo_of": ("照片属于订单 {receipt_no}", "the photo belongs to order {receipt_no}"),
    "receipts.verify.photo_unknown": ("没有订单使用这张照片（SHA-256 {sha}）", "no order has this photo (SHA-256 {sha})"),
    "receipts.verify.photo_differs": ("照片与订单 {receipt_no} 记录的不同", "the photo differs from order {receipt_no}'s"),
    "receipts.verify.order_ok": ("订单 {receipt_no} 的照片完好", "order {receipt_no}'s photo is intact"),
    "receipts.verify.file_changed": ("照片文件 {path} 已被修改", "the photo file {path} was changed"),
    "receipts.verify.stored_changed": ("数据库中的照片与记录的哈希不符", "the stored photo does not match its hash"),
    "receipts.verify.field.image_no": ("图像号", "image number"),
    "receipts.verify.field.spec_id": ("规格", "spec"),
    "receipts.verify.field.sha256": ("照片哈希", "photo hash"),
    "receipts.verify.field.name": ("姓名", "name"),
    "receipts.verify.legacy": ("旧版回执（无签名）", "legacy receipt (unsigned)"),
    "receipts.verify.number": ("仅编号，不能证明回执真实", "a number only: proves nothing"),
    "receipts.verify.legacy_note": ("旧版回执的二维码没有签名，只能核对本人与存档照片",
                                    "an old receipt's QR is not signed: compare the person with the stored photo"),
    "receipts.verify.number_note": ("编号是连续的，任何人都能写出：请扫描回执二维码，并核对本人与存档照片",
                                    "numbers are sequential and anyone can write one: scan the receipt's QR "
                                    "and compare the person with the stored photo"),
    "receipts.verify.signed_ok": ("本店密钥 {key_id} 的签名正确", "signed by the studio's key {key_id}"),
    "receipts.verify.bad_signature": ("二维码签名不正确（伪造或被改动）", "the QR's signature is wrong (forged or edited)"),
    "receipts.verify.unknown_key": ("二维码由未知密钥 {key_id} 签名：请导入该工位的公钥（studio-app receipt public-key --add 文件）",
                                    "the QR is signed by an unknown key {key_id}: import that station's public key "
                                    "(studio-app receipt public-key --add FILE)"),
    "receipts.verify.not_payload": ("不是完整的本店回执二维码内容（必须是整段原文，大写，无多余文字）",
                                    "not a whole receipt QR of this studio (the exact text, upper case, nothing around it)"),
    "receipts.verify.pdf_unreadable": ("无法读取 PDF {file}：{problem}", "Cannot read the PDF {file}: {problem}"),
    "receipts.verify.pdf_too_big": ("PDF {file} 有 {mb} MB，不是本店的回执（回执小于 1 MB）",
                                    "The PDF {file} is {mb} MB, not a receipt of this studio (receipts are under 1 MB)"),
})


def mask_name(name: str | None) -> str:
    """张* / 张*三 / 买**力: enough for a clerk to compare, not the whole name on a screen or log."""
    chars = list(name or "")
    if len(chars) <= 1:
        return "*" * len(chars)
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


@dataclass(frozen=True)
class Verdict:
    status: str  # valid | legacy | number | tampered | unknown
    receipt_no: str | None = None
    reasons: tuple[tuple[str, dict], ...] = field(default_factory=tuple)
    order: object | None = None  # the order the target names (for what the clerk compares)

    def message(self, lang: str | None = None) -> str:
        head = messages.text(f"receipts.verify.{self.status}", lang)
        parts = []
        for key, params in self.reasons:
            p = {k: (messages.text(v[1:], lang) if isinstance(v, str) and v.startswith("@") else v)
                 for k, v in params.items()}
            parts.append(messages.text(key, lang, **p))
        zh = (lang or messages.language()) != "en"
        return head + (("：" if zh else ": ") + ("；" if zh else "; ").join(parts) if parts else "")

    def details(self) -> dict | None:
        """What a clerk compares with the person: masked name, document, city, date, status."""
        o = self.order
        if o is None:
            return None
        items = getattr(o, "items", ()) or ()
        return {"receipt_no": o.receipt_no, "name": mask_name(o.applicant_name), "doc_type": o.doc_type,
                "spec_id": o.spec_id, "city": o.city or "", "id_masked": o.id_masked or "",
                "date": o.captured_at.strftime("%Y-%m-%d"), "status": o.status,
                # every document of the order (one capture, several documents): spec and image number
                "documents": "; ".join(f"{i.spec_id} {i.image_no}" for i in items) if len(items) > 1 else "",
                "items": [{"spec_id": i.spec_id, "image_no": i.image_no} for i in items]}


def verify(target: str, store, receipt_no: str | None = None) -> Verdict:
    """``target``: a receipt PDF path, a photo path, the exact text of a receipt's QR as a scanner
    types it, or a receipt/image number (which proves nothing: status ``number``)."""
    path = Path(target)
    if path.is_file():
        with path.open("rb") as fh:
            head = fh.read(5)
        if head == b"%PDF-":
            return _verify_pdf(path, store)
        return _verify_photo(path.read_bytes(), store, receipt_no)
    info = parse_payload(target)
    if info is not None:
        return _verify_payload(info, store)
    if "/" in target or ":" in target:  # looks like a QR text but is not a whole payload
        return Verdict("unknown", None, (("receipts.verify.not_payload", {}),))
    return _verify_number(target.strip(), store)


def _compare(info: dict, order) -> list:
    reasons = [("receipts.verify.field_mismatch", {"field": f"@receipts.verify.field.{f}"})
               for f, have in (("image_no", order.image_no), ("spec_id", order.spec_id),
                               ("sha256", order.photo_sha256)) if info[f] != have]
    if info.get("name_hash") is not None and info["name_hash"] != name_hash(order.receipt_no, order.applicant_name):
        reasons.append(("receipts.verify.field_mismatch", {"field": "@receipts.verify.field.name"}))
    return reasons


def _verify_payload(info: dict, store) -> Verdict:
    state = info["signature"]
    if state == "bad":
        return Verdict("tampered", info["receipt_no"], (("receipts.verify.bad_signature", {}),))
    if state == "unknown_key":
        return Verdict("unknown", info["receipt_no"], (("receipts.verify.unknown_key", {"key_id": info["key_id"]}),))
    order = store.find(info["receipt_no"])
    if order is None or order.receipt_no != info["receipt_no"]:
        return Verdict("unknown", info["receipt_no"], (("receipts.verify.no_order", {"receipt_no": info["receipt_no"]}),))
    reasons = _compare(info, order)
    if reasons:
        return Verdict("tampered", order.receipt_no, tuple(reasons), order)
    photo = _photo_problems(order, store)
    if photo:
        return Verdict("tampered", order.receipt_no, tuple(photo), order)
    if state == "legacy":
        return Verdict("legacy", order.receipt_no, (("receipts.verify.legacy_note", {}),), order)
    return Verdict("valid", order.receipt_no, (("receipts.verify.signed_ok", {"key_id": info["key_id"]}),
                                               ("receipts.verify.order_ok", {"receipt_no": order.receipt_no})), order)


def pdf_subject(path: Path) -> str | None:
    """The /Subject of a PDF's info dictionary, read by PDFium (no hand-written parsing, no
    unbounded inflate: a file over :data:`MAX_PDF_BYTES` is refused before it is opened)."""
    from ..errors import StudioError
    import pypdfium2 as pdfium

    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        raise StudioError("receipts.verify.pdf_too_big", file=str(path), mb=round(size / 2**20, 1))
    try:
        doc = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise StudioError("receipts.verify.pdf_unreadable", file=str(path), problem=str(exc)) from None
    try:
        return doc.get_metadata_dict().get("Subject") or None
    finally:
        doc.close()


def _verify_pdf(path: Path, store) -> Verdict:
    from ..errors import StudioError

    try:
        subject = pdf_subject(path)
    except StudioError as exc:  # too big or not a PDF PDFium can open: says which, never crashes
        return Verdict("unknown", None, ((exc.key, dict(exc.params)),))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    hit = store.find_by_file_hash(digest)
    if hit and hit[1] == "receipt":
        return Verdict("valid", hit[0].receipt_no, (("receipts.verify.issued", {"receipt_no": hit[0].receipt_no}),),
                       hit[0])
    info = parse_payload(subject or "")
    if info is None:
        return Verdict("unknown", None, (("receipts.verify.no_payload", {}),))
    order = store.find(info["receipt_no"])
    if order is None or order.receipt_no != info["receipt_no"]:
        return Verdict("unknown", info["receipt_no"], (("receipts.verify.no_order", {"receipt_no": info["receipt_no"]}),))
    reasons = _compare(info, order)
    if info["signature"] == "bad":
        reasons.append(("receipts.verify.bad_signature", {}))
    reasons.append(("receipts.verify.not_issued", {"receipt_no": order.receipt_no}))
    return Verdict("tampered", order.receipt_no, tuple(reasons), order)


def _verify_photo(data: bytes, store, receipt_no: str | None) -> Verdict:
    digest = hashlib.sha256(data).hexdigest()
    if receipt_no:
        order = store.find(receipt_no)
        if order is None:
            return Verdict("unknown", receipt_no, (("receipts.verify.no_order", {"receipt_no": receipt_no}),))
        if order.photo_sha256 == digest:
            return Verdict("valid", order.receipt_no, (("receipts.verify.photo_of", {"receipt_no": order.receipt_no}),),
                           order)
        return Verdict("tampered", order.receipt_no,
                       (("receipts.verify.photo_differs", {"receipt_no": order.receipt_no}),), order)
    order = store.find(digest)
    if order is not None:
        return Verdict("valid", order.receipt_no, (("receipts.verify.photo_of", {"receipt_no": order.receipt_no}),),
                       order)
    return Verdict("unknown", None, (("receipts.verify.photo_unknown", {"sha": digest[:16] + "…"}),))


def _photo_problems(order, store) -> list:
    stored = store.photo(order.receipt_no)
    reasons = []
    if stored is not None and hashlib.sha256(stored).hexdigest() != order.photo_sha256:
        reasons.append(("receipts.verify.stored_changed", {}))
    photo = order.files.get("photo")
    if photo and Path(photo["path"]).is_file():
        if hashlib.sha256(Path(photo["path"]).read_bytes()).hexdigest() != photo["sha256"]:
            reasons.append(("receipts.verify.file_changed", {"path": photo["path"]}))
    return reasons


def _verify_number(number: str, store) -> Verdict:
    """A bare number is looked up (the clerk sees the order) but never ``valid``."""
    order = store.find(number) if re.fullmatch(r"[0-9A-Z]{2,32}", number) else None
    if order is None or number not in (order.receipt_no, order.image_no):
        return Verdict("unknown", number or None, (("receipts.verify.no_order", {"receipt_no": number}),))
    photo = _photo_problems(order, store)
    if photo:
        return Verdict("tampered", order.receipt_no, tuple(photo), order)
    return Verdict("number", order.receipt_no, (("receipts.verify.number_note", {}),), order)
