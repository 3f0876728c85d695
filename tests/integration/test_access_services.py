import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from parley.access import selectors, services
from parley.access.checks import FindingsError
from parley.access.content import MovementContent
from parley.access.models import Movement
from parley.audit.models import AuditEntry
from parley.core.errors import Forbidden, NotFound
from parley.core.references import ALPHABET
from tests.factories.access import ROUTE, ROUTE_OUTSIDE, access_cast, iso, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_clean_notification_is_notified_with_its_version_and_audit_entry():
    c = access_cast()
    movement = notify(c)
    version = movement.current_version
    assert re.fullmatch(rf"WFP-{version.notified_at.year}-[{ALPHABET}]{{5}}", movement.reference)
    assert (movement.status, movement.organisation.slug) == ("notified", "wfp")
    assert version.number == 1
    assert version.findings == []
    assert version.released_at == version.notified_at
    assert version.starts_at == c.start + timedelta(hours=1)
    # 45.8 km along the ground at 40 km/h.
    assert (version.ends_at - version.starts_at).total_seconds() == pytest.approx(4119.9, abs=0.1)
    entry = AuditEntry.objects.get(action="movement.notify")
    assert (entry.object_id, entry.after["status"], entry.after["vehicles"]) == (
        str(movement.pk), "notified", 2)
    assert "AP 1201 KC" not in str(entry.after)


def test_a_route_leaving_the_corridor_is_refused_with_the_finding_and_its_place():
    c = access_cast()
    with pytest.raises(FindingsError) as caught:
        notify(c, route=ROUTE_OUTSIDE)
    [finding] = caught.value.findings
    assert (finding["code"], finding["severity"], finding["field"]) == (
        "route_outside_area", "blocking", "route")
    assert (finding["lon"], finding["lat"]) == pytest.approx((35.30705, 47.63805), abs=1e-3)
    assert list(caught.value.message_dict) == ["route"]
    assert caught.value.message_dict["route"][0].startswith(
        "The route leaves the agreed areas: the route goes ")
    assert Movement.objects.count() == 0


def test_blocking_findings_can_be_held_for_the_secretariat_who_overrides_with_a_reason():
    c = access_cast()
    movement = notify(c, route=ROUTE_OUTSIDE, hold_for_secretariat=True)
    assert movement.status == "held"
    assert movement.current_version.released_at is None
    # Held: the parties do not see it yet.
    with pytest.raises(NotFound):
        selectors.movement_get(actor=c.people.ru_head, reference=movement.reference)
    with pytest.raises(Forbidden):
        services.movement_override(actor=c.wfp_liaison, movement=movement, reason="urgent")
    with pytest.raises(ValidationError) as caught:
        services.movement_override(actor=c.people.secretariat, movement=movement, reason=" ")
    assert caught.value.message_dict == {"reason": ["Give the reason."]}
    services.movement_override(actor=c.people.secretariat, movement=movement,
                               reason="Detour around a destroyed bridge, agreed by phone")
    movement.refresh_from_db()
    version = movement.versions.get()
    assert movement.status == "notified"
    assert (version.override_reason, version.overridden_by) == (
        "Detour around a destroyed bridge, agreed by phone", c.people.secretariat)
    assert version.released_at is not None
    assert selectors.movement_get(actor=c.people.ru_head, reference=movement.reference) == movement
    entry = AuditEntry.objects.get(action="movement.override")
    assert (entry.before["status"], entry.after["status"], entry.note) == (
        "held", "notified", "Detour around a destroyed bridge, agreed by phone")


def test_late_notice_and_the_window_closing_are_blocking():
    c = access_cast(hours=2)
    with pytest.raises(FindingsError) as caught:
        # Leaves 1 h 30 after the window opens, 70 minutes on the road: past the 2-hour window.
        notify(c, depart=c.start + timedelta(minutes=90))
    assert [f["code"] for f in caught.value.findings] == ["outside_window"]
    with pytest.raises(FindingsError) as caught:
        notify(c, depart=c.start - timedelta(days=1, hours=23))
    assert [f["code"] for f in caught.value.findings] == ["outside_window", "late_notice"]
    assert list(caught.value.message_dict) == ["schedule"]


