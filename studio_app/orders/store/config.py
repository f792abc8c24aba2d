"""What the store is built from: :class:`StoreConfig` (database URL, station, number formats,
ID-number storage, retention, retry time). The store reads no settings file; the caller (or
:func:`store_config`, used by ``open_store``) makes the config from settings."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.engine import make_url

from ...codes import numbering
from ...errors import StudioError
from ...paths import data_dir

ID_STORAGE = ("encrypted", "none")


@dataclass(frozen=True)
class StoreConfig:
    url: str  # normalised: sqlite:///FILE or postgresql+psycopg://...
    station: str = "A01"
    receipt_format: str = numbering.DEFAULT_RECEIPT_FORMAT
    image_format: str = numbering.DEFAULT_IMAGE_FORMAT
    store_id_numbers: str = "encrypted"  # "encrypted" | "none"
    retention_days: int = 90
    retry_seconds: float = 20.0  # how long a write retries a lost database connection

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", normalise_url(self.url))
        numbering.check_station(self.station)
        numbering.validate_format(self.receipt_format)
        numbering.validate_format(self.image_format)

    @classmethod
    def from_settings(cls, settings, url: str | None = None, *, station: str | None = None,
                      receipt_format: str | None = None, image_format: str | None = None,
                      store_id_numbers: str | None = None, retry_seconds: float = 20.0) -> "StoreConfig":
        """The config for ``settings`` (a :class:`studio_app.settings.Settings`); keyword values
        given here win over the settings."""
        return cls(url=url or default_url(settings), station=station or settings.station_code,
                   receipt_format=receipt_format or settings.receipt_format or numbering.DEFAULT_RECEIPT_FORMAT,
                   image_format=image_format or numbering.DEFAULT_IMAGE_FORMAT,
                   store_id_numbers=store_id_numbers or settings.store_id_numbers,
                   retention_days=settings.retention_days, retry_seconds=retry_seconds)

    def with_(self, **changes) -> "StoreConfig":
        return replace(self, **changes)


def store_config(url: str | None = None, *, settings=None, **overrides) -> StoreConfig:
    """A config from ``settings`` (default: the settings file) and ``overrides``."""
    if settings is None:
        from ...settings import load_settings

        settings = load_settings()[0]
    return StoreConfig.from_settings(settings, url, **overrides)


def default_url(settings=None) -> str:
    """STUDIO_APP_DATABASE_URL, then ``settings.database_url``, then SQLite in the data folder."""
    env = os.environ.get("STUDIO_APP_DATABASE_URL", "").strip()
    if env:
        return env
    configured = (getattr(settings, "database_url", "") or "").strip() if settings is not None else ""
    return configured or f"sqlite:///{data_dir() / 'orders.sqlite3'}"


def normalise_url(url: str) -> str:
    url = url.strip()
    if "://" not in url:  # a bare file path means SQLite
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    try:
        parsed = make_url(url)
    except Exception:
        raise StudioError("orders.bad_url", url=redact(url)) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    if backend == "sqlite":
        return url
    raise StudioError("orders.bad_url", url=redact(url))


def redact(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)

