"""The verifier of an exported Parley record, written to be audited in an afternoon.

It depends on the Python standard library and `cryptography` (for Ed25519) only, and on none of
the rest of Parley: a party's engineer can copy this one file, read it top to bottom, and run
`python verify.py DIR [--since OLD_CHECKPOINT]`. It checks, and exits 0 only when all hold:

1. `DIR/checkpoint` is a C2SP signed note (c2sp.org/signed-note) whose text is a C2SP checkpoint
   (c2sp.org/tlog-checkpoint) signed by the key in `DIR/log.vkey` (Ed25519, type 0x01), with
   the key's name as the origin line.
2. Every cosignature line of a key in `DIR/witnesses/*.vkey` verifies (c2sp.org/tlog-cosignature,
   `cosignature/v1`, type 0x04); the cosigners are reported.
3. The entry bundles and hash tiles under `DIR/tile/` (c2sp.org/tlog-tiles) are exactly those of
   a tree of the checkpoint's size; every entry is canonical `{"at","commitment","seq"}` with
   `seq` equal to its position; every tile holds exactly the hashes recomputed from the entries;
   and the RFC 6962 tree head recomputed from the entries is the checkpoint's root hash.
4. Every opening `DIR/openings/<seq>` ("salt <hex>" then the committed JSON) hashes to the
   commitment in entry `seq`.
5. With `--since OLD`: OLD is signed by the same log key and the first OLD-size entries have
   OLD's root hash, i.e. the new tree extends the old one (no entry changed, dropped, reordered).

Hashing (RFC 6962 §2.1): leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left || right).
"""

import base64
import hashlib
import json
import re
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

WIDTH = 256  # hashes in a full tile, entries in a full bundle
ENTRY_PATTERN = re.compile(
    rb'\{"at":"[0-9T:.Z-]+","commitment":"[0-9a-f]{64}","seq":(?:0|[1-9][0-9]*)\}'
)


class Invalid(Exception):
    """The export does not verify; the message says what and where."""


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right)


# -- keys and signed notes --------------------------------------------------------------------

def read_vkey(path: Path, expected_type: int) -> tuple[str, bytes, bytes]:
    """`<name>+<hex key ID>+<base64(type || public key)>` -> (name, key ID, public key)."""
    name, key_id_hex, material_b64 = path.read_text().strip().split("+", 2)
    material = base64.b64decode(material_b64, validate=True)
    if len(material) != 33 or material[0] != expected_type:
        raise Invalid(f"{path}: not an Ed25519 key of signature type {expected_type:#04x}")
    key_id = sha256(name.encode() + b"\n" + material)[:4]
    if key_id.hex() != key_id_hex:
        raise Invalid(f"{path}: the key ID does not match the name and key")
    return name, key_id, material[1:]


def split_note(data: bytes) -> tuple[bytes, list[tuple[str, bytes, bytes]]]:
    """A signed note -> (text, [(name, key ID, signature)])."""
    text_str = data.decode("utf-8")
    cut = text_str.rfind("\n\n")
    if cut < 0 or not text_str.endswith("\n"):
        raise Invalid("the checkpoint is not a signed note")
    lines = []
    for line in text_str[cut + 2:].splitlines():
        if not line.startswith("\u2014 ") or line.count(" ") != 2:
            raise Invalid(f"not a signature line: {line!r}")
        _, name, signature_b64 = line.split(" ")
        raw = base64.b64decode(signature_b64, validate=True)
        lines.append((name, raw[:4], raw[4:]))
    return text_str[:cut + 1].encode(), lines


