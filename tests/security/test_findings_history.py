"""Issue 8, findings 1, 2, 5, 6 and 7: what of an object's history a reader may see.

Each test reproduces the leak with two parties (Ukraine and Russia) and unique markers, and
asserts that neither the page nor the API (nor the record, the admin, a notice or a webhook
body) carries what the reader was not allowed to see when it happened.
"""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from parley.access import selectors as access_selectors
from parley.access import services as access_services
from parley.access import tasks as access_tasks
from parley.access.content import MovementContent
from parley.access.models import Notification, Webhook, WebhookDelivery
from parley.agreements.models import Agreement
from parley.agreements.services import (
    agreement_create_draft,
    agreement_propose,
    agreement_update_draft,
)
from parley.audit import history
from parley.audit.models import AuditEntry
from parley.core.errors import NotFound
from parley.monitoring import selectors as monitoring_selectors
from parley.monitoring import services as monitoring_services
from parley.monitoring.models import Event
from parley.record.selectors import entry_verification, openings_for
from tests.factories import CORRIDOR, WINDOW, AgreementFactory, cast
from tests.factories.access import ROUTE, ROUTE_UKRAINIAN_SIDE, SIDES, access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"
# A quarter of the way along the corridor from its northern end: on the Russian side only.
ROUTE_RUSSIAN_SIDE = {
    "type": "LineString",
    "coordinates": [[35.1396, 47.8388], [35.173325, 47.738325]],
}


def signed_in(client, user):
    client.force_login(user)
    return client


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


# -- finding 1: the audit API gave the other party the snapshots of a party's drafts ----------


def test_finding_1_audit_api_and_page_withhold_another_partys_drafting(client):
    people = cast()
    draft = agreement_create_draft(
        actor=people.ua_delegate,
        process=people.process,
        kind=Agreement.Kind.PAUSE,
        title="MARKER-DRAFT-TITLE",
        purpose=Agreement.Purpose.EVACUATION,
        bound_parties=[people.ukraine, people.russia],
        areas=CORRIDOR,
        windows=[WINDOW],
        lead_time_h=24,
        margin_min=30,
        who_may_move="MARKER-WHO-MAY-MOVE",
    )
    agreement_update_draft(
        actor=people.ua_delegate,
        agreement=draft,
        title="Vasylivka evacuation corridor",
        who_may_move="Civilians in marked buses",
    )
    agreement_propose(actor=people.ua_delegate, agreement=draft)
    url = f"/api/agreements/{draft.code}/audit"
    page = reverse("agreements:agreement_detail", args=[draft.code])

    # Russia, bound by the proposal, sees that it was drafted and proposed — not the drafting.
    russia = signed_in(client, people.ru_head)
    api = russia.get(url)
    assert api.status_code == 200
    items = api.json()["items"]
    assert b"MARKER" not in api.content
    assert [(item["action"], item["redacted"]) for item in items] == [
        ("agreement.create_draft", True),
        ("agreement.update_draft", True),
        ("agreement.propose", False),
    ]
    assert all(
        item["before"] is None and item["after"] is None for item in items if item["redacted"]
    )
    shown = russia.get(page)
    assert shown.status_code == 200
    assert b"MARKER" not in shown.content
    # Page and API read the same rule: the same entries, withheld the same way.
    assert [
        (row["entry"].action, history.is_redacted(row["entry"])) for row in shown.context["audit"]
    ] == [(item["action"], item["redacted"]) for item in items]
    # The record does not open a redacted entry, nor list its opening.
    drafting = AuditEntry.objects.filter(
        object_id=str(draft.pk), action="agreement.create_draft"
    ).get()
    with pytest.raises(NotFound):
        entry_verification(actor=people.ru_head, entry_id=drafting.pk)
    assert all(b"MARKER" not in opening.content for opening in openings_for(actor=people.ru_head))

    # The drafting party keeps its own history in full.
    ukraine = signed_in(client, people.ua_head).get(url)
    assert b"MARKER-DRAFT-TITLE" in ukraine.content
    assert not any(item["redacted"] for item in ukraine.json()["items"])
    assert entry_verification(actor=people.ua_head, entry_id=drafting.pk).entry == drafting

    # The secretariat's admin reads the same rule: the entry opens without the snapshots.
    admin = signed_in(client, staff(people.secretariat))
    listed = admin.get("/admin/audit/auditentry/")
    assert drafting in listed.context["cl"].result_list
    opened = admin.get(f"/admin/audit/auditentry/{drafting.pk}/change/")
    assert opened.status_code == 200
    assert b"MARKER" not in opened.content


