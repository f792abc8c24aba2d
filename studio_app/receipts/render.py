"""Receipt PDF (照片回执) with ReportLab: one page per order, CJK font embedded.

Contents: the document type as title, the photo at its true print size, receipt and image
numbers in large type, a Code128 barcode of the receipt number, a QR code whose payload carries
the receipt number, image number, spec and SHA-256 of the photo (:func:`payload`), the applicant
(name, masked ID number), city, capture time, studio name/address/phone, validity, the checks
passed, and a line saying this is the studio's own receipt, not an official 图像号.
The same payload is stored as the PDF's subject so ``receipt verify`` can read it back.

An order of several documents from one capture (``order.items``) gets ONE receipt that lists
every document with its own image number and print size (as Guangzhou issues one receipt for
several documents from one photo); the QR keeps signing the first document's photo, so it
stays valid for the receipt number whatever the number of documents.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import itertools
from dataclasses import dataclass
from typing import Any, Mapping

from PIL import Image
from reportlab.graphics.barcode import code128, qrencoder
from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

from .. import messages
from ..errors import StudioError
from ..paths import resource
from .documents import document_lines
from .templates import Layout, ReceiptTemplate, load_templates

FONT = "WQYMicroHei"
GREY = Color(0.35, 0.35, 0.35)
LIGHT = Color(0.85, 0.85, 0.85)

messages.register({
    "receipts.font_missing": ("找不到中文字体 {file}", "The CJK font {file} is missing"),
    "receipts.bad_photo": ("回执照片无法读取：{problem}", "The receipt photo cannot be read: {problem}"),
    "receipts.label.receipt_no": ("回执号", "Receipt no."),
    "receipts.label.image_no": ("图像号", "Image no."),
    "receipts.label.name": ("姓名", "Name"),
    "receipts.label.id_masked": ("身份证号", "ID number"),
    "receipts.label.doc": ("证件类型", "Document"),
    "receipts.label.city": ("办证城市", "City"),
    "receipts.label.household": ("户籍地区", "Registered in"),
    "receipts.label.captured": ("采集时间", "Captured"),
    "receipts.label.valid_until": ("有效期至", "Valid until"),
    "receipts.label.submit_to": ("递交单位", "Submit to"),
    "receipts.label.studio": ("采集单位", "Studio"),
    "receipts.label.address": ("地址", "Address"),
    "receipts.label.phone": ("电话", "Phone"),
    "receipts.label.station": ("工位", "Station"),
    "receipts.label.checks": ("已通过的检查", "Checks passed"),
    "receipts.label.signature": ("申请人签名", "Applicant's signature"),
    "receipts.label.photo_size": ("照片 {w:g}×{h:g} mm（实际尺寸）", "Photo {w:g} × {h:g} mm (actual size)"),
    "receipts.valid_days": ("{date}（{days} 天）", "{date} ({days} days)"),
    "receipts.household_from_id": ("{province}（据身份证号）", "{province} (from the ID number)"),
    "receipts.disclaimer": (
        "本回执由 {studio} 出具，为照相馆自有回执，回执号/图像号不是官方认证采集系统签发的相片图像号。",
        "This receipt is issued by {studio}: the studio's own receipt, not an official image number (图像号) "
        "from an accredited photo collection system."),
    "receipts.resubmit": ("重新提交（原回执 {old}）", "Resubmission (of receipt {old})"),
    "receipts.no_checks": ("（无检查记录）", "(no check record)"),
    "receipts.all_checks": ("通过 {n} 项", "{n} passed"),
})


@dataclass(frozen=True)
class Studio:
    name: str
    address: str = ""
    phone: str = ""
    validity_days: int = 60

    @classmethod
    def from_settings(cls, settings) -> "Studio":
        return cls(settings.studio_name, settings.studio_address, settings.studio_phone,
                   settings.receipt_validity_days)

    @classmethod
    def coerce(cls, value: Any) -> "Studio":
        if isinstance(value, Studio):
            return value
        if isinstance(value, Mapping):
            return cls(str(value.get("name") or value.get("studio_name") or ""),
                       str(value.get("address") or value.get("studio_address") or ""),
                       str(value.get("phone") or value.get("studio_phone") or ""),
                       int(value.get("validity_days") or value.get("receipt_validity_days") or 60))
        if hasattr(value, "studio_name"):
            return cls.from_settings(value)
        raise TypeError(f"studio must be Studio, Settings or a mapping, not {type(value).__name__}")


_font_ready = False


def register_fonts() -> str:
    """Register WenQuanYi Micro Hei (embedded as a subset in every PDF); returns the font name."""
    global _font_ready
    if not _font_ready:
        path = resource("fonts", "wqy-microhei.ttc")
        if not path.is_file():
            raise StudioError("receipts.font_missing", file=str(path))
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
        _font_ready = True
    return FONT


def payload(order, photo_sha256: str) -> str:
    """The QR/metadata payload: receipt no, image no, spec, photo SHA-256 and a hash of the
    applicant's name, signed with the studio's Ed25519 key (:mod:`.signing`). Only characters of
    the QR alphanumeric set, so the symbol stays small enough for the receipt."""
    from .signing import make_payload

    return make_payload(order.receipt_no, order.image_no, order.spec_id, photo_sha256, order.applicant_name or "")


def parse_payload(text: str) -> dict | None:
    """The fields of a whole receipt payload (signed or legacy), signature checked; else None."""
    from .signing import parse

    return parse(text)


def _checks_passed(report: dict | None, lang: str) -> list[str]:
    if not report:
        return []
    sources = []
    for key in ("after", "report", None):
        node = report.get(key) if key else report
        if isinstance(node, dict):
            for list_key in ("results", "checks"):
                if isinstance(node.get(list_key), list):
                    sources = node[list_key]
                    break
        if sources:
            break
    out = []
    for item in sources:
        if not isinstance(item, dict) or item.get("status") != "pass":
            continue
        label = item.get("label") or item.get("title") or item.get("message") or item.get("text") or item.get("id")
        if label:
            out.append(str(label))
    return out


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy wrap that works for CJK (no spaces) and Latin (break at spaces when possible)."""
    lines, line = [], ""
    for ch in text:
        if ch == "\n":
            lines.append(line)
            line = ""
            continue
        trial = line + ch
        if pdfmetrics.stringWidth(trial, font, size) <= width:
            line = trial
            continue
        cut = line.rfind(" ")
        if cut > len(line) * 0.5 and ch != " " and not _is_wide(ch):
            lines.append(line[:cut])
            line = line[cut + 1:] + ch
        else:
            lines.append(line)
            line = ch.lstrip()
    if line:
        lines.append(line)
    return lines


