"""`parley monitor classify AREAS INCIDENTS -o OUT [--format parley|acled|firms] [--progress]`:
all or nothing, streamed.

Every problem of both inputs is printed to stderr, one per line, prefixed by the file; on any
problem the exit code is 2 and no output file is written. The output is written to a temporary
file beside OUT and renamed over it only when complete, so OUT is never half written. While it
runs, one line on stderr (when stderr is a terminal, or with `--progress`) tells how many
incidents are classified and how much of the file is read, rewritten after each batch.
"""

import json
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from parley.engines import geo

from .classify import StreamCounts, write_classified
from .feeds import FEEDS
from .incidents import Incidents, IncidentValidationError
from .tabular import BATCH_ROWS, Feed, NeedsExactReading, exact_batches, fast_batches

EXIT_INVALID_INPUT = 2


class _WithoutPandas:
    """An import finder that answers for pandas as if it were not installed."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def keep_pandas_out() -> None:
    """For a process that is the command itself: Arrow imports pandas, when it is installed,
    on its first conversion to NumPy and for some compute arguments, which costs 1.5-2.5 s at
    start and is never needed here (the fast path uses no pandas type). Not for a process
    that may want pandas later, such as the test runner or the web app."""
    if not any(isinstance(finder, _WithoutPandas) for finder in sys.meta_path):
        sys.meta_path.insert(0, _WithoutPandas())


def classify_command(
    *,
    areas: Path,
    incidents: Path,
    out: Path,
    format: str = "parley",
    batch_rows: int = BATCH_ROWS,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    progress: bool | None = None,
    area_cache: bool = True,
) -> int:
    """Classify in batches of `batch_rows` incidents (memory bounded by one batch), appending
    rows to a temporary file that replaces OUT only when every incident was valid. `progress`
    None shows the progress line when stderr is a terminal. With `area_cache` the prepared
    areas are taken from, or kept in, the cache of `geo.cache`."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if progress is None:
        progress = stderr.isatty()
    feed = FEEDS[format]
    problems = _Problems()
    areas_ready = _areas(Path(areas), problems, area_cache)
    incidents = Path(incidents)
    out = Path(out)
    counts: StreamCounts | None = None
    notes: tuple[str, ...] = ()
    if problems or areas_ready is None or not out.parent.is_dir():
        _check_incidents(incidents, feed, batch_rows, problems)
    else:
        shown = _Progress(stderr) if progress else None
        counts, notes = _classify_into(out, areas_ready, incidents, feed, batch_rows, problems,
                                       shown)
        if shown is not None:
            shown.end()
    if not out.parent.is_dir():
        problems.append(f"{out}: cannot be written: the folder {out.parent} does not exist")
    if problems or counts is None or areas_ready is None:
        for problem in problems:
            print(problem, file=stderr)
        print(
            f"nothing written: {problems.total} problem{'s' if problems.total != 1 else ''} "
            "in the input",
            file=stderr,
        )
        return EXIT_INVALID_INPUT

    print(
        f"{counts.pairs} related pairs of {counts.incidents} incidents and "
        f"{areas_ready.count} areas, {counts.candidates} in a window (candidate violations), "
        f"written to {out}",
        file=stdout,
    )
    for note in notes:
        print(f"note: {note}", file=stdout)
    return 0


def _classify_into(
    out: Path,
    areas: "_Areas",
    incidents: Path,
    feed: Feed,
    batch_rows: int,
    problems: list[str],
    progress: "_Progress | None",
) -> tuple[StreamCounts | None, tuple[str, ...]]:
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    notes: dict[str, None] = {}

    def noted(batches: Iterable[Incidents]) -> Iterator[Incidents]:
        for batch in batches:
            notes.update(dict.fromkeys(batch.notes))
            yield batch
            # Back here once the batch's rows are written.
            if progress is not None:
                progress.classified(len(batch))

    try:
        with ThreadPoolExecutor(max_workers=1) as reader:
            batches = fast_batches(incidents, feed, batch_rows,
                                   progress.read if progress is not None else None)
            # The first batch is read while the areas are prepared.
            upcoming = reader.submit(next, batches, None)
            prepared = areas.prepared()
            with partial.open("wb") as handle:
                try:
                    counts = write_classified(
                        prepared, noted(_read_ahead(reader, batches, upcoming)), handle
                    )
                except NeedsExactReading:
                    handle.seek(0)
                    handle.truncate()
                    notes.clear()
                    if progress is not None:
                        progress.restart()
                    counts = write_classified(prepared, noted(exact_batches(incidents, feed)),
                                              handle)
        partial.replace(out)
        return counts, tuple(notes)
    except OSError as problem:
        problems.append(f"{incidents}: cannot be read: {problem.strerror}")
    except IncidentValidationError as invalid:
        _invalid(incidents, invalid, problems)
    finally:
        partial.unlink(missing_ok=True)
    return None, ()


