"""Prepared areas kept on disk, keyed by the areas file's bytes, so that a process classifying
a day's incidents against the same agreements does not prepare them again.

Preparing 200 areas (densifying and projecting their edges, building their grids) takes one to
two seconds, more than classifying a million incidents; areas change far less often than
incident feeds arrive. The prepared form is written once per distinct areas file, as a pickle
whose arrays (the grids, most of its size) are stored beside it, unframed, and mapped back into
memory rather than read and copied.

The key is the SHA-256 of the file's bytes and of everything the prepared form depends on: the
source of the `geo` and `timewin` packages and the versions of Python, NumPy, Shapely, PROJ
and the time zone database. A change to any of them is a new key; old entries are left for the
user to delete (they are small, and `PARLEY_CACHE_DIR` says where they live). The cache is an
optimisation only: a folder that cannot be written, or an entry that cannot be read, means the
areas are prepared as if there were none. Entries are pickles, so the folder must be the
user's own (it is, by default: `$XDG_CACHE_HOME/parley/areas` or `~/.cache/parley/areas`).
"""

import hashlib
import mmap
import os
import pickle
import struct
import sys
import tempfile
from collections.abc import Buffer
from functools import cache
from pathlib import Path

import numpy as np
import pyproj
import shapely

from .classify import PreparedArea

_MAGIC = b"PARLEY-PREPARED-AREAS 1\n"
_ALIGN = 64
_SOURCES = (Path(__file__).parent, Path(__file__).parent.parent / "timewin")


def cache_folder() -> Path:
    explicit = os.environ.get("PARLEY_CACHE_DIR")
    if explicit:
        return Path(explicit) / "areas"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "parley" / "areas"


def load_prepared(raw: bytes, folder: Path | None = None) -> list[PreparedArea] | None:
    """The prepared areas of the areas file whose bytes are `raw`, when the cache has them."""
    return _load(_entry(raw, folder))


def store_prepared(raw: bytes, prepared: list[PreparedArea], folder: Path | None = None) -> None:
    """Keep the prepared areas of a valid areas file for the next process."""
    _store(_entry(raw, folder), prepared)


def _entry(raw: bytes, folder: Path | None) -> Path:
    return (cache_folder() if folder is None else folder) / f"{_key(raw)}.prepared"


def _key(raw: bytes) -> str:
    digest = hashlib.sha256(_fingerprint())
    digest.update(raw)
    return digest.hexdigest()


@cache
def _fingerprint() -> bytes:
    digest = hashlib.sha256()
    versions = (sys.version, np.__version__, shapely.__version__, shapely.geos_version_string,
                pyproj.__version__, pyproj.proj_version_str, _tz_version())
    digest.update(repr(versions).encode())
    for folder in _SOURCES:
        for source in sorted(folder.glob("*.py")):
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return digest.digest()


def _tz_version() -> str:
    try:
        import tzdata

        version: str = tzdata.IANA_VERSION
        return version
    except ImportError:
        return ""


def _store(entry: Path, prepared: list[PreparedArea]) -> None:
    buffers: list[pickle.PickleBuffer] = []
    body = pickle.dumps(prepared, protocol=5, buffer_callback=buffers.append)
    raws = [buffer.raw() for buffer in buffers]
    sizes = [len(body), *(raw.nbytes for raw in raws)]
    head = struct.pack(f"<Q{len(sizes)}Q", len(sizes), *sizes)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=entry.parent, suffix=".partial", delete=False)
    except OSError:
        return
    try:
        with handle:
            handle.write(_MAGIC + head)
            parts: tuple[Buffer, ...] = (body, *raws)
            for part in parts:
                handle.write(b"\0" * (-handle.tell() % _ALIGN))
                handle.write(memoryview(part))
        os.replace(handle.name, entry)
    except OSError:
        Path(handle.name).unlink(missing_ok=True)


def _load(entry: Path) -> list[PreparedArea] | None:
    try:
        with entry.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        view = memoryview(mapped)
        if view[: len(_MAGIC)] != _MAGIC:
            return None
        offset = len(_MAGIC)
        (count,) = struct.unpack_from("<Q", view, offset)
        sizes = struct.unpack_from(f"<{count}Q", view, offset + 8)
        offset += 8 * (count + 1)
        parts = []
        for size in sizes:
            offset += -offset % _ALIGN
            parts.append(view[offset : offset + size])
            offset += size
        # Unpickling is safe here: the cache is the user's own (S301).
        prepared: list[PreparedArea] = pickle.loads(parts[0], buffers=parts[1:])  # noqa: S301
    except (pickle.UnpicklingError, struct.error, EOFError, AttributeError, ImportError,
            TypeError, ValueError, IndexError):
        return None
    for area in prepared:
        shapely.prepare(area.area.geometry)
        if not area.metric.is_site:
            shapely.prepare(area.metric.core)
    return prepared