def _is_wide(ch: str) -> bool:
    return ord(ch) > 0x2E7F


def _photo_reader(photo_jpeg: bytes, grey: bool) -> tuple[ImageReader, tuple[int, int]]:
    try:
        im = Image.open(io.BytesIO(photo_jpeg))
        im.load()
    except Exception as exc:  # PIL raises many types
        raise StudioError("receipts.bad_photo", problem=str(exc)) from None
    im = im.convert("L" if grey else "RGB")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=92)
    buf.seek(0)
    return ImageReader(buf), im.size


def _print_mm(order, size_px: tuple[int, int]) -> tuple[float, float]:
    try:
        from ..specs import get_spec

        spec = get_spec(order.spec_id)
        return float(spec.print_mm[0]), float(spec.print_mm[1])
    except Exception:  # unknown spec: the photo's pixels at 300 dpi
        return size_px[0] / 300 * 25.4, size_px[1] / 300 * 25.4


def _spec_names(order) -> tuple[str, str, str, str]:
    """(spec name zh, en, doc family zh, en)."""
    try:
        from ..specs import get_spec

        spec = get_spec(order.spec_id)
        return spec.name_zh, spec.name_en, spec.family_zh, spec.family_en
    except Exception:
        return order.spec_id, order.spec_id, order.doc_type, order.doc_type