def test_finding_1_an_unregistered_kind_shows_nothing_to_a_party():
    people = cast()
    entry = AuditEntry.objects.create(
        actor=people.ua_head,
        party=people.ukraine,
        action="x.y",
        object_type="nowhere.thing",
        object_id="1",
        after={"secret": "MARKER"},
    )
    assert "nowhere.thing" not in history.ruled_kinds()
    for user in (people.ua_head, people.ru_head, people.secretariat):
        assert not history.readable(user=user).filter(pk=entry.pk).exists()
        assert list(history.disclose(user=user, entries=[entry])) == []
    for kind in (
        "agreements.agreement",
        "access.movement",
        "access.site",
        "access.hazard",
        "monitoring.event",
        "monitoring.incident",
        "talks.position",
        "exchanges.personlist",
    ):
        assert kind in history.ruled_kinds()


# -- finding 2: a party saw an objection to a version it was never addressed on --------------


def test_finding_2_objection_to_a_version_never_addressed_stays_unseen(client):
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE_RUSSIAN_SIDE)
    assert [p.slug for p in movement.current_version.crossed_parties.all()] == ["russia"]
    access_services.movement_object(
        actor=c.people.ru_head, movement=movement, version=1, reason="MARKER-OBJECTION of Russia"
    )
    access_services.movement_amend(
        actor=c.wfp_liaison,
        movement=movement,
        version=1,
        content=MovementContent(route=ROUTE_UKRAINIAN_SIDE),
    )
    page = reverse("access:movement_detail", args=[movement.reference])

    ukraine = signed_in(client, c.people.ua_head)
    shown = ukraine.get(page)
    assert shown.status_code == 200
    assert b"MARKER-OBJECTION" not in shown.content
    api = ukraine.get(f"/api/movements/{movement.reference}")
    assert api.status_code == 200
    assert [v["number"] for v in api.json()["versions"]] == [2]
    assert b"MARKER-OBJECTION" not in api.content
    # The CAP alert refers to no earlier version Ukraine never received.
    cap = ukraine.get(f"/api/movements/{movement.reference}/cap.xml")
    assert cap.status_code == 200
    assert b"-v2" in cap.content and b"-v1" not in cap.content
    trail = access_selectors.movement_audit_trail(actor=c.people.ua_head, movement=movement)
    assert [entry.action for entry in trail] == ["movement.amend"]
    # The amendment's "before" describes version 1: withheld from Ukraine.
    assert trail[0].before is None and trail[0].after["version"] == 2
    assert all(b"MARKER-OBJECTION" not in o.content for o in openings_for(actor=c.people.ua_head))

    # The organisation and the secretariat see the objection and its reason.
    for user in (c.wfp_liaison, c.people.secretariat):
        assert b"MARKER-OBJECTION" in signed_in(client, user).get(page).content
        versions = signed_in(client, user).get(f"/api/movements/{movement.reference}").json()
        assert [v["number"] for v in versions["versions"]] == [1, 2]


# -- finding 5: every party got the others' acknowledgement statistics -----------------------


def test_finding_5_latency_is_a_partys_own_over_the_versions_it_was_addressed_on(client):
    c = access_cast(areas=SIDES)
    both = notify(c, route=ROUTE)
    access_services.movement_acknowledge(actor=c.people.ua_head, movement=both, version=1)
    access_services.movement_object(
        actor=c.people.ru_head, movement=both, version=1, reason="Not agreed"
    )
    russian = notify(c, route=ROUTE_RUSSIAN_SIDE, depart=c.start + timedelta(hours=2))
    access_services.movement_acknowledge(actor=c.people.ru_head, movement=russian, version=1)

    def rows(user):
        answer = signed_in(client, user).get("/api/access/latency")
        assert answer.status_code == 200
        return {row["party"]: row["acknowledged"] for row in answer.json()["items"]}

    def page_rows(user):
        shown = signed_in(client, user).get(reverse("access:dashboard"))
        return {row["party"].slug: row["acknowledged"] for row in shown.context["latency"]}

    assert rows(c.people.ua_head) == page_rows(c.people.ua_head) == {"ukraine": 1}
    # Russia's own statistics count the version only it was addressed on.
    assert rows(c.people.ru_head) == page_rows(c.people.ru_head) == {"russia": 2}
    assert (
        rows(c.people.secretariat) == page_rows(c.people.secretariat) == {"russia": 2, "ukraine": 1}
    )
    assert rows(c.wfp_liaison) == page_rows(c.wfp_liaison) == {}


