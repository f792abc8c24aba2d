"""Print a receipt PDF and a photo sheet through QPrinter (a real printer or a PDF file).

The receipt PDF is rasterised page by page with pypdfium2 at the printer's resolution (Qt's
own PDF module is not in the PySide6 wheels we ship) and each page keeps its physical size; the
sheet JPEG is printed at its own size from its DPI, never scaled to fit.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

MM_PER_PT = 25.4 / 72.0


def make_printer(name: str = "") -> QPrinter:
    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    return printer


def pdf_printer(path: Path, dpi: int = 300) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    printer.setFullPage(True)
    return printer


def _pdf_pages(path: Path, dpi: int) -> list[tuple[QImage, QSizeF]]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            w_pt, h_pt = page.get_size()
            bitmap = page.render(scale=dpi / 72.0)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes()
            image = QImage(data, pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888).copy()
            pages.append((image, QSizeF(w_pt * MM_PER_PT, h_pt * MM_PER_PT)))
            page.close()
    finally:
        doc.close()
    return pages


def _set_page(printer: QPrinter, size_mm: QSizeF) -> None:
    layout = QPageLayout(QPageSize(size_mm, QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.ExactMatch),
                         QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    printer.setPageLayout(layout)


def print_job(printer: QPrinter, receipt_pdf: Path | None, sheet_jpeg: Path | None) -> int:
    """Print the receipt pages, then the sheet; returns the number of pages printed."""
    dpi = max(150, printer.resolution())
    pages: list[tuple[QImage, QSizeF]] = []
    if receipt_pdf is not None:
        pages += _pdf_pages(Path(receipt_pdf), dpi)
    if sheet_jpeg is not None:
        image = QImage(str(sheet_jpeg))
        if image.isNull():
            raise OSError(f"cannot read print sheet {sheet_jpeg}")
        sheet_dpi = image.dotsPerMeterX() * 0.0254 or 300.0
        if sheet_dpi < 72:
            sheet_dpi = 300.0
        pages.append((image, QSizeF(image.width() / sheet_dpi * 25.4, image.height() / sheet_dpi * 25.4)))
    if not pages:
        return 0
    _set_page(printer, pages[0][1])
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        for i, (image, size) in enumerate(pages):
            if i:
                _set_page(printer, size)
                printer.newPage()
            rect = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRectF(rect), image)
    finally:
        painter.end()
    return len(pages)