class _Pen:
    """Small helpers over a ReportLab canvas, positions in mm from the top-left corner."""

    def __init__(self, c: rl_canvas.Canvas, page_h: float) -> None:
        self.c = c
        self.h = page_h

    def text(self, x: float, y: float, s: str, size: float, color=black, align: str = "left") -> None:
        self.c.setFont(FONT, size)
        self.c.setFillColor(color)
        yy = (self.h - y) * mm - size * 0.8
        if align == "center":
            self.c.drawCentredString(x * mm, yy, s)
        elif align == "right":
            self.c.drawRightString(x * mm, yy, s)
        else:
            self.c.drawString(x * mm, yy, s)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.4, color=black) -> None:
        self.c.setStrokeColor(color)
        self.c.setLineWidth(width)
        self.c.line(x1 * mm, (self.h - y1) * mm, x2 * mm, (self.h - y2) * mm)


def _pt_mm(pt: float) -> float:
    return pt * 25.4 / 72


def render_receipt(order, photo_jpeg: bytes, studio: Any, template: str = "A5", lang: str = "zh_CN",
                   templates=None) -> bytes:
    """One receipt page as PDF bytes. ``order`` is an :class:`~studio_app.orders.Order`;
    ``studio`` a :class:`Studio`, the Settings, or a mapping (name/address/phone/validity_days).
    ``template``: "A5" | "A6" | "thermal80". Deterministic output for the same input."""
    register_fonts()
    studio = Studio.coerce(studio)
    ts = templates or load_templates()
    layout = ts.layout(template)
    entry = ts.receipt(order.doc_type, order.city, order.province)
    photo_sha = hashlib.sha256(photo_jpeg).hexdigest()
    reader, size_px = _photo_reader(photo_jpeg, layout.grey_photo)
    pw_mm, ph_mm = _print_mm(order, size_px)
    content = _content(order, studio, entry, lang, (pw_mm, ph_mm))
    content["documents"] = document_lines(order, lang, narrow=layout.name == "thermal80")
    data = payload(order, photo_sha)

    if layout.page_mm[1] > 0:
        # a fixed page (A5/A6) too full (several documents listed on A6): the checks passed are
        # counted, not listed, and the documents set smaller, so nothing falls off the bottom
        if _draw(layout, entry, content, reader, (pw_mm, ph_mm), data, order, lang, layout.page_mm[1],
                 measure=True) > layout.page_mm[1] + 0.01:
            content = {**content, "compact_checks": True}
        return _draw(layout, entry, content, reader, (pw_mm, ph_mm), data, order, lang, layout.page_mm[1])
    # roll paper: lay out once to measure, then at the measured height
    height = _draw(layout, entry, content, reader, (pw_mm, ph_mm), data, order, lang, 2000.0, measure=True)
    return _draw(layout, entry, content, reader, (pw_mm, ph_mm), data, order, lang, height)


