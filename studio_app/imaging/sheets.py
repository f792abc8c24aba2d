"""Print layout sheets at exact physical size: as many copies of one photo as fit (a grid with crop
marks in the margins), or a mixed sheet of several specs and counts (``"one_inch:4,two_inch:2"``).
Every photo on every sheet has a thin grey cut line just outside its edge, so a white-background
photo on white paper can still be cut exactly.

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
CUT_LINE_MM = 0.1  # the cut line around each photo (at least one printer dot)
CUT_LINE_GREY = 150  # visible on white paper next to a white background, faint enough not to distract
MAX_LAYOUT_COUNT = 99


@dataclass(frozen=True)
class Place:
    """One photo on a sheet: which one (a spec id) and where, in mm from the page's top-left."""

    key: str
    x: float
    y: float
    w: float
    h: float


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

    @property
    def places(self) -> tuple[Place, ...]:
        w, h = self.photo_mm
        return tuple(Place("photo", x, y, w, h) for x, y in self.origins_mm)


@dataclass(frozen=True)
class MixedLayout:
    sheet: str
    page_mm: tuple[float, float]
    places: tuple[Place, ...]

    @property
    def copies(self) -> int:
        return len(self.places)

    def count(self, key: str) -> int:
        return sum(1 for p in self.places if p.key == key)


@dataclass(frozen=True)
class Sheet:
    jpeg: bytes
    pdf: bytes
    layout: Layout | MixedLayout
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
    dpi = _check_dpi(dpi)
    layout = plan_layout(tuple(spec.print_mm), sheet, caption=bool(caption))
    photos = {"photo": (photo_rgb, photo_jpeg)}
    return _render(layout.page_mm, layout.places, photos, dpi, caption, _cut_marks(layout), layout)


def make_mixed_sheet(entries: list[tuple[str, np.ndarray, bytes | None, tuple[float, float], int]],
                     sheet: str = "6inch", dpi: int = 300, caption: str | None = None) -> Sheet:
    """Several specs on one sheet: ``entries`` = (key, photo RGB, its JPEG or None, print mm, count)."""
    dpi = _check_dpi(dpi)
    layout = plan_mixed([(k, tuple(mm), n) for k, _, _, mm, n in entries], sheet, caption=bool(caption))
    photos = {k: (rgb, jpeg) for k, rgb, jpeg, _, _ in entries}
    return _render(layout.page_mm, layout.places, photos, dpi, caption, [], layout)


def _check_dpi(dpi) -> int:
    if not 100 <= int(dpi) <= 1200:
        raise StudioError("sheet.bad_dpi", dpi=dpi)
    return int(dpi)


def parse_layout(text: str, available: tuple[str, ...] | list[str] | None = None) -> tuple[tuple[str, int], ...]:
    """``"one_inch:4,two_inch:2"`` -> (("one_inch", 4), ("two_inch", 2)); specs checked to exist
    (and, with ``available``, to be among the specs being processed)."""
    from ..specs import get_spec

    items: dict[str, int] = {}
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        key, sep, count = part.partition(":")
        key = key.strip()
        try:
            n = int(count.strip()) if sep else 1
        except ValueError:
            raise StudioError("sheet.layout_bad", text=text, part=part) from None
        if not key or not 1 <= n <= MAX_LAYOUT_COUNT:
            raise StudioError("sheet.layout_bad", text=text, part=part)
        get_spec(key)  # an unknown spec id says so
        if available is not None and key not in available:
            raise StudioError("sheet.layout_spec_missing", spec=key, specs=", ".join(available))
        items[key] = items.get(key, 0) + n
    if not items:
        raise StudioError("sheet.layout_bad", text=text, part=text)
    return tuple(items.items())


def _shelves(page: tuple[float, float], items: list[tuple[str, tuple[float, float], int]], caption: bool):
    """Rows of photos, tallest first: the fewest rows (greedy filling gives that number), then the
    photos spread over them as evenly as possible (a row of 3 and a row of 1 becomes 2 + 2);
    None when they do not fit."""
    usable_w = page[0] - 2 * MARGIN_MM
    usable_h = page[1] - 2 * MARGIN_MM - (CAPTION_MM if caption else 0.0)
    boxes = [(k, mm) for k, mm, n in sorted(items, key=lambda it: (-it[1][1], -it[1][0])) for _ in range(n)]
    if any(w > usable_w + 1e-9 or h > usable_h + 1e-9 for _, (w, h) in boxes):
        return None
    greedy = _greedy_rows([mm for _, mm in boxes], usable_w)
    for cuts in (_balanced_rows([mm for _, mm in boxes], usable_w, len(greedy)), greedy):
        rows = [boxes[a:b] for a, b in cuts]
        height = sum(max(h for _, (_, h) in row) for row in rows) + GAP_MM * (len(rows) - 1)
        if height <= usable_h + 1e-9:
            return rows
    return None


