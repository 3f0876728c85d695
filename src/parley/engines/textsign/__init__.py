"""Negotiating texts as data: the canonical form a signature covers, Ed25519 signing and offline
verification, and the word-level difference between two versions. No Django here, so that a
delegation can sign and verify on a machine that has only the export file."""

from .canonical import DOCUMENT_FORMAT, EXPORT_FORMAT, canonical_bytes, document_digest
from .diff import DiffPart, word_diff
from .keys import (
    BadKey,
    generate_private_key_pem,
    key_id,
    load_private_key,
    public_key_b64,
    public_key_from_b64,
)
from .signing import (
    SignatureCheck,
    VerifyReport,
    sign_digest,
    verify_export,
    verify_signature,
)

__all__ = [
    "DOCUMENT_FORMAT",
    "EXPORT_FORMAT",
    "DiffPart",
    "BadKey",
    "SignatureCheck",
    "VerifyReport",
    "canonical_bytes",
    "document_digest",
    "generate_private_key_pem",
    "key_id",
    "load_private_key",
    "public_key_b64",
    "public_key_from_b64",
    "sign_digest",
    "verify_export",
    "verify_signature",
    "word_diff",
]