# -- finding 6: an event page showed that another party attached an unshared account ---------


def test_finding_6_an_unshared_account_of_another_party_leaves_no_trace(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    AgreementFactory(
        code="HP-2026-010",
        owner=people.mediator,
        process=people.process,
        status=Agreement.Status.AGREED,
    )
    path = tmp_path / "incidents.csv"
    path.write_text(
        "id,lat,lon,time,precision_m,type\nin-1,47.6380,35.2070,2026-03-01T09:00:00Z,0,shelling\n",
        encoding="utf-8",
    )
    monitoring_services.incidents_import(actor=people.monitor_user, kind="parley", path=path)
    event = Event.objects.get()
    people.ua_head.first_name, people.ua_head.last_name = "Markerina", "Unshared"
    people.ua_head.save()
    monitoring_services.party_account_attach(
        actor=people.ua_head, event=event, text="MARKER-ACCOUNT of Ukraine"
    )
    monitoring_services.party_account_attach(
        actor=people.ru_delegate, event=event, text="Russia's shared account", shared=True
    )
    page = reverse("monitoring:event_detail", args=[event.reference])

    russia = signed_in(client, people.ru_head).get(page)
    assert russia.status_code == 200
    for marker in (b"MARKER-ACCOUNT", b"Markerina", b"ua-head"):
        assert marker not in russia.content
    assert [
        e.after["party"]
        for e in monitoring_selectors.event_audit_trail(actor=people.ru_head, event=event)
        if e.action == "event.attach_account"
    ] == ["russia"]
    assert b"Russia&#x27;s shared account" in russia.content
    api = signed_in(client, people.ru_head).get(f"/api/monitoring/events/{event.reference}")
    assert api.status_code == 200
    assert [a["party"] for a in api.json()["accounts"]] == ["russia"]
    assert b"MARKER-ACCOUNT" not in api.content and b"ua-head" not in api.content

    # Ukraine sees its own account and Russia's shared one; the monitors see both.
    for user in (people.ua_delegate, people.monitor_user, people.secretariat):
        trail = monitoring_selectors.event_audit_trail(actor=user, event=event)
        assert sorted(e.after["party"] for e in trail if e.action == "event.attach_account") == [
            "russia",
            "ukraine",
        ]


# -- finding 7: notices and webhooks were addressed when the task ran -------------------------


def test_finding_7_a_notice_is_addressed_when_the_event_happens(
    django_capture_on_commit_callbacks, monkeypatch
):
    c = access_cast(areas=SIDES)
    posted = []
    monkeypatch.setattr(
        access_tasks,
        "_post",
        lambda delivery: posted.append(json.loads(delivery.body)) or (200, ""),
    )
    hook = Webhook.objects.create(
        party=c.people.russia,
        url="https://hooks.example.org/ru",
        secret="s" * 32,
        created_by=c.people.ru_head,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        movement = notify(c, route=ROUTE)
        # Amended a second later, before any background task ran: version 2 is Ukraine's only.
        access_services.movement_amend(
            actor=c.wfp_liaison,
            movement=movement,
            version=1,
            content=MovementContent(route=ROUTE_UKRAINIAN_SIDE),
        )
    for callback in callbacks:
        callback()

    told = Notification.objects.filter(user=c.people.ru_head, movement=movement)
    assert [(n.event, n.version) for n in told] == [("movement.notified", 1)]
    assert "(version 1)" in told.get().text
    [delivery] = WebhookDelivery.objects.filter(webhook=hook)
    assert (delivery.event, delivery.version, delivery.status) == (
        "movement.notified",
        1,
        WebhookDelivery.Status.DELIVERED,
    )
    assert [(body["event"], body["version"]) for body in posted] == [("movement.notified", 1)]
    # Ukraine was told of both versions, each by its number.
    assert sorted(
        Notification.objects.filter(user=c.people.ua_head, movement=movement).values_list(
            "event", "version"
        )
    ) == [("movement.notified", 1), ("movement.notified", 2)]
