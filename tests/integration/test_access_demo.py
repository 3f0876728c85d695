import pytest

from parley import demo
from parley.access import selectors
from parley.access.models import Hazard, Movement, Site
from parley.audit.models import AuditEntry
from parley.core.models import User

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _movements():
    return {
        movement.current_version.note: (
            movement.organisation.slug, movement.status,
            [finding["code"] for finding in movement.current_version.findings],
        )
        for movement in Movement.objects.all()
    }


def test_the_demo_has_a_clean_convoy_and_one_of_each_blocking_finding_loaded_twice(
        demo_scenario):
    # The first load is the module's (demo_scenario); the second is this test's own.
    first = _movements()
    access_entries = AuditEntry.objects.filter(object_type__startswith="access.")
    entries = access_entries.count()
    demo.load()
    assert _movements() == first
    assert access_entries.count() == entries
    assert first == {
        "Weekly food convoy to Orikhiv.": ("wfp", "notified", []),
        "Convoy to Orikhiv by the northern road.": ("wfp", "held", ["route_outside_area"]),
        "Evacuation run planned in winter time on the day of the clock change.": (
            "icrc", "held", ["outside_window"]),
        "Two patients for surgery in Kherson.": ("icrc", "notified", ["late_notice"]),
        "Ambulance to the right-bank end of the bridge road.": (
            "icrc", "notified", ["late_notice"]),
    }
    assert sorted(Site.objects.values_list("kind", flat=True)) == [
        "hospital", "shelter", "warehouse", "water_station"]
    assert list(Hazard.objects.values_list("reference", "kind")) == [("HZ-0001", "mined")]


def test_in_the_demo_russia_awaits_the_convoy_and_the_secretariat_holds_two(demo_scenario):
    ru_head = User.objects.get(username="ru-head")
    secretariat = User.objects.get(username="secretariat")
    assert [m.organisation.slug for m in selectors.awaiting_my_acknowledgement(
        actor=ru_head)] == ["wfp", "icrc"]
    # The right-bank ambulance stays on Ukraine's side of the Dnipro: Ukraine alone is told.
    right_bank = Movement.objects.get(
        versions__note="Ambulance to the right-bank end of the bridge road.")
    assert [party.slug for party in selectors.crossed_parties(right_bank)] == ["ukraine"]
    assert right_bank not in selectors.movement_list(actor=ru_head)
    assert selectors.awaiting_my_acknowledgement(actor=User.objects.get(username="ua-head"))[-1] \
        == right_bank
    assert sorted(m.organisation.slug for m in selectors.held_movements(actor=secretariat)) == [
        "icrc", "wfp"]
    # ICRC does not see WFP's notifications, nor WFP ICRC's.
    assert {m.organisation.slug for m in selectors.movement_list(
        actor=User.objects.get(username="icrc"))} == {"icrc"}
    assert {m.organisation.slug for m in selectors.movement_list(
        actor=User.objects.get(username="wfp"))} == {"wfp"}
