"""The events list: filters kept in the URL, days read on the reader's clock, and a monitor's
bulk steps — each event through its one-event service, all or nothing, one audit entry each,
refusals named per event."""

import re

import pytest
from django.urls import reverse

from parley.agreements.models import Agreement
from parley.audit.models import AuditEntry
from parley.monitoring import services
from parley.monitoring.models import Event
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = "id,lat,lon,time,precision_m,type\n"
# Three reports in the pause's window of 1 March 2026 (06:00–12:00 UTC), hours apart: three
# events. 06:30 UTC is 08:30 in Kyiv, 11:30 UTC is 13:30 there.
ROWS = (
    "in-1,47.6380,35.2070,2026-03-01T06:30:00Z,0,shelling\n"
    "in-2,47.6380,35.2070,2026-03-01T09:00:00Z,0,shelling\n"
    "in-3,47.6380,35.2070,2026-03-01T11:30:00Z,0,shelling\n"
)
URL = reverse("monitoring:event_list")
BULK = reverse("monitoring:events_bulk")


@pytest.fixture
def world(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    # Bound to Ukraine only, not public: Russia does not see its events.
    AgreementFactory(
        code="HP-2026-010",
        title="Orikhiv pause",
        owner=people.mediator,
        process=people.process,
        status=Agreement.Status.AGREED,
        bound_parties=[people.ukraine],
    )
    path = tmp_path / "in.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    services.incidents_import(actor=people.monitor_user, kind="parley", path=path)
    people.events = list(Event.objects.order_by("time_start"))
    assert len(people.events) == 3
    return people


def listed(response) -> list[str]:
    return re.findall(r'<tr data-event="([^"]+)"', response.content.decode())


def refs(events) -> list[str]:
    return [event.reference for event in events]


def test_filters_by_status_agreement_and_party(client, world):
    first, second, third = world.events
    services.event_start_review(actor=world.monitor_user, event=first)
    client.force_login(world.monitor_user)

    assert listed(client.get(URL, {"status": "under_review"})) == [first.reference]
    assert listed(client.get(URL, {"agreement": "HP-2026-010"})) == refs([third, second, first])
    assert listed(client.get(URL, {"party": world.ukraine.pk})) == refs([third, second, first])
    # Russia is not bound by the pause.
    assert listed(client.get(URL, {"party": world.russia.pk})) == []


def test_the_date_range_is_read_on_the_readers_clock(client, world):
    first, second, third = world.events
    # The monitor's clock is Kyiv's (UTC+2 in March): the range covers 1 March there.
    client.force_login(world.monitor_user)

    assert listed(client.get(URL, {"since": "2026-03-01", "until": "2026-03-01"})) == refs(
        [third, second, first]
    )
    assert listed(client.get(URL, {"since": "2026-03-02"})) == []
    assert listed(client.get(URL, {"until": "2026-02-28"})) == []
    assert "From (Kyiv)" in client.get(URL).content.decode()


def test_a_backwards_range_is_named_on_its_field(client, world):
    client.force_login(world.monitor_user)

    response = client.get(URL, {"since": "2026-03-02", "until": "2026-03-01"})

    assert response.status_code == 200
    assert "The last day comes after the first." in response.content.decode()
    assert len(listed(response)) == 3


def test_a_party_that_cannot_see_the_pause_finds_nothing(client, world):
    client.force_login(world.ru_head)

    response = client.get(URL, {"agreement": "HP-2026-010"})

    assert listed(response) == []
    assert 'data-count="0"' in response.content.decode()
    assert 'id="bulk"' not in response.content.decode()


def test_a_monitor_puts_several_candidates_under_review_in_one_go(client, world):
    first, second, third = world.events
    client.force_login(world.monitor_user)
    before = AuditEntry.objects.filter(action="event.start_review").count()

    response = client.post(
        BULK,
        {
            "events": [first.reference, third.reference],
            "action": "under_review",
            "back": "status=candidate",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"{URL}?status=candidate"
    assert [Event.objects.get(pk=e.pk).status for e in world.events] == [
        "under_review",
        "candidate",
        "under_review",
    ]
    assert AuditEntry.objects.filter(action="event.start_review").count() == before + 2
    assert (
        f"Under review now (2): {first.reference}, {third.reference}." in response.content.decode()
    )
    assert listed(response) == [second.reference]


def test_one_refused_event_changes_none_and_is_named(client, world):
    first, second, third = world.events
    services.event_start_review(actor=world.monitor_user, event=second)
    services.event_dismiss(actor=world.monitor_user, event=second, reasoning="A fire drill.")
    client.force_login(world.monitor_user)
    audited = AuditEntry.objects.count()

    response = client.post(
        BULK,
        {"events": [first.reference, second.reference, "EV-0000-9999"], "action": "under_review"},
        follow=True,
    )

    html = response.content.decode()
    assert [Event.objects.get(pk=e.pk).status for e in world.events] == [
        "candidate",
        "dismissed",
        "candidate",
    ]
    assert AuditEntry.objects.count() == audited
    assert (
        f"{second.reference}: Event {second.reference} is Dismissed; it cannot become "
        "Under review." in html
    )
    assert "EV-0000-9999: No such event, or not one you may see." in html
    assert "Nothing was changed" in html


def test_dismissing_in_bulk_needs_the_reasoning(client, world):
    first, second, _third = world.events
    client.force_login(world.monitor_user)
    client.post(BULK, {"events": [first.reference, second.reference], "action": "under_review"})

    refused = client.post(
        BULK, {"events": [first.reference, second.reference], "action": "dismissed"}, follow=True
    )
    done = client.post(
        BULK,
        {
            "events": [first.reference, second.reference],
            "action": "dismissed",
            "reasoning": "Training range.",
        },
        follow=True,
    )

    assert f"{first.reference}: Give the reasoning for the conclusion." in refused.content.decode()
    assert f"Dismissed (2): {first.reference}, {second.reference}." in done.content.decode()
    assert AuditEntry.objects.filter(action="event.dismiss").count() == 2


def test_only_monitors_take_events_a_step(client, world):
    client.force_login(world.ua_head)

    assert (
        client.post(
            BULK, {"events": [world.events[0].reference], "action": "under_review"}
        ).status_code
        == 404
    )
    assert 'id="bulk"' not in client.get(URL).content.decode()
    assert Event.objects.filter(status="candidate").count() == 3


def test_nothing_selected_is_a_clear_error(client, world):
    client.force_login(world.monitor_user)

    response = client.post(BULK, {"action": "under_review"}, follow=True)

    assert "Select at least one event." in response.content.decode()
