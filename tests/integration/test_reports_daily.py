"""The daily situation report: per day on the reader's clock and per agreement, windows,
movements, incidents and violations; only what the reader may see, as a page and as a PDF in
the reader's language."""

import datetime
import re

import pytest
from django.urls import reverse

from parley.agreements.models import Agreement
from parley.monitoring import services as monitoring
from parley.monitoring.models import Event
from parley.reports.selectors import daily_report, day_bounds
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = reverse("reports:daily")
PDF = reverse("reports:daily_pdf")
DAY = datetime.date(2026, 3, 1)
HEADER = "id,lat,lon,time,precision_m,type\n"
# Both in the window of 1 March 2026 (08:00–14:00 Kyiv = 06:00–12:00 UTC), hours apart.
ROWS = (
    "in-1,47.6380,35.2070,2026-03-01T07:00:00Z,0,shelling\n"
    "in-2,47.6380,35.2070,2026-03-01T10:30:00Z,0,shelling\n"
)


@pytest.fixture
def world(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    # Bound to Ukraine only and not public: Russia and the observer must not see it.
    AgreementFactory(
        code="HP-2026-010",
        title="Orikhiv pause",
        owner=people.mediator,
        process=people.process,
        status=Agreement.Status.AGREED,
        bound_parties=[people.ukraine],
    )
    # Public, bound to both, its window elsewhere on the map: everyone sees its window.
    AgreementFactory(
        code="HP-2026-011",
        title="Enerhodar pause",
        owner=people.mediator,
        process=people.process,
        status=Agreement.Status.AGREED,
        public=True,
        version__areas={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": "E1",
                    "geometry": {"type": "Point", "coordinates": [34.66, 47.50]},
                    "properties": {"width_m": 2000},
                }
            ],
        },
    )
    path = tmp_path / "in.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    monitoring.incidents_import(actor=people.monitor_user, kind="parley", path=path)
    first, second = Event.objects.order_by("time_start")
    monitoring.event_start_review(actor=people.monitor_user, event=first)
    monitoring.event_confirm(actor=people.monitor_user, event=first, reasoning="Crater.")
    people.confirmed, people.candidate = first, second
    return people


def totals(response) -> dict[str, int]:
    return {
        name: int(value)
        for name, value in re.findall(r'data-total="(\w+)">(\d+)<', response.content.decode())
    }


def test_a_bound_party_reads_windows_incidents_and_violations_of_its_pause(client, world):
    client.force_login(world.ua_head)

    response = client.get(URL, {"day": "2026-03-01", "zone": "Europe/Kyiv"})

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'data-agreement="([^"]+)"', html) == ["HP-2026-010", "HP-2026-011"]
    assert totals(response) == {
        "pauses": 2,
        "notified": 0,
        "ended": 0,
        "incidents": 2,
        "candidates": 1,
        "confirmed": 1,
        "exchanges": 0,
    }
    assert f'data-confirmed="{world.confirmed.reference}"' in html
    assert f'data-candidate="{world.candidate.reference}"' in html
    assert "06:00–12:00 UTC · 08:00–14:00 Kyiv (EET)" in html


def test_the_other_party_neither_sees_nor_counts_the_pause_it_is_not_bound_by(client, world):
    client.force_login(world.ru_head)

    response = client.get(URL, {"day": "2026-03-01", "zone": "Europe/Moscow"})

    html = response.content.decode()
    assert re.findall(r'data-agreement="([^"]+)"', html) == ["HP-2026-011"]
    assert "Orikhiv" not in html and world.confirmed.reference not in html
    assert totals(response) == {
        "pauses": 1,
        "notified": 0,
        "ended": 0,
        "incidents": 0,
        "candidates": 0,
        "confirmed": 0,
        "exchanges": 0,
    }


def test_the_day_is_read_on_the_chosen_clock(world):
    # In Kyiv, 1 March 2026 runs from 22:00 UTC the day before; in Tokyo it ends at 15:00 UTC
    # on 1 March, before the second incident (10:30 UTC is 19:30 there).
    assert day_bounds(DAY, "Europe/Kyiv") == (
        datetime.datetime(2026, 2, 28, 22, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 22, tzinfo=datetime.UTC),
    )
    tokyo = daily_report(actor=world.monitor_user, day=DAY, zone="Asia/Tokyo")
    [row] = [r for r in tokyo.agreements if r.agreement.code == "HP-2026-010"]
    assert row.incidents_in_window == 2
    next_day = daily_report(
        actor=world.monitor_user, day=DAY + datetime.timedelta(days=1), zone="Asia/Tokyo"
    )
    assert [r.agreement.code for r in next_day.agreements] == []


def test_a_clock_change_day_is_marked_with_its_length(client, world):
    client.force_login(world.monitor_user)

    response = client.get(URL, {"day": "2026-03-29", "zone": "Europe/Kyiv"})

    assert "a clock-change day: 23 hours" in response.content.decode()


def test_a_wrong_zone_is_named_and_the_readers_clock_used(client, world):
    client.force_login(world.ua_head)

    response = client.get(URL, {"day": "2026-03-01", "zone": "Mars/Olympus"})

    assert response.status_code == 200
    assert "Mars/Olympus is not an IANA time zone." in response.content.decode()
    assert "on the clock of Kyiv" in response.content.decode()


def test_the_pdf_is_the_same_report_in_the_readers_language(client, world, monkeypatch):
    import weasyprint

    rendered = []
    real_html = weasyprint.HTML

    def capture(*args, string, **kwargs):
        rendered.append(string)
        return real_html(*args, string=string, **kwargs)

    # What WeasyPrint is given is what the PDF shows; reading it back out of the PDF's
    # compressed streams depended on how WeasyPrint happened to encode the strings.
    monkeypatch.setattr(weasyprint, "HTML", capture)
    client.force_login(world.ua_head)
    client.cookies["django_language"] = "uk"

    response = client.get(PDF, {"day": "2026-03-01", "zone": "Europe/Kyiv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="parley-daily-2026-03-01.pdf"'
    assert response.content.startswith(b"%PDF")
    [html] = rendered
    assert '<html lang="uk">' in html
    assert "Щоденний звіт про ситуацію" in html
    assert "HP-2026-010 · Orikhiv pause" in html
    assert "Вікна цього дня" in html


def test_the_report_needs_a_login(client, world):
    assert client.get(URL).status_code == 302
    assert client.get(PDF).status_code == 302


def test_a_held_notification_is_counted_for_its_organisation_and_not_for_the_parties(client):
    from zoneinfo import ZoneInfo

    from tests.factories.access import ROUTE_OUTSIDE, access_cast, notify

    c = access_cast()
    clean = notify(c)
    held = notify(c, route=ROUTE_OUTSIDE, hold_for_secretariat=True)
    today = datetime.datetime.now(ZoneInfo("Europe/Kyiv")).date().isoformat()

    def notified(user) -> list[str]:
        client.force_login(user)
        response = client.get(URL, {"day": today, "zone": "Europe/Kyiv"})
        assert totals(response)["notified"] == len(
            found := re.findall(r'data-notified="([^"]+)"', response.content.decode())
        )
        return sorted(found)

    assert notified(c.wfp_liaison) == sorted([clean.reference, held.reference])
    assert notified(c.people.secretariat) == sorted([clean.reference, held.reference])
    assert notified(c.people.ru_head) == [clean.reference]
    # A belligerent party the agreement does not bind: not the pause, not a movement.
    assert notified(c.third_delegate) == []
