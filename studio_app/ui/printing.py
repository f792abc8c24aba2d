"""Printing at exact physical size (QPrinter, never fit-to-page) with per-printer calibration.

A print sheet is a JPEG carrying its DPI (or a PDF page with its size in points); it is placed on
the page at ``(dx_mm, dy_mm)`` from the paper's top-left corner and drawn ``sx``/``sy`` times its
nominal size. The calibration per printer comes from ``Settings.printer_offsets[name]`` and is
found with the test page: a 100 mm square with a cross 20 mm from each edge, measured with a ruler.

Both shells print through here: the operator picks a printer in a dialog (:func:`print_file`),
the kiosk prints receipt and sheet unattended (:func:`print_job`); both with the calibration.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)

MM_PER_INCH = 25.4
TEST_SQUARE_MM = 100.0
TEST_CROSS_MM = 20.0


@dataclass(frozen=True)
class Calibration:
    dx_mm: float = 0.0
    dy_mm: float = 0.0
    sx: float = 1.0
    sy: float = 1.0

    @classmethod
    def from_settings(cls, settings, printer_name: str) -> "Calibration":
        raw = (getattr(settings, "printer_offsets", None) or {}).get(printer_name) or {}
        try:
            return cls(float(raw.get("dx_mm", 0.0)), float(raw.get("dy_mm", 0.0)),
                       float(raw.get("sx", 1.0)) or 1.0, float(raw.get("sy", 1.0)) or 1.0)
        except (TypeError, ValueError, AttributeError):
            return cls()

    def to_dict(self) -> dict:
        return {"dx_mm": self.dx_mm, "dy_mm": self.dy_mm, "sx": self.sx, "sy": self.sy}

    @classmethod
    def from_measurement(cls, square_w_mm: float, square_h_mm: float, cross_x_mm: float, cross_y_mm: float,
                         current: "Calibration | None" = None) -> "Calibration":
        """The calibration that corrects a printed test page whose square measured ``square_w/h``
        and whose cross sat ``cross_x/y`` mm from the paper's left/top edge."""
        cur = current or cls()
        sx = cur.sx * TEST_SQUARE_MM / square_w_mm if square_w_mm > 0 else cur.sx
        sy = cur.sy * TEST_SQUARE_MM / square_h_mm if square_h_mm > 0 else cur.sy
        return cls(cur.dx_mm + TEST_CROSS_MM - cross_x_mm, cur.dy_mm + TEST_CROSS_MM - cross_y_mm, sx, sy)


def device_rect(dpi_x: float, dpi_y: float, size_mm: tuple[float, float], cal: Calibration,
                origin_mm: tuple[float, float] = (0.0, 0.0)) -> QRectF:
    """Where an item of ``size_mm`` goes, in device px of a full-page painter."""
    kx, ky = dpi_x / MM_PER_INCH, dpi_y / MM_PER_INCH
    x_mm, y_mm = origin_mm[0] + cal.dx_mm, origin_mm[1] + cal.dy_mm
    return QRectF(x_mm * kx, y_mm * ky, size_mm[0] * cal.sx * kx, size_mm[1] * cal.sy * ky)


def image_size_mm(image: QImage, fallback_dpi: float = 300.0) -> tuple[float, float]:
    """Physical size of an image from its embedded DPI (JFIF density), else ``fallback_dpi``."""
    dpm_x, dpm_y = image.dotsPerMeterX(), image.dotsPerMeterY()
    if dpm_x < 400 or dpm_y < 400:  # < ~10 dpi: no real density stored
        dpm_x = dpm_y = fallback_dpi / MM_PER_INCH * 1000
    return image.width() / dpm_x * 1000.0, image.height() / dpm_y * 1000.0


def _pdf_pages(path: Path, dpi: float) -> list[tuple[QImage, tuple[float, float]]]:
    """Each page of a PDF rendered at ``dpi`` with its size in mm (needs pypdfium2)."""
    import pypdfium2 as pdfium

    pages = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for page in doc:
            w_pt, h_pt = page.get_size()
            bitmap = page.render(scale=dpi / 72.0)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes()
            img = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()
            pages.append((img, (w_pt / 72.0 * MM_PER_INCH, h_pt / 72.0 * MM_PER_INCH)))
    finally:
        doc.close()
    return pages


def load_printable(path: str | Path, dpi: float = 300.0) -> list[tuple[QImage, tuple[float, float]]]:
    """Pages of a JPEG/PNG (one) or PDF as (image, size in mm)."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        return _pdf_pages(path, dpi)
    img = QImage(str(path))
    if img.isNull():
        raise OSError(f"cannot read {path}")
    return [(img, image_size_mm(img, dpi))]


def setup_printer(printer: QPrinter, size_mm: tuple[float, float] | None = None) -> None:
    printer.setFullPage(True)  # coordinates from the paper's corner, not the printable area
    if size_mm is not None and printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        printer.setPageSize(QPageSize(QSizeF(*size_mm), QPageSize.Unit.Millimeter))
        printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def _set_paper(printer: QPrinter, size_mm: tuple[float, float]) -> None:
    """The paper is the item's size (a roll printer cuts the receipt, then the sheet)."""
    printer.setPageLayout(QPageLayout(
        QPageSize(QSizeF(*size_mm), QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.ExactMatch),
        QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))


