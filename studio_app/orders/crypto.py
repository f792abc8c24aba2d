"""Encryption of full ID numbers at rest (Fernet: AES-128-CBC + HMAC-SHA256), with a keyring.

The keys live in the config folder (``order-key.fernet``, mode 0600), never in the database, so a
copied database alone does not reveal ID numbers. Stations sharing one PostgreSQL server must
share the key file (see docs/multi-station.md).

The key file is a *keyring*: one Fernet key per line (``#`` comments allowed). A file written by
an older version holds one key and is a keyring of one. Every key has a short id (a fingerprint,
:func:`key_id`); a ciphertext is stored as ``<key id>:<Fernet token>`` so the key that opens it is
known. Untagged tokens (written before keyrings) are tried against every key of the ring.
Which key *encrypts* is decided by the order store (the database records the current key id,
never a key), see ``OrderStore.rotate_key``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from .. import messages
from ..atomic import write_private
from ..errors import StudioError
from ..paths import config_dir

KEY_FILE = "order-key.fernet"

messages.register({
    "orders.key.unreadable": ("无法读取身份证号码加密密钥 {file}：{problem}",
                              "Cannot read the ID-number key {file}: {problem}"),
    "orders.key.wrong": ("身份证号码无法解密：密钥 {file} 与数据库不匹配（多站点须共用同一密钥文件）",
                         "The ID number cannot be decrypted: key {file} does not match the database "
                         "(stations must share one key file)"),
    "orders.key.missing": ("身份证号码由密钥 {kid} 加密，但本工位的密钥文件 {file} 中没有该密钥："
                           "请从执行密钥轮换的工位复制最新的密钥文件（docs/multi-station.md）",
                           "The ID number is encrypted with key {kid}, which this station's key file {file} "
                           "does not hold: copy the current key file from the station that rotated the key "
                           "(docs/multi-station.md)"),
})


def key_path() -> Path:
    return config_dir() / KEY_FILE


def key_id(key: bytes) -> str:
    """Short fingerprint naming a key (stored with each ciphertext and in the database)."""
    return hashlib.sha256(b"studio-app key id\0" + key.strip()).hexdigest()[:12]


def _parse(data: bytes) -> list[bytes]:
    keys = []
    for line in data.splitlines():
        line = line.strip()
        if line and not line.startswith(b"#") and line not in keys:
            keys.append(line)
    return keys


def load_keys(create: bool = True) -> list[bytes]:
    """Every key of the ring, newest first. Creates a one-key ring when there is none."""
    path = key_path()
    try:
        keys = _parse(path.read_bytes())
        if keys:
            return keys
        problem = "empty"
    except FileNotFoundError:
        problem = "missing"
    except OSError as exc:
        raise StudioError("orders.key.unreadable", file=str(path), problem=str(exc)) from None
    if not create or problem == "empty":
        raise StudioError("orders.key.unreadable", file=str(path), problem=problem)
    key = Fernet.generate_key()
    if not write_private(path, key + b"\n", replace=False):
        return load_keys(create=False)
    return [key]


def save_keys(keys: list[bytes]) -> None:
    """Replace the ring atomically (temp file, fsync, rename, fsync of the folder): a crash leaves
    the old ring or the new one, never a torn file. Never called with an empty list."""
    if not keys:
        raise ValueError("a keyring cannot be empty")
    body = b"# studio_app ID-number keyring: one Fernet key per line, newest first. Keep it secret;\n" \
           b"# every station of one database needs the same file (docs/multi-station.md).\n"
    write_private(key_path(), body + b"".join(k.strip() + b"\n" for k in keys), replace=True)


def keyring(create: bool = True) -> dict[str, bytes]:
    """key id -> key, newest first."""
    return {key_id(k): k for k in load_keys(create)}


def load_key(create: bool = True) -> bytes:
    """The newest key of the ring (compatibility: one-key callers)."""
    return load_keys(create)[0]


def generate_key() -> bytes:
    return Fernet.generate_key()


def _hash_key(key: bytes) -> bytes:
    return hashlib.sha256(b"studio-app id search\0" + key.strip()).digest()


def search_hash(number: str, key: bytes | None = None) -> str:
    """Keyed hash (HMAC-SHA256 under a key derived from a Fernet key) to find an order by its
    full ID number without storing the number in clear; useless without the key file. Each
    ciphertext's hash is made under the same key as the ciphertext."""
    key = key if key is not None else load_key()
    return hmac.new(_hash_key(key), number.encode("ascii"), hashlib.sha256).hexdigest()


def search_hashes(number: str) -> list[str]:
    """The hash of ``number`` under every key of the ring (a search matches any of them)."""
    try:
        keys = load_keys(create=False)
    except StudioError:
        return []
    return [search_hash(number, k) for k in keys]


def tag_of(token: str | None) -> str | None:
    """The key id a stored ciphertext names (None: untagged, from before keyrings)."""
    if token and ":" in token:
        return token.split(":", 1)[0]
    return None


def encrypt(text: str, key: bytes | None = None) -> str:
    key = key if key is not None else load_key()
    return f"{key_id(key)}:" + Fernet(key).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, ring: dict[str, bytes] | None = None) -> str:
    """The plain text of a stored ciphertext (``ring``: key id -> key, default the key file)."""
    ring = ring if ring is not None else keyring(create=False)
    kid = tag_of(token)
    if kid is not None:
        key = ring.get(kid)
        if key is None:
            raise StudioError("orders.key.missing", kid=kid, file=str(key_path()))
        candidates = [key]
        body = token.split(":", 1)[1]
    else:
        candidates = list(ring.values())
        body = token
    for key in candidates:
        try:
            return Fernet(key).decrypt(body.encode("ascii")).decode("utf-8")
        except InvalidToken:
            continue
    raise StudioError("orders.key.wrong", file=str(key_path()))
