"""The order store: one code path (SQLAlchemy Core) for SQLite and PostgreSQL.

* SQLite (default): ``<data>/orders.sqlite3``, WAL, foreign keys on, ``synchronous=FULL``, write
  transactions start with ``BEGIN IMMEDIATE`` so two processes never dead-lock on an upgrade.
* PostgreSQL: ``postgresql://user:pass@host/db`` (psycopg 3, the ``postgres`` extra), READ
  COMMITTED; counter rows are locked by ``UPDATE ... RETURNING`` so numbering is serial.

Every write runs in one transaction that also appends to the audit log and bumps the
``revision`` counter (what a review window polls). Writes that lose the server connection are
retried with back-off; ``create_order`` carries a client token so a retry after a commit whose
acknowledgement was lost returns the stored order instead of writing a second one.

:class:`OrderStore` is one façade over one module per job: ``engine`` (engine, retries, counters,
audit), ``records`` (orders), ``files``, ``keys``, ``privacy`` (erase, purge), ``maintenance``
(check, compact), ``notify``; built from a :class:`StoreConfig` (``config``), never from the
settings file itself.
"""

from __future__ import annotations

from ...hashing import sha256_file
from .config import StoreConfig, default_url, normalise_url, redact, store_config
from .engine import StoreEngine
from .files import FilesMixin, OrderFilesMixin, UnsafeFile, remove_order_file, shred_file
from .keys import KeysMixin
from .maintenance import MaintenanceMixin
from .model import ERASE_STATES, FILE_KINDS, STATUSES, TRANSITIONS, Order, Problem, sha256_bytes, utcnow
from .notify import NotificationsMixin
from .privacy import PrivacyMixin
from .records import OrdersMixin

__all__ = ["ERASE_STATES", "FILE_KINDS", "STATUSES", "TRANSITIONS", "Order", "OrderStore", "Problem",
           "StoreConfig", "UnsafeFile", "default_url", "normalise_url", "open_store", "redact", "remove_order_file",
           "sha256_bytes", "sha256_file", "shred_file", "store_config", "utcnow"]


class OrderStore(OrdersMixin, FilesMixin, OrderFilesMixin, KeysMixin, PrivacyMixin, MaintenanceMixin, NotificationsMixin,
                 StoreEngine):
    """Orders, their photos and files, numbering and the audit log. Thread-safe, multi-process safe.

    ``OrderStore(config)`` with a :class:`StoreConfig`; ``OrderStore(url, station=...)`` (the older
    form) makes the config from the settings file first."""

    def __init__(self, config: StoreConfig | str | None = None, **overrides) -> None:
        if not isinstance(config, StoreConfig):
            config = store_config(config, **overrides)
        elif overrides:
            config = config.with_(**overrides)
        super().__init__(config)


def open_store(url: str | None = None, *, config: StoreConfig | None = None, settings=None,
               **overrides) -> OrderStore:
    """The order store at ``url`` (default: STUDIO_APP_DATABASE_URL, then settings.database_url,
    then SQLite in the data folder). Creates or migrates the schema. ``settings``: the shell's
    settings (default: read the settings file); ``config``: a ready :class:`StoreConfig`."""
    if config is None:
        config = store_config(url, settings=settings, **overrides)
    return OrderStore(config)
