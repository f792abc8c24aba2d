"""Orders: applicant data, numbering, the order store (SQLite or PostgreSQL), audit, retention.

Qt-free. ``open_store(url=None) -> OrderStore``; ``idnumber.validate``; ``regions``.
"""

from . import idnumber, numbering, regions
from .store import STATUSES, Order, OrderStore, Problem, open_store

__all__ = ["STATUSES", "Order", "OrderStore", "Problem", "idnumber", "numbering", "open_store", "regions"]
