"""Check a receipt PDF, a photo or a receipt number against the order store.

* ``valid``: a receipt PDF the store issued for this order (its SHA-256 is recorded), a photo
  whose SHA-256 is the order's, or a receipt/image number whose stored photo is intact;
* ``tampered``: it names a known order but something differs (a PDF edited or not issued by the
  store, payload fields that disagree with the order, a photo file changed on disk);
* ``unknown``: nothing in the store matches (or the number's check character is wrong).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import messages
from ..codes import numbering
from .render import parse_payload

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
    "receipts.verify.bad_check": ("编号 {number} 的校验字符不对", "the check character of {number} is wrong"),
    "receipts.verify.order_ok": ("订单 {receipt_no} 的照片完好", "order {receipt_no}'s photo is intact"),
    "receipts.verify.file_changed": ("照片文件 {path} 已被修改", "the photo file {path} was changed"),
    "receipts.verify.stored_changed": ("数据库中的照片与记录的哈希不符", "the stored photo does not match its hash"),
    "receipts.verify.field.image_no": ("图像号", "image number"),
    "receipts.verify.field.spec_id": ("规格", "spec"),
    "receipts.verify.field.sha256": ("照片哈希", "photo hash"),
})


@dataclass(frozen=True)
class Verdict:
    status: str  # valid | tampered | unknown
    receipt_no: str | None = None
    reasons: tuple[tuple[str, dict], ...] = field(default_factory=tuple)

    def message(self, lang: str | None = None) -> str:
        head = messages.text(f"receipts.verify.{self.status}", lang)
        parts = []
        for key, params in self.reasons:
            p = {k: (messages.text(v[1:], lang) if isinstance(v, str) and v.startswith("@") else v)
                 for k, v in params.items()}
            parts.append(messages.text(key, lang, **p))
        zh = (lang or messages.language()) != "en"
        return head + (("：" if zh else ": ") + ("；" if zh else "; ").join(parts) if parts else "")


def _pdf_subject(data: bytes) -> str | None:
    """The /Subject string of a PDF's info dictionary (plain or inside a Flate object stream)."""
    m = re.search(rb"/Subject\s*\(([^)]*)\)", data)
    if m:
        return m.group(1).decode("latin-1")
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            inner = zlib.decompress(stream.group(1))
        except zlib.error:
            continue
        m = re.search(rb"SRCPT1/[^)\s]+", inner)
        if m:
            return m.group(0).decode("latin-1")
    m = re.search(rb"SRCPT1/[^)\s]+", data)
    return m.group(0).decode("latin-1") if m else None


def verify(target: str, store, receipt_no: str | None = None) -> Verdict:
    """``target``: a receipt PDF path, a photo path, a receipt/image number, or the text of a
    receipt's QR code as a scanner types it (its photo hash is checked against the order)."""
    path = Path(target)
    if path.is_file():
        data = path.read_bytes()
        if data[:5] == b"%PDF-":
            return _verify_pdf(data, store)
        return _verify_photo(data, store, receipt_no)
    info = parse_payload(target.strip().upper())
    if info is not None:
        return _verify_payload(info, store)
    return _verify_number(target.strip().upper(), store)


def _verify_payload(info: dict, store) -> Verdict:
    order = store.find(info["receipt_no"])
    if order is None or order.receipt_no != info["receipt_no"]:
        return Verdict("unknown", info["receipt_no"], (("receipts.verify.no_order", {"receipt_no": info["receipt_no"]}),))
    reasons = [("receipts.verify.field_mismatch", {"field": f"@receipts.verify.field.{f}"})
               for f, have in (("image_no", order.image_no), ("spec_id", order.spec_id),
                               ("sha256", order.photo_sha256)) if info[f] != have]
    if reasons:
        return Verdict("tampered", order.receipt_no, tuple(reasons))
    return _verify_number(order.receipt_no, store)  # the payload matches: is the stored photo intact?


def _verify_pdf(data: bytes, store) -> Verdict:
    digest = hashlib.sha256(data).hexdigest()
    hit = store.find_by_file_hash(digest)
    if hit and hit[1] == "receipt":
        return Verdict("valid", hit[0].receipt_no, (("receipts.verify.issued", {"receipt_no": hit[0].receipt_no}),))
    info = parse_payload(_pdf_subject(data) or "")
    if info is None:
        return Verdict("unknown", None, (("receipts.verify.no_payload", {}),))
    order = store.find(info["receipt_no"])
    if order is None or order.receipt_no != info["receipt_no"]:
        return Verdict("unknown", info["receipt_no"], (("receipts.verify.no_order", {"receipt_no": info["receipt_no"]}),))
    reasons = [("receipts.verify.field_mismatch", {"field": f"@receipts.verify.field.{f}"})
               for f, have in (("image_no", order.image_no), ("spec_id", order.spec_id),
                               ("sha256", order.photo_sha256)) if info[f] != have]
    reasons.append(("receipts.verify.not_issued", {"receipt_no": order.receipt_no}))
    return Verdict("tampered", order.receipt_no, tuple(reasons))


def _verify_photo(data: bytes, store, receipt_no: str | None) -> Verdict:
    digest = hashlib.sha256(data).hexdigest()
    if receipt_no:
        order = store.find(receipt_no)
        if order is None:
            return Verdict("unknown", receipt_no, (("receipts.verify.no_order", {"receipt_no": receipt_no}),))
        if order.photo_sha256 == digest:
            return Verdict("valid", order.receipt_no, (("receipts.verify.photo_of", {"receipt_no": order.receipt_no}),))
        return Verdict("tampered", order.receipt_no,
                       (("receipts.verify.photo_differs", {"receipt_no": order.receipt_no}),))
    order = store.find(digest)
    if order is not None:
        return Verdict("valid", order.receipt_no, (("receipts.verify.photo_of", {"receipt_no": order.receipt_no}),))
    return Verdict("unknown", None, (("receipts.verify.photo_unknown", {"sha": digest[:16] + "…"}),))


def _verify_number(number: str, store) -> Verdict:
    if not numbering.is_valid(number):
        return Verdict("unknown", None, (("receipts.verify.bad_check", {"number": number}),))
    order = store.find(number)
    if order is None:
        return Verdict("unknown", number, (("receipts.verify.no_order", {"receipt_no": number}),))
    stored = store.photo(order.receipt_no)
    reasons = []
    if stored is not None and hashlib.sha256(stored).hexdigest() != order.photo_sha256:
        reasons.append(("receipts.verify.stored_changed", {}))
    photo = order.files.get("photo")
    if photo and Path(photo["path"]).is_file():
        if hashlib.sha256(Path(photo["path"]).read_bytes()).hexdigest() != photo["sha256"]:
            reasons.append(("receipts.verify.file_changed", {"path": photo["path"]}))
    if reasons:
        return Verdict("tampered", order.receipt_no, tuple(reasons))
    return Verdict("valid", order.receipt_no, (("receipts.verify.order_ok", {"receipt_no": order.receipt_no}),))
