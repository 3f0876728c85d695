"""The OpenAPI description read by openapi-spec-validator, and the iCalendar feeds read by
icalendar + recurring-ical-events, the libraries calendar applications are built on."""

import datetime
import json

import icalendar
import pytest
import recurring_ical_events
from openapi_spec_validator import validate

from parley.agreements.models import CalendarFeed
from parley.agreements.selectors import agreement_windows
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

NOT_JSON = (".geojson", ".csv", ".ics", ".kml", ".xml")


def served_description(client):
    answer = client.get("/api/openapi.json")
    assert answer.status_code == 200
    return json.loads(answer.content)


def test_the_served_openapi_description_is_valid_openapi(client):
    validate(served_description(client))


def test_every_export_documents_its_media_type(client):
    undocumented = []
    for path, operations in served_description(client)["paths"].items():
        if not path.endswith(NOT_JSON):
            continue
        for method, operation in operations.items():
            content = operation["responses"].get("200", {})
            media = set(content.get("content", {}))
            if not media or "application/json" in media:
                undocumented.append(f"{method.upper()} {path}: {sorted(media)}")
    assert undocumented == []


def test_a_calendar_client_expands_the_feed_to_exactly_parleys_windows(client):
    people = cast()
    agreement = AgreementFactory(
        code="HP-2026-401", status="agreed", owner=people.mediator,
        version__windows=[{"rrule": "FREQ=DAILY;COUNT=40", "dtstart": "2027-03-10T10:00:00",
                           "tz": "Europe/Kyiv", "duration": "PT4H"}])
    client.force_login(people.monitor_user)
    answer = client.get("/api/agreements/HP-2026-401/windows.ics")
    assert answer.status_code == 200
    calendar = icalendar.Calendar.from_ical(answer.content)
    events = recurring_ical_events.of(calendar).between(
        datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC),
        datetime.datetime(2027, 5, 1, tzinfo=datetime.UTC))
    read = sorted((event["DTSTART"].dt.astimezone(datetime.UTC),
                   event["DTEND"].dt.astimezone(datetime.UTC)) for event in events)
    expected = [(window.start, window.end) for window in agreement_windows(agreement)]
    assert len(read) == 40
    assert read == expected
    # Across the clock change of 2027-03-28: 08:00Z before it, 07:00Z after it.
    assert read[17][0] == datetime.datetime(2027, 3, 27, 8, tzinfo=datetime.UTC)
    assert read[18][0] == datetime.datetime(2027, 3, 28, 7, tzinfo=datetime.UTC)


def test_a_subscription_made_on_the_calendar_page_is_read_by_a_calendar_client(client):
    """As a person would subscribe: create a feed on the calendar page, take its webcal:// link,
    let a calendar application (no session, no header) read it; revoked, it opens nothing."""
    people = cast()
    AgreementFactory(
        code="HP-2026-402", status="agreed", owner=people.mediator,
        version__windows=[{"rrule": "FREQ=DAILY;COUNT=3", "dtstart": "2027-03-27T10:00:00",
                           "tz": "Europe/Kyiv", "duration": "PT4H"}])
    client.force_login(people.monitor_user)
    page = client.post("/calendar/feeds/", {"label": "phone", "kind": "pauses"})
    assert page.status_code == 200
    html = page.content.decode()
    webcal = html[html.index('href="webcal://') + len('href="'):]
    webcal = webcal[:webcal.index('"')].replace("&amp;", "&")
    assert webcal.startswith("webcal://testserver/api/calendar.ics?feed=pcf_")

    application = type(client)()
    answer = application.get(webcal.removeprefix("webcal://testserver"))
    events = recurring_ical_events.of(icalendar.Calendar.from_ical(answer.content)).between(
        datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC),
        datetime.datetime(2027, 4, 1, tzinfo=datetime.UTC))
    starts = sorted(event["DTSTART"].dt.astimezone(datetime.UTC) for event in events
                    if "HP-2026-402" in str(event.get("SUMMARY", "")) + str(event.get("UID", "")))
    assert starts == [datetime.datetime(2027, 3, 27, 8, tzinfo=datetime.UTC),
                      datetime.datetime(2027, 3, 28, 7, tzinfo=datetime.UTC),
                      datetime.datetime(2027, 3, 29, 7, tzinfo=datetime.UTC)]

    feed_id = CalendarFeed.objects.get(user=people.monitor_user).pk
    assert client.post(f"/calendar/feeds/{feed_id}/revoke/").status_code == 302
    assert application.get(webcal.removeprefix("webcal://testserver")).status_code == 401
