"""Encryption of full ID numbers at rest (Fernet: AES-128-CBC + HMAC-SHA256).

The key lives in the config folder (``order-key.fernet``, mode 0600), never in the database, so a
copied database alone does not reveal ID numbers. Stations sharing one PostgreSQL server must
share the key file (see docs/multi-station.md).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from .. import messages
from ..errors import StudioError
from ..paths import config_dir

KEY_FILE = "order-key.fernet"

messages.register({
    "orders.key.unreadable": ("无法读取身份证号码加密密钥 {file}：{problem}",
                              "Cannot read the ID-number key {file}: {problem}"),
    "orders.key.wrong": ("身份证号码无法解密：密钥 {file} 与数据库不匹配（多站点须共用同一密钥文件）",
                         "The ID number cannot be decrypted: key {file} does not match the database "
                         "(stations must share one key file)"),
})


def key_path() -> Path:
    return config_dir() / KEY_FILE


def load_key(create: bool = True) -> bytes:
    path = key_path()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        if not create:
            raise StudioError("orders.key.unreadable", file=str(path), problem="missing") from None
    except OSError as exc:
        raise StudioError("orders.key.unreadable", file=str(path), problem=str(exc)) from None
    key = Fernet.generate_key()
    # write a private temp file, then link it into place: the key appears whole or not at all,
    # and when two processes race the first link wins and the other reads that key
    tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return path.read_bytes().strip()
    finally:
        tmp.unlink(missing_ok=True)
    return key


def search_hash(number: str) -> str:
    """Keyed hash (HMAC-SHA256 under a key derived from the Fernet key) to find an order by its
    full ID number without storing the number in clear; useless without the key file."""
    key = hashlib.sha256(b"studio-app id search\0" + load_key()).digest()
    return hmac.new(key, number.encode("ascii"), hashlib.sha256).hexdigest()


def encrypt(text: str) -> str:
    return Fernet(load_key()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return Fernet(load_key(create=False)).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise StudioError("orders.key.wrong", file=str(key_path())) from None
