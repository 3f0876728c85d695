"""Exact instants around the 2026 clock changes (Europe/Kyiv: 29 March 03:00->04:00,
25 October 04:00->03:00; Europe/Berlin one hour earlier in local time; New York on 8 March and
1 November; Europe/Moscow has kept +03:00 all year since 2014)."""

from datetime import UTC, datetime, timedelta

import pytest

from parley.engines.timewin import (
    LocalWindow,
    Window,
    format_local,
    parse_instant,
    render,
    windows_from_json,
)

pytestmark = pytest.mark.unit


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def starts(dtstart: str, tz: str, rrule: str = "FREQ=DAILY;COUNT=3", duration: str = "PT1H"):
    spec = {"rrule": rrule, "dtstart": dtstart, "tz": tz, "duration": duration}
    return [(w.start, w.end) for w in windows_from_json([spec])]


def test_daily_ten_oclock_kyiv_moves_an_hour_earlier_in_utc_at_the_spring_change():
    assert starts("2026-03-28T10:00", "Europe/Kyiv", duration="PT4H") == [
        (utc(2026, 3, 28, 8), utc(2026, 3, 28, 12)),
        (utc(2026, 3, 29, 7), utc(2026, 3, 29, 11)),
        (utc(2026, 3, 30, 7), utc(2026, 3, 30, 11)),
    ]


def test_daily_ten_oclock_kyiv_moves_an_hour_later_in_utc_at_the_autumn_change():
    assert [s for s, _ in starts("2026-10-24T10:00", "Europe/Kyiv")] == [
        utc(2026, 10, 24, 7),
        utc(2026, 10, 25, 8),
        utc(2026, 10, 26, 8),
    ]


def test_daily_ten_oclock_moscow_is_seven_utc_all_year():
    assert [s for s, _ in starts("2026-03-28T10:00", "Europe/Moscow")] == [
        utc(2026, 3, 28, 7),
        utc(2026, 3, 29, 7),
        utc(2026, 3, 30, 7),
    ]
    assert [s for s, _ in starts("2026-10-24T10:00", "Europe/Moscow")] == [
        utc(2026, 10, 24, 7),
        utc(2026, 10, 25, 7),
        utc(2026, 10, 26, 7),
    ]


def test_kyiv_start_in_the_spring_gap_takes_the_offset_before_the_gap():
    assert [s for s, _ in starts("2026-03-28T03:30", "Europe/Kyiv")] == [
        utc(2026, 3, 28, 1, 30),
        utc(2026, 3, 29, 1, 30),
        utc(2026, 3, 30, 0, 30),
    ]


def test_kyiv_start_in_the_autumn_fold_takes_the_first_occurrence():
    assert [s for s, _ in starts("2026-10-24T03:30", "Europe/Kyiv")] == [
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),
        utc(2026, 10, 26, 1, 30),
    ]


@pytest.mark.parametrize(
    ("local", "tz", "expected"),
    [
        ("2026-03-29T03:30", "Europe/Kyiv", utc(2026, 3, 29, 1, 30)),
        ("2026-03-29T02:59", "Europe/Kyiv", utc(2026, 3, 29, 0, 59)),
        ("2026-03-29T04:00", "Europe/Kyiv", utc(2026, 3, 29, 1)),
        ("2026-10-25T03:30", "Europe/Kyiv", utc(2026, 10, 25, 0, 30)),
        ("2026-10-25T04:00", "Europe/Kyiv", utc(2026, 10, 25, 2)),
        ("2026-03-29T02:30", "Europe/Berlin", utc(2026, 3, 29, 1, 30)),
        ("2026-10-25T02:30", "Europe/Berlin", utc(2026, 10, 25, 0, 30)),
        ("2026-03-08T02:30", "America/New_York", utc(2026, 3, 8, 7, 30)),
        ("2026-11-01T01:30", "America/New_York", utc(2026, 11, 1, 5, 30)),
        ("2026-03-29T03:30", "Europe/Moscow", utc(2026, 3, 29, 0, 30)),
        ("2026-10-25T03:30", "Europe/Moscow", utc(2026, 10, 25, 0, 30)),
    ],
)
def test_local_times_at_the_changes(local, tz, expected):
    assert parse_instant(local, tz) == expected


def test_one_off_naive_window_in_the_gap():
    spec = {"start": "2026-03-29T03:30", "end": "2026-03-29T05:00", "tz": "Europe/Kyiv"}
    assert windows_from_json([spec]) == [Window(utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2))]


