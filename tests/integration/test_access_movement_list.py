"""The movements list: filters in the URL, days on the reader's clock, only what the reader may
see, and a party acknowledging several notifications in one go (each through the one-movement
service, all or nothing, one audit entry each, refusals named per movement)."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from parley.access import services
from parley.audit.models import AuditEntry
from tests.factories.access import ROUTE_OUTSIDE, access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = reverse("access:movement_list")
BULK = reverse("access:movements_acknowledge")


def listed(response) -> list[str]:
    return re.findall(r'<tr data-movement="([^"]+)"', response.content.decode())


@pytest.fixture
def world():
    c = access_cast()
    c.first = notify(c)
    c.second = notify(c, depart=c.start + timedelta(hours=3))
    # Held for the secretariat: nobody but WFP and the secretariat sees it.
    c.held = notify(c, route=ROUTE_OUTSIDE, hold_for_secretariat=True)
    return c


def test_the_organisation_lists_its_movements_with_their_status(client, world):
    client.force_login(world.wfp_liaison)

    response = client.get(URL)

    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(
        [world.first.reference, world.second.reference, world.held.reference]
    )
    assert listed(client.get(URL, {"status": "held"})) == [world.held.reference]
    assert listed(client.get(URL, {"q": world.second.reference.lower()})) == [
        world.second.reference
    ]


def test_a_party_never_finds_a_held_notification_nor_counts_it(client, world):
    client.force_login(world.people.ru_head)

    response = client.get(URL, {"q": world.held.reference})
    everything = client.get(URL)

    assert listed(response) == [] and 'data-count="0"' in response.content.decode()
    assert world.held.reference not in everything.content.decode()
    assert 'data-count="2"' in everything.content.decode()


def test_a_party_the_route_does_not_cross_sees_none(client, world):
    client.force_login(world.third_delegate)

    assert listed(client.get(URL)) == []


def test_days_are_read_on_the_readers_clock(client, world):
    client.force_login(world.wfp_liaison)
    # Rome's clock: the convoys leave on the window's day there.
    day = world.first.current_version.starts_at.astimezone(ZoneInfo("Europe/Rome")).date()

    same_day = client.get(URL, {"since": day.isoformat(), "until": day.isoformat()})
    day_after = client.get(URL, {"since": (day + timedelta(days=1)).isoformat()})

    assert world.first.reference in listed(same_day)
    assert world.first.reference not in listed(day_after)
    assert "Starts from (Rome)" in same_day.content.decode()


def test_a_party_acknowledges_several_movements_in_one_go(client, world):
    client.force_login(world.people.ua_head)
    page = client.get(URL)
    boxes = re.findall(r'name="movements" value="([^"]+)"', page.content.decode())
    before = AuditEntry.objects.filter(action="movement.acknowledge").count()

    response = client.post(BULK, {"movements": boxes, "back": "status=notified"}, follow=True)

    assert sorted(boxes) == sorted([f"{world.first.reference}@1", f"{world.second.reference}@1"])
    assert response.redirect_chain[-1][0] == f"{URL}?status=notified"
    assert AuditEntry.objects.filter(action="movement.acknowledge").count() == before + 2
    assert "Your party&#x27;s receipt is recorded (2)" in response.content.decode()
    assert 'name="movements"' not in response.content.decode()


def test_one_refused_receipt_records_none_and_is_named(client, world):
    services.movement_acknowledge(actor=world.people.ua_head, movement=world.second, version=1)
    client.force_login(world.people.ua_delegate)
    before = AuditEntry.objects.filter(action="movement.acknowledge").count()

    response = client.post(
        BULK,
        {
            "movements": [
                f"{world.first.reference}@1",
                f"{world.second.reference}@1",
                f"{world.held.reference}@1",
            ]
        },
        follow=True,
    )

    html = response.content.decode()
    assert AuditEntry.objects.filter(action="movement.acknowledge").count() == before
    assert (
        f"{world.second.reference}: Your party has already acknowledged this version."
        in html.replace("&#x27;", "'")
    )
    assert f"{world.held.reference}: No such movement, or not one you may see." in html
    assert "Nothing was acknowledged" in html
    world.first.refresh_from_db()
    assert world.first.status == "notified"


def test_an_organisation_has_nothing_to_acknowledge(client, world):
    client.force_login(world.wfp_liaison)

    assert 'id="bulk"' not in client.get(URL).content.decode()
    response = client.post(BULK, {"movements": [f"{world.first.reference}@1"]}, follow=True)
    assert "Nothing was acknowledged" in response.content.decode()


def test_nothing_selected_is_a_clear_error(client, world):
    client.force_login(world.people.ua_head)

    response = client.post(BULK, {}, follow=True)

    assert "Select at least one movement." in response.content.decode()
