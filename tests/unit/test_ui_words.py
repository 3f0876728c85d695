from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from parley.ui.clock import date_text
from parley.ui.words import duration_words, rrule_words, window_words

pytestmark = [pytest.mark.unit]

DAILY = {"rrule": "FREQ=DAILY;COUNT=131", "dtstart": "2026-12-02T10:00:00",
         "tz": "Europe/Kyiv", "duration": "PT4H"}


@pytest.mark.parametrize(("value", "expected"), [
    (timedelta(hours=4), "4 h 00 min"),
    (timedelta(hours=3, minutes=5), "3 h 05 min"),
    (timedelta(minutes=45), "45 min"),
    (timedelta(seconds=12), "under 1 min"),
    (timedelta(0), "under 1 min"),
    (None, "—"),
])
def test_duration_in_hours_and_minutes(value, expected):
    with translation.override("en"):
        assert duration_words(value) == expected


def test_duration_with_seconds_never_rounds_up_to_the_lead_time():
    with translation.override("en"):
        assert duration_words(timedelta(hours=10, minutes=18, seconds=48.215923),
                              seconds=True) == "10 h 18 min 48 s"
        assert duration_words(timedelta(hours=3, minutes=59, seconds=59.9),
                              seconds=True) == "3 h 59 min 59 s"


def test_daily_rule_with_count_reads_its_last_day():
    with translation.override("en"):
        assert rrule_words(DAILY) == (
            "every day 10:00–14:00 Kyiv time from 2 Dec 2026 until 11 Apr 2027")


def test_weekdays_and_chosen_days():
    with translation.override("en"):
        weekdays = {**DAILY, "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231T220000Z"}
        assert rrule_words(weekdays) == (
            "every weekday 10:00–14:00 Kyiv time from 2 Dec 2026 until 31 Dec 2026")
        chosen = {**DAILY, "rrule": "FREQ=WEEKLY;BYDAY=SA,MO;COUNT=4"}
        assert rrule_words(chosen) == (
            "every Monday, Saturday 10:00–14:00 Kyiv time from 5 Dec 2026 until 14 Dec 2026")


def test_rule_beyond_words_returns_none_and_the_page_shows_the_rrule():
    monthly = {**DAILY, "rrule": "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3"}
    assert rrule_words(monthly) is None
    with translation.override("en"):
        assert window_words(monthly).startswith("FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3 · ")


def test_words_follow_the_language():
    with translation.override("uk"):
        text = rrule_words(DAILY)
    assert "2026" in text and "10:00–14:00" in text


def test_one_off_window_in_words():
    spec = {"start": "2026-12-02T08:00:00Z", "end": "2026-12-02T12:00:00Z", "tz": "Europe/Kyiv"}
    with translation.override("en"):
        assert window_words(spec) == "2 Dec 2026 10:00–14:00 Kyiv time"


def test_utc_is_not_called_utc_time():
    spec = {"start": "2026-12-02T03:00:00Z", "end": "2026-12-02T09:00:00Z"}
    with translation.override("en"):
        assert window_words(spec) == "2 Dec 2026 03:00–09:00 UTC"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Fri 4 Dec 2026 18:00 · 4 May"),
    ("uk", "Пт 4 груд. 2026 18:00 · 4 трав."),
    ("ru", "Пт 4 дек. 2026 18:00 · 4 мая"),
])
def test_month_abbreviations_as_each_language_writes_them(language, expected):
    # Django capitalises its three-letter months ("4 Гру 2026"); Ukrainian and Russian write
    # them in lower case, and Russian in the genitive after a day ("4 мая").
    with translation.override(language):
        text = (date_text(datetime(2026, 12, 4, 18, 0, tzinfo=UTC), "D j M Y H:i") + " · "
                + date_text(datetime(2026, 5, 4, tzinfo=UTC), "j M"))
    assert text == expected
