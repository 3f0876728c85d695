"""The canonical form of a negotiating text.

The signed *document* is a JSON object
``{"format": "parley-text/1", "process": str, "agreement": str, "title": str,
"provisions": [{"article": int, "paragraph": int, "text": str}, ...]}`` with the provisions in
article then paragraph order and each text exactly as agreed (Unicode NFC, no trimming beyond
that). Its canonical bytes are the RFC 8785 (JSON Canonicalization Scheme) serialisation, and the
text's hash is the SHA-256 of those bytes.
"""

import hashlib
import unicodedata
from typing import Any

import rfc8785

DOCUMENT_FORMAT = "parley-text/1"
EXPORT_FORMAT = "parley-signed-text/1"


def _normalised(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value


def canonical_bytes(document: dict[str, Any]) -> bytes:
    return rfc8785.dumps(_normalised(document))


def document_digest(document: dict[str, Any]) -> str:
    """SHA-256 of the canonical bytes, as 64 lowercase hex digits."""
    return hashlib.sha256(canonical_bytes(document)).hexdigest()
