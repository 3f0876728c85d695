from datetime import UTC, datetime, timedelta

import pytest

from parley.engines.timewin import (
    Recurrence,
    Window,
    WindowError,
    expand,
    format_duration,
    parse_duration,
    parse_instant,
    parse_window_spec,
    spec_to_json,
    windows_from_json,
)

pytestmark = pytest.mark.unit

KYIV_DAILY = {
    "rrule": "FREQ=DAILY;COUNT=7",
    "dtstart": "2026-03-25T10:00:00",
    "tz": "Europe/Kyiv",
    "duration": "PT4H",
}


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def error_of(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(WindowError) as caught:
        call(*args, **kwargs)
    return caught.value.field, caught.value.reason


class TestParseInstant:
    def test_offset_is_converted_to_utc(self):
        assert parse_instant("2026-03-01T10:00:00+02:00") == utc(2026, 3, 1, 8)

    def test_z_suffix(self):
        assert parse_instant("2026-03-01T10:00:00Z") == utc(2026, 3, 1, 10)

    def test_offset_in_text_wins_over_zone(self):
        assert parse_instant("2026-03-01T10:00:00+00:00", "Europe/Kyiv") == utc(2026, 3, 1, 10)

    def test_naive_with_zone_is_local(self):
        assert parse_instant("2026-03-01T10:00:00", "Europe/Moscow") == utc(2026, 3, 1, 7)

    def test_naive_without_zone_is_rejected_naming_the_field(self):
        assert error_of(parse_instant, "2026-03-01T10:00:00", field="windows[0].start") == (
            "windows[0].start",
            "is a local time without a time zone: add an offset or a zone",
        )

    def test_unknown_zone_is_rejected(self):
        assert error_of(parse_instant, "2026-03-01T10:00:00", "Europe/Kiyv") == (
            "tz",
            "is not a known IANA time zone",
        )

    def test_garbage_is_rejected(self):
        assert error_of(parse_instant, "yesterday noon") == (
            "time",
            "is not an ISO 8601 date and time",
        )

    @pytest.mark.parametrize(
        ("text", "tz"), [("3000-01-01T00:00:00Z", None), ("1600-01-01T00:00:00", "Europe/Kyiv")]
    )
    def test_instants_beyond_nanosecond_arrays_are_rejected(self, text, tz):
        assert error_of(parse_instant, text, tz) == (
            "time",
            "is outside the years 1678 to 2261 that Parley supports",
        )

    def test_result_is_in_utc(self):
        assert parse_instant("2026-03-01T10:00:00+05:30").tzinfo is UTC

    def test_str_of_error_is_field_then_reason_then_detail(self):
        with pytest.raises(WindowError) as caught:
            parse_instant("2026-03-01T10:00:00", "Mars/Olympus")
        assert str(caught.value) == "tz: is not a known IANA time zone (Mars/Olympus)"


class TestDuration:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("PT4H", timedelta(hours=4)),
            ("PT90M", timedelta(minutes=90)),
            ("PT30S", timedelta(seconds=30)),
            ("PT1.5S", timedelta(seconds=1.5)),
            ("P1D", timedelta(days=1)),
            ("P1DT2H30M", timedelta(days=1, hours=2, minutes=30)),
            ("P2W", timedelta(weeks=2)),
            ("pt4h", timedelta(hours=4)),
        ],
    )
    def test_valid(self, text, expected):
        assert parse_duration(text) == expected

    @pytest.mark.parametrize("text", ["P1Y", "P1M", "P1Y2M3D", "P1MT4H"])
    def test_years_and_months_are_rejected(self, text):
        assert error_of(parse_duration, text, field="windows[1].duration") == (
            "windows[1].duration",
            "must not use years or months, which are not a fixed length of time",
        )

    @pytest.mark.parametrize("text", ["PT0S", "P0D", "-PT4H", "PT0H0M"])
    def test_zero_or_negative_is_rejected(self, text):
        assert error_of(parse_duration, text) == ("duration", "must be longer than zero")

    def test_overflow_is_rejected(self):
        assert error_of(parse_duration, "PT999999999999999H") == ("duration", "is too long")

    @pytest.mark.parametrize(
        "text", ["", "P", "PT", "4H", "P\u0661D", "P1DT", "PT4", "P1W2D", "PT4H5H", 4]
    )
    def test_malformed_is_rejected(self, text):
        assert error_of(parse_duration, text) == (
            "duration",
            "must be an ISO 8601 duration such as PT4H",
        )

    @pytest.mark.parametrize(
        ("duration", "text"),
        [
            (timedelta(hours=4), "PT4H"),
            (timedelta(days=1, minutes=5), "P1DT5M"),
            (timedelta(days=14), "P14D"),
            (timedelta(seconds=1, microseconds=500000), "PT1.5S"),
        ],
    )
    def test_format(self, duration, text):
        assert format_duration(duration) == text


class TestWindowSpec:
    def test_one_off_with_offsets(self):
        spec = {"start": "2026-03-01T08:00:00+02:00", "end": "2026-03-01T14:00:00+02:00"}
        assert parse_window_spec(spec) == Window(utc(2026, 3, 1, 6), utc(2026, 3, 1, 12))

    def test_one_off_naive_with_zone(self):
        spec = {"start": "2026-03-01T08:00", "end": "2026-03-01T14:00", "tz": "Europe/Kyiv"}
        assert parse_window_spec(spec) == Window(utc(2026, 3, 1, 6), utc(2026, 3, 1, 12))

    def test_recurrence(self):
        assert parse_window_spec(KYIV_DAILY) == Recurrence(
            "FREQ=DAILY;COUNT=7", datetime(2026, 3, 25, 10), "Europe/Kyiv", timedelta(hours=4)
        )

    def test_json_round_trip(self):
        for spec in (KYIV_DAILY, {"start": "2026-03-01T06:00:00Z", "end": "2026-03-01T12:00:00Z"}):
            assert spec_to_json(parse_window_spec(spec)) == spec

    def test_windows_from_json_expands_and_sorts(self):
        windows = windows_from_json(
            [KYIV_DAILY, {"start": "2026-03-01T08:00:00+02:00", "end": "2026-03-01T14:00:00+02:00"}]
        )
        assert [w.start for w in windows] == [
            utc(2026, 3, 1, 6),
            utc(2026, 3, 25, 8),
            utc(2026, 3, 26, 8),
            utc(2026, 3, 27, 8),
            utc(2026, 3, 28, 8),
            utc(2026, 3, 29, 7),
            utc(2026, 3, 30, 7),
            utc(2026, 3, 31, 7),
        ]

    @pytest.mark.parametrize(
        ("spec", "field", "reason"),
        [
            ({"start": "2026-03-01T08:00:00Z"}, "windows[1].end", "is missing"),
            (
                {"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T08:00:00Z"},
                "windows[1].end",
                "must be later than start",
            ),
            (
                {"start": "2026-03-01T09:00:00Z", "end": "2026-03-01T08:00:00Z"},
                "windows[1].end",
                "must be later than start",
            ),
            (
                {"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T09:00:00"},
                "windows[1].end",
                "is a local time without a time zone: add an offset or a zone",
            ),
            (
                {"start": "2026-03-01T08:00", "end": "2026-03-01T09:00", "tz": "Kyiv"},
                "windows[1].tz",
                "is not a known IANA time zone",
            ),
            (
                {"start": "2026-03-01T08:00Z", "end": "2026-03-01T09:00Z", "label": "x"},
                "windows[1].label",
                "is not a known window field",
            ),
            (
                {**KYIV_DAILY, "rrule": "FREQ=FORTNIGHTLY"},
                "windows[1].rrule",
                "is not a valid RFC 5545 recurrence rule",
            ),
            (
                {**KYIV_DAILY, "rrule": "COUNT=3"},
                "windows[1].rrule",
                "is not a valid RFC 5545 recurrence rule",
            ),
            (
                {**KYIV_DAILY, "rrule": "FREQ=DAILY;COUNT=3;FOO=1"},
                "windows[1].rrule",
                "is not a valid RFC 5545 recurrence rule",
            ),
            (
                {**KYIV_DAILY, "rrule": "DTSTART:20260325T100000\nRRULE:FREQ=DAILY"},
                "windows[1].rrule",
                "must be a single RRULE without DTSTART or other lines",
            ),
            (
                {**KYIV_DAILY, "rrule": ""},
                "windows[1].rrule",
                "must be an RFC 5545 recurrence rule",
            ),
            (
                {**KYIV_DAILY, "rrule": "FREQ=DAILY;COUNT=0"},
                "windows[1].rrule",
                "produces no occurrence",
            ),
            (
                {**KYIV_DAILY, "rrule": "FREQ=MINUTELY;COUNT=10001"},
                "windows[1].rrule",
                "produces more than 10 000 occurrences",
            ),
            (
                {**KYIV_DAILY, "rrule": "FREQ=MINUTELY;UNTIL=20260501T000000Z"},
                "windows[1].rrule",
                "produces more than 10 000 occurrences",
            ),
            (
                {**KYIV_DAILY, "rrule": "FREQ=YEARLY;COUNT=300"},
                "windows[1].rrule",
                "is outside the years 1678 to 2261 that Parley supports",
            ),
            (
                {**KYIV_DAILY, "dtstart": "2300-01-01T10:00"},
                "windows[1].dtstart",
                "is outside the years 1678 to 2261 that Parley supports",
            ),
            (
                {**KYIV_DAILY, "duration": "P1M"},
                "windows[1].duration",
                "must not use years or months, which are not a fixed length of time",
            ),
            ({**KYIV_DAILY, "duration": "PT0S"}, "windows[1].duration", "must be longer than zero"),
            (
                {**KYIV_DAILY, "duration": "4 hours"},
                "windows[1].duration",
                "must be an ISO 8601 duration such as PT4H",
            ),
            (
                {**KYIV_DAILY, "dtstart": "2026-03-25T10:00:00+02:00"},
                "windows[1].dtstart",
                "must be a local time without offset: the zone is given by tz",
            ),
            (
                {**KYIV_DAILY, "dtstart": "soon"},
                "windows[1].dtstart",
                "is not an ISO 8601 date and time",
            ),
            ({**KYIV_DAILY, "tz": "EU/Kyiv"}, "windows[1].tz", "is not a known IANA time zone"),
            ({k: v for k, v in KYIV_DAILY.items() if k != "tz"}, "windows[1].tz", "is missing"),
            (
                {k: v for k, v in KYIV_DAILY.items() if k != "duration"},
                "windows[1].duration",
                "is missing",
            ),
            (
                {"tz": "Europe/Kyiv"},
                "windows[1]",
                "must have start and end, or rrule, dtstart, tz and duration",
            ),
            ("2026-03-01", "windows[1]", "must be an object"),
        ],
    )
    def test_malformed_window_names_field_and_reason(self, spec, field, reason):
        good = {"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T09:00:00Z"}
        assert error_of(windows_from_json, [good, spec]) == (field, reason)

    def test_unbounded_rule_beyond_limit_is_rejected_on_expansion(self):
        spec = {**KYIV_DAILY, "rrule": "FREQ=MINUTELY"}
        assert error_of(windows_from_json, [spec]) == (
            "windows[0].rrule",
            "produces more than 10 000 occurrences",
        )

    def test_unbounded_rule_stops_at_until(self):
        spec = {**KYIV_DAILY, "rrule": "FREQ=DAILY"}
        windows = windows_from_json([spec], until=utc(2026, 3, 28, 8))
        assert [w.start for w in windows] == [
            utc(2026, 3, 25, 8),
            utc(2026, 3, 26, 8),
            utc(2026, 3, 27, 8),
        ]

    def test_unbounded_rule_defaults_to_366_days(self):
        windows = windows_from_json([{**KYIV_DAILY, "rrule": "FREQ=DAILY"}])
        assert (len(windows), windows[-1].start) == (366, utc(2027, 3, 25, 8))

    def test_utc_until_is_an_instant(self):
        spec = {**KYIV_DAILY, "rrule": "FREQ=DAILY;UNTIL=20260329T070000Z"}
        assert windows_from_json([spec])[-1].start == utc(2026, 3, 29, 7)
        spec = {**KYIV_DAILY, "rrule": "FREQ=DAILY;UNTIL=20260329T065959Z"}
        assert windows_from_json([spec])[-1].start == utc(2026, 3, 28, 8)

    def test_local_until_is_wall_clock(self):
        spec = {**KYIV_DAILY, "rrule": "FREQ=DAILY;UNTIL=20260329T100000"}
        assert windows_from_json([spec])[-1].start == utc(2026, 3, 29, 7)

    def test_naive_until_is_rejected(self):
        assert error_of(expand, [], until=datetime(2026, 1, 1)) == (
            "until",
            "is a local time without a time zone",
        )


class TestWindow:
    def test_naive_bound_is_rejected(self):
        assert error_of(Window, datetime(2026, 1, 1), utc(2026, 1, 2)) == (
            "start",
            "is a local time without a time zone",
        )

    def test_empty_window_is_rejected(self):
        assert error_of(Window, utc(2026, 1, 1), utc(2026, 1, 1)) == (
            "end",
            "must be later than start",
        )