class _Progress:
    """One line on stderr, rewritten after each batch is written: the incidents classified so
    far and the share of the file read up to that batch (the reader, a batch ahead, queues the
    share of each batch it reads)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shares: deque[float] = deque()
        self.incidents = 0
        self.shown = False

    def read(self, share: float) -> None:
        self.shares.append(share)

    def restart(self) -> None:
        """The file is read again, whole, by the exact path."""
        self.incidents = 0
        self.shares = deque([1.0])

    def classified(self, count: int) -> None:
        self.incidents += count
        self.shown = True
        share = self.shares.popleft()
        print(f"\rclassified {self.incidents:,} incidents, {share:.0%} of the file read",
              end="", file=self.stream, flush=True)

    def end(self) -> None:
        if self.shown:
            print(file=self.stream, flush=True)


def _read_ahead(
    reader: ThreadPoolExecutor, batches: Iterator[Incidents], upcoming: Future[Incidents | None]
) -> Iterator[Incidents]:
    """The batches, the next one read in `reader` while the caller classifies this one (Arrow
    reads without the GIL): at most two batches in memory. Errors come out in order."""
    while (batch := upcoming.result()) is not None:
        upcoming = reader.submit(next, batches, None)
        yield batch


def _check_incidents(path: Path, feed: Feed, batch_rows: int, problems: list[str]) -> None:
    """Every problem of the incident file, when there is no classifying to do."""
    try:
        try:
            for _ in fast_batches(path, feed, batch_rows):
                pass
        except NeedsExactReading:
            for _ in exact_batches(path, feed):
                pass
    except OSError as problem:
        problems.append(f"{path}: cannot be read: {problem.strerror}")
    except IncidentValidationError as invalid:
        _invalid(path, invalid, problems)


class _Problems(list[str]):
    """The problems printed, and how many more were counted but not kept."""

    more = 0
    summaries = 0  # lines that sum up the problems not printed, not problems themselves

    @property
    def total(self) -> int:
        return len(self) - self.summaries + self.more


def _invalid(path: Path, invalid: IncidentValidationError, problems: list[str]) -> None:
    problems.extend(f"{path}: {error}" for error in invalid.errors)
    if invalid.more:
        if isinstance(problems, _Problems):
            problems.more += invalid.more
            problems.summaries += 1
        counts = ", ".join(f"{field or 'file'}: {reason} ({rows})" for (field, reason), rows
                           in invalid.counts.most_common(10))
        problems.append(f"{path}: ... and {invalid.more} more problems, {invalid.total} in "
                        f"all; the most frequent: {counts}")


class _Areas:
    """Valid areas, prepared already (from the cache) or to be prepared when first asked."""

    def __init__(self, raw: bytes, parsed: list[geo.Area] | None,
                 prepared: list[geo.PreparedArea] | None, keep: bool) -> None:
        self.raw, self.parsed, self._prepared, self.keep = raw, parsed, prepared, keep
        self.count = len(prepared) if prepared is not None else len(parsed or ())

    def prepared(self) -> list[geo.PreparedArea]:
        if self._prepared is None:
            self._prepared = geo.prepare_areas(self.parsed or [])
            if self.keep:
                from parley.engines.geo import cache

                cache.store_prepared(self.raw, self._prepared)
        return self._prepared


def _areas(path: Path, problems: list[str], use_cache: bool) -> _Areas | None:
    try:
        raw = path.read_bytes()
    except OSError as problem:
        problems.append(f"{path}: cannot be read: {problem.strerror}")
        return None
    if use_cache:
        from parley.engines.geo import cache

        prepared = cache.load_prepared(raw)
        if prepared is not None:
            return _Areas(raw, None, prepared, keep=False)
    parsed = _read_areas(path, raw, problems)
    return None if parsed is None else _Areas(raw, parsed, None, keep=use_cache)


def _read_areas(path: Path, raw: bytes, problems: list[str]) -> list[geo.Area] | None:
    try:
        collection = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(f"{path}: is not UTF-8 text")
        return None
    except json.JSONDecodeError as problem:
        problems.append(
            f"{path}: is not valid JSON: {problem.msg} at line {problem.lineno}, "
            f"column {problem.colno}"
        )
        return None
    try:
        return geo.parse_areas(collection)
    except geo.GeoValidationError as invalid:
        problems.extend(f"{path}: {error}" for error in invalid.errors)
        return None
