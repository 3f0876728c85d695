"""Sets of windows: expansion, union and vectorised membership tests."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from parley.engines import bounds

from .errors import WindowError, gettext_noop
from .model import Recurrence, Window
from .parsing import parse_window_spec
from .rules import expand_recurrence

_NS = np.dtype("datetime64[ns]")


def expand(
    specs: Iterable[Window | Recurrence],
    *,
    until: datetime | None = None,
    field: str = "windows",
) -> list[Window]:
    """Every occurrence of `specs`, sorted by start (then end).

    A rule without COUNT or UNTIL is expanded up to `until` (occurrences starting before it),
    by default up to one year after its `dtstart`.
    """
    if until is not None and (until.tzinfo is None or until.utcoffset() is None):
        raise WindowError("until", gettext_noop("is a local time without a time zone"))
    occurrences: list[Window] = []
    for index, spec in enumerate(specs):
        if isinstance(spec, Window):
            occurrences.append(spec)
        else:
            bounds = expand_recurrence(spec, until=until, field=f"{field}[{index}]")
            occurrences.extend(Window(start, end) for start, end in bounds)
    occurrences.sort(key=lambda window: (window.start, window.end))
    return occurrences


def windows_from_json(
    items: list[dict[str, Any]], *, field: str = "windows", until: datetime | None = None
) -> list[Window]:
    if not isinstance(items, list):
        raise WindowError(field, gettext_noop("must be a list of windows"))
    specs = [parse_window_spec(item, field=f"{field}[{index}]") for index, item in enumerate(items)]
    return expand(specs, until=until, field=field)


def union(windows: Iterable[Window]) -> list[Window]:
    """The disjoint, sorted windows covering the same instants; touching windows are joined."""
    merged: list[Window] = []
    for window in sorted(windows, key=lambda w: (w.start, w.end)):
        if merged and window.start <= merged[-1].end:
            if window.end > merged[-1].end:
                merged[-1] = Window(merged[-1].start, window.end)
        else:
            merged.append(window)
    return merged


def union_bounds(windows: Iterable[Window]) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the union as int64 nanoseconds since the epoch (UTC)."""
    merged = union(windows)
    starts = np.array([_ns(w.start) for w in merged], dtype=np.int64)
    ends = np.array([_ns(w.end) for w in merged], dtype=np.int64)
    return starts, ends


def active_at(windows: Iterable[Window], times: np.ndarray) -> np.ndarray:
    """For each UTC instant, whether some window contains it. NaT is never active.

    One binary search per instant over the union: O((n + m) log n) for n windows, m instants.
    """
    starts, ends = union_bounds(windows)
    instants = _as_ns(times, "times")
    if starts.size == 0:
        return np.zeros(instants.shape, dtype=bool)
    ticks = instants.view(np.int64)
    last_started = np.searchsorted(starts, ticks, side="right") - 1
    inside = (last_started >= 0) & (ticks < ends[np.maximum(last_started, 0)])
    return inside & ~np.isnat(instants)


def overlaps_any(windows: Iterable[Window], starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each interval `[start, end)`, whether it shares an instant with some window.

    An empty interval (start == end) shares none; NaT in either bound never overlaps.
    """
    window_starts, window_ends = union_bounds(windows)
    lows = _as_ns(starts, "starts")
    highs = _as_ns(ends, "ends")
    if lows.shape != highs.shape:
        raise ValueError("starts and ends must have the same shape")
    if window_starts.size == 0:
        return np.zeros(lows.shape, dtype=bool)
    low_ticks = lows.view(np.int64)
    high_ticks = highs.view(np.int64)
    # The first window of the union that ends after the interval starts is the only candidate.
    candidate = np.searchsorted(window_ends, low_ticks, side="right")
    exists = candidate < window_starts.size
    candidate_start = window_starts[np.minimum(candidate, window_starts.size - 1)]
    valid = ~(np.isnat(lows) | np.isnat(highs)) & (low_ticks < high_ticks)
    return exists & (candidate_start < high_ticks) & valid


def contains(windows: Iterable[Window], t: datetime) -> bool:
    moment = _aware(t, "t")
    return any(w.start <= moment < w.end for w in windows)


def next_change(windows: Iterable[Window], t: datetime) -> datetime | None:
    """The first instant after `t` at which being inside the windows starts or stops."""
    moment = _aware(t, "t")
    for window in union(windows):
        if moment < window.start:
            return window.start
        if moment < window.end:
            return window.end
    return None


def _aware(moment: datetime, field: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise WindowError(field, gettext_noop("is a local time without a time zone"))
    # A time outside the supported span reads as the span's end: every window lies inside it,
    # so the answer is the same, and converting it cannot overflow.
    return bounds.clamp_instant(moment).astimezone(UTC)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _ns(moment: datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND * 1000


def _as_ns(values: np.ndarray, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.dtype.kind != "M":
        raise TypeError(f"{name} must be a numpy datetime64 array of UTC instants")
    return array.astype(_NS, copy=False)