def test_bad_input_is_named_by_field():
    c = access_cast()
    with pytest.raises(ValidationError) as caught:
        services.movement_notify(
            actor=c.wfp_liaison, agreement=c.agreement, purpose="picnic",
            content=MovementContent(
                route={"type": "LineString", "coordinates": [[47.4, 35.27], [95.0, 47.8]]},
                times=["2026-12-01T10:00:00Z", "2026-12-01T09:00:00Z"],
                vehicles=[{"type": "truck", "plate": ""}],
            ),
        )
    assert caught.value.message_dict == {"purpose": ["Choose a purpose."]}
    with pytest.raises(ValidationError) as caught:
        services.movement_notify(
            actor=c.wfp_liaison, agreement=c.agreement, purpose="aid",
            content=MovementContent(
                route={"type": "LineString", "coordinates": [[35.27, 47.4], [35.2, 95.0]]},
                times=["2026-12-01T10:00:00Z", "2026-12-01T09:00:00Z"],
                vehicles=[{"type": "truck", "plate": ""}],
            ),
        )
    assert caught.value.message_dict == {
        "route[1]": ["latitude outside ±90, the usual sign of swapped coordinates ([35.2, 95])"],
        "times[1]": ["is earlier than the time before it; times must not decrease "
                     "(2026-12-01T09:00:00Z after 2026-12-01T10:00:00Z)"],
        "vehicles[0].plate": ["must be a non-empty text ('')"],
    }


def test_only_a_humanitarian_liaison_notifies_and_only_under_an_agreement_not_over():
    c = access_cast()
    with pytest.raises(Forbidden):
        services.movement_notify(
            actor=c.people.ua_delegate, agreement=c.agreement, purpose="aid",
            content=MovementContent(
                route=ROUTE,
                times=[iso(c.start), iso(c.start + timedelta(hours=1)),
                   iso(c.start + timedelta(hours=2))],
            ),
        )
    with pytest.raises(Forbidden):
        services.movement_notify(
            actor=c.wfp_driver, agreement=c.agreement, purpose="aid",
            content=MovementContent(
                route=ROUTE, depart=c.start, speed_kmh=40,
            ),
        )
    c.agreement.status = "terminated"
    c.agreement.save()
    with pytest.raises(ValidationError) as caught:
        notify(c)
    assert caught.value.message_dict == {"agreement": [
        "Movements are notified under an agreed pause or ceasefire that is not over."]}


def test_each_bound_party_acknowledges_the_version_it_read():
    c = access_cast()
    movement = notify(c)
    with pytest.raises(Forbidden):
        services.movement_acknowledge(actor=c.people.secretariat, movement=movement, version=1)
    with pytest.raises(ValidationError) as caught:
        services.movement_acknowledge(actor=c.people.ua_head, movement=movement, version=2)
    assert caught.value.message_dict == {"version": ["The notification changed, review version 1."]}
    services.movement_acknowledge(actor=c.people.ua_head, movement=movement, version=1)
    movement.refresh_from_db()
    assert movement.status == "notified"
    with pytest.raises(ValidationError) as caught:
        services.movement_acknowledge(actor=c.people.ua_delegate, movement=movement, version=1)
    assert caught.value.message_dict == {
        "version": ["Your party has already acknowledged this version."]}
    services.movement_object(actor=c.ru_liaison, movement=movement, version=1,
                             reason="The road south of Stepnohirsk is mined")
    movement.refresh_from_db()
    assert movement.status == "acknowledged"
    acks = selectors.acknowledgements_of(movement.current_version)
    assert [(a.party.slug, a.objection) for a in acks] == [
        ("ukraine", ""), ("russia", "The road south of Stepnohirsk is mined")]