def check_log_signature(note: bytes, log_key: tuple[str, bytes, bytes]) -> tuple[str, int, bytes]:
    """The checkpoint's (origin, size, root) once the log's signature on it verifies."""
    name, key_id, public = log_key
    text, signatures = split_note(note)
    found = [sig for sig_name, sig_id, sig in signatures if (sig_name, sig_id) == (name, key_id)]
    if not found:
        raise Invalid(f"the checkpoint carries no signature of the log key {name}")
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(found[0], text)
    except InvalidSignature:
        raise Invalid("the log's signature on the checkpoint does not verify") from None
    lines = text.decode().split("\n")
    origin, size_text, root_b64 = lines[0], lines[1], lines[2]
    if origin != name:
        raise Invalid(f"the checkpoint's origin {origin!r} is not the log key's name {name!r}")
    if not size_text.isdigit() or size_text != str(int(size_text)):
        raise Invalid("the checkpoint's size is not a plain decimal")
    root = base64.b64decode(root_b64, validate=True)
    if len(root) != 32:
        raise Invalid("the checkpoint's root hash is not 32 bytes")
    return origin, int(size_text), root


def check_cosignatures(
    note: bytes, witness_keys: dict[str, tuple[str, bytes, bytes]]
) -> dict[str, int]:
    """{party: cosignature time} for every witness that cosigned; a bad cosignature is fatal."""
    text, signatures = split_note(note)
    cosigned: dict[str, int] = {}
    for party, (name, key_id, public) in witness_keys.items():
        for sig_name, sig_id, sig in signatures:
            if (sig_name, sig_id) != (name, key_id):
                continue
            if len(sig) != 72:
                raise Invalid(f"the cosignature of {party} has the wrong length")
            timestamp = int.from_bytes(sig[:8], "big")
            message = b"cosignature/v1\ntime %d\n" % timestamp + text
            try:
                Ed25519PublicKey.from_public_bytes(public).verify(sig[8:], message)
            except InvalidSignature:
                raise Invalid(f"the cosignature of {party} does not verify") from None
            cosigned[party] = timestamp
    return cosigned


# -- tiles ------------------------------------------------------------------------------------

def tile_path(kind: str, index: int, width: int) -> str:
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if index == 0:
            break
    groups.reverse()
    name = "/".join([f"x{g}" for g in groups[:-1]] + [groups[-1]])
    return f"tile/{kind}/{name}" + ("" if width == WIDTH else f".p/{width}")


def read_tile(directory: Path, kind: str, index: int, width: int) -> bytes:
    path = directory / tile_path(kind, index, width)
    if not path.is_file():
        raise Invalid(f"{path.relative_to(directory)} is missing")
    return path.read_bytes()


