"""Log entries that reveal nothing by themselves, and the openings that reveal them.

An entry is the RFC 8785 canonical JSON of {"seq", "at", "commitment"}; the commitment is the hex
SHA-256 of a 32-byte random salt followed by the canonical JSON of the audit entry. An opening is
a small text file: `salt <64 hex>`, a newline, the canonical JSON that was committed to, a
newline. Keeping the committed bytes verbatim lets a verifier check it without a JSON
canonicaliser of its own.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785

SALT_SIZE = 32


class OpeningError(ValueError):
    pass


_SAFE_INTEGER = 2**53


# What RFC 8785 canonicalises (the same union as `rfc8785`'s own, which is private).
type JsonValue = str | int | float | bool | None | Sequence[JsonValue] | Mapping[str, JsonValue]


def canonical(value: JsonValue) -> bytes:
    """RFC 8785 canonical JSON. For values of strings, safe integers, booleans, null and ASCII
    keys (what audit entries hold) it is exactly Python's sorted, compact `json.dumps`, several
    times faster than the general implementation (a property test compares the two); anything
    else (floats, non-ASCII keys) goes through `rfc8785`."""
    if _plain(value):
        try:
            return json.dumps(value, ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")).encode()
        except UnicodeEncodeError:
            pass
    return rfc8785.dumps(value)


def _plain(value: object) -> bool:
    # Any: each item is told apart by its exact type below (`type(x) is int` through a local
    # does not narrow for mypy, and isinstance would accept subclasses such as bool for int).
    pending: list[Any] = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if -_SAFE_INTEGER < item < _SAFE_INTEGER:
                continue
            return False
        if kind is dict:
            if not all(type(key) is str and key.isascii() for key in item):
                return False
            pending.extend(item.values())
        elif kind is list:
            pending.extend(item)
        else:
            return False
    return True


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_SIZE)


def commitment(salt: bytes, content_bytes: bytes) -> str:
    if len(salt) != SALT_SIZE:
        raise OpeningError("a salt is 32 bytes")
    return hashlib.sha256(salt + content_bytes).hexdigest()


_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def entry_bytes(*, seq: int, at: str, commitment_hex: str) -> bytes:
    """The canonical JSON of the entry, written directly: its keys are fixed and its values an
    integer and two strings that need no escaping (checked), so this is exactly what RFC 8785
    gives (a test compares them), without its cost on every append."""
    if not (_INSTANT.fullmatch(at) and _HEX_DIGEST.fullmatch(commitment_hex)) or seq < 0:
        raise OpeningError("an entry is a sequence number, a UTC instant and a hex SHA-256")
    return b'{"at":"%s","commitment":"%s","seq":%d}' % (at.encode(), commitment_hex.encode(), seq)


@dataclass(frozen=True)
class Opening:
    seq: int
    salt: bytes
    content_bytes: bytes

    @property
    def content(self) -> object:
        return json.loads(self.content_bytes)

    @property
    def commitment(self) -> str:
        return commitment(self.salt, self.content_bytes)

    def encode(self) -> bytes:
        return b"salt " + self.salt.hex().encode() + b"\n" + self.content_bytes + b"\n"

    def matches(self, entry: bytes) -> bool:
        try:
            fields = json.loads(entry)
        except ValueError:
            return False
        return (
            isinstance(fields, dict)
            and fields.get("seq") == self.seq
            and fields.get("commitment") == self.commitment
        )


def decode_opening(seq: int, data: bytes) -> Opening:
    head, _, rest = data.partition(b"\n")
    if not head.startswith(b"salt ") or not rest.endswith(b"\n"):
        raise OpeningError(f"opening {seq}: 'salt <hex>', then the content on one line")
    try:
        salt = bytes.fromhex(head[5:].decode())
    except ValueError as exc:
        raise OpeningError(f"opening {seq}: the salt is not hex") from exc
    if len(salt) != SALT_SIZE:
        raise OpeningError(f"opening {seq}: the salt is 32 bytes")
    content_bytes = rest[:-1]
    try:
        json.loads(content_bytes)
    except ValueError as exc:
        raise OpeningError(f"opening {seq}: the content is not JSON") from exc
    return Opening(seq, salt, content_bytes)