def _row_width(sizes: list[tuple[float, float]]) -> float:
    return sum(w for w, _ in sizes) + GAP_MM * (len(sizes) - 1)


def _greedy_rows(sizes: list[tuple[float, float]], usable_w: float) -> list[tuple[int, int]]:
    """Each row filled left to right: the fewest rows that keep the photos in order."""
    cuts, start = [], 0
    for i in range(1, len(sizes) + 1):
        if i == len(sizes) or _row_width(sizes[start:i + 1]) > usable_w + 1e-9:
            cuts.append((start, i))
            start = i
    return cuts


def _balanced_rows(sizes: list[tuple[float, float]], usable_w: float, n_rows: int) -> list[tuple[int, int]]:
    """``n_rows`` rows, photos kept in order: the widest row as narrow as possible, then the
    lowest total height and the most even widths (sum of squares); on a tie the earlier rows are
    the fuller ones (3 + 2, not 2 + 3). Dynamic programming over (photos placed, rows used)."""
    n = len(sizes)
    width = {(a, b): _row_width(sizes[a:b]) for a in range(n) for b in range(a + 1, n + 1)}
    ok = {ab: w for ab, w in width.items() if w <= usable_w + 1e-9}

    def best(limit: float):
        inf = (math.inf, math.inf)
        cost = [[inf] * (n + 1) for _ in range(n_rows + 1)]
        back = [[0] * (n + 1) for _ in range(n_rows + 1)]
        cost[0][0] = (0.0, 0.0)
        for r in range(1, n_rows + 1):
            for b in range(r, n + 1):
                for a in range(b - 1, r - 2, -1):  # shortest last row first: it wins ties
                    w = ok.get((a, b))
                    if w is None:
                        break
                    if w > limit or cost[r - 1][a] == inf:
                        continue
                    prev = cost[r - 1][a]
                    c = (round(prev[0] + sizes[a][1], 6), round(prev[1] + w * w, 6))  # rows tallest first
                    if c < cost[r][b]:
                        cost[r][b], back[r][b] = c, a
        if cost[n_rows][n] == inf:
            return None
        cuts, b = [], n
        for r in range(n_rows, 0, -1):
            cuts.append((back[r][b], b))
            b = back[r][b]
        return cuts[::-1]

    # the narrowest possible widest row: the smallest row width that still allows n_rows rows
    # (a larger limit never hurts, so a binary search over the possible widths finds it)
    limits = sorted(set(ok.values()))
    lo, hi, found = 0, len(limits) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        cuts = best(limits[mid] + 1e-9)
        if cuts is None:
            lo = mid + 1
        else:
            found, hi = cuts, mid - 1
    return found or _greedy_rows(sizes, usable_w)


def plan_mixed(items: list[tuple[str, tuple[float, float], int]], sheet: str = "6inch",
               caption: bool = False) -> MixedLayout:
    """Place ``count`` photos of each (key, (w, h) mm) on one sheet (portrait page first, then
    landscape); each row centred, the block centred; StudioError when they do not all fit."""
    if sheet not in SHEETS_MM:
        raise StudioError("sheet.unknown", sheet=sheet, choices=", ".join(SHEETS_MM))
    base = SHEETS_MM[sheet]
    for page in (base, (base[1], base[0])):
        rows = _shelves(page, items, caption)
        if rows is None:
            continue
        heights = [max(h for _, (_, h) in row) for row in rows]
        block_h = sum(heights) + GAP_MM * (len(rows) - 1)
        y = (page[1] - (CAPTION_MM if caption else 0.0) - block_h) / 2
        places = []
        above: tuple[set, float, float] = (set(), 0.0, 0.0)  # the row above: photo sizes, left edge, width
        for row, rh in zip(rows, heights):
            row_w = sum(w for _, (w, _) in row) + GAP_MM * (len(row) - 1)
            x = (page[0] - row_w) / 2
            sizes = {mm for _, mm in row}
            if len(sizes) == 1 and sizes == above[0] and row_w <= above[2] + 1e-9:
                x = above[1]  # one size as the row above: its columns, so the cuts run straight
            above = (sizes, x, max(row_w, above[2]) if sizes == above[0] else row_w)
            for k, (w, h) in row:
                places.append(Place(k, x, y, w, h))  # top-aligned in the row: one straight cut
                x += w + GAP_MM
            y += rh + GAP_MM
        return MixedLayout(sheet, page, tuple(places))
    what = " + ".join(f"{n} x {k}" for k, _, n in items)
    raise StudioError("sheet.layout_too_many", what=what, sheet=SHEET_NAMES_ZH[sheet])


