"""Need to know: who sees which agreement, by selector and predicate, with data that could leak."""

import pytest

from parley.agreements.rules import can_view_agreement
from parley.agreements.selectors import (
    agreement_areas_get,
    agreement_detail_get,
    agreement_get,
    agreement_list,
    agreement_summary_list,
)
from parley.core.errors import NotFound
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

EVERYONE = (
    "ua_head",
    "ua_delegate",
    "ru_head",
    "ru_delegate",
    "secretariat",
    "icrc_liaison",
    "monitor_user",
    "observer_user",
)


@pytest.fixture
def world():
    people = cast()
    agreements = {
        "ua-draft": AgreementFactory(code="HP-2026-001", owner=people.ukraine),
        "ru-draft": AgreementFactory(code="HP-2026-002", owner=people.russia),
        "mediator-draft": AgreementFactory(code="HP-2026-003", owner=people.mediator),
        "proposed": AgreementFactory(code="HP-2026-004", owner=people.ukraine, status="proposed"),
        "proposed-to-ua": AgreementFactory(
            code="HP-2026-005",
            owner=people.mediator,
            status="countered",
            bound_parties=[people.ukraine],
        ),
        "proposed-public": AgreementFactory(
            code="HP-2026-006", owner=people.russia, status="proposed", public=True
        ),
        "agreed": AgreementFactory(code="HP-2026-007", owner=people.ukraine, status="agreed"),
        "agreed-public": AgreementFactory(
            code="HP-2026-008", owner=people.russia, status="suspended", public=True
        ),
    }
    return people, agreements


EXPECTED = {
    "ua_head": ["ua-draft", "proposed", "proposed-to-ua", "proposed-public", "agreed",
                "agreed-public"],
    "ua_delegate": ["ua-draft", "proposed", "proposed-to-ua", "proposed-public", "agreed",
                    "agreed-public"],
    "ru_head": ["ru-draft", "proposed", "proposed-public", "agreed", "agreed-public"],
    "ru_delegate": ["ru-draft", "proposed", "proposed-public", "agreed", "agreed-public"],
    "secretariat": ["mediator-draft", "proposed", "proposed-to-ua", "proposed-public", "agreed",
                    "agreed-public"],
    "icrc_liaison": ["agreed", "agreed-public"],
    "monitor_user": ["agreed", "agreed-public"],
    "observer_user": ["agreed-public"],
}


@pytest.mark.parametrize("who", EVERYONE)
def test_each_person_lists_exactly_what_they_need_to_know(world, who):
    people, agreements = world
    actor = getattr(people, who)
    names = {agreement.pk: name for name, agreement in agreements.items()}

    listed = [names[agreement.pk] for agreement in agreement_list(actor=actor)]

    assert listed == EXPECTED[who]


@pytest.mark.parametrize("who", EVERYONE)
def test_the_predicate_agrees_with_the_selector(world, who):
    people, agreements = world
    actor = getattr(people, who)

    allowed = [name for name, item in agreements.items() if can_view_agreement(actor, item)]

    assert allowed == EXPECTED[who]


def test_another_partys_draft_is_not_found_as_if_it_did_not_exist(world):
    people, agreements = world

    with pytest.raises(NotFound):
        agreement_get(actor=people.ru_delegate, code="HP-2026-001")
    with pytest.raises(NotFound):
        agreement_get(actor=people.ru_delegate, code="HP-2099-999")
    assert agreement_get(actor=people.ua_delegate, code="HP-2026-001") == agreements["ua-draft"]


def test_a_person_without_a_party_sees_nothing(world):
    people, _ = world
    people.observer_user.party = None

    assert agreement_list(actor=people.observer_user) == []


@pytest.mark.parametrize("who", EVERYONE)
def test_the_apis_read_models_show_exactly_the_same(world, who):
    """The API reads columns, not models (`agreement_summary_list`, `agreement_detail_get`,
    `agreement_areas_get`), through the same rule: the same agreements, and NotFound for the
    others."""
    people, agreements = world
    actor = getattr(people, who)

    listed = [summary.code for summary in agreement_summary_list(actor=actor)]

    assert listed == [agreements[name].code for name in EXPECTED[who]]
    for name, agreement in agreements.items():
        if name in EXPECTED[who]:
            assert agreement_detail_get(actor=actor, code=agreement.code).code == agreement.code
            agreement_areas_get(actor=actor, code=agreement.code)
            continue
        with pytest.raises(NotFound):
            agreement_detail_get(actor=actor, code=agreement.code)
        with pytest.raises(NotFound):
            agreement_areas_get(actor=actor, code=agreement.code)
