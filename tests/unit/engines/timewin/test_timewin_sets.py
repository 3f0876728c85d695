from datetime import UTC, datetime

import numpy as np
import pytest

from parley.engines.timewin import (
    Window,
    WindowError,
    active_at,
    contains,
    next_change,
    overlaps_any,
    union,
)

pytestmark = pytest.mark.unit


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def ns(*texts: str) -> np.ndarray:
    return np.array(texts, dtype="datetime64[ns]")


MORNING = Window(utc(2026, 3, 25, 8), utc(2026, 3, 25, 12))
EVENING = Window(utc(2026, 3, 25, 16), utc(2026, 3, 25, 18))


class TestActiveAt:
    def test_start_is_inside_and_end_is_outside(self):
        times = ns(
            "2026-03-25T07:59:59.999999999",
            "2026-03-25T08:00",
            "2026-03-25T11:59:59.999999999",
            "2026-03-25T12:00",
            "2026-03-25T17:00",
            "2026-03-25T18:00",
            "NaT",
        )
        assert active_at([EVENING, MORNING], times).tolist() == [
            False,
            True,
            True,
            False,
            True,
            False,
            False,
        ]

    def test_no_windows(self):
        assert active_at([], ns("2026-03-25T08:00")).tolist() == [False]

    def test_other_units_and_shapes(self):
        times = np.array([["2026-03-25T08:00", "2026-03-25T12:00"]], dtype="datetime64[s]")
        assert active_at([MORNING], times).tolist() == [[True, False]]

    def test_overlapping_windows(self):
        late = Window(utc(2026, 3, 25, 10), utc(2026, 3, 25, 13))
        assert active_at([MORNING, late], ns("2026-03-25T12:30", "2026-03-25T13:00")).tolist() == [
            True,
            False,
        ]

    def test_rejects_non_datetime_arrays(self):
        with pytest.raises(TypeError):
            active_at([MORNING], np.array([1, 2]))


class TestOverlapsAny:
    def test_edges_are_half_open(self):
        starts = ns(
            "2026-03-25T00:00",
            "2026-03-25T00:00",
            "2026-03-25T12:00",
            "2026-03-25T11:59",
            "2026-03-25T13:00",
            "2026-03-25T09:00",
            "NaT",
        )
        ends = ns(
            "2026-03-25T08:00",
            "2026-03-25T08:01",
            "2026-03-25T16:00",
            "2026-03-25T12:00",
            "2026-03-26T00:00",
            "2026-03-25T09:00",
            "2026-03-25T09:00",
        )
        assert overlaps_any([MORNING, EVENING], starts, ends).tolist() == [
            False,
            True,
            False,
            True,
            True,
            False,
            False,
        ]

    def test_whole_local_day_of_an_acled_event(self):
        # 25 March 2026 in Kyiv (+02:00) is [24 March 22:00Z, 25 March 22:00Z).
        starts = ns("2026-03-24T22:00")
        ends = starts + np.timedelta64(24, "h")
        before_midnight = Window(utc(2026, 3, 24, 21), utc(2026, 3, 24, 22))
        after_midnight = Window(utc(2026, 3, 24, 22), utc(2026, 3, 24, 23))
        last_minute = Window(utc(2026, 3, 25, 21, 59), utc(2026, 3, 26, 1))
        assert [
            overlaps_any([window], starts, ends).tolist()
            for window in (before_midnight, after_midnight, last_minute)
        ] == [[False], [True], [True]]

    def test_no_windows(self):
        assert overlaps_any([], ns("2026-03-25"), ns("2026-03-26")).tolist() == [False]


def test_union_joins_overlapping_and_touching_windows():
    touching = Window(utc(2026, 3, 25, 12), utc(2026, 3, 25, 13))
    inner = Window(utc(2026, 3, 25, 9), utc(2026, 3, 25, 10))
    assert union([EVENING, touching, MORNING, inner]) == [
        Window(utc(2026, 3, 25, 8), utc(2026, 3, 25, 13)),
        EVENING,
    ]


def test_contains_is_half_open():
    assert [contains([MORNING], t) for t in (utc(2026, 3, 25, 8), utc(2026, 3, 25, 12))] == [
        True,
        False,
    ]


def test_contains_rejects_naive():
    with pytest.raises(WindowError):
        contains([MORNING], datetime(2026, 3, 25, 9))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 3, 25, 7), utc(2026, 3, 25, 8)),
        (utc(2026, 3, 25, 8), utc(2026, 3, 25, 12)),
        (utc(2026, 3, 25, 12), utc(2026, 3, 25, 16)),
        (utc(2026, 3, 25, 17), utc(2026, 3, 25, 18)),
        (utc(2026, 3, 25, 18), None),
    ],
)
def test_next_change(moment, expected):
    assert next_change([EVENING, MORNING], moment) == expected