def _render(page_mm: tuple[float, float], places: tuple[Place, ...], photos: dict, dpi: int, caption: str | None,
            marks: list[tuple[float, float, float, float]], layout) -> Sheet:
    page_w, page_h = mm_to_px(page_mm[0], dpi), mm_to_px(page_mm[1], dpi)
    canvas = Image.new("RGB", (page_w, page_h), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    cut_px = max(1, int(round(CUT_LINE_MM / MM_PER_INCH * dpi)))
    sources = {k: Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8), "RGB") for k, (rgb, _) in photos.items()}
    scaled: dict[tuple[str, int, int], Image.Image] = {}
    for p in places:
        x, y = mm_to_px(p.x, dpi), mm_to_px(p.y, dpi)
        # edges rounded independently, so photos of one size may differ by a pixel where the
        # millimetres fall between dots; the photo itself is always round(mm) wide
        pw, ph = mm_to_px(p.w, dpi), mm_to_px(p.h, dpi)
        src = sources[p.key]
        key = (p.key, pw, ph)
        if key not in scaled:
            scaled[key] = src.resize((pw, ph), Image.LANCZOS) if src.size != (pw, ph) else src
        # the cut line: a grey frame just outside the photo (the photo covers its inner side)
        draw.rectangle([x - cut_px, y - cut_px, x + pw - 1 + cut_px, y + ph - 1 + cut_px],
                       outline=(CUT_LINE_GREY,) * 3, width=cut_px)
        canvas.paste(scaled[key], (x, y))
    line_px = max(1, int(round(0.15 / MM_PER_INCH * dpi)))
    for x1, y1, x2, y2 in marks:
        draw.line([(x1 / MM_PER_INCH * dpi, y1 / MM_PER_INCH * dpi), (x2 / MM_PER_INCH * dpi, y2 / MM_PER_INCH * dpi)],
                  fill=(0, 0, 0), width=line_px)
    if caption:
        font = _font(mm_to_px(3.0, dpi))
        cy = mm_to_px(page_mm[1] - MARGIN_MM - CAPTION_MM / 2, dpi)
        draw.text((page_w / 2, cy), caption, fill=(0, 0, 0), font=font, anchor="mm")
    buf = io.BytesIO()
    canvas.save(buf, "JPEG", quality=95, subsampling=0, dpi=(dpi, dpi))
    pdf = _pdf(page_mm, places, sources, {k: j for k, (_, j) in photos.items()}, marks, caption)
    return Sheet(jpeg=buf.getvalue(), pdf=pdf, layout=layout, dpi=dpi)


def _pdf(page_mm: tuple[float, float], places: tuple[Place, ...], sources: dict, jpegs: dict,
         marks: list[tuple[float, float, float, float]], caption: str | None) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    buf = io.BytesIO()
    pw, ph = page_mm
    c = rl_canvas.Canvas(buf, pagesize=(pw * mm, ph * mm), pageCompression=1)
    c.setTitle("ID photo print sheet")
    c.setCreator("studio-app")
    readers = {}
    for key, im in sources.items():
        data = jpegs.get(key)
        if data is None:
            b = io.BytesIO()
            im.save(b, "JPEG", quality=95, subsampling=0)
            data = b.getvalue()
        readers[key] = ImageReader(io.BytesIO(data))  # one image object per photo, reused per copy
    lw = CUT_LINE_MM * mm
    c.setLineWidth(lw)
    c.setStrokeGray(CUT_LINE_GREY / 255.0)
    for p in places:  # PDF origin is bottom-left
        x, y, w, h = p.x * mm, (ph - p.y - p.h) * mm, p.w * mm, p.h * mm
        c.drawImage(readers[p.key], x, y, width=w, height=h)
        c.rect(x - lw / 2, y - lw / 2, w + lw, h + lw, stroke=1, fill=0)  # the cut line, just outside
    c.setLineWidth(0.15 * mm)
    c.setStrokeColorRGB(0, 0, 0)
    for x1, y1, x2, y2 in marks:
        c.line(x1 * mm, (ph - y1) * mm, x2 * mm, (ph - y2) * mm)
    if caption:
        font = _register_pdf_font()
        c.setFont(font, 8.5)
        c.drawCentredString(pw / 2 * mm, (MARGIN_MM + CAPTION_MM / 2 - 1.0) * mm, caption)
    c.showPage()
    c.save()
    return buf.getvalue()