def _content(order, studio: Studio, entry: ReceiptTemplate, lang: str, photo_mm) -> dict:
    t = lambda key, **p: messages.text(key, lang, **p)  # noqa: E731
    spec_zh, spec_en, fam_zh, fam_en = _spec_names(order)
    captured = order.captured_local()
    days = entry.validity_days or studio.validity_days
    valid = (captured.date() + _dt.timedelta(days=days)).isoformat()
    household = ""
    if order.id_masked and len(order.id_masked) >= 2:
        from ..codes.regions import PROVINCE_CODES

        prov = PROVINCE_CODES.get(order.id_masked[:2])
        household = t("receipts.household_from_id", province=prov) if prov else ""
    en = lang == "en"
    values = {
        "name": order.applicant_name,
        "id_masked": order.id_masked or "—",
        "doc": f"{spec_en if en else spec_zh}",
        "city": " ".join(x for x in (order.province if order.province != order.city else None, order.city) if x)
                or "—",
        "household": household or "—",
        "captured": captured.strftime("%Y-%m-%d %H:%M"),
        "valid_until": t("receipts.valid_days", date=valid, days=days),
        "submit_to": "",  # written in by hand: the studio does not know the office
        "studio": studio.name,
        "address": studio.address or "—",
        "phone": studio.phone or "—",
        "station": order.station,
    }
    checks = _checks_passed(order.report, lang)
    title = (entry.title_en if en else entry.title_zh).format(doc_zh=fam_zh, doc_en=fam_en)
    return {"values": values, "checks": checks, "title": title,
            "subtitle": (entry.title_zh.format(doc_zh=fam_zh, doc_en=fam_en) if en else
                         entry.title_en.format(doc_zh=fam_zh, doc_en=fam_en)),
            "disclaimer": t("receipts.disclaimer", studio=studio.name),
            "resubmit": t("receipts.resubmit", old=order.resubmit_of) if order.resubmit_of else "",
            "photo_label": t("receipts.label.photo_size", w=round(photo_mm[0], 1), h=round(photo_mm[1], 1))}


