"""Whole-column conversions for the fast reading path: each answers None when some cell is not
plainly valid, and the feed then falls back to the exact reading, which names the cell."""

from datetime import date, datetime
from typing import TypeGuard, cast

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from parley.engines import bounds

# datetime64[ns] covers 1677-09-21 to 2262-04-11; whole years inside keep the message simple.
FIRST_YEAR, LAST_YEAR = bounds.FIRST_YEAR, bounds.LAST_YEAR
_FIRST_NS = np.datetime64(f"{FIRST_YEAR}-01-01", "ns").astype(np.int64)
_END_NS = np.datetime64(f"{LAST_YEAR + 1}-01-01", "ns").astype(np.int64)
NS_PER_DAY = 86_400 * 1_000_000_000


def texts(column: pa.Array) -> pa.Array:
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column
    return column.cast(pa.string())


def floats(column: pa.Array) -> np.ndarray | None:
    """Float64 values, or None if a cell is empty, null or not a number."""
    if column.null_count:
        return None
    try:
        values = column.cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return cast(npt.NDArray[np.float64], values.to_numpy(zero_copy_only=False))


def within(values: np.ndarray | None, limit: float) -> TypeGuard[np.ndarray]:
    return values is not None and bool(np.all(np.abs(values) <= limit))


def instants_ns(column: pa.Array) -> np.ndarray | None:
    """UTC nanoseconds of ISO 8601 times that carry an offset or Z (or of zone-aware Parquet
    timestamps), within 1678–2261; None otherwise."""
    if column.null_count:
        return None
    if pa.types.is_timestamp(column.type) and column.type.tz is None:
        return None
    try:
        values = column.cast(pa.timestamp("ns", "UTC"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    ticks = cast(npt.NDArray[np.int64], values.cast(pa.int64()).to_numpy(zero_copy_only=False))
    if ticks.size and not (ticks.min() >= _FIRST_NS and ticks.max() < _END_NS):
        return None
    return ticks


def days_ns(column: pa.Array, formats: tuple[str, ...] = ()) -> np.ndarray | None:
    """Midnight UTC (ns) of each date `YYYY-MM-DD` (or one of `formats`, strptime-style, tried
    for the whole column), within 1678–2261; None otherwise."""
    if column.null_count:
        return None
    days = None
    try:
        days = column.cast(pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        for pattern in formats:
            try:
                days = pc.strptime(texts(column), format=pattern, unit="s").cast(pa.date32())
                break
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
    if days is None:
        return None
    day_numbers = cast(npt.NDArray[np.int32],
                       days.cast(pa.int32()).to_numpy(zero_copy_only=False)).astype(np.int64)
    # Checked in days, before the product that overflows int64 past 2262 (9999-12-31 once
    # read as a date in 1815: issue 8, finding 11).
    if day_numbers.size and not (day_numbers.min() >= _FIRST_NS // NS_PER_DAY
                                 and day_numbers.max() < _END_NS // NS_PER_DAY):
        return None
    return day_numbers * NS_PER_DAY


def any_leading_space(column: pa.Array) -> bool:
    """Whether a cell starts with a space: the exact reader drops spaces after commas, which
    Arrow keeps, so such a file takes the exact path to read the same."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return False
    return bool(pc.any(pc.starts_with(column, " ")).as_py())


def any_empty(column: pa.Array) -> bool:
    return bool(pc.any(pc.equal(pc.utf8_length(column), 0)).as_py()) if len(column) else False


# Cell checks that serve both paths: whole-column when every cell is fine, and naming each bad
# row (its index in the batch or file, the column, the reason) when some is not.
Problem = tuple[int, str, str]


def stripped(column: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(texts(column))


def required_texts(column: pa.Array, field: str) -> tuple[pa.Array, list[Problem]]:
    values = stripped(column)
    values = values.fill_null("") if values.null_count else values
    if not any_empty(values):
        return values, []
    empty = np.asarray(pc.equal(pc.utf8_length(values), 0).to_numpy(zero_copy_only=False))
    return values, [(int(row), field, "is empty") for row in np.flatnonzero(empty)]


def coordinates(column: pa.Array, field: str, limit: float) -> tuple[np.ndarray, list[Problem]]:
    values = floats(column)
    if values is not None and within(values, limit):
        return values, []
    cells = _cells(column)
    values = np.full(len(cells), np.nan)
    problems = []
    for row, text in enumerate(cells):
        try:
            values[row] = float(text)
        except ValueError:
            problems.append((row, field, f"{text!r} is not a number" if text else "is empty"))
            continue
        if not abs(values[row]) <= limit:
            problems.append((row, field, f"{text} is outside ±{limit:g} (are latitude and "
                             "longitude swapped? latitude is -90 to 90, longitude -180 to 180)"))
    return values, problems


def choices(
    column: pa.Array, field: str, values_of: dict[str, float], reason: str
) -> tuple[np.ndarray, list[Problem]]:
    """The number each cell's text (spaces dropped, any case) stands for in `values_of`."""
    keys = list(values_of)
    index = pc.index_in(pc.utf8_lower(stripped(column)), value_set=pa.array(keys))
    numbers = np.array([values_of[key] for key in keys], dtype=float)
    if not index.null_count:
        return numbers[index.to_numpy(zero_copy_only=False)], []
    positions = index.fill_null(0).to_numpy(zero_copy_only=False)
    cells = _cells(column)
    bad = np.flatnonzero(np.asarray(index.is_null().to_numpy(zero_copy_only=False)))
    problems = [(int(row), field, f"{cells[row]!r} {reason}" if cells[row] else "is empty")
                for row in bad]
    return numbers[positions], problems


def dates(column: pa.Array, field: str, formats: tuple[str, ...]) -> tuple[np.ndarray,
                                                                           list[Problem]]:
    """Midnight UTC (ns) of each date, `YYYY-MM-DD` or one of `formats`."""
    ticks = days_ns(stripped(column), formats)
    if ticks is not None:
        return ticks, []
    cells = _cells(column)
    ticks = np.zeros(len(cells), dtype=np.int64)
    problems = []
    epoch = date(1970, 1, 1)
    for row, text in enumerate(cells):
        day = _day(text, formats)
        if day is None:
            problems.append((row, field, f"{text!r} is not a date (such as 2026-03-01)"
                             if text else "is empty"))
        elif not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems.append((row, field, f"{text!r} is outside {bounds.SPAN_TEXT}"))
        else:
            ticks[row] = (day - epoch).days * NS_PER_DAY
    return ticks, problems


def _day(text: str, formats: tuple[str, ...]) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _cells(column: pa.Array) -> list[str]:
    return ["" if value is None else value.strip() for value in texts(column).to_pylist()]
