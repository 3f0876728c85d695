"""`timewin.clock_changes`: the instants a zone's clocks change, to the second, with the length of
the local day that holds each change."""

from datetime import UTC, datetime, timedelta

import pytest

from parley.engines import timewin

pytestmark = pytest.mark.unit

YEAR_2026 = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def test_kyiv_goes_forward_on_29_march_and_back_on_25_october_2026():
    spring, autumn = timewin.clock_changes("Europe/Kyiv", *YEAR_2026)

    assert (spring.at, spring.local_before, spring.local_after, spring.day_length,
            spring.forward) == (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 3, 29, 3),
                                datetime(2026, 3, 29, 4), timedelta(hours=23), True)
    assert (autumn.at, autumn.local_before, autumn.local_after, autumn.day_length,
            autumn.forward) == (datetime(2026, 10, 25, 1, tzinfo=UTC), datetime(2026, 10, 25, 4),
                                datetime(2026, 10, 25, 3), timedelta(hours=25), False)


@pytest.mark.parametrize("zone", ["Europe/Moscow", "UTC", "Asia/Kolkata"])
def test_zones_without_daylight_saving_time_have_no_change(zone):
    assert timewin.clock_changes(zone, *YEAR_2026) == []


def test_a_half_hour_change_is_found_to_the_second():
    # Lord Howe Island moves its clocks by 30 minutes: 02:00 → 01:30 on 5 April 2026.
    change = timewin.clock_changes("Australia/Lord_Howe", *YEAR_2026)[0]

    assert (change.at, change.local_after, change.day_length) == (
        datetime(2026, 4, 4, 15, tzinfo=UTC), datetime(2026, 4, 5, 1, 30),
        timedelta(hours=24, minutes=30))


def test_the_range_is_half_open():
    at = datetime(2026, 3, 29, 1, tzinfo=UTC)

    assert timewin.clock_changes("Europe/Kyiv", at - timedelta(hours=5), at) == []
    assert [c.at for c in timewin.clock_changes("Europe/Kyiv", at, at + timedelta(hours=5))] \
        == [at]
