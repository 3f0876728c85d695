"""The recurrence builder: a negotiator picks "weekdays", two days and two clock times; the page
reads the stored rule back in words, with the RRULE behind a disclosure."""

import json

import pytest
from playwright.sync_api import expect

from parley.agreements.models import Agreement
from tests.e2e.test_pause_flow import sign_in
from tests.factories import CORRIDOR, cast

pytestmark = [pytest.mark.e2e]


def test_weekdays_between_two_clock_times_are_read_back_in_words(
    live_server, transactional_db, browser_page
):
    cast()
    page = browser_page
    sign_in(page, live_server.url, "ua-delegate")
    page.goto(f"{live_server.url}/agreements/new/")
    page.fill("#id_title", "School runs")
    page.fill("#id_areas", json.dumps(CORRIDOR))

    expect(page.locator("#id_windows-0-end")).to_be_visible()
    page.select_option("#id_windows-0-kind", "weekdays")
    expect(page.locator("#id_windows-0-end")).to_be_hidden()
    expect(page.locator("#id_windows-0-rrule")).to_be_hidden()
    expect(page.locator("#id_windows-0-days_0")).to_be_hidden()
    page.select_option("#id_windows-0-tz", "Europe/Kyiv")
    page.fill("#id_windows-0-first_day", "2026-12-07")
    page.fill("#id_windows-0-last_day", "2026-12-18")
    page.fill("#id_windows-0-from_time", "10:00")
    page.fill("#id_windows-0-to_time", "14:00")
    page.click("text=Save the draft")

    expect(page.locator("h1 .badge")).to_have_text("Draft")
    expect(page.locator("#window-rules")).to_have_text(
        "every weekday 10:00–14:00 Kyiv time from 7 Dec 2026 until 18 Dec 2026")
    rrule = page.locator("details", has_text="FREQ=WEEKLY")
    expect(rrule.locator("code")).to_be_hidden()
    rrule.locator("summary").click()
    expect(rrule.locator("code")).to_have_text(
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261218T080000Z · 2026-12-07T10:00:00 "
        "Europe/Kyiv · PT4H")
    assert Agreement.objects.get(title="School runs").current_version.windows == [
        {"rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261218T080000Z",
         "dtstart": "2026-12-07T10:00:00", "tz": "Europe/Kyiv", "duration": "PT4H"}]
    assert page.problems == []
