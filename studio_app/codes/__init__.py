"""The numbers and codes an order carries, as pure rules (Qt-free, no database): Chinese ID
numbers (``idnumber``), provinces and cities (``regions``), receipt and image numbers with their
check character (``numbering``). Shared by orders, receipts and the shells, so receipts need not
import orders."""

from . import idnumber, numbering, regions

__all__ = ["idnumber", "numbering", "regions"]
