"""Whole-column conversions for the fast reading path: each answers None when some cell is not
plainly valid, and the feed then falls back to the exact reading, which names the cell."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# datetime64[ns] covers 1677-09-21 to 2262-04-11; whole years inside keep the message simple.
FIRST_YEAR, LAST_YEAR = 1678, 2261
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
    return values.to_numpy(zero_copy_only=False)


def within(values: np.ndarray | None, limit: float) -> bool:
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
    ticks = values.cast(pa.int64()).to_numpy(zero_copy_only=False)
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
    ticks = days.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64) * NS_PER_DAY
    if ticks.size and not (ticks.min() >= _FIRST_NS and ticks.max() < _END_NS):
        return None
    return ticks


def any_leading_space(column: pa.Array) -> bool:
    """Whether a cell starts with a space: the exact reader drops spaces after commas, which
    Arrow keeps, so such a file takes the exact path to read the same."""
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return False
    return bool(pc.any(pc.starts_with(column, " ")).as_py())


def any_empty(column: pa.Array) -> bool:
    return bool(pc.any(pc.equal(pc.utf8_length(column), 0)).as_py()) if len(column) else False