def read_entries(directory: Path, size: int) -> list[bytes]:
    entries: list[bytes] = []
    for index in range((size + WIDTH - 1) // WIDTH):
        width = min(WIDTH, size - index * WIDTH)
        data = read_tile(directory, "entries", index, width)
        position, end = 0, len(data)
        while position + 2 <= end:
            start = position + 2
            position = start + (data[position] << 8 | data[position + 1])  # big-endian uint16
            entries.append(data[start:position])
        if position != end:
            raise Invalid(f"{tile_path('entries', index, width)} ends inside an entry")
        if len(entries) != index * WIDTH + width:
            raise Invalid(f"{tile_path('entries', index, width)} holds "
                          f"{len(entries) - index * WIDTH} entries, not {width}")
    return entries


def perfect_subtrees(hashes: list[bytes]) -> list[bytes]:
    """The perfect subtrees of RFC 6962's split of a list of hashes, largest (leftmost) first."""
    tails = []
    level = hashes
    sha = hashlib.sha256
    while len(level) > 1:
        if len(level) % 2:
            tails.append(level[-1])
            level = level[:-1]
        level = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level + tails[::-1]


def fold(subtrees: list[bytes]) -> bytes:
    if not subtrees:
        return sha256(b"")
    root = subtrees[-1]
    for left in reversed(subtrees[:-1]):
        root = node(left, root)
    return root


def check_tiles_and_root(directory: Path, leaves: list[bytes]) -> bytes:
    """Check every hash tile of the tree over `leaves`; return its root hash."""
    level_hashes = leaves
    level = 0
    subtrees: list[bytes] = []
    while level_hashes:
        full = len(level_hashes) // WIDTH
        for index in range(full + (1 if len(level_hashes) % WIDTH else 0)):
            group = level_hashes[index * WIDTH:(index + 1) * WIDTH]
            if read_tile(directory, str(level), index, len(group)) != b"".join(group):
                raise Invalid(f"{tile_path(str(level), index, len(group))} does not hold the "
                              "hashes of the entries")
        subtrees = perfect_subtrees(level_hashes[full * WIDTH:]) + subtrees
        level_hashes = [fold(perfect_subtrees(level_hashes[i * WIDTH:(i + 1) * WIDTH]))
                        for i in range(full)]
        level += 1
    return fold(subtrees)


# -- the whole export -------------------------------------------------------------------------

def verify(directory: Path, since: Path | None = None) -> list[str]:
    """Verify an export; the report lines. Raises Invalid at the first failure."""
    log_key = read_vkey(directory / "log.vkey", 0x01)
    witness_keys = {path.stem: read_vkey(path, 0x04)
                    for path in sorted((directory / "witnesses").glob("*.vkey"))}
    note = (directory / "checkpoint").read_bytes()
    origin, size, root = check_log_signature(note, log_key)
    report = [f"checkpoint: {origin}, {size} entries, signed by the log key"]
    cosigned = check_cosignatures(note, witness_keys)
    for party in witness_keys:
        report.append(f"cosigned by {party} at {cosigned[party]} (Unix time)" if party in cosigned
                      else f"not cosigned by {party}")

    entries = read_entries(directory, size)
    sha = hashlib.sha256
    leaves = [sha(b"\x00" + entry).digest() for entry in entries]
    is_entry = ENTRY_PATTERN.fullmatch
    for seq, entry in enumerate(entries):
        if not (is_entry(entry) and entry.endswith(b":%d}" % seq)):
            raise Invalid(f"entry {seq} is not the canonical entry number {seq}")
    if check_tiles_and_root(directory, leaves) != root:
        raise Invalid("the root hash of the entries is not the checkpoint's")
    report.append(f"tiles and root hash: all {size} entries check")

    openings_dir = directory / "openings"
    openings = sorted(openings_dir.glob("*")) if openings_dir.is_dir() else []
    for path in openings:
        if not path.name.isdigit() or int(path.name) >= size:
            raise Invalid(f"openings/{path.name} names no entry of this log")
        head, _, content = path.read_bytes().partition(b"\n")
        salt = bytes.fromhex(head.removeprefix(b"salt ").decode())
        json.loads(content)
        commitment = hashlib.sha256(salt + content[:-1]).hexdigest().encode()
        if len(salt) != 32 or b'"commitment":"' + commitment + b'"' not in entries[int(path.name)]:
            raise Invalid(f"openings/{path.name} does not open entry {path.name}")
    report.append(f"openings: all {len(openings)} check")

    if since is not None:
        old_origin, old_size, old_root = check_log_signature(since.read_bytes(), log_key)
        if old_size > size:
            raise Invalid(f"the log shrank: {since} has {old_size} entries, this one {size}")
        if fold(perfect_subtrees(leaves[:old_size])) != old_root:
            raise Invalid(f"the log was rewritten: its first {old_size} entries are not those "
                          f"of {since}")
        report.append(f"extends {since} ({old_size} entries)")
    return report


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    since = None
    if "--since" in args:
        at = args.index("--since")
        since = Path(args[at + 1])
        del args[at:at + 2]
    if len(args) != 1:
        print("usage: verify.py DIR [--since OLD_CHECKPOINT]", file=sys.stderr)
        return 2
    try:
        for line in verify(Path(args[0]), since):
            print(line)
    except (Invalid, OSError, ValueError, IndexError) as exc:
        print(f"REJECTED: {exc}", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
