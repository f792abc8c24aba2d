"""Admin PIN for leaving the kiosk (Qt-free).

The PIN is never stored: only ``pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`` in
``Settings.kiosk_admin_pin_hash``. Verification is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import os

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000
MIN_LENGTH = 4
MAX_LENGTH = 12


def valid_pin_text(pin: str) -> bool:
    return pin.isdigit() and MIN_LENGTH <= len(pin) <= MAX_LENGTH


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
    if not pin.isdigit() or iterations_n < 1 or not salt or not expected:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations_n)
    return hmac.compare_digest(digest, expected)


def is_configured(stored: str) -> bool:
    return stored.count("$") == 3 and stored.startswith(ALGORITHM + "$")
