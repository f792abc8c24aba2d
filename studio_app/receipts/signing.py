"""The studio's receipt-signing key (Ed25519) and the signed QR payload of a receipt.

A receipt's QR carries the receipt number, image number, spec, the photo's SHA-256 and a hash of
the applicant's name, signed with the studio's private key, so a copied QR on a paper receipt
with another name, or a QR typed up by hand, does not pass ``receipt verify``. Another station or
an offline checker needs only the public keys (``studio-app receipt public-key``).

Files in the config folder, beside the ID-number keyring (``order-key.fernet``):

* ``receipt-signing.ed25519``: the private key (32 raw bytes as hex), mode 0600, made on first use;
* ``receipt-public-keys.txt``: every public key this station has signed with, newest first, one
  ``<key id> <hex>`` a line; old keys stay after a rotation so old receipts still verify.

Payload (QR alphanumeric set only, so the symbol stays small)::

    SRCPT2/R:<receipt>/I:<image>/S:<spec>/H:<photo sha256, base32>/N:<name hash, base32>/K:<key id>/G:<signature, base32>

The signature covers the ASCII text before ``/G:``. Parsing is strict: the whole text or nothing.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import unicodedata
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .. import messages
from ..atomic import write_private
from ..errors import StudioError
from ..paths import config_dir

PRIVATE_FILE = "receipt-signing.ed25519"
PUBLIC_FILE = "receipt-public-keys.txt"
PREFIX = "SRCPT2"
LEGACY_PREFIX = "SRCPT1"

messages.register({
    "receipts.key.unreadable": ("无法读取回执签名密钥 {file}：{problem}", "Cannot read the receipt-signing key {file}: {problem}"),
    "receipts.key.bad_public": ("公钥文件 {file} 第 {line} 行无效", "Line {line} of the public-key file {file} is invalid"),
})

_B32 = "[A-Z2-7]"
_SIGNED = re.compile(
    PREFIX + r"/R:([0-9A-Z]{2,32})/I:([0-9A-Z]{2,32})/S:([0-9A-Z.]{1,48})/H:(" + _B32 + "{52})"
    r"/N:(" + _B32 + "{26})/K:([0-9A-F]{8})")
_FULL = re.compile("(" + _SIGNED.pattern + r")/G:(" + _B32 + r"{103})\r?\n?")
_LEGACY = re.compile(LEGACY_PREFIX + r"/R:([0-9A-Z]{2,32})/I:([0-9A-Z]{2,32})/S:([0-9A-Z.]{1,48})/H:([0-9A-F]{64})\r?\n?")


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def private_path() -> Path:
    return config_dir() / PRIVATE_FILE


def public_path() -> Path:
    return config_dir() / PUBLIC_FILE


def key_id(public: Ed25519PublicKey | bytes) -> str:
    raw = public if isinstance(public, bytes) else public.public_bytes_raw()
    return hashlib.sha256(b"studio-app receipt key\0" + raw).hexdigest()[:8].upper()


def public_keys() -> dict[str, bytes]:
    """key id -> raw public key, newest first (this station's own key is always included)."""
    keys: dict[str, bytes] = {}
    path = public_path()
    if path.is_file():
        for n, line in enumerate(path.read_text("ascii", errors="replace").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            try:
                raw = bytes.fromhex(parts[-1])
                Ed25519PublicKey.from_public_bytes(raw)
            except (ValueError, IndexError):
                raise StudioError("receipts.key.bad_public", file=str(path), line=n) from None
            keys.setdefault(key_id(raw), raw)
    return keys


def _save_public(keys: dict[str, bytes]) -> None:
    body = "# studio_app receipt public keys, newest first: <key id> <Ed25519 public key hex>\n"
    body += "".join(f"{kid} {raw.hex()}\n" for kid, raw in keys.items())
    from ..atomic import write_text_atomic

    write_text_atomic(public_path(), body, encoding="ascii")


def signing_key(create: bool = True) -> Ed25519PrivateKey:
    path = private_path()
    try:
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(path.read_text("ascii").strip()))
    except FileNotFoundError:
        if not create:
            raise StudioError("receipts.key.unreadable", file=str(path), problem="missing") from None
        key = Ed25519PrivateKey.generate()
        if not write_private(path, key.private_bytes_raw().hex().encode("ascii") + b"\n"):
            return signing_key(create=False)
    except (OSError, ValueError) as exc:
        raise StudioError("receipts.key.unreadable", file=str(path), problem=str(exc)) from None
    raw = key.public_key().public_bytes_raw()
    keys = public_keys()
    if key_id(raw) not in keys:
        _save_public({key_id(raw): raw, **keys})
    return key


def rotate() -> str:
    """A new signing key; the old public key stays in the public-key file. Returns the new key id."""
    old = signing_key()
    keys = public_keys()
    new = Ed25519PrivateKey.generate()
    raw = new.public_key().public_bytes_raw()
    path = private_path()
    tmp = path.with_name(f".{path.name}.new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(new.private_bytes_raw().hex().encode("ascii") + b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    _save_public({key_id(raw): raw, **keys})  # public first: a crash never leaves an unverifiable key
    os.replace(tmp, path)
    del old
    return key_id(raw)


def name_hash(receipt_no: str, name: str) -> bytes:
    """16 bytes naming the applicant: NFKC, spaces removed (so "张 三" and "张三" match)."""
    norm = "".join(unicodedata.normalize("NFKC", name or "").split())
    return hashlib.sha256(f"studio-app receipt name\0{receipt_no}\0{norm}".encode("utf-8")).digest()[:16]


def make_payload(receipt_no: str, image_no: str, spec_id: str, photo_sha256: str, name: str,
                 key: Ed25519PrivateKey | None = None) -> str:
    key = key or signing_key()
    spec = spec_id.upper().replace("_", ".")
    body = (f"{PREFIX}/R:{receipt_no}/I:{image_no}/S:{spec}/H:{_b32(bytes.fromhex(photo_sha256))}"
            f"/N:{_b32(name_hash(receipt_no, name))}/K:{key_id(key.public_key())}")
    return f"{body}/G:{_b32(key.sign(body.encode('ascii')))}"


def parse(text: str) -> dict | None:
    """The fields of a signed (``"signed": True``) or legacy SRCPT1 payload, or None unless the
    whole text is one. ``"signature"``: "ok" | "bad" | "unknown_key" | "legacy"."""
    text = text or ""
    m = _FULL.fullmatch(text)
    if m:
        body, rno, ino, spec, h, n, kid, sig = m.groups()
        raw = public_keys().get(kid)
        if raw is None:
            state = "unknown_key"
        else:
            try:
                Ed25519PublicKey.from_public_bytes(raw).verify(_unb32(sig), body.encode("ascii"))
                state = "ok"
            except (InvalidSignature, ValueError):
                state = "bad"
        return {"receipt_no": rno, "image_no": ino, "spec_id": spec.lower().replace(".", "_"),
                "sha256": _unb32(h).hex(), "name_hash": _unb32(n), "key_id": kid, "signature": state}
    m = _LEGACY.fullmatch(text)
    if m:
        rno, ino, spec, h = m.groups()
        return {"receipt_no": rno, "image_no": ino, "spec_id": spec.lower().replace(".", "_"),
                "sha256": h.lower(), "name_hash": None, "key_id": None, "signature": "legacy"}
    return None


def export_public(out: str | os.PathLike | None = None) -> str:
    """The public-key file's text (after making this station's key if needed); written to ``out``."""
    signing_key()
    text = public_path().read_text("ascii")
    if out:
        Path(out).write_text(text, encoding="ascii")
    return text


def import_public(text: str, source: str = "") -> list[str]:
    """Add the keys of another station's public-key file (kept after rotations). Returns new ids."""
    keys = public_keys()
    added = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            raw = bytes.fromhex(line.split()[-1])
            Ed25519PublicKey.from_public_bytes(raw)
        except ValueError:
            raise StudioError("receipts.key.bad_public", file=source, line=n) from None
        if key_id(raw) not in keys:
            keys[key_id(raw)] = raw
            added.append(key_id(raw))
    if added:
        _save_public(keys)
    return added
