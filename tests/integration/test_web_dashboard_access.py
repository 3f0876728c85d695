"""The main dashboard's access panel, per part: a belligerent party sees what awaits its
acknowledgement (deadline on its own clock), the secretariat missed deadlines and held
notifications, an organisation its own open movements; with another party's data present that
must not show."""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from parley.access import services
from parley.access.content import MovementContent
from tests.factories.access import (
    CARGO,
    PERSONNEL,
    ROUTE,
    ROUTE_OUTSIDE,
    TRUCKS,
    access_cast,
    notify,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def reading(moment, zone: str, name: str) -> str:
    """"28 Nov 2026 08:00 UTC · 10:00 Kyiv (EET)", written out by hand."""
    utc, local = moment.astimezone(UTC), moment.astimezone(ZoneInfo(zone))
    prefix = f"{local.day} {local:%b} " if local.date() != utc.date() else ""
    return (f"{utc.day} {utc:%b %Y} {utc:%H:%M} UTC · "
            f"{prefix}{local:%H:%M} {name} ({local.tzname()})")


def panel(client, user) -> list[tuple[str, list[str]]]:
    client.force_login(user)
    page = client.get(reverse("ui:dashboard"))
    assert page.status_code == 200
    return [(section["id"], [row["reference"] for row in section["rows"]])
            for section in page.context["access_sections"]]


def test_a_belligerent_party_sees_what_awaits_its_acknowledgement_on_its_clock(client):
    c = access_cast()
    waiting, acknowledged = notify(c), notify(c)
    services.movement_acknowledge(actor=c.people.ua_head, movement=acknowledged, version=1)
    assert panel(client, c.people.ua_head) == [("access-awaiting", [waiting.reference])]
    [row] = client.get(reverse("ui:dashboard")).context["access_sections"][0]["rows"]
    deadline = waiting.current_version.released_at + timedelta(hours=24)
    assert (row["detail"], row["when_label"], row["when"]) == (
        "WFP · Aid delivery · HP-2026-101", "acknowledge by",
        reading(deadline, "Europe/Kyiv", "Kyiv"))
    # Russia has acknowledged neither; Moscow's clock.
    assert panel(client, c.people.ru_head) == [
        ("access-awaiting", [waiting.reference, acknowledged.reference])]
    ru_row = client.get(reverse("ui:dashboard")).context["access_sections"][0]["rows"][0]
    assert ru_row["when"] == reading(deadline, "Europe/Moscow", "Moscow")
    # A belligerent party the agreement does not bind is told of neither.
    assert panel(client, c.third_delegate) == [("access-awaiting", [])]
    html = client.get(reverse("ui:dashboard")).content.decode()
    assert waiting.reference not in html
    assert "Nothing awaits your party&#x27;s acknowledgement." in html


def test_the_secretariat_sees_missed_deadlines_and_held_notifications(client):
    c = access_cast()
    overdue, in_time = notify(c), notify(c)
    held = notify(c, route=ROUTE_OUTSIDE, hold_for_secretariat=True)
    services.movement_acknowledge(actor=c.people.ua_head, movement=overdue, version=1)
    version = overdue.current_version
    version.released_at -= timedelta(hours=25)
    version.save()
    assert panel(client, c.people.secretariat) == [
        ("access-overdue", [overdue.reference]), ("access-held", [held.reference])]
    sections = client.get(reverse("ui:dashboard")).context["access_sections"]
    [late] = sections[0]["rows"]
    assert (late["detail"], late["when"]) == (
        "Russian Federation · WFP · Aid delivery · HP-2026-101",
        reading(version.released_at + timedelta(hours=24), "Europe/Zurich", "Zurich"))
    # The held notification is the secretariat's to decide: the parties do not see it.
    assert panel(client, c.people.ru_head) == [
        ("access-awaiting", [overdue.reference, in_time.reference])]


def test_an_organisation_sees_its_own_open_movements_and_not_another_organisations(client):
    c = access_cast()
    open_one = notify(c)
    completed = notify(c)
    services.movement_complete(actor=c.wfp_liaison, movement=completed, note="Delivered")
    notify(c, route=ROUTE_OUTSIDE, hold_for_secretariat=True)
    icrc = services.movement_notify(
        actor=c.people.icrc_liaison, agreement=c.agreement, purpose="medevac",
        content=MovementContent(
            route=ROUTE, depart=c.start + timedelta(hours=2), speed_kmh=40.0, vehicles=TRUCKS,
            personnel=PERSONNEL, cargo=CARGO, crossings=[],
        ),
    )
    assert panel(client, c.wfp_liaison) == [("access-open", [open_one.reference])]
    [row] = client.get(reverse("ui:dashboard")).context["access_sections"][0]["rows"]
    assert (row["detail"], row["when_label"], row["when"]) == (
        "Notified · WFP · Aid delivery · HP-2026-101", "starts",
        reading(open_one.current_version.starts_at, "Europe/Rome", "Rome"))
    assert panel(client, c.people.icrc_liaison) == [("access-open", [icrc.reference])]
    assert open_one.reference not in client.get(reverse("ui:dashboard")).content.decode()


def test_monitors_and_observers_have_no_access_panel(client):
    c = access_cast()
    notify(c)
    for user in (c.people.monitor_user, c.people.observer_user):
        client.force_login(user)
        page = client.get(reverse("ui:dashboard"))
        # Not their audience: the panel is not even composed (`parley.ui.panels`).
        assert "access_sections" not in page.context
        assert 'id="access-panel"' not in page.content.decode()
