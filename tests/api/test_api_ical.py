import datetime

import pytest

from parley.agreements.ical import fold
from parley.agreements.models import Agreement
from parley.agreements.services import calendar_feed_create
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

KYIV_DAILY_ACROSS_SPRING_CHANGE = [
    {"rrule": "FREQ=DAILY;COUNT=2", "dtstart": "2026-03-28T10:00:00", "tz": "Europe/Kyiv",
     "duration": "PT4H"}
]

EXPECTED = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Parley//Humanitarian pauses//EN\r\n"
    "CALSCALE:GREGORIAN\r\n"
    "METHOD:PUBLISH\r\n"
    "X-WR-CALNAME:HP-2026-004 Vasylivka corridor\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:HP-2026-004-20260328T080000Z@parley\r\n"
    "DTSTAMP:20260320T120000Z\r\n"
    "DTSTART:20260328T080000Z\r\n"
    "DTEND:20260328T120000Z\r\n"
    "SEQUENCE:1\r\n"
    "STATUS:CONFIRMED\r\n"
    "SUMMARY:HP-2026-004 Vasylivka corridor\r\n"
    "DESCRIPTION:Humanitarian pause: Evacuation of civilians\\nUTC: 2026-03-28 08\r\n"
    " :00 UTC (+00:00) – 2026-03-28 12:00 UTC (+00:00)\\nEurope/Moscow: 2026-03\r\n"
    " -28 11:00 MSK (+03:00) – 2026-03-28 15:00 MSK (+03:00)\\nEurope/Kyiv: 202\r\n"
    " 6-03-28 10:00 EET (+02:00) – 2026-03-28 14:00 EET (+02:00)\\nWho may move\r\n"
    " : Civilians on foot and in buses marked with the red cross.\r\n"
    "CATEGORIES:Humanitarian pause\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:HP-2026-004-20260329T070000Z@parley\r\n"
    "DTSTAMP:20260320T120000Z\r\n"
    "DTSTART:20260329T070000Z\r\n"
    "DTEND:20260329T110000Z\r\n"
    "SEQUENCE:1\r\n"
    "STATUS:CONFIRMED\r\n"
    "SUMMARY:HP-2026-004 Vasylivka corridor\r\n"
    "DESCRIPTION:Humanitarian pause: Evacuation of civilians\\nUTC: 2026-03-29 07\r\n"
    " :00 UTC (+00:00) – 2026-03-29 11:00 UTC (+00:00)\\nEurope/Moscow: 2026-03\r\n"
    " -29 10:00 MSK (+03:00) – 2026-03-29 14:00 MSK (+03:00)\\nEurope/Kyiv: 202\r\n"
    " 6-03-29 10:00 EEST (+03:00) – 2026-03-29 14:00 EEST (+03:00)\\nWho may mo\r\n"
    " ve: Civilians on foot and in buses marked with the red cross.\r\n"
    "CATEGORIES:Humanitarian pause\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def agreed_pause(people):
    agreement = AgreementFactory(
        code="HP-2026-004",
        title="Vasylivka corridor",
        owner=people.ukraine,
        status="agreed",
        version__windows=KYIV_DAILY_ACROSS_SPRING_CHANGE,
    )
    Agreement.objects.filter(pk=agreement.pk).update(
        updated_at=datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC)
    )
    return agreement


def test_windows_ics_is_exact_across_the_kyiv_spring_change(client):
    people = cast()
    agreed_pause(people)
    client.force_login(people.monitor_user)

    response = client.get("/api/agreements/HP-2026-004/windows.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.content.decode() == EXPECTED


def test_the_personal_feed_lists_upcoming_windows_in_lines_of_at_most_75_octets(client):
    people = cast()
    tomorrow = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(1)
    window = {"start": tomorrow.isoformat(), "end": (tomorrow + datetime.timedelta(hours=4))
              .isoformat()}
    AgreementFactory(
        code="HP-2026-009",
        title="Гуманітарний коридор Василівка — Запоріжжя для цивільних",
        owner=people.ukraine,
        status="agreed",
        version__windows=[window],
    )
    AgreementFactory(code="HP-2026-010", owner=people.ukraine, version__windows=[window])
    _, raw = calendar_feed_create(actor=people.icrc_liaison, label="calendar")

    response = client.get(f"/api/calendar.ics?feed={raw}")

    text = response.content.decode()
    assert [line for line in text.split("\r\n") if line.startswith("UID:")] == [
        f"UID:HP-2026-009-{tomorrow:%Y%m%dT%H%M%S}Z@parley"
    ]
    assert max(len(line) for line in response.content.split(b"\r\n")) <= 75


@pytest.mark.unit
def test_folding_never_splits_a_cyrillic_letter():
    line = "SUMMARY:" + "Гуманітарна пауза " * 6

    folded = fold(line)

    physical = folded.encode().split(b"\r\n")
    assert folded.replace("\r\n ", "") == line
    assert max(len(part) for part in physical) == 75
    assert [part.decode()[:1] for part in physical[1:]] == [" ", " "]


@pytest.mark.unit
def test_folding_an_ascii_line():
    line = "DESCRIPTION:" + "a" * 188

    folded = fold(line)

    assert [len(part) for part in folded.split("\r\n")] == [75, 75, 52]
    assert folded.replace("\r\n ", "") == line