def test_an_amendment_is_a_new_version_that_the_parties_acknowledge_afresh():
    c = access_cast()
    movement = notify(c)
    services.movement_acknowledge(actor=c.people.ua_head, movement=movement, version=1)
    services.movement_acknowledge(actor=c.people.ru_head, movement=movement, version=1)
    amended = services.movement_amend(
        actor=c.wfp_liaison, movement=movement, version=1,
        content=MovementContent(
            vehicles=[{"type": "truck", "plate": "AP 1201 KC"}],
        ),
    )
    movement.refresh_from_db()
    assert (amended.number, movement.status) == (2, "notified")
    assert selectors.parties_yet_to_acknowledge(movement) == [c.people.russia, c.people.ukraine]
    [change] = selectors.movement_version_diff(movement.versions.get(number=1), amended)
    assert (change.field, len(change.before), len(change.after)) == ("vehicles", 2, 1)
    with pytest.raises(ValidationError) as caught:
        services.movement_amend(
            actor=c.wfp_liaison, movement=movement, version=2,
            content=MovementContent(
                vehicles=[{"type": "truck", "plate": "AP 1201 KC"}],
            ),
        )
    assert caught.value.message_dict == {"__all__": ["An amendment must change something."]}
    with pytest.raises(FindingsError):
        services.movement_amend(
            actor=c.wfp_liaison, movement=movement,
            content=MovementContent(
                route=ROUTE_OUTSIDE,
            ),
        )
    assert movement.versions.count() == 2


def test_check_in_puts_the_movement_under_way_and_completion_ends_it():
    c = access_cast()
    movement = notify(c)
    with pytest.raises(Forbidden):
        services.movement_check_in(actor=c.people.ua_head, movement=movement, lon=35.27,
                                   lat=47.44)
    with pytest.raises(ValidationError) as caught:
        services.movement_check_in(actor=c.wfp_driver, movement=movement, lon=200, lat=47.44)
    assert caught.value.message_dict == {"lon": ["Give a longitude between -180 and 180."]}
    services.movement_check_in(actor=c.wfp_driver, movement=movement, lon=35.2745, lat=47.4373,
                               place="Vasylivka checkpoint", note="All four trucks through")
    movement.refresh_from_db()
    assert movement.status == "under_way"
    services.movement_complete(actor=c.wfp_liaison, movement=movement, note="Delivered")
    movement.refresh_from_db()
    assert (movement.status, movement.reason) == ("completed", "Delivered")
    with pytest.raises(ValidationError) as caught:
        services.movement_impede(actor=c.wfp_liaison, movement=movement, reason="x")
    assert caught.value.message_dict == {"status": [
        "Not possible while the movement is completed."]}


def test_impede_deny_cancel_withdraw_need_their_people_and_reasons():
    c = access_cast()
    denied = notify(c)
    with pytest.raises(Forbidden):
        services.movement_deny(actor=c.wfp_liaison, movement=denied, reason="x")
    services.movement_deny(actor=c.people.ru_delegate, movement=denied,
                           reason="Active fighting near Stepnohirsk")
    impeded = notify(c)
    services.movement_impede(actor=c.wfp_liaison, movement=impeded,
                             reason="Stopped at a checkpoint for six hours")
    cancelled = notify(c)
    with pytest.raises(ValidationError):
        services.movement_cancel(actor=c.people.secretariat, movement=cancelled, reason="")
    services.movement_cancel(actor=c.people.secretariat, movement=cancelled,
                             reason="Window suspended")
    withdrawn = notify(c)
    services.movement_withdraw(actor=c.wfp_liaison, movement=withdrawn)
    completed = notify(c)
    services.movement_check_in(actor=c.wfp_liaison, movement=completed, lon=35.27, lat=47.44)
    services.movement_complete(actor=c.wfp_liaison, movement=completed)
    summary = selectors.mission_summary(actor=c.people.secretariat)
    assert (summary.facilitated, summary.impeded, summary.denied, summary.cancelled,
            summary.withdrawn, summary.open) == (1, 1, 1, 1, 1, 0)