def print_pages(printer: QPrinter, pages, cal: Calibration, paper_per_page: bool = False) -> None:
    """Draw each (image, size_mm) at exact size onto ``printer`` (already set up); with
    ``paper_per_page`` each page's paper is set to its item's size first."""
    if paper_per_page and pages:
        printer.setFullPage(True)
        _set_paper(printer, pages[0][1])
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be opened")
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for i, (img, size_mm) in enumerate(pages):
            if i:
                if paper_per_page:
                    _set_paper(printer, size_mm)
                printer.newPage()
            painter.drawImage(device_rect(printer.logicalDpiX(), printer.logicalDpiY(), size_mm, cal), img)
    finally:
        painter.end()


def print_test_page(printer: QPrinter, cal: Calibration) -> None:
    """A 100 mm square whose top-left corner is 20 mm from the paper's edges, with mm ticks and a
    cross at that corner: measure it and enter the result in the settings."""
    setup_printer(printer)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be opened")
    try:
        dx, dy = printer.logicalDpiX(), printer.logicalDpiY()
        sq = device_rect(dx, dy, (TEST_SQUARE_MM, TEST_SQUARE_MM), cal, (TEST_CROSS_MM, TEST_CROSS_MM))
        pen = QPen(QColor(0, 0, 0))
        pen.setWidthF(max(1.0, dx / MM_PER_INCH * 0.2))
        painter.setPen(pen)
        painter.drawRect(sq)
        kx, ky = sq.width() / TEST_SQUARE_MM, sq.height() / TEST_SQUARE_MM
        for mm in range(0, int(TEST_SQUARE_MM) + 1, 5):
            tick = (4 if mm % 10 == 0 else 2)
            painter.drawLine(QPointF(sq.left() + mm * kx, sq.top()), QPointF(sq.left() + mm * kx, sq.top() + tick * ky))
            painter.drawLine(QPointF(sq.left(), sq.top() + mm * ky), QPointF(sq.left() + tick * kx, sq.top() + mm * ky))
        c = sq.topLeft()
        arm = 8 * kx
        painter.drawLine(QPointF(c.x() - arm, c.y()), QPointF(c.x() + arm, c.y()))
        painter.drawLine(QPointF(c.x(), c.y() - arm), QPointF(c.x(), c.y() + arm))
        font = QFont()
        font.setPointSizeF(9)
        painter.setFont(font)
        painter.drawText(QRectF(sq.left() + 8 * kx, sq.top() + 30 * ky, 84 * kx, 50 * ky),
                         Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
                         "打印校准测试页 / Printer calibration test page\n"
                         "方框应为 100 × 100 mm；十字中心距纸张左边和上边各 20 mm。\n"
                         "The square must measure 100 × 100 mm; the cross 20 mm from the left and top edges.\n"
                         f"dx {cal.dx_mm:+.1f} mm  dy {cal.dy_mm:+.1f} mm  sx {cal.sx:.4f}  sy {cal.sy:.4f}")
    finally:
        painter.end()


def ask_printer(parent: QWidget) -> QPrinter | None:
    """The operator's printer (QPrintDialog), or None when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dlg = QPrintDialog(printer, parent)
    return printer if dlg.exec() == QPrintDialog.DialogCode.Accepted else None


def print_loaded(parent: QWidget, pages, settings, printer: QPrinter | None = None) -> bool:
    """Print pages already in memory (image, size in mm) at exact size with the printer's
    calibration (a mixed sheet made in the window); asks for the printer unless one is given."""
    if printer is None:
        printer = ask_printer(parent)
        if printer is None:
            return False
    setup_printer(printer, pages[0][1] if pages else None)
    cal = Calibration.from_settings(settings, printer.printerName())
    try:
        print_pages(printer, pages, cal)
    except OSError as exc:
        QMessageBox.warning(parent, parent.tr("打印"), str(exc))
        return False
    return True


def print_file(parent: QWidget, path, settings, printer: QPrinter | None = None) -> bool:
    """Print ``path`` at exact size; asks for the printer (QPrintDialog) unless one is given."""
    if not path:
        return False
    path = Path(path)
    if printer is None:
        printer = ask_printer(parent)
        if printer is None:
            return False
    try:
        pages = load_printable(path, dpi=max(300, printer.resolution()))
    except ImportError:
        QMessageBox.warning(parent, parent.tr("打印"), parent.tr("无法直接打印 PDF（缺少 pypdfium2）"))
        return False
    except OSError as exc:
        QMessageBox.warning(parent, parent.tr("打印"), str(exc))
        return False
    return print_loaded(parent, pages, settings, printer)


def make_printer(name: str = "") -> QPrinter:
    """The named printer, or the system default (the kiosk prints without a dialog)."""
    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    return printer


def pdf_printer(path: Path, dpi: int = 300) -> QPrinter:
    """A printer writing a PDF file (tests, and a station without a printer)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    printer.setFullPage(True)
    return printer


def print_job(printer: QPrinter, paths, settings) -> int:
    """Print every file of ``paths`` (PDF pages, JPEG sheets; None skipped) unattended, each page
    on paper of its own size, with the printer's calibration; returns the pages printed."""
    dpi = max(300, printer.resolution())
    pages = []
    for path in paths:
        if path is not None:
            pages += load_printable(path, dpi=dpi)
    if not pages:
        return 0
    print_pages(printer, pages, Calibration.from_settings(settings, printer.printerName()), paper_per_page=True)
    return len(pages)
