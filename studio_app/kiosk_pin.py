"""Admin PIN for leaving the kiosk (Qt-free).

The PIN is never stored: only ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`` in
``Settings.kiosk_admin_pin_hash``. Verification is constant-time.

A PIN is 6-12 ASCII digits (a 4-digit PIN falls to a patient customer in about a day). Wrong
tries are counted in ``kiosk-pin-lockout.json`` beside the settings (so a restart does not reset
them): from the 5th failure on, the pad locks for 60 s, doubling with every further failure up to
a day. Every failure is logged and appended to ``kiosk-audit.log`` in the data folder.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import time
from pathlib import Path

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000
MIN_LENGTH = 6
MAX_LENGTH = 12
LOCK_AFTER = 5  # failures before the first lock
LOCK_BASE_S = 60.0
LOCK_MAX_S = 24 * 3600.0
STATE_FILE = "kiosk-pin-lockout.json"
AUDIT_FILE = "kiosk-audit.log"

log = logging.getLogger(__name__)


def valid_pin_text(pin: str) -> bool:
    """6-12 ASCII digits ("٣" or "³" are digits to ``str.isdigit`` but not to a number pad)."""
    return isinstance(pin, str) and pin.isascii() and pin.isdigit() and MIN_LENGTH <= len(pin) <= MAX_LENGTH


def hash_pin(pin: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    if not valid_pin_text(pin):
        raise ValueError(f"a PIN is {MIN_LENGTH}-{MAX_LENGTH} digits")
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored``; False for any malformed or empty hash."""
    try:
        algorithm, iterations, salt_hex, digest_hex = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        iterations_n = int(iterations)
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
    except (ValueError, AttributeError):
        return False
    if not (pin.isascii() and pin.isdigit()) or iterations_n < 1 or not salt or not expected:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations_n)
    return hmac.compare_digest(digest, expected)


def is_configured(stored: str) -> bool:
    return stored.count("$") == 3 and stored.startswith(ALGORITHM + "$")


def lock_seconds(failures: int) -> float:
    """How long the pad stays locked after ``failures`` consecutive wrong PINs (0: not locked)."""
    if failures < LOCK_AFTER:
        return 0.0
    return min(LOCK_MAX_S, LOCK_BASE_S * 2 ** min(failures - LOCK_AFTER, 20))


class PinGuard:
    """Checks PINs with a lockout that grows with failures and survives a restart."""

    def __init__(self, state_path: Path | None = None, audit_path: Path | None = None, clock=time.time):
        from .paths import config_dir, data_dir

        self.state_path = state_path or config_dir() / STATE_FILE
        self.audit_path = audit_path or data_dir() / AUDIT_FILE
        self.clock = clock

    def _state(self) -> dict:
        try:
            raw = json.loads(self.state_path.read_text(encoding="utf-8"))
            return {"failures": max(0, int(raw.get("failures", 0))), "locked_until": float(raw.get("locked_until", 0))}
        except (OSError, ValueError, TypeError, AttributeError):
            return {"failures": 0, "locked_until": 0.0}

    def _save(self, state: dict) -> None:
        from .atomic import write_text_atomic

        write_text_atomic(self.state_path, json.dumps(state))

    def locked_for(self) -> int:
        """Seconds left of the current lock (0: the pad is open)."""
        left = self._state()["locked_until"] - self.clock()
        return int(left + 0.999) if left > 0 else 0

    def check(self, pin: str, stored: str) -> tuple[bool, int]:
        """(unlocked, seconds locked now). While locked, no PIN is even tried."""
        left = self.locked_for()
        if left:
            self._audit("pin_attempt_while_locked", self._state()["failures"], left)
            return False, left
        if verify_pin(pin, stored):
            self._save({"failures": 0, "locked_until": 0.0})
            return True, 0
        state = self._state()
        state["failures"] += 1
        lock = lock_seconds(state["failures"])
        state["locked_until"] = self.clock() + lock if lock else 0.0
        self._save(state)
        self._audit("pin_failed", state["failures"], int(lock))
        return False, int(lock)

    def _audit(self, action: str, failures: int, lock_s: int) -> None:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        log.warning("kiosk admin PIN: %s (failures %d, locked %d s)", action, failures, lock_s)
        try:
            self.audit_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.audit_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"at": stamp, "action": action, "failures": failures, "locked_s": lock_s}) + "\n")
        except OSError as exc:  # the audit must never stop the kiosk; the log line above stays
            log.error("kiosk audit file %s not writable: %s", self.audit_path, exc)
