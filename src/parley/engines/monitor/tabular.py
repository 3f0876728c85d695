"""Reading an incident feed's table (CSV or Parquet) in two ways.

Fast: Arrow reads the file in batches of about `batch_rows` rows, every column as text, and the
feed converts each batch with whole-column operations; it answers `None` as soon as anything is
not plainly valid, and `NeedsExactReading` is raised. Exact: Python's csv module reads the whole
file cell by cell and every bad cell is named with its line. Only files with a problem (or an
unusual spelling the fast path does not take, such as spaces after commas) pay for the exact
reading, which is why it may hold the whole file in memory.
"""

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pa_csv
from numpy.lib.stride_tricks import sliding_window_view

from .incidents import IncidentError, Incidents, IncidentValidationError, TextColumn

BATCH_ROWS = 1_000_000
_BLOCK_BYTES = 16 << 20
_HEADER_PROBE_BYTES = 1 << 16


class NeedsExactReading(Exception):
    """The fast path cannot vouch for the file: read it exactly to accept it or name its
    problems."""


@dataclass(frozen=True)
class Feed:
    """One incident format.

    `fast(columns, header)` converts one batch (columns as Arrow arrays, text or, from Parquet,
    already typed) or answers None; `exact(cells, lines, unit)` converts the whole file's cells
    (texts) and returns every problem, naming `lines` (`unit` "line" or "row").
    """

    name: str
    columns: tuple[str, ...]
    header_line: str
    header_hint: str
    fast: Callable[[dict[str, pa.Array], list[str]], Incidents | None]
    exact: Callable[
        [dict[str, list[str]], np.ndarray, str], tuple[Incidents | None, list[IncidentError]]
    ]
    unique_ids: bool = True
    newlines_in_values: bool = False

    def column_name(self, name: str) -> str:
        """Header names are matched without surrounding spaces, and the feed's own whatever
        their case (`ID`, `Lat`), which spreadsheets like to change."""
        name = name.strip()
        return name.lower() if name.lower() in self.columns else name


def is_parquet(path: Path) -> bool:
    return Path(path).suffix.lower() == ".parquet"


def fast_batches(
    path: Path, feed: Feed, batch_rows: int = BATCH_ROWS,
    read: Callable[[float], None] | None = None,
) -> Iterator[Incidents]:
    """The file's incidents in batches; raises `NeedsExactReading` (possibly after some
    batches) when the file needs the exact reading, and `OSError` when it cannot be read.
    `read`, when given, is told before each batch is yielded what share of the file (0 to 1)
    has been read: of its bytes (CSV) or of its rows (Parquet)."""
    id_hashes: list[np.ndarray] = []
    for columns, header in _arrow_batches(Path(path), feed, batch_rows, read or _ignore):
        incidents = feed.fast(columns, header)
        if incidents is None:
            raise NeedsExactReading
        if feed.unique_ids:
            if not isinstance(incidents.ids, TextColumn):
                raise TypeError("a feed with unique ids must read them as a TextColumn")
            id_hashes.append(text_hashes(incidents.ids.arrow))
        yield incidents
    if id_hashes:
        hashes = np.sort(np.concatenate(id_hashes))
        # Equal hashes mean a repeated id or, rarely, two ids that collide: the exact reading
        # tells which, so a collision costs time, never a wrong answer.
        if (hashes[1:] == hashes[:-1]).any():
            raise NeedsExactReading


_HASH_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)


