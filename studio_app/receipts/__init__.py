"""Photo receipts (照片回执) as PDF: ReportLab, CJK font embedded, templates as data. Qt-free."""

from .render import Studio, parse_payload, payload, register_fonts, render_receipt
from .verify import Verdict, verify

__all__ = ["Studio", "Verdict", "parse_payload", "payload", "register_fonts", "render_receipt", "verify"]
