"""`outside_window`: half-open windows, the safety margin, unions of windows, and DST days."""

import pytest

from parley.engines import geo
from parley.engines.deconflict import OUTSIDE_WINDOW, check_movements, parse_movements

pytestmark = pytest.mark.unit

ROUTE = [[35.70, 47.52], [35.70, 47.55], [35.70, 47.58]]


def window_findings(build, windows, first, last, margin_min=None, middle=None):
    area = build.area(windows=windows, margin_min=margin_min)
    areas = geo.parse_areas(build.collection(area))
    times = [first, middle or first, last]
    movements = parse_movements(build.collection(build.movement(ROUTE, times)))
    return [f for f in check_movements(areas, movements) if f.code == OUTSIDE_WINDOW]


def details(findings):
    return [f.detail for f in findings]


def test_movement_inside_the_window_is_accepted(build):
    assert (
        window_findings(build, build.one_window, "2026-03-01T08:00:00Z", "2026-03-01T13:59:59Z")
        == []
    )


def test_movement_ending_exactly_at_the_window_end_is_outside(build):
    findings = window_findings(
        build, build.one_window, "2026-03-01T12:00:00Z", "2026-03-01T14:00:00Z"
    )
    assert details(findings) == [
        "the movement ends at 2026-03-01T14:00:00Z, the instant the window "
        "2026-03-01T08:00:00Z–2026-03-01T14:00:00Z of agreement HP-2026-004 closes; "
        "a window's end is outside it"
    ]
    assert findings[0].severity == "blocking"
    assert (findings[0].lon, findings[0].lat) == (35.70, 47.58)


def test_margin_end_minus_margin_is_accepted_one_second_later_is_not(build):
    first = "2026-03-01T12:00:00Z"
    ok = window_findings(build, build.one_window, first, "2026-03-01T13:30:00Z", margin_min=30)
    assert ok == []
    late = window_findings(build, build.one_window, first, "2026-03-01T13:30:01Z", margin_min=30)
    assert details(late) == [
        "the movement ends at 2026-03-01T13:30:01Z, later than 2026-03-01T13:30:00Z: the window "
        "2026-03-01T08:00:00Z–2026-03-01T14:00:00Z of agreement HP-2026-004 closes at "
        "2026-03-01T14:00:00Z and movements must be out 30 min before"
    ]


def test_where_the_movement_is_when_it_should_be_out(build):
    """Out by 13:30 on a route of two 30-minute legs that left at 12:30: at the middle vertex."""
    [finding] = window_findings(
        build,
        build.one_window,
        "2026-03-01T12:30:00Z",
        "2026-03-01T13:50:00Z",
        margin_min=30,
        middle="2026-03-01T13:30:00Z",
    )
    assert (finding.lon, round(finding.lat, 9)) == (35.70, 47.55)


def test_movement_starting_before_the_window_opens(build):
    findings = window_findings(
        build, build.one_window, "2026-03-01T07:59:59Z", "2026-03-01T09:00:00Z"
    )
    assert details(findings) == [
        "the movement starts at 2026-03-01T07:59:59Z, outside every window of agreement "
        "HP-2026-004; the next window is 2026-03-01T08:00:00Z–2026-03-01T14:00:00Z"
    ]


def test_movement_after_the_last_window(build):
    findings = window_findings(
        build, build.one_window, "2026-03-01T14:00:00Z", "2026-03-01T15:00:00Z"
    )
    assert details(findings) == [
        "the movement starts at 2026-03-01T14:00:00Z, outside every window of agreement "
        "HP-2026-004; the last window was 2026-03-01T08:00:00Z–2026-03-01T14:00:00Z"
    ]


def test_adjacent_windows_are_one(build):
    windows = [
        {"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T11:00:00Z"},
        {"start": "2026-03-01T11:00:00Z", "end": "2026-03-01T14:00:00Z"},
    ]
    assert window_findings(build, windows, "2026-03-01T10:00:00Z", "2026-03-01T12:00:00Z") == []


def test_adjacent_windows_on_different_features_of_the_agreement_are_one(build):
    morning = build.area(
        "C1", windows=[{"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T11:00:00Z"}]
    )
    later = build.area(
        "C2", windows=[{"start": "2026-03-01T11:00:00Z", "end": "2026-03-01T14:00:00Z"}]
    )
    areas = geo.parse_areas(build.collection(morning, later))
    movement = build.movement(ROUTE, ["2026-03-01T10:00:00Z"] * 2 + ["2026-03-01T12:00:00Z"])
    assert check_movements(areas, parse_movements(build.collection(movement))) == []


def test_windows_with_a_gap_are_not_one(build):
    windows = [
        {"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T11:00:00Z"},
        {"start": "2026-03-01T11:00:01Z", "end": "2026-03-01T14:00:00Z"},
    ]
    findings = window_findings(build, windows, "2026-03-01T10:00:00Z", "2026-03-01T12:00:00Z")
    assert details(findings) == [
        "the movement is still under way at 2026-03-01T11:00:00Z, when the window "
        "2026-03-01T08:00:00Z–2026-03-01T11:00:00Z of agreement HP-2026-004 closes and no other "
        "window continues it; it ends at 2026-03-01T12:00:00Z"
    ]


KYIV_DAILY = [
    {
        "rrule": "FREQ=DAILY;COUNT=5",
        "dtstart": "2026-03-27T10:00:00",
        "tz": "Europe/Kyiv",
        "duration": "PT4H",
    }
]


def test_daily_kyiv_window_before_the_clock_change(build):
    """10:00–14:00 Kyiv is 08:00Z–12:00Z on Saturday 28 March 2026 (EET, UTC+2)."""
    assert window_findings(build, KYIV_DAILY, "2026-03-28T08:00:00Z", "2026-03-28T11:59:59Z") == []
    assert (
        len(window_findings(build, KYIV_DAILY, "2026-03-28T07:30:00Z", "2026-03-28T09:00:00Z")) == 1
    )


def test_daily_kyiv_window_on_the_day_of_the_clock_change(build):
    """On Sunday 29 March 2026 Kyiv moves to EEST (UTC+3) at 03:00: 10:00 Kyiv is 07:00Z and the
    window closes at 11:00Z. A convoy planned on the winter clock is still inside at 11:00Z."""
    assert window_findings(build, KYIV_DAILY, "2026-03-29T07:00:00Z", "2026-03-29T10:59:59Z") == []
    findings = window_findings(build, KYIV_DAILY, "2026-03-29T08:00:00Z", "2026-03-29T11:30:00Z")
    assert details(findings) == [
        "the movement is still under way at 2026-03-29T11:00:00Z, when the window "
        "2026-03-29T07:00:00Z–2026-03-29T11:00:00Z of agreement HP-2026-004 closes and no other "
        "window continues it; it ends at 2026-03-29T11:30:00Z"
    ]


def test_margin_on_the_day_of_the_clock_change(build):
    first = "2026-03-29T07:00:00Z"
    assert window_findings(build, KYIV_DAILY, first, "2026-03-29T10:45:00Z", margin_min=15) == []
    late = window_findings(build, KYIV_DAILY, first, "2026-03-29T10:45:01Z", margin_min=15)
    assert [f.code for f in late] == ["outside_window"]


def test_a_movement_without_duration_needs_its_one_instant_inside(build):
    at_end = "2026-03-01T14:00:00Z"
    assert len(window_findings(build, build.one_window, at_end, at_end)) == 1
    just_before = "2026-03-01T13:59:59.999999Z"
    assert window_findings(build, build.one_window, just_before, just_before) == []
