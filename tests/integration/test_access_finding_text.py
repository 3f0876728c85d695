"""Findings worded in the reader's language from the engine's params: numbers formatted for the
language, instants in UTC and in the reader's clock; the English detail stays as it was."""

import pytest
from django.utils import translation

from parley.access.presenters import finding_rows, finding_text

pytestmark = [pytest.mark.integration]

LATE = {
    "code": "late_notice", "severity": "blocking", "lon": 35.2, "lat": 47.5,
    "detail": "21 h of notice given, 48 h required by agreement HP-2026-004 (notified at "
              "2026-03-29T11:00:00Z, the movement starts at 2026-03-30T08:00:00Z)",
    "params": {"agreement": "HP-2026-004", "notice_s": 75600.0, "required_s": 172800.0,
               "notified_at": "2026-03-29T11:00:00Z", "start": "2026-03-30T08:00:00Z"},
}
CARGO = {
    "code": "cargo_limit", "severity": "warning", "lon": 35.2, "lat": 47.5, "detail": "",
    "params": {"agreement": "HP-2026-004", "item": "fuel", "quantity": 12000.0, "units": "l",
               "limit": 10000.0},
}


def test_a_finding_in_english_gives_the_instants_in_utc_and_the_readers_clock():
    with translation.override("en"):
        text = finding_text(LATE, ["Europe/Kyiv"])
    assert text == (
        "21 h 00 min of notice given, 48 h 00 min required by agreement HP-2026-004 "
        "(notified at 29 Mar 2026 11:00 UTC · 14:00 Kyiv (EEST), the movement starts at "
        "30 Mar 2026 08:00 UTC · 11:00 Kyiv (EEST))."
    )


def test_in_ukrainian_numbers_are_grouped_the_ukrainian_way():
    with translation.override("uk"):
        text = finding_text(CARGO)
    assert text == ("Заявлено fuel: 12\xa0000 l; угода HP-2026-004 дозволяє не більше "
                    "10\xa0000 на одне переміщення.")


def test_a_finding_stored_before_params_keeps_its_english_detail():
    old = {key: value for key, value in LATE.items() if key != "params"}
    with translation.override("uk"):
        assert finding_text(old) == LATE["detail"]


def test_in_ukrainian_the_title_the_dates_and_the_clock_are_ukrainian():
    with translation.override("uk"):
        [row] = finding_rows([LATE], ["Europe/Kyiv"])
    assert (row["title"], row["severity_name"]) == ("Повідомлено запізно", "блокувальне")
    assert row["text"] == (
        "Повідомлено за 21 год 00 хв, а угода HP-2026-004 вимагає попередження за 48 год 00 хв "
        "(час повідомлення: 29 бер. 2026 11:00 UTC · 14:00 Київ (EEST), початок переміщення: "
        "30 бер. 2026 08:00 UTC · 11:00 Київ (EEST))."
    )


def outside_window(**params) -> dict:
    return {"code": "outside_window", "severity": "blocking", "lon": 35.2, "lat": 47.5,
            "detail": "", "params": {"agreement": "A", **params}}


WINDOW = ["2026-03-29T07:00:00Z", "2026-03-29T11:00:00Z"]
WINDOW_TEXT = "29 Mar 2026 07:00 UTC – 29 Mar 2026 11:00 UTC"


@pytest.mark.parametrize(("finding", "expected"), [
    (outside_window(case="starts_outside", start="2026-03-29T06:00:00Z", next_window=WINDOW),
     "The movement starts at 29 Mar 2026 06:00 UTC, outside every window of agreement A. "
     f"The next window: {WINDOW_TEXT}."),
    (outside_window(case="starts_outside", start="2026-03-29T06:00:00Z"),
     "The movement starts at 29 Mar 2026 06:00 UTC, outside every window of agreement A. "
     "The agreement has no window."),
    (outside_window(case="after_margin", window=WINDOW, end="2026-03-29T10:45:00Z",
                    deadline="2026-03-29T10:30:00Z", margin_s=1800.0),
     "The movement ends at 29 Mar 2026 10:45 UTC, later than 29 Mar 2026 10:30 UTC: movements "
     f"must be out 30 min before the window {WINDOW_TEXT} of agreement A closes."),
    (outside_window(case="ends_at_close", window=WINDOW, end="2026-03-29T11:00:00Z"),
     f"The movement ends at 29 Mar 2026 11:00 UTC, the instant the window {WINDOW_TEXT} of "
     "agreement A closes; a window's end is outside it."),
    ({**LATE, "params": {**LATE["params"], "notice_s": 172799.0}},
     "47 h 59 min 59 s of notice given, 48 h 00 min required by agreement HP-2026-004 "
     "(notified at 29 Mar 2026 11:00 UTC, the movement starts at 30 Mar 2026 08:00 UTC)."),
    ({**LATE, "params": {**LATE["params"], "notice_s": -3600.0}},
     "Notified 1 h 00 min after the movement starts, 48 h 00 min of notice required by "
     "agreement HP-2026-004 (notified at 29 Mar 2026 11:00 UTC, the movement starts at "
     "30 Mar 2026 08:00 UTC)."),
])
def test_each_case_in_english(finding, expected):
    with translation.override("en"):
        assert finding_text(finding) == expected