def _draw(layout: Layout, entry: ReceiptTemplate, content: dict, reader, photo_mm, data: str, order, lang: str,
          page_h: float, measure: bool = False):
    buf = io.BytesIO()
    page_w = layout.page_mm[0]
    c = rl_canvas.Canvas(buf, pagesize=(page_w * mm, page_h * mm), invariant=1, pageCompression=1,
                         initialFontName=FONT, initialFontSize=layout.value_pt)
    c.setTitle(content["title"])
    c.setSubject(data)
    c.setAuthor(content["values"]["studio"])
    c.setCreator("studio-app")
    numbers = [i.image_no for i in getattr(order, "items", ()) or ()] or [order.image_no]
    c.setKeywords(" ".join(dict.fromkeys([order.receipt_no, order.image_no, *numbers])))
    pen = _Pen(c, page_h)
    t = lambda key, **p: messages.text(key, lang, **p)  # noqa: E731
    m = layout.margin_mm
    inner = page_w - 2 * m
    narrow = layout.name == "thermal80"
    y = m

    # title + subtitle (the other language)
    for line in _wrap(content["title"], FONT, layout.title_pt, inner * mm):
        pen.text(page_w / 2, y, line, layout.title_pt, align="center")
        y += _pt_mm(layout.title_pt) * 1.25
    pen.text(page_w / 2, y, content["subtitle"], layout.small_pt, GREY, align="center")
    y += _pt_mm(layout.small_pt) * 1.6
    pen.line(m, y, page_w - m, y, 0.8)
    y += 3 if not narrow else 2.5

    pw, ph = photo_mm
    num_pt = layout.number_pt
    if narrow:
        # stacked: photo centred, then numbers
        px = (page_w - pw) / 2
        _photo(c, reader, px, y, pw, ph, page_h)
        y += ph + 1
        pen.text(page_w / 2, y, content["photo_label"], layout.small_pt, GREY, align="center")
        y += _pt_mm(layout.small_pt) * 1.6
        y = _numbers(pen, layout, order, m, y, inner, t)
        y = _barcode(c, order.receipt_no, m, y, layout.barcode_mm[0], layout.barcode_mm[1], page_h, inner)
    else:
        px = m
        _photo(c, reader, px, y, pw, ph, page_h)
        pen.text(px + pw / 2, y + ph + 1, content["photo_label"], layout.small_pt * 0.9, GREY, align="center")
        x2 = px + pw + (6 if layout.name == "A5" else 4)
        w2 = page_w - m - x2
        yy = _numbers(pen, layout, order, x2, y, w2, t)
        yy = _barcode(c, order.receipt_no, x2, yy, min(layout.barcode_mm[0], w2), layout.barcode_mm[1], page_h, w2)
        y = max(y + ph + _pt_mm(layout.small_pt) * 1.6 + 1, yy) + 1.5
    if content["resubmit"]:
        pen.text(m, y, content["resubmit"], layout.label_pt, GREY)
        y += _pt_mm(layout.label_pt) * 1.6

    pen.line(m, y, page_w - m, y, 0.3, LIGHT)
    y += 2
    # fields: label column + value column; the QR sits at the right on A5/A6
    qr = layout.qr_mm
    text_w = inner if narrow else inner - qr - 3
    label_w = max(pdfmetrics.stringWidth(t(f"receipts.label.{f}"), FONT, layout.label_pt) for f in entry.fields) / mm + 3
    y_fields = y
    for f in entry.fields:
        value = content["values"][f]
        pen.text(m, y + (layout.value_pt - layout.label_pt) * 0.2, t(f"receipts.label.{f}"), layout.label_pt, GREY)
        if f == "submit_to":
            pen.line(m + label_w, y + _pt_mm(layout.value_pt) * 1.1, m + text_w, y + _pt_mm(layout.value_pt) * 1.1,
                     0.3, GREY)
            y += _pt_mm(layout.value_pt) * 1.55
            continue
        size = layout.value_pt * (1.25 if f == "name" else 1.0)
        for line in _wrap(value, FONT, size, (text_w - label_w) * mm) or [""]:
            pen.text(m + label_w, y, line, size)
            y += _pt_mm(size) * 1.4
        y += _pt_mm(layout.value_pt) * 0.15
    if narrow:
        y += 1
        _qr(c, data, (page_w - qr) / 2, y, qr, page_h)
        y += qr + 1
    else:
        _qr(c, data, page_w - m - qr, y_fields, qr, page_h)
        pen.text(page_w - m - qr / 2, y_fields + qr + 0.5, order.receipt_no, layout.small_pt * 0.85, GREY,
                 align="center")
        y = max(y, y_fields + qr + _pt_mm(layout.small_pt) * 1.5)

    if content["documents"]:  # one capture, several documents: each with its own image number
        y += 1
        pen.line(m, y, page_w - m, y, 0.3, LIGHT)
        y += 1.5
        pen.text(m, y, t("receipts.label.documents", n=len(order.items)), layout.label_pt, GREY)
        y += _pt_mm(layout.label_pt) * 1.5
        doc_pt = layout.small_pt * 1.1 if content.get("compact_checks") else layout.value_pt
        for doc_line in content["documents"]:
            for ln in _wrap(doc_line, FONT, doc_pt, inner * mm):
                pen.text(m, y, ln, doc_pt)
                y += _pt_mm(doc_pt) * 1.4

    # checks passed
    y += 1
    pen.line(m, y, page_w - m, y, 0.3, LIGHT)
    y += 1.5
    checks = content["checks"]
    pen.text(m, y, t("receipts.label.checks") + (f"（{t('receipts.all_checks', n=len(checks))}）" if checks and lang != "en"
                                                 else (f" ({t('receipts.all_checks', n=len(checks))})" if checks else "")),
             layout.label_pt, GREY)
    y += _pt_mm(layout.label_pt) * 1.5
    size = layout.small_pt * 1.1
    lines_: list[str] = []
    listed = [] if content.get("compact_checks") else \
        ([f"✓ {c_}" for c_ in checks] if checks else [t("receipts.no_checks")])
    for item in listed:
        # whole items per line; an item too long for a line on its own is wrapped
        trial = f"{lines_[-1]}   {item}" if lines_ else item
        if lines_ and pdfmetrics.stringWidth(trial, FONT, size) <= inner * mm:
            lines_[-1] = trial
        else:
            lines_ += _wrap(item, FONT, size, inner * mm)
    for ln in lines_:
        pen.text(m, y, ln, size)
        y += _pt_mm(size) * 1.4

    if entry.signature:
        y += 5 if not narrow else 4
        label = t("receipts.label.signature")
        pen.text(m, y, label, layout.label_pt, GREY)
        lw = pdfmetrics.stringWidth(label, FONT, layout.label_pt) / mm + 2
        pen.line(m + lw, y + _pt_mm(layout.label_pt) * 1.05, m + lw + min(50, inner - lw), y + _pt_mm(layout.label_pt) * 1.05, 0.4)
        y += _pt_mm(layout.label_pt) * 1.8

    # the studio's-receipt line, at the bottom on fixed pages
    lines = _wrap(content["disclaimer"], FONT, layout.small_pt, inner * mm)
    block = len(lines) * _pt_mm(layout.small_pt) * 1.35
    y_disc = y + 3 if narrow else max(y + 3, page_h - m - block)
    pen.line(m, y_disc - 1.5, page_w - m, y_disc - 1.5, 0.3, LIGHT)
    for ln in lines:
        pen.text(m, y_disc, ln, layout.small_pt, GREY)
        y_disc += _pt_mm(layout.small_pt) * 1.35
    end = y_disc + m
    if measure:
        return end
    c.showPage()
    c.save()
    return buf.getvalue()