def text_hashes(values: pa.Array) -> np.ndarray:
    """A 64-bit hash of each text, in whole-array steps: the length and the first 64 UTF-8
    bytes, read eight at a time and mixed word by word."""
    values = values.cast(pa.large_string())
    if len(values) == 0:
        return np.zeros(0, dtype=np.uint64)
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[
        values.offset : values.offset + len(values) + 1
    ]
    starts, lengths = offsets[:-1], np.diff(offsets)
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)[: offsets[-1]]
    windows = sliding_window_view(np.concatenate([data, np.zeros(8, dtype=np.uint8)]), 8)
    mixed = lengths.astype(np.uint64) * _HASH_MULTIPLIERS[-1]
    for word_index in range(min(int(-(-lengths.max() // 8)), len(_HASH_MULTIPLIERS))):
        word = windows[np.minimum(starts + 8 * word_index, len(data))].view("<u8")[:, 0]
        left = np.clip(lengths - 8 * word_index, 0, 8)
        mixed = (mixed ^ (word & _BYTE_MASKS[left])) * _HASH_MULTIPLIERS[word_index]
        mixed ^= mixed >> np.uint64(29)
    return cast(npt.NDArray[np.uint64], mixed)


# The low n bytes of a little-endian word, n = 0..8.
_BYTE_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


def read_exact(path: Path, feed: Feed) -> Incidents:
    """The whole file; raises `IncidentValidationError` naming every problem."""
    path = Path(path)
    if is_parquet(path):
        cells, lines, shape_errors, unit = _parquet_cells(path, feed)
    else:
        cells, lines, shape_errors = _csv_cells(path.read_bytes(), feed)
        unit = "line"
    return _convert_exactly(cells, lines, shape_errors, unit, feed)


def parse_text(text: str, feed: Feed) -> Incidents:
    """`read_exact` of a file's text."""
    cells, lines, shape_errors = _split(text.removeprefix("\ufeff"), feed)
    return _convert_exactly(cells, lines, shape_errors, "line", feed)


def _convert_exactly(
    cells: dict[str, list[str]] | None,
    lines: np.ndarray,
    shape_errors: list[IncidentError],
    unit: str,
    feed: Feed,
) -> Incidents:
    if cells is None:
        raise IncidentValidationError(shape_errors)
    incidents, errors = feed.exact(cells, lines, unit)
    errors = shape_errors + errors
    if errors:
        order = {name: rank for rank, name in enumerate((None, *feed.columns))}
        errors.sort(key=lambda e: (e.line or 0, order.get(e.field, len(order))))
        raise IncidentValidationError(errors)
    if incidents is None:
        raise TypeError(f"the exact reader of {feed.name} gave neither incidents nor errors")
    return incidents


def id_errors(ids: Sequence[str], lines: np.ndarray, field: str, unit: str) -> list[IncidentError]:
    errors = []
    first_line: dict[str, int] = {}
    for identifier, line in zip(ids, lines.tolist(), strict=True):
        if not identifier:
            errors.append(IncidentError(line, field, "is empty", unit))
        elif identifier in first_line:
            errors.append(
                IncidentError(
                    line, field, f"{identifier!r} is used twice: {unit} "
                    f"{first_line[identifier]} has the same id", unit
                )
            )
        else:
            first_line[identifier] = line
    return errors


def _ignore(share: float) -> None:
    """No one follows the reading."""


def _arrow_batches(
    path: Path, feed: Feed, batch_rows: int, read: Callable[[float], None]
) -> Iterator[tuple[dict[str, pa.Array], list[str]]]:
    if is_parquet(path):
        yield from _parquet_batches(path, feed, batch_rows, read)
        return
    size = max(path.stat().st_size, 1)
    with path.open("rb") as handle:
        found = _fast_header(handle.read(_HEADER_PROBE_BYTES), feed)
        if found is None:
            raise NeedsExactReading
        header, offset = found
        handle.seek(offset)
        try:
            reader = pa_csv.open_csv(
                handle,
                read_options=pa_csv.ReadOptions(column_names=header, block_size=_BLOCK_BYTES),
                parse_options=pa_csv.ParseOptions(newlines_in_values=feed.newlines_in_values),
                convert_options=pa_csv.ConvertOptions(
                    column_types={name: pa.string() for name in header},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
            pending: list[pa.RecordBatch] = []
            count = 0
            for batch in reader:
                pending.append(batch)
                count += batch.num_rows
                if count >= batch_rows:
                    # Arrow reads a block ahead: the share is of what it has read so far.
                    read(min(handle.tell() / size, 1.0))
                    yield _columns(pending, header), header
                    pending, count = [], 0
            if pending or count == 0:
                read(1.0)
                yield _columns(pending, header), header
        except (pa.ArrowInvalid, UnicodeDecodeError) as problem:
            raise NeedsExactReading from problem


def _columns(batches: list[pa.RecordBatch], header: list[str]) -> dict[str, pa.Array]:
    if not batches:
        return {name: pa.array([], type=pa.string()) for name in header}
    table = pa.Table.from_batches(batches).combine_chunks()
    return {name: table.column(index).chunk(0) if table.column(index).num_chunks
            else pa.array([], type=table.schema.field(index).type)
            for index, name in enumerate(header)}


def _fast_header(head: bytes, feed: Feed) -> tuple[list[str], int] | None:
    """The header names and the byte offset just after the header line, when the header is
    one line and names every column of the feed once; else None."""
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        end = head.find(b"\n", start)
        if end < 0:
            return None
        line = head[start:end].rstrip(b"\r")
        if line.strip():
            break
        start = end + 1
    try:
        names = next(csv.reader([line.decode("utf-8")], strict=True))
    except (UnicodeDecodeError, csv.Error):
        return None
    header = [feed.column_name(name) for name in names]
    if _header_errors(header, 1, feed) or any(not name for name in header):
        return None
    return header, end + 1


def _parquet_batches(
    path: Path, feed: Feed, batch_rows: int, read: Callable[[float], None]
) -> Iterator[tuple[dict[str, pa.Array], list[str]]]:
    try:
        import pyarrow.parquet as pq  # imported for Parquet files only

        parquet = pq.ParquetFile(path)
        header = [feed.column_name(name) for name in parquet.schema_arrow.names]
        if _header_errors(header, 1, feed):
            raise NeedsExactReading
        empty = True
        rows, total = 0, max(parquet.metadata.num_rows, 1)
        for batch in parquet.iter_batches(batch_size=batch_rows):
            empty = False
            rows += batch.num_rows
            read(rows / total)
            yield {name: batch.column(index) for index, name in enumerate(header)}, header
        if empty:
            read(1.0)
            yield {name: pa.array([], type=parquet.schema_arrow.field(index).type)
                   for index, name in enumerate(header)}, header
    except (pa.ArrowInvalid, pa.ArrowTypeError) as problem:
        raise NeedsExactReading from problem


def _parquet_cells(
    path: Path, feed: Feed
) -> tuple[dict[str, list[str]] | None, np.ndarray, list[IncidentError], str]:
    try:
        import pyarrow.parquet as pq

        table = pq.read_table(path)
    except pa.ArrowInvalid as problem:
        return None, np.zeros(0, int), [IncidentError(None, None, f"is not a readable Parquet "
                                                      f"file: {problem}")], "row"
    header = [feed.column_name(name) for name in table.schema.names]
    errors = _header_errors(header, None, feed)
    if errors:
        return None, np.zeros(0, int), errors, "row"
    cells = {}
    for index, name in enumerate(header):
        column = table.column(index)
        texts = column.cast(pa.string()) if column.type != pa.string() else column
        cells[name] = ["" if value is None else value for value in texts.to_pylist()]
    return cells, np.arange(1, table.num_rows + 1), [], "row"


def _csv_cells(
    raw: bytes, feed: Feed
) -> tuple[dict[str, list[str]] | None, np.ndarray, list[IncidentError]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        return None, np.zeros(0, int), [
            IncidentError(line, None, f"is not UTF-8 text (byte 0x{raw[problem.start]:02x})")
        ]
    return _split(text, feed)


def _split(
    text: str, feed: Feed
) -> tuple[dict[str, list[str]] | None, np.ndarray, list[IncidentError]]:
    """The cells of the rows of the header's width by column, with their line numbers, and the
    errors of the file's shape (no header, missing columns, rows of the wrong width); cells
    None when the file has no usable header or is not CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, skipinitialspace=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    errors: list[IncidentError] = []
    last_line = 0
    try:
        for record in reader:
            # A record is named by the line it starts on, also when a quoted cell spans lines.
            first_line, last_line = last_line + 1, reader.line_num
            if not record or record == [""]:
                continue
            if header is None:
                header = [feed.column_name(name) for name in record]
                errors += _header_errors(header, reader.line_num, feed)
                if errors:
                    return None, np.zeros(0, int), errors
                continue
            if len(record) != len(header):
                errors.append(
                    IncidentError(
                        first_line,
                        None,
                        f"has {len(record)} fields but the header has {len(header)} "
                        f"({', '.join(header)})",
                    )
                )
                continue
            rows.append(record)
            lines.append(first_line)
    except csv.Error as problem:
        errors.append(IncidentError(reader.line_num, None, f"is not valid CSV: {problem}"))
        return None, np.zeros(0, int), errors
    if header is None:
        errors.append(IncidentError(None, None, f"is empty: {feed.header_line} is required"))
        return None, np.zeros(0, int), errors
    cells = {name: [row[index] for row in rows] for index, name in enumerate(header)}
    return cells, np.array(lines, dtype=int), errors


def _header_errors(header: list[str], line: int | None, feed: Feed) -> list[IncidentError]:
    missing = [name for name in feed.columns if name not in header]
    twice = sorted({name for name in header if header.count(name) > 1})
    errors = []
    if missing:
        errors.append(
            IncidentError(
                line,
                None,
                f"the header lacks the column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}; {feed.header_hint}",
            )
        )
    if twice:
        errors.append(IncidentError(line, None, f"the header repeats {', '.join(twice)}"))
    return errors
