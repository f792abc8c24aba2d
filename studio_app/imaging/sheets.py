"""Print layout sheets: as many copies of a photo as fit, at exact physical size, with cut marks.

The photo's physical size comes from the spec's millimetres (never from a fixed dpi), so a sheet
printed at 300 or 254 dpi gives the same millimetres. JPEG (JFIF density = the printer dpi) and
PDF (page and photos placed in exact mm with ReportLab) carry the same layout.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..errors import StudioError
from ..specs.model import MM_PER_INCH, Spec
from . import keys  # noqa: F401

SHEETS_MM: dict[str, tuple[float, float]] = {
    "6inch": (102.0, 152.0),  # 6寸 / 4R
    "5inch": (89.0, 127.0),  # 5寸 / 3R
    "a4": (210.0, 297.0),
}
SHEET_NAMES_ZH = {"6inch": "6寸", "5inch": "5寸", "a4": "A4"}
MARGIN_MM = 3.0  # printers do not print to the paper edge
GAP_MM = 2.0  # between photos: room for the cut marks
MARK_MM = 1.5  # cut-mark length
CAPTION_MM = 5.0  # caption band at the bottom when a caption is given


@dataclass(frozen=True)
class Layout:
    sheet: str
    page_mm: tuple[float, float]  # (w, h) as laid out (may be landscape)
    photo_mm: tuple[float, float]
    cols: int
    rows: int
    origins_mm: tuple[tuple[float, float], ...]  # top-left corner of each copy, from the page's top-left

    @property
    def copies(self) -> int:
        return self.cols * self.rows


@dataclass(frozen=True)
class Sheet:
    jpeg: bytes
    pdf: bytes
    layout: Layout
    dpi: int

    @property
    def copies(self) -> int:
        return self.layout.copies

    @property
    def size_px(self) -> tuple[int, int]:
        return mm_to_px(self.layout.page_mm[0], self.dpi), mm_to_px(self.layout.page_mm[1], self.dpi)


def mm_to_px(mm: float, dpi: float) -> int:
    return int(round(mm / MM_PER_INCH * dpi))


def _grid(page: tuple[float, float], photo: tuple[float, float], caption: bool) -> tuple[int, int]:
    pw, ph = page
    w, h = photo
    usable_w = pw - 2 * MARGIN_MM
    usable_h = ph - 2 * MARGIN_MM - (CAPTION_MM if caption else 0.0)
    cols = int(math.floor((usable_w + GAP_MM) / (w + GAP_MM) + 1e-9))
    rows = int(math.floor((usable_h + GAP_MM) / (h + GAP_MM) + 1e-9))
    return max(cols, 0), max(rows, 0)


def plan_layout(photo_mm: tuple[float, float], sheet: str = "6inch", caption: bool = False) -> Layout:
    """The grid (portrait or landscape page, whichever holds more copies), centred."""
    if sheet not in SHEETS_MM:
        raise StudioError("sheet.unknown", sheet=sheet, choices=", ".join(SHEETS_MM))
    base = SHEETS_MM[sheet]
    best = None
    for page in (base, (base[1], base[0])):
        cols, rows = _grid(page, photo_mm, caption)
        if best is None or cols * rows > best[1] * best[2]:
            best = (page, cols, rows)
    page, cols, rows = best
    if cols * rows == 0:
        raise StudioError("sheet.too_big", w=f"{photo_mm[0]:g}", h=f"{photo_mm[1]:g}", sheet=SHEET_NAMES_ZH[sheet])
    w, h = photo_mm
    grid_w = cols * w + (cols - 1) * GAP_MM
    grid_h = rows * h + (rows - 1) * GAP_MM
    x0 = (page[0] - grid_w) / 2
    top_space = page[1] - (CAPTION_MM if caption else 0.0)
    y0 = (top_space - grid_h) / 2
    origins = tuple((x0 + c * (w + GAP_MM), y0 + r * (h + GAP_MM)) for r in range(rows) for c in range(cols))
    return Layout(sheet, page, photo_mm, cols, rows, origins)


def _cut_marks(layout: Layout) -> list[tuple[float, float, float, float]]:
    """Crop marks (mm lines) outside the grid, continuing every cut line into the margin."""
    w, h = layout.photo_mm
    xs = sorted({round(x, 4) for x, _ in layout.origins_mm} | {round(x + w, 4) for x, _ in layout.origins_mm})
    ys = sorted({round(y, 4) for _, y in layout.origins_mm} | {round(y + h, 4) for _, y in layout.origins_mm})
    gx0, gx1, gy0, gy1 = xs[0], xs[-1], ys[0], ys[-1]
    pw, ph = layout.page_mm
    gap = 0.8  # mm between the photo edge and the mark
    lines = []
    for x in xs:
        top_len = min(MARK_MM * 2, gy0 - gap - 0.5)
        bottom_len = min(MARK_MM * 2, ph - gy1 - gap - 0.5)
        if top_len > 0.3:
            lines.append((x, gy0 - gap - top_len, x, gy0 - gap))
        if bottom_len > 0.3:
            lines.append((x, gy1 + gap, x, gy1 + gap + bottom_len))
    for y in ys:
        left_len = min(MARK_MM * 2, gx0 - gap - 0.5)
        right_len = min(MARK_MM * 2, pw - gx1 - gap - 0.5)
        if left_len > 0.3:
            lines.append((gx0 - gap - left_len, y, gx0 - gap, y))
        if right_len > 0.3:
            lines.append((gx1 + gap, y, gx1 + gap + right_len, y))
    return lines


@lru_cache(maxsize=4)
def _font(size_px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from ..paths import resource

    path = resource("fonts", "wqy-microhei.ttc")
    try:
        return ImageFont.truetype(str(path), size_px, index=0)
    except OSError:
        return ImageFont.load_default()


def _register_pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from ..paths import resource

    name = "WenQuanYiMicroHei"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", "wqy-microhei.ttc")), subfontIndex=0))
    return name


def make_sheet(photo_rgb: np.ndarray, spec: Spec, sheet: str = "6inch", dpi: int = 300,
               caption: str | None = None, photo_jpeg: bytes | None = None) -> Sheet:
    """Lay out copies of ``photo_rgb`` (the spec-size photo) on a print sheet at ``dpi``.

    ``photo_jpeg``: the exported JPEG, embedded unchanged in the PDF when given."""
    if not 100 <= int(dpi) <= 1200:
        raise StudioError("sheet.bad_dpi", dpi=dpi)
    dpi = int(dpi)
    layout = plan_layout(tuple(spec.print_mm), sheet, caption=bool(caption))
    page_w, page_h = mm_to_px(layout.page_mm[0], dpi), mm_to_px(layout.page_mm[1], dpi)
    pw, ph = mm_to_px(layout.photo_mm[0], dpi), mm_to_px(layout.photo_mm[1], dpi)
    canvas = Image.new("RGB", (page_w, page_h), (255, 255, 255))
    photo = Image.fromarray(np.ascontiguousarray(photo_rgb, dtype=np.uint8), "RGB")
    copy = photo.resize((pw, ph), Image.LANCZOS) if photo.size != (pw, ph) else photo
    for x, y in layout.origins_mm:
        canvas.paste(copy, (mm_to_px(x, dpi), mm_to_px(y, dpi)))
    draw = ImageDraw.Draw(canvas)
    line_px = max(1, int(round(0.15 / MM_PER_INCH * dpi)))
    for x1, y1, x2, y2 in _cut_marks(layout):
        draw.line([(x1 / MM_PER_INCH * dpi, y1 / MM_PER_INCH * dpi), (x2 / MM_PER_INCH * dpi, y2 / MM_PER_INCH * dpi)],
                  fill=(0, 0, 0), width=line_px)
    if caption:
        font = _font(mm_to_px(3.0, dpi))
        cy = mm_to_px(layout.page_mm[1] - MARGIN_MM - CAPTION_MM / 2, dpi)
        draw.text((page_w / 2, cy), caption, fill=(0, 0, 0), font=font, anchor="mm")
    buf = io.BytesIO()
    canvas.save(buf, "JPEG", quality=95, subsampling=0, dpi=(dpi, dpi))
    jpeg = buf.getvalue()
    pdf = _pdf(layout, photo, photo_jpeg, caption)
    return Sheet(jpeg=jpeg, pdf=pdf, layout=layout, dpi=dpi)


def _pdf(layout: Layout, photo: Image.Image, photo_jpeg: bytes | None, caption: str | None) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    buf = io.BytesIO()
    pw, ph = layout.page_mm
    c = rl_canvas.Canvas(buf, pagesize=(pw * mm, ph * mm), pageCompression=1)
    c.setTitle("ID photo print sheet")
    c.setCreator("studio-app")
    if photo_jpeg is None:
        b = io.BytesIO()
        photo.save(b, "JPEG", quality=95, subsampling=0)
        photo_jpeg = b.getvalue()
    img = ImageReader(io.BytesIO(photo_jpeg))
    w, h = layout.photo_mm
    for x, y in layout.origins_mm:
        # PDF origin is bottom-left
        c.drawImage(img, x * mm, (ph - y - h) * mm, width=w * mm, height=h * mm)
    c.setLineWidth(0.15 * mm)
    c.setStrokeColorRGB(0, 0, 0)
    for x1, y1, x2, y2 in _cut_marks(layout):
        c.line(x1 * mm, (ph - y1) * mm, x2 * mm, (ph - y2) * mm)
    if caption:
        font = _register_pdf_font()
        c.setFont(font, 8.5)
        c.drawCentredString(pw / 2 * mm, (MARGIN_MM + CAPTION_MM / 2 - 1.0) * mm, caption)
    c.showPage()
    c.save()
    return buf.getvalue()
