"""Change notifications: a review window waits for the revision counter to move (LISTEN/NOTIFY
on PostgreSQL, polling elsewhere)."""

from __future__ import annotations

import logging
import time

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)


class NotificationsMixin:
    """Part of :class:`OrderStore`."""

    def wait_for_change(self, since: int, timeout: float = 10.0, poll: float = 0.5) -> int:
        """Block until :meth:`revision` exceeds ``since`` or ``timeout`` passes; returns the revision.
        On PostgreSQL it sleeps on LISTEN (every write sends NOTIFY) and wakes at once; elsewhere,
        or when listening fails, it polls every ``poll`` seconds. Call it from one thread."""
        end = time.monotonic() + timeout
        listener = self._listener() if self.dialect == "postgresql" else None
        while True:
            rev = self.revision()
            remaining = end - time.monotonic()
            if rev > since or remaining <= 0:
                return rev
            if listener is not None:
                try:
                    for _note in listener.notifies(timeout=min(remaining, max(poll, 1.0)), stop_after=1):
                        pass
                    continue
                except Exception as exc:  # connection lost: fall back to polling, listen again later
                    log.info("LISTEN connection lost (%s); polling", exc)
                    self._close_listener()
                    listener = None
            time.sleep(min(poll, remaining))

    _listen_conn = None

    def _listener(self):
        if self._listen_conn is None:
            try:
                import psycopg

                url = make_url(self.url).set(drivername="postgresql")
                conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True,
                                       connect_timeout=5)
                conn.execute(f"LISTEN {self.NOTIFY_CHANNEL}")
                self._listen_conn = conn
            except Exception as exc:
                log.info("cannot LISTEN (%s); polling", exc)
                return None
        return self._listen_conn

    def _close_listener(self) -> None:
        conn, self._listen_conn = self._listen_conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass
