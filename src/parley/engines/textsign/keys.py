"""A delegation's Ed25519 key: a PKCS #8 PEM file it keeps, and the public half as base64 of
the 32 raw bytes. The key ID is the first 8 bytes of the SHA-256 of the raw public key, in hex."""

import base64
import binascii
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class BadKey(ValueError):
    """A key that cannot be read or is not Ed25519."""


def generate_private_key_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise BadKey("not a PEM private key without a passphrase") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise BadKey("not an Ed25519 key")
    return key


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_b64(private: Ed25519PrivateKey) -> str:
    return base64.b64encode(_raw(private.public_key())).decode()


def public_key_from_b64(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadKey("the public key is not base64") from exc
    if len(raw) != 32:
        raise BadKey("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def key_id(public_b64: str) -> str:
    return hashlib.sha256(_raw(public_key_from_b64(public_b64))).hexdigest()[:16]
