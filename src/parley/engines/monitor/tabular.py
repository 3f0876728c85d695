"""Reading an incident feed's table (CSV or Parquet) in two ways.

Fast: Arrow reads the file in batches of about `batch_rows` rows, every column as text, and the
feed converts each batch with whole-column operations; it answers `None` as soon as anything is
not plainly valid, and `NeedsExactReading` is raised. Exact: Python's csv module reads the file
cell by cell, `EXACT_BATCH_ROWS` rows at a time, and every bad cell is named with its line;
the first problems are kept (as many as the caller asks) and the others counted by reason, so
that a file of bad rows is read in bounded memory. Only files with a problem (or an unusual
spelling the fast path does not take, such as spaces after commas) pay for the exact reading.
"""

import codecs
import copy
import csv
import heapq
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from numpy.lib.stride_tricks import sliding_window_view

from .incidents import (
    IncidentError,
    Incidents,
    IncidentValidationError,
    TextColumn,
    concatenate,
    count_by_reason,
)

BATCH_ROWS = 1_000_000
# Rows the exact reading converts at a time, and problems it keeps by default (the rest are
# counted): its memory is one such batch's, whatever the file's size (issue 8, finding 12).
EXACT_BATCH_ROWS = 10_000
ERRORS_KEPT = 300
_BLOCK_BYTES = 16 << 20
_HEADER_PROBE_BYTES = 1 << 16


class NeedsExactReading(Exception):
    """The fast path cannot vouch for the file: read it exactly to accept it or name its
    problems."""


@dataclass(frozen=True)
class Feed:
    """One incident format.

    `fast(columns, header)` converts one batch (columns as Arrow arrays, text or, from Parquet,
    already typed) or answers None; `exact(cells, lines, unit)` converts one batch of cells
    (texts) and returns every problem, naming `lines` (`unit` "line" or "row"); ids repeated
    across batches are found by the reader.
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
    # The column whose values must be unique (when `unique_ids`), checked by the exact reader
    # across the whole file, not by `exact`, which sees one batch of rows.
    id_column: str | None = None
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


def read_exact(
    path: Path, feed: Feed, keep: int = ERRORS_KEPT, batch_rows: int = EXACT_BATCH_ROWS
) -> Incidents:
    """The whole file; raises `IncidentValidationError` with its first `keep` problems, their
    total and their counts by reason."""
    return concatenate(list(exact_batches(path, feed, keep, batch_rows)))


def exact_batches(
    path: Path, feed: Feed, keep: int = ERRORS_KEPT, batch_rows: int = EXACT_BATCH_ROWS
) -> Iterator[Incidents]:
    """The file read exactly, `batch_rows` rows at a time, so that its memory is one batch's
    whatever the file's size. Batches are yielded while no problem is found; the reading goes
    on to the end to count every problem, and `IncidentValidationError` is raised at the end
    (after some batches, possibly: the caller keeps the import all or nothing). Ids repeated
    anywhere in the file are found (`Feed.id_column`)."""
    path = Path(path)
    if is_parquet(path):
        yield from _exactly(lambda shape: _parquet_chunks(path, feed, batch_rows), "row", feed,
                            keep)
        return

    def chunks(shape: _Errors) -> Iterator[tuple[dict[str, list[str]], np.ndarray]]:
        with path.open("rb") as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            try:
                yield from _csv_chunks(stream, feed, batch_rows, shape)
            except UnicodeDecodeError as problem:
                raise _Fatal([_not_utf8(path, problem)], shape_too=False) from problem

    yield from _exactly(chunks, "line", feed, keep)


def parse_text(text: str, feed: Feed, keep: int = ERRORS_KEPT) -> Incidents:
    """`read_exact` of a file's text."""
    stream = io.StringIO(text.removeprefix("\ufeff"), newline="")
    return concatenate(list(_exactly(
        lambda shape: _csv_chunks(stream, feed, EXACT_BATCH_ROWS, shape), "line", feed, keep)))


class _Fatal(Exception):
    """The file cannot be read further (not UTF-8, not CSV, no usable header): its problems
    are these, after the rows of the wrong width found so far (`shape_too`)."""

    def __init__(self, errors: list[IncidentError], shape_too: bool = True) -> None:
        super().__init__()
        self.errors, self.shape_too = errors, shape_too


class _Errors:
    """Problems as they are found: the first `keep` in the file's order, the total, and the
    counts by reason."""

    def __init__(self, keep: int, feed: Feed) -> None:
        self.keep = max(keep, 0)
        self.kept: list[IncidentError] = []
        self.total = 0
        self.counts: Counter[tuple[str | None, str]] = Counter()
        rank = {name: rank for rank, name in enumerate((None, *feed.columns))}
        self.order: Callable[[IncidentError], tuple[int, int]] = \
            lambda e: (e.line or 0, rank.get(e.field, len(rank)))

    def add(self, errors: Sequence[IncidentError]) -> None:
        if not errors:
            return
        self.total += len(errors)
        count_by_reason(errors, self.counts)
        # nsmallest is stable: errors of the same line and column keep the order found.
        self.kept = heapq.nsmallest(self.keep, [*self.kept, *errors], key=self.order)

    def merged(self, other: "_Errors") -> "_Errors":
        both = copy.copy(self)
        both.total = self.total + other.total
        both.counts = self.counts + other.counts
        both.kept = heapq.nsmallest(self.keep, [*self.kept, *other.kept], key=self.order)
        return both

    def error(self) -> IncidentValidationError:
        return IncidentValidationError(self.kept, self.total, self.counts)


def _exactly(
    chunks_of: Callable[["_Errors"], Iterator[tuple[dict[str, list[str]], np.ndarray]]],
    unit: str, feed: Feed, keep: int,
) -> Iterator[Incidents]:
    shape, found = _Errors(keep, feed), _Errors(keep, feed)
    ids = _Ids() if feed.unique_ids and feed.id_column else None
    try:
        for cells, lines in chunks_of(shape):
            incidents, errors = feed.exact(cells, lines, unit)
            found.add(errors)
            if ids is not None:
                ids.add(cells[cast(str, feed.id_column)], lines)
            if incidents is None and not errors:
                raise TypeError(f"the exact reader of {feed.name} gave neither incidents nor "
                                "errors")
            del cells
            if incidents is not None and not (found.total or shape.total):
                yield incidents
    except _Fatal as fatal:
        last = _Errors(keep, feed)
        last.add(fatal.errors)
        raise (shape.merged(last) if fatal.shape_too else last).error() from None
    if ids is not None:
        for errors in ids.repeated(cast(str, feed.id_column), unit):
            found.add(errors)
        del ids
    if found.total or shape.total:
        raise shape.merged(found).error()


class _Ids:
    """The ids of the rows read so far, as Arrow text (not a Python string each), to find the
    ids used twice once the whole file is read."""

    def __init__(self) -> None:
        self.values: list[pa.Array] = []
        self.hashes: list[np.ndarray] = []
        self.lines: list[np.ndarray] = []

    def add(self, cells: list[str], lines: np.ndarray) -> None:
        values = pc.utf8_trim_whitespace(pa.array(cells, type=pa.string()))
        self.values.append(values)
        self.hashes.append(text_hashes(values))
        self.lines.append(np.asarray(lines, dtype=np.int64))

    def repeated(self, field: str, unit: str, slice_rows: int = 50_000
                 ) -> Iterator[list[IncidentError]]:
        """The errors of the rows whose id an earlier row has, in slices. Rows are grouped by
        a 64-bit hash of their id (8 bytes a row: Arrow's hash table would take ten times
        more), and each row's id is compared with its group's first, so a collision costs
        time, never a wrong answer."""
        if not self.values:
            return
        values = pa.concat_arrays(self.values)
        self.values = []
        lines = np.concatenate(self.lines)
        hashes = np.concatenate(self.hashes)
        self.hashes, self.lines = [], []
        filled = np.flatnonzero(
            np.asarray(pc.utf8_length(values).to_numpy(zero_copy_only=False)) > 0)
        order = filled[np.argsort(hashes[filled], kind="stable")]
        sorted_hashes = hashes[order]
        del hashes, filled
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = sorted_hashes[1:] != sorted_hashes[:-1]
        group = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
        rows, firsts, groups = order[~starts], order[group][~starts], group[~starts]
        del order, sorted_hashes, starts, group
        same = np.ones(len(rows), dtype=bool)
        for start in range(0, len(rows), slice_rows):
            window = slice(start, start + slice_rows)
            same[window] = np.asarray(pc.equal(
                values.take(pa.array(rows[window], type=pa.int64())),
                values.take(pa.array(firsts[window], type=pa.int64())),
            ).to_numpy(zero_copy_only=False), dtype=bool)
        if not same.all():
            # Different ids of the same hash: their groups are sorted out id by id.
            collided = np.isin(groups, groups[~same])
            members = np.unique(np.concatenate([rows[collided], firsts[collided]]))
            first_row: dict[str, int] = {}
            more_rows, more_firsts = [], []
            for row in members.tolist():
                text = values[row].as_py()
                if text in first_row:
                    more_rows.append(row)
                    more_firsts.append(first_row[text])
                else:
                    first_row[text] = row
            rows = np.concatenate([rows[~collided], np.asarray(more_rows, dtype=np.int64)])
            firsts = np.concatenate([firsts[~collided],
                                     np.asarray(more_firsts, dtype=np.int64)])
        order_by_row = np.argsort(rows, kind="stable")
        rows, firsts = rows[order_by_row], firsts[order_by_row]
        for start in range(0, len(rows), slice_rows):
            part = rows[start:start + slice_rows]
            texts = values.take(pa.array(part, type=pa.int64())).to_pylist()
            yield [
                IncidentError(int(lines[row]), field, f"{text!r} is used twice: {unit} "
                              f"{int(lines[first])} has the same id", unit)
                for row, first, text in zip(part.tolist(),
                                            firsts[start:start + slice_rows].tolist(), texts,
                                            strict=True)
            ]


def _not_utf8(path: Path, problem: UnicodeDecodeError) -> IncidentError:
    """The line of the first byte that is not UTF-8, found again from the start."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = 0
    with path.open("rb") as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as found:
                data = found.object
                line = newlines + bytes(data[: found.start]).count(b"\n") + 1
                return IncidentError(line, None,
                                     f"is not UTF-8 text (byte 0x{data[found.start]:02x})")
            newlines += block.count(b"\n")
    return IncidentError(None, None, f"is not UTF-8 text ({problem.reason})")


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


def _parquet_chunks(
    path: Path, feed: Feed, batch_rows: int
) -> Iterator[tuple[dict[str, list[str]], np.ndarray]]:
    try:
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(path)
        header = [feed.column_name(name) for name in parquet.schema_arrow.names]
    except (pa.ArrowInvalid, OSError) as problem:
        if isinstance(problem, OSError) and not isinstance(problem, pa.ArrowException):
            raise
        raise _Fatal([IncidentError(None, None, f"is not a readable Parquet file: {problem}")],
                     shape_too=False) from None
    errors = _header_errors(header, None, feed)
    if errors:
        raise _Fatal(errors, shape_too=False)
    row = 1
    empty = True
    try:
        for batch in parquet.iter_batches(batch_size=batch_rows):
            empty = False
            cells = {}
            for index, name in enumerate(header):
                column = batch.column(index)
                texts = column.cast(pa.string()) if column.type != pa.string() else column
                cells[name] = ["" if value is None else value for value in texts.to_pylist()]
            yield cells, np.arange(row, row + batch.num_rows)
            row += batch.num_rows
    except pa.ArrowInvalid as problem:
        raise _Fatal([IncidentError(None, None, f"is not a readable Parquet file: {problem}")],
                     shape_too=False) from None
    if empty:
        yield {name: [] for name in header}, np.zeros(0, dtype=np.int64)


def _csv_chunks(
    stream: Iterable[str], feed: Feed, batch_rows: int, shape: "_Errors"
) -> Iterator[tuple[dict[str, list[str]], np.ndarray]]:
    """The cells of the rows of the header's width by column, `batch_rows` rows at a time,
    with their line numbers; rows of the wrong width go to `shape`. Raises `_Fatal` when the
    file has no usable header or is not CSV."""
    reader = csv.reader(stream, strict=True, skipinitialspace=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    last_line = 0
    yielded = False
    try:
        for record in reader:
            # A record is named by the line it starts on, also when a quoted cell spans lines.
            first_line, last_line = last_line + 1, reader.line_num
            if not record or record == [""]:
                continue
            if header is None:
                header = [feed.column_name(name) for name in record]
                errors = _header_errors(header, reader.line_num, feed)
                if errors:
                    raise _Fatal(errors)
                continue
            if len(record) != len(header):
                shape.add([
                    IncidentError(
                        first_line,
                        None,
                        f"has {len(record)} fields but the header has {len(header)} "
                        f"({', '.join(header)})",
                    )
                ])
                continue
            rows.append(record)
            lines.append(first_line)
            if len(rows) >= batch_rows:
                yield _by_column(header, rows), np.array(lines, dtype=np.int64)
                rows, lines, yielded = [], [], True
    except csv.Error as problem:
        raise _Fatal([IncidentError(reader.line_num, None, f"is not valid CSV: {problem}")]
                     ) from None
    if header is None:
        raise _Fatal([IncidentError(None, None, f"is empty: {feed.header_line} is required")])
    if rows or not yielded:
        yield _by_column(header, rows), np.array(lines, dtype=np.int64)


def _by_column(header: list[str], rows: list[list[str]]) -> dict[str, list[str]]:
    return {name: [row[index] for row in rows] for index, name in enumerate(header)}


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
