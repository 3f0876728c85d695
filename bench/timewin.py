"""active_at over 1e6 instants and 1000 windows, against a per-window NumPy loop baseline."""

import time
from datetime import UTC, datetime, timedelta

import numpy as np

from parley.engines.timewin import active_at, windows_from_json

INSTANTS = 1_000_000
WINDOWS = 1_000


def best_of(repeats: int, call) -> tuple[float, np.ndarray]:
    best, result = float("inf"), None
    for _ in range(repeats):
        began = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - began)
    return best, result


def per_window_loop(windows, times: np.ndarray) -> np.ndarray:
    active = np.zeros(times.shape, dtype=bool)
    for window in windows:
        start = np.datetime64(window.start.replace(tzinfo=None), "ns")
        end = np.datetime64(window.end.replace(tzinfo=None), "ns")
        active |= (times >= start) & (times < end)
    return active


def main() -> None:
    spec = {
        "rrule": f"FREQ=HOURLY;INTERVAL=7;COUNT={WINDOWS}",
        "dtstart": "2026-01-01T10:00:00",
        "tz": "Europe/Kyiv",
        "duration": "PT4H",
    }
    began = time.perf_counter()
    windows = windows_from_json([spec])
    expand_s = time.perf_counter() - began
    span = windows[-1].end - windows[0].start + timedelta(days=2)
    first = np.datetime64(
        (windows[0].start - timedelta(days=1)).astimezone(UTC).replace(tzinfo=None), "ns"
    )
    rng = np.random.default_rng(2026)
    offsets = rng.integers(0, span // timedelta(microseconds=1), INSTANTS) * 1000
    times = first + offsets.astype("timedelta64[ns]")

    fast_s, fast = best_of(5, lambda: active_at(windows, times))
    slow_s, slow = best_of(1, lambda: per_window_loop(windows, times))
    assert np.array_equal(fast, slow)
    print(f"expand: {WINDOWS} occurrences of an RRULE in {expand_s * 1e3:.1f} ms")
    print(
        f"active_at (union + searchsorted): {INSTANTS / fast_s:,.0f} times/s "
        f"({fast_s * 1e3:.1f} ms for {INSTANTS:,} times x {WINDOWS} windows)"
    )
    print(
        f"baseline (per-window NumPy loop): {INSTANTS / slow_s:,.0f} times/s "
        f"({slow_s * 1e3:.1f} ms)"
    )
    print(
        f"speed-up: {slow_s / fast_s:.0f}x; {fast.mean():.1%} of instants active; "
        f"run at {datetime.now(UTC):%Y-%m-%d %H:%M}Z"
    )


if __name__ == "__main__":
    main()