def test_duration_is_elapsed_time_across_the_spring_change():
    ((start, end),) = starts("2026-03-29T02:00", "Europe/Kyiv", "FREQ=DAILY;COUNT=1", "PT4H")
    assert (start, end) == (utc(2026, 3, 29, 0), utc(2026, 3, 29, 4))
    assert format_local(end, "Europe/Kyiv") == "2026-03-29 07:00 EEST (+03:00)"


def test_duration_is_elapsed_time_across_the_autumn_change():
    ((start, end),) = starts("2026-10-25T02:00", "Europe/Kyiv", "FREQ=DAILY;COUNT=1", "PT4H")
    assert (start, end) == (utc(2026, 10, 24, 23), utc(2026, 10, 25, 3))
    assert format_local(end, "Europe/Kyiv") == "2026-10-25 05:00 EET (+02:00)"


def test_a_one_day_duration_is_twenty_four_hours_even_on_the_short_day():
    ((start, end),) = starts("2026-03-28T12:00", "Europe/Kyiv", "FREQ=DAILY;COUNT=1", "P1D")
    assert end - start == timedelta(hours=24)
    assert format_local(end, "Europe/Kyiv") == "2026-03-29 13:00 EEST (+03:00)"


def test_weekly_rule_with_byday_in_kyiv():
    assert [
        s for s, _ in starts("2026-03-23T09:00", "Europe/Kyiv", "FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4")
    ] == [
        utc(2026, 3, 23, 7),
        utc(2026, 3, 27, 7),
        utc(2026, 3, 30, 6),
        utc(2026, 4, 3, 6),
    ]


class TestFormatLocal:
    @pytest.mark.parametrize(
        ("zone", "text"),
        [
            ("Europe/Kyiv", "2026-03-25 10:00 EET (+02:00)"),
            ("Europe/Moscow", "2026-03-25 11:00 MSK (+03:00)"),
            ("UTC", "2026-03-25 08:00 UTC (+00:00)"),
            ("America/New_York", "2026-03-25 04:00 EDT (-04:00)"),
            ("Asia/Kathmandu", "2026-03-25 13:45 +0545 (+05:45)"),
        ],
    )
    def test_zones(self, zone, text):
        assert format_local(utc(2026, 3, 25, 8), zone) == text

    def test_seconds_shown_only_when_not_zero(self):
        assert format_local(utc(2026, 3, 25, 8, 0, 30), "Europe/Kyiv") == (
            "2026-03-25 10:00:30 EET (+02:00)"
        )


def test_render_a_window_across_the_autumn_change_in_each_clock():
    window = Window(utc(2026, 10, 24, 22), utc(2026, 10, 25, 2))
    kyiv, moscow, universal = render(window, ["Europe/Kyiv", "Europe/Moscow", "UTC"])
    assert kyiv == LocalWindow(
        zone="Europe/Kyiv",
        start_local=window.start.astimezone(kyiv.start_local.tzinfo),
        end_local=window.end.astimezone(kyiv.start_local.tzinfo),
        utc_offset_start="+03:00",
        utc_offset_end="+02:00",
        abbrev="EEST",
        abbrev_end="EET",
    )
    assert (kyiv.start_local.replace(tzinfo=None), kyiv.end_local.replace(tzinfo=None)) == (
        datetime(2026, 10, 25, 1),
        datetime(2026, 10, 25, 4),
    )
    assert (
        moscow.start_local.replace(tzinfo=None),
        moscow.end_local.replace(tzinfo=None),
        moscow.utc_offset_start,
        moscow.utc_offset_end,
        moscow.abbrev,
        moscow.abbrev_end,
    ) == (datetime(2026, 10, 25, 1), datetime(2026, 10, 25, 5), "+03:00", "+03:00", "MSK", "MSK")
    assert (universal.start_local, universal.end_local, universal.abbrev) == (
        window.start,
        window.end,
        "UTC",
    )


def test_utc_until_is_compared_with_the_instant_of_an_occurrence_in_the_gap():
    # 03:30 on 29 March does not exist in Kyiv and means 01:30Z, after an UNTIL of 01:00Z, even
    # though UNTIL reads 04:00 on Kyiv clocks.
    assert [
        s for s, _ in starts("2026-03-28T03:30", "Europe/Kyiv", "FREQ=DAILY;UNTIL=20260329T010000Z")
    ] == [utc(2026, 3, 28, 1, 30)]
