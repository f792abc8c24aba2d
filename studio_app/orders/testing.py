"""Helpers for tests and trials against PostgreSQL: a scratch schema per test on one server.

``STUDIO_APP_TEST_PG_URL`` names the server (``.ci/run`` starts one on loopback);
:func:`scratch_schema` creates a uniquely named schema and yields a URL whose connections use it
(``options=-csearch_path=...``), so tests never see each other's tables; the schema is dropped after.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from typing import Iterator

ENV = "STUDIO_APP_TEST_PG_URL"


def pg_test_url() -> str | None:
    url = os.environ.get(ENV, "").strip()
    return url or None


def _with_schema(url: str, schema: str) -> str:
    from sqlalchemy.engine import make_url

    from .store import normalise_url

    parsed = make_url(normalise_url(url))
    query = dict(parsed.query)
    query["options"] = f"-csearch_path={schema}"
    return parsed.set(query=query).render_as_string(hide_password=False)


@contextlib.contextmanager
def scratch_schema(url: str | None = None) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from .store import normalise_url

    base = normalise_url(url or pg_test_url() or "")
    schema = "t_" + uuid.uuid4().hex[:16]
    engine = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)  # survives a restart
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield _with_schema(base, schema)
    finally:
        try:
            with engine.connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            engine.dispose()