def _photo(c, reader, x: float, y: float, w: float, h: float, page_h: float) -> None:
    """The photo at exactly w x h mm (its print size), with a hairline frame outside it."""
    c.drawImage(reader, x * mm, (page_h - y - h) * mm, width=w * mm, height=h * mm)
    c.setStrokeColor(LIGHT)
    c.setLineWidth(0.3)
    c.rect(x * mm - 0.3, (page_h - y - h) * mm - 0.3, w * mm + 0.6, h * mm + 0.6, stroke=1, fill=0)


def _numbers(pen: _Pen, layout: Layout, order, x: float, y: float, width: float, t) -> float:
    for key, value in (("receipts.label.receipt_no", order.receipt_no), ("receipts.label.image_no", order.image_no)):
        pen.text(x, y, t(key), layout.label_pt, GREY)
        y += _pt_mm(layout.label_pt) * 1.35
        size = layout.number_pt
        while pdfmetrics.stringWidth(value, FONT, size) > width * mm and size > 6:
            size -= 0.5
        pen.text(x, y, value, size)
        y += _pt_mm(size) * 1.45
    return y


def _barcode(c, value: str, x: float, y: float, w: float, h: float, page_h: float, avail: float) -> float:
    """Code128 of the receipt number, scaled to ``w`` mm (quiet zones included)."""
    probe = code128.Code128(value, barWidth=1, barHeight=h * mm, quiet=1, humanReadable=False)
    bar_width = max(0.19 * mm, min(w * mm / probe.width, 0.5 * mm))
    bc = code128.Code128(value, barWidth=bar_width, barHeight=h * mm, quiet=1, humanReadable=False)
    x0 = x + max(0.0, (avail - bc.width / mm) / 2) if avail < w + 20 and avail - bc.width / mm < 30 else x
    bc.drawOn(c, x0 * mm, (page_h - y - h) * mm)
    return y + h + 2


def _qr(c, data: str, x: float, y: float, size: float, page_h: float) -> None:
    """QR code (level M, 4-module quiet zone) drawn as filled runs straight on the canvas, so the
    page references no font but the embedded CJK one."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(data)
    qr.make()
    n = qr.getModuleCount()
    border = 4
    box = size * mm / (n + 2 * border)
    x0, top = x * mm, (page_h - y) * mm
    c.setFillColor(black)
    for r, row in enumerate(qr.modules):
        col = 0
        for dark, run in itertools.groupby(bool(v) for v in row):
            count = len(list(run))
            if dark:
                c.rect(x0 + (col + border) * box, top - (r + border + 1) * box, count * box, box,
                       stroke=0, fill=1)
            col += count