def test_overdue_acknowledgements_and_latency_per_party():
    c = access_cast()
    movement = notify(c)
    version = movement.current_version
    released = version.released_at
    services.movement_acknowledge(actor=c.people.ua_head, movement=movement, version=1)
    ack = version.acknowledgements.get()
    ack.at = released + timedelta(hours=2)
    ack.save()
    late = released + timedelta(hours=25)
    [overdue] = selectors.overdue_acknowledgements(actor=c.people.secretariat, now=late)
    assert (overdue.movement, overdue.party, overdue.deadline) == (
        movement, c.people.russia, released + timedelta(hours=24))
    assert selectors.overdue_acknowledgements(actor=c.people.secretariat,
                                              now=released + timedelta(hours=23)) == []
    # The belligerent parties themselves do not get the escalation list.
    assert selectors.overdue_acknowledgements(actor=c.people.ua_head, now=late) == []
    stats = {s.party.slug: s for s in selectors.acknowledgement_latency(
        actor=c.people.secretariat, now=late)}
    assert (stats["ukraine"].acknowledged, stats["ukraine"].median, stats["ukraine"].p90,
            stats["ukraine"].missed) == (1, timedelta(hours=2), timedelta(hours=2), 0)
    assert (stats["russia"].acknowledged, stats["russia"].median, stats["russia"].missed) == (
        0, None, 1)


def test_access_terms_set_the_deadline_and_the_vehicle_limit():
    c = access_cast()
    with pytest.raises(Forbidden):
        services.access_terms_set(actor=c.people.ua_head, agreement=c.agreement,
                                  ack_deadline_h=12)
    services.access_terms_set(actor=c.people.secretariat, agreement=c.agreement,
                              ack_deadline_h=12, max_vehicles=1)
    movement = notify(c)
    version = movement.current_version
    assert [f["code"] for f in version.findings] == ["vehicle_limit"]
    assert selectors.acknowledgement_deadline(movement) == version.released_at + timedelta(
        hours=12)


def test_sites_are_notified_amended_with_audited_diffs_and_withdrawn():
    c = access_cast()
    site = services.site_notify(actor=c.wfp_liaison, name="Orikhiv district hospital",
                                kind="hospital", lon=35.7853, lat=47.5679, radius_m=300)
    assert site.reference == "WFP-S001"
    with pytest.raises(ValidationError) as caught:
        services.site_amend(actor=c.wfp_liaison, site=site, radius_m=0, lat=147.0)
    assert caught.value.message_dict == {
        "lat": ["Give a latitude between -90 and 90."],
        "radius_m": ["Give a radius in whole metres from 1 to 50 000."]}
    site = services.site_amend(actor=c.wfp_liaison, site=site, radius_m=500)
    entry = AuditEntry.objects.get(action="site.amend")
    assert (entry.before["radius_m"], entry.after["radius_m"]) == (300, 500)
    assert selectors.site_list(actor=c.people.ru_head) == [site]
    with pytest.raises(Forbidden):
        services.site_withdraw(actor=c.people.ru_head, site=site, reason="x")
    services.site_withdraw(actor=c.wfp_liaison, site=site, reason="Hospital evacuated")
    assert selectors.site_list(actor=c.people.ru_head) == []
    assert selectors.site_list(actor=c.wfp_liaison) == [site]
    assert selectors.sites_geojson([site])["features"][0]["properties"]["width_m"] == 1000


def test_a_second_convoy_at_a_crossing_in_the_same_hour_gets_a_congestion_warning():
    c = access_cast()
    version = c.agreement.current_version
    version.areas["features"].append({
        "type": "Feature", "id": "X1",
        "geometry": {"type": "Point", "coordinates": [35.2745, 47.4373]},
        "properties": {"kind": "site", "width_m": 1000, "crossing": True,
                       "capacity_per_hour": 1, "name": "Vasylivka checkpoint"},
    })
    version.save()
    first = notify(c)
    assert first.current_version.findings == []
    second = notify(c, depart=c.start + timedelta(hours=1, minutes=20))
    [finding] = second.current_version.findings
    assert (finding["code"], finding["severity"], finding["field"]) == (
        "crossing_congestion", "warning", "crossings")
    assert finding["detail"].startswith(
        f"2 movements ({second.reference}, {first.reference}) pass crossing X1 between ")
