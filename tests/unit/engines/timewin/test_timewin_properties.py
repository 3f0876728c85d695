"""The engine against plain reference code: loops over windows, and RRULE expansion by stepping
days in local time with an offset search that does not rely on zoneinfo's fold semantics."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.engines.timewin import (
    Recurrence,
    Window,
    active_at,
    contains,
    expand,
    format_duration,
    format_local,
    next_change,
    overlaps_any,
    parse_duration,
    parse_instant,
    parse_window_spec,
    spec_to_json,
    union,
)

pytestmark = pytest.mark.unit

EPOCH = datetime(2026, 3, 20, tzinfo=UTC)
ZONES = ["Europe/Kyiv", "Europe/Moscow", "Europe/Berlin", "America/New_York"]
# Days around the clock changes of 2026, so that most examples cross or hit one.
CHANGE_DAYS = [
    datetime(2026, 3, 8),
    datetime(2026, 3, 29),
    datetime(2026, 10, 25),
    datetime(2026, 11, 1),
]

minutes = st.integers(min_value=0, max_value=3 * 24 * 60)
window_strategy = st.builds(
    lambda start, length: Window(
        EPOCH + timedelta(minutes=start), EPOCH + timedelta(minutes=start + length)
    ),
    minutes,
    st.integers(min_value=1, max_value=12 * 60),
)
windows_strategy = st.lists(window_strategy, max_size=12)


def as_ns(moments: list[datetime]) -> np.ndarray:
    return np.array([m.replace(tzinfo=None) for m in moments], dtype="datetime64[ns]")


@st.composite
def windows_and_instants(draw):
    windows = draw(windows_strategy)
    edges = [w.start for w in windows] + [w.end for w in windows]
    picked = draw(st.lists(st.sampled_from(edges), max_size=10)) if edges else []
    offsets = draw(st.lists(st.integers(min_value=-60, max_value=4 * 24 * 60), max_size=10))
    nudges = [m + timedelta(microseconds=d) for m in picked for d in (-1, 0, 1)]
    return windows, picked + nudges + [EPOCH + timedelta(minutes=o) for o in offsets]


@given(windows_and_instants())
def test_active_at_equals_a_loop_over_windows(case):
    windows, moments = case
    expected = [any(w.start <= m < w.end for w in windows) for m in moments]
    assert active_at(windows, as_ns(moments)).tolist() == expected


@given(windows_and_instants(), st.lists(st.integers(min_value=0, max_value=24 * 60), max_size=10))
def test_overlaps_any_equals_a_loop_over_windows(case, lengths):
    windows, lows = case
    highs = [low + timedelta(minutes=length) for low, length in zip(lows, lengths, strict=False)]
    lows = lows[: len(highs)]
    expected = [
        low < high and any(w.start < high and low < w.end for w in windows)
        for low, high in zip(lows, highs, strict=True)
    ]
    assert overlaps_any(windows, as_ns(lows), as_ns(highs)).tolist() == expected


@given(windows_and_instants())
def test_union_is_disjoint_sorted_and_covers_the_same_instants(case):
    windows, moments = case
    merged = union(windows)
    assert all(a.end < b.start for a, b in zip(merged, merged[1:], strict=False))
    assert [contains(merged, m) for m in moments] == [contains(windows, m) for m in moments]


@given(windows_and_instants())
def test_next_change_is_the_first_edge_where_being_inside_changes(case):
    windows, moments = case
    edges = sorted({w.start for w in windows} | {w.end for w in windows})
    for moment in moments:
        now = contains(windows, moment)
        expected = next((e for e in edges if e > moment and contains(windows, e) != now), None)
        assert next_change(windows, moment) == expected


def reference_localise(local: datetime, zone: ZoneInfo) -> datetime:
    """Try the offsets in force a day before and a day after; a fold takes the earlier instant,
    a gap the offset from before it."""
    probe = local.replace(tzinfo=UTC)
    before = (probe - timedelta(days=1)).astimezone(zone).utcoffset()
    after = (probe + timedelta(days=1)).astimezone(zone).utcoffset()
    candidates = [
        probe - offset
        for offset in (before, after)
        if (probe - offset).astimezone(zone).replace(tzinfo=None) == local
    ]
    return min(candidates) if candidates else probe - before


@settings(max_examples=150, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    day=st.sampled_from(CHANGE_DAYS),
    day_shift=st.integers(min_value=-3, max_value=0),
    minute_of_day=st.integers(min_value=0, max_value=24 * 60 - 1),
    frequency=st.sampled_from([("DAILY", 1), ("WEEKLY", 7)]),
    interval=st.integers(min_value=1, max_value=2),
    count=st.integers(min_value=1, max_value=6),
    duration_minutes=st.integers(min_value=1, max_value=36 * 60),
)
def test_expand_equals_stepping_days_in_local_time(
    zone_name, day, day_shift, minute_of_day, frequency, interval, count, duration_minutes
):
    name, days_per_step = frequency
    dtstart = day + timedelta(days=day_shift, minutes=minute_of_day)
    duration = timedelta(minutes=duration_minutes)
    rule = f"FREQ={name};INTERVAL={interval};COUNT={count}"
    zone = ZoneInfo(zone_name)
    expected = sorted(
        (start, start + duration)
        for start in (
            reference_localise(dtstart + timedelta(days=i * interval * days_per_step), zone)
            for i in range(count)
        )
    )
    got = expand([Recurrence(rule, dtstart, zone_name, duration)])
    assert [(w.start, w.end) for w in got] == expected


@given(
    st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=400)),
)
def test_duration_text_round_trips(duration):
    assert parse_duration(format_duration(duration)) == duration


@given(
    dtstart=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)),
    zone_name=st.sampled_from(ZONES),
    hours=st.integers(min_value=1, max_value=48),
)
def test_recurrence_json_round_trips(dtstart, zone_name, hours):
    spec = Recurrence("FREQ=DAILY;COUNT=2", dtstart, zone_name, timedelta(hours=hours))
    assert parse_window_spec(spec_to_json(spec)) == spec


@given(window_strategy)
def test_window_json_round_trips(window):
    assert parse_window_spec(spec_to_json(window)) == window


local_near_changes = st.builds(
    lambda day, minute: day + timedelta(minutes=minute),
    st.sampled_from(CHANGE_DAYS),
    st.integers(min_value=-24 * 60, max_value=2 * 24 * 60),
)


@given(local_near_changes, st.sampled_from(ZONES))
def test_naive_local_time_with_zone_equals_the_reference(local, zone_name):
    assert parse_instant(local.isoformat(), zone_name) == reference_localise(
        local, ZoneInfo(zone_name)
    )


@given(local_near_changes, st.sampled_from([*ZONES, "UTC", "Asia/Kathmandu"]))
def test_format_local_reads_back_as_the_same_instant(local, zone_name):
    moment = local.replace(tzinfo=UTC)
    day, clock, _, offset = format_local(moment, zone_name).split(" ")
    assert parse_instant(f"{day}T{clock}{offset.strip('()')}") == moment
