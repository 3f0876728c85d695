"""Need to know: routes, plates and personnel are for the notifying organisation, the parties
whose areas the route crosses and the secretariat; nobody else sees that the movement exists."""

import pytest

from parley.access import selectors, services
from parley.access.content import MovementContent
from parley.access.models import CoordinateAccessLog
from parley.core.errors import NotFound
from tests.factories.access import ROUTE_OUTSIDE, access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_organisation_the_crossed_parties_and_the_secretariat_see_the_movement():
    c = access_cast()
    movement = notify(c)
    for user in (c.wfp_liaison, c.wfp_driver, c.people.ua_head, c.people.ru_delegate,
                 c.people.secretariat):
        assert selectors.movement_get(actor=user, reference=movement.reference) == movement
        assert selectors.movement_list(actor=user) == [movement]


def test_nobody_else_sees_it_not_another_organisation_nor_a_party_not_crossed():
    c = access_cast()
    movement = notify(c)
    # ICRC notifies its own movement, which must not leak to WFP either.
    icrc_movement = services.movement_notify(
        actor=c.people.icrc_liaison, agreement=c.agreement, purpose="medevac",
        content=MovementContent(
            route=movement.current_version.route, depart=c.start, speed_kmh=50,
        ),
    )
    for user in (c.people.icrc_liaison, c.third_delegate, c.people.monitor_user,
                 c.people.observer_user):
        with pytest.raises(NotFound):
            selectors.movement_get(actor=user, reference=movement.reference)
        assert movement not in selectors.movement_list(actor=user)
    assert selectors.movement_list(actor=c.people.icrc_liaison) == [icrc_movement]
    assert selectors.movement_list(actor=c.third_delegate) == []
    assert selectors.movement_list(actor=c.wfp_liaison) == [movement]
    with pytest.raises(NotFound):
        selectors.movement_get(actor=c.wfp_liaison, reference=icrc_movement.reference)


def test_a_held_notification_is_for_the_organisation_and_the_secretariat_only():
    c = access_cast()
    held = notify(c, route=ROUTE_OUTSIDE, hold_for_secretariat=True)
    assert selectors.held_movements(actor=c.people.secretariat) == [held]
    assert selectors.movement_list(actor=c.people.ua_head) == []
    assert selectors.awaiting_my_acknowledgement(actor=c.people.ua_head) == []


def test_views_of_coordinates_by_other_parties_are_logged_for_the_organisation():
    c = access_cast()
    movement = notify(c)
    services.coordinate_view_log(actor=c.wfp_liaison, movement=movement, via="page")
    services.coordinate_view_log(actor=c.people.ru_delegate, movement=movement, via="api")
    services.coordinate_view_log(actor=c.people.secretariat, movement=movement, via="page")
    with pytest.raises(NotFound):
        services.coordinate_view_log(actor=c.third_delegate, movement=movement, via="api")
    log = selectors.coordinate_views(actor=c.wfp_liaison, movement=movement)
    assert [(entry.user.username, entry.party.slug, entry.via) for entry in log] == [
        ("secretariat", "switzerland", "page"), ("ru-delegate", "russia", "api")]
    # The crossed parties do not see who else looked.
    assert selectors.coordinate_views(actor=c.people.ru_delegate, movement=movement) == []
    assert CoordinateAccessLog.objects.count() == 2


def test_awaiting_my_acknowledgement_is_my_partys_own_list():
    c = access_cast()
    movement = notify(c)
    assert selectors.awaiting_my_acknowledgement(actor=c.people.ua_head) == [movement]
    assert selectors.awaiting_my_acknowledgement(actor=c.third_delegate) == []
    assert selectors.awaiting_my_acknowledgement(actor=c.wfp_liaison) == []
    services.movement_acknowledge(actor=c.people.ua_head, movement=movement, version=1)
    assert selectors.awaiting_my_acknowledgement(actor=c.people.ua_delegate) == []
    assert selectors.awaiting_my_acknowledgement(actor=c.people.ru_head) == [movement]


def test_mission_summary_counts_only_what_the_actor_may_see():
    c = access_cast()
    movement = notify(c)
    services.movement_deny(actor=c.people.ru_head, movement=movement, reason="Shelling")
    assert selectors.mission_summary(actor=c.wfp_liaison).denied == 1
    assert selectors.mission_summary(actor=c.people.icrc_liaison).denied == 0
    assert selectors.mission_summary(actor=c.third_delegate).denied == 0
