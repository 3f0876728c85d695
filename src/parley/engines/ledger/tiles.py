"""C2SP tlog-tiles: hash tiles `tile/<L>/<N>`, entry bundles `tile/entries/<N>`, partial `.p/<W>`.

A tile holds 256 hashes of tree level 8·L; an entry bundle holds the entries of one level-0
tile, each preceded by its length as a big-endian uint16.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from parley.engines.ledger.merkle import HASH_SIZE, Tree

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_ENTRY_SIZE = 0xFFFF


class TileError(ValueError):
    pass


def index_path(n: int) -> str:
    """`1234067` -> `x001/x234/067`: three-digit groups, all but the last `x`-prefixed."""
    if n < 0:
        raise TileError("a tile index is not negative")
    groups = []
    while True:
        groups.append(f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join([f"x{g}" for g in groups[:-1]] + [groups[-1]])


@dataclass(frozen=True)
class TileRef:
    level: int  # -1 for an entry bundle
    index: int
    width: int

    @property
    def is_entries(self) -> bool:
        return self.level < 0

    @property
    def path(self) -> str:
        base = "tile/entries" if self.is_entries else f"tile/{self.level}"
        suffix = "" if self.width == TILE_WIDTH else f".p/{self.width}"
        return f"{base}/{index_path(self.index)}{suffix}"


def parse_path(path: str) -> TileRef:
    """The tile a request path names; TileError when it is not a well-formed tile path."""
    parts = path.strip("/").split("/")
    if len(parts) < 3 or parts[0] != "tile":
        raise TileError(f"not a tile path: {path}")
    level_part, rest = parts[1], parts[2:]
    width = TILE_WIDTH
    if len(rest) >= 2 and rest[-2].endswith(".p"):
        width_text = rest[-1]
        if not width_text.isdigit() or width_text != str(int(width_text)):
            raise TileError(f"bad partial width in {path}")
        width = int(width_text)
        if not 1 <= width < TILE_WIDTH:
            raise TileError(f"a partial tile has 1 to 255 hashes: {path}")
        rest = [*rest[:-2], rest[-2][: -len(".p")]]
    index = 0
    for position, group in enumerate(rest):
        last = position == len(rest) - 1
        digits = group if last else group[1:]
        if (not last and not group.startswith("x")) or len(digits) != 3 or not digits.isdigit():
            raise TileError(f"bad tile index in {path}")
        index = index * 1000 + int(digits)
    if index_path(index) != "/".join(rest):
        raise TileError(f"tile index not in its shortest form: {path}")
    if level_part == "entries":
        return TileRef(-1, index, width)
    if not level_part.isdigit() or level_part != str(int(level_part)) or int(level_part) > 63:
        raise TileError(f"bad tile level in {path}")
    return TileRef(int(level_part), index, width)


def tiles_for(size: int) -> Iterator[TileRef]:
    """Every hash tile and entry bundle a tree of `size` is served as: the full ones and, per
    level, the partial one of width floor(size / 256**L) mod 256."""
    level = 0
    count = size
    while count > 0:
        for index in range(count // TILE_WIDTH):
            if level == 0:
                yield TileRef(-1, index, TILE_WIDTH)
            yield TileRef(level, index, TILE_WIDTH)
        if count % TILE_WIDTH:
            if level == 0:
                yield TileRef(-1, count // TILE_WIDTH, count % TILE_WIDTH)
            yield TileRef(level, count // TILE_WIDTH, count % TILE_WIDTH)
        level += 1
        count //= TILE_WIDTH


def hash_tile(tree: Tree, ref: TileRef, size: int) -> bytes:
    """The hashes of a hash tile, from a tree that holds at least `size` leaves."""
    height = ref.level * TILE_HEIGHT
    available = size >> height
    start = ref.index * TILE_WIDTH
    if ref.is_entries or start + ref.width > available:
        raise TileError(f"{ref.path} is not part of a tree of size {size}")
    return b"".join(tree.levels[height][start:start + ref.width])


def encode_bundle(entries: list[bytes]) -> bytes:
    parts = []
    for entry in entries:
        if len(entry) > MAX_ENTRY_SIZE:
            raise TileError("an entry is at most 65535 bytes")
        parts.append(len(entry).to_bytes(2, "big"))
        parts.append(entry)
    return b"".join(parts)


def decode_bundle(data: bytes) -> list[bytes]:
    entries = []
    position = 0
    while position < len(data):
        if position + 2 > len(data):
            raise TileError("an entry bundle ends inside a length prefix")
        length = int.from_bytes(data[position:position + 2], "big")
        position += 2
        if position + length > len(data):
            raise TileError("an entry bundle ends inside an entry")
        entries.append(data[position:position + length])
        position += length
    return entries


def split_hashes(data: bytes) -> list[bytes]:
    if len(data) % HASH_SIZE:
        raise TileError("a hash tile is a whole number of 32-byte hashes")
    return [data[i:i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def write_tiles(directory: Path, tree: Tree, entries: list[bytes], size: int) -> int:
    """Write every tile and bundle of a tree of `size` under `directory`; how many files."""
    written = 0
    for ref in tiles_for(size):
        if ref.is_entries:
            start = ref.index * TILE_WIDTH
            data = encode_bundle(entries[start:start + ref.width])
        else:
            data = hash_tile(tree, ref, size)
        target = directory / ref.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    return written
