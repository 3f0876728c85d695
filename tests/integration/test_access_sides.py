"""Need to know by side: with a corridor drawn as one feature per side of the line of contact
(each with the `party` in control of it), a route sees only the parties whose side it reaches;
an agreement whose areas name no party is seen by every bound belligerent, as before."""

from datetime import timedelta

import pytest

from parley.access import selectors, services
from parley.access.content import MovementContent
from parley.access.models import Movement
from parley.core.errors import NotFound
from tests.factories.access import ROUTE, ROUTE_UKRAINIAN_SIDE, SIDES, access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def slugs(parties) -> list[str]:
    return [party.slug for party in parties]


def test_a_route_on_the_ukrainian_side_is_none_of_russias_business():
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE_UKRAINIAN_SIDE)

    assert slugs(movement.current_version.crossed_parties.order_by("slug")) == ["ukraine"]
    assert selectors.movement_get(actor=c.people.ua_head, reference=movement.reference) \
        == movement
    for russian in (c.people.ru_head, c.people.ru_delegate, c.ru_liaison):
        with pytest.raises(NotFound):
            selectors.movement_get(actor=russian, reference=movement.reference)
        assert selectors.movement_list(actor=russian) == []
        assert selectors.awaiting_my_acknowledgement(actor=russian) == []
    assert selectors.awaiting_my_acknowledgement(actor=c.people.ua_head) == [movement]
    assert slugs(selectors.parties_yet_to_acknowledge(movement)) == ["ukraine"]


def test_ukraines_receipt_alone_acknowledges_a_route_on_its_side():
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE_UKRAINIAN_SIDE)
    with pytest.raises(NotFound):
        services.movement_acknowledge(actor=c.people.ru_head, movement=movement, version=1)

    services.movement_acknowledge(actor=c.people.ua_head, movement=movement, version=1)

    movement.refresh_from_db()
    assert movement.status == Movement.Status.ACKNOWLEDGED


def test_a_route_across_the_line_concerns_both_sides():
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE)

    assert slugs(selectors.crossed_parties(movement)) == ["russia", "ukraine"]
    for user in (c.people.ua_head, c.people.ru_delegate):
        assert selectors.movement_list(actor=user) == [movement]
        assert selectors.awaiting_my_acknowledgement(actor=user) == [movement]


def test_an_amendment_that_reaches_the_other_side_shows_russia_that_version_only():
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE_UKRAINIAN_SIDE)

    services.movement_amend(
        actor=c.wfp_liaison, movement=movement, version=1,
        content=MovementContent(
            route=ROUTE,
        ),
    )

    movement = selectors.movement_get(actor=c.people.ru_head, reference=movement.reference)
    assert [v.number for v in selectors.movement_versions(actor=c.people.ru_head,
                                                          movement=movement)] == [2]
    assert [v.number for v in selectors.movement_versions(actor=c.people.ua_head,
                                                          movement=movement)] == [1, 2]
    assert slugs(selectors.parties_yet_to_acknowledge(movement)) == ["russia", "ukraine"]


def test_an_amendment_back_to_one_side_hides_the_movement_from_the_other():
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE)

    services.movement_amend(
        actor=c.wfp_liaison, movement=movement, version=1,
        content=MovementContent(
            route=ROUTE_UKRAINIAN_SIDE,
        ),
    )

    assert selectors.movement_list(actor=c.people.ru_head) == []
    assert selectors.movement_list(actor=c.people.ua_head) == [movement]


def test_the_overdue_receipts_are_only_the_crossed_partys():
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE_UKRAINIAN_SIDE)
    later = movement.current_version.released_at + timedelta(hours=25)

    overdue = selectors.overdue_acknowledgements(actor=c.people.secretariat, now=later)

    assert [(item.movement, item.party.slug) for item in overdue] == [(movement, "ukraine")]


def test_areas_without_a_party_concern_every_bound_belligerent():
    c = access_cast()
    movement = notify(c, route=ROUTE_UKRAINIAN_SIDE)

    assert slugs(selectors.crossed_parties(movement)) == ["russia", "ukraine"]
    assert selectors.movement_list(actor=c.people.ru_head) == [movement]
    assert selectors.movement_list(actor=c.third_delegate) == []


def test_a_side_naming_no_bound_party_is_told_to_every_bound_party():
    mistyped = {"type": "FeatureCollection", "features": [
        {**feature, "properties": {**feature["properties"], "party": "ukriane"}}
        if feature["id"] == "C1-UA" else feature
        for feature in SIDES["features"]
    ]}
    c = access_cast(areas=mistyped)
    movement = notify(c, route=ROUTE_UKRAINIAN_SIDE)

    assert slugs(selectors.crossed_parties(movement)) == ["russia", "ukraine"]
