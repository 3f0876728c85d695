"""Writes an export directory of the record, the layout `verify` reads (docs/formats.md §8)."""

from collections.abc import Iterable
from pathlib import Path

from parley.engines.ledger.entries import Opening
from parley.engines.ledger.merkle import Tree
from parley.engines.ledger.note import Verifier
from parley.engines.ledger.tiles import write_tiles


def write_export(
    directory: Path,
    *,
    checkpoint: bytes,
    size: int,
    entries: list[bytes],
    tree: Tree,
    log: Verifier,
    witnesses: dict[str, Verifier],
    openings: Iterable[Opening],
) -> int:
    """Write checkpoint, tiles, keys and openings; how many openings were written."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "checkpoint").write_bytes(checkpoint)
    (directory / "log.vkey").write_text(log.vkey + "\n")
    (directory / "witnesses").mkdir(exist_ok=True)
    for party, verifier in witnesses.items():
        (directory / "witnesses" / f"{party}.vkey").write_text(verifier.vkey + "\n")
    write_tiles(directory, tree, entries, size)
    (directory / "openings").mkdir(exist_ok=True)
    count = 0
    for opening in openings:
        if opening.seq < size:
            (directory / "openings" / str(opening.seq)).write_bytes(opening.encode())
            count += 1
    return count
