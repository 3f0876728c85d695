import datetime

import pytest
from django.core.exceptions import ValidationError

from parley.audit.models import AuditEntry
from parley.core.errors import Forbidden
from parley.talks.selectors import process_list, round_list
from parley.talks.services import delegation_set, process_create, round_create
from tests.factories import UserFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_secretariat_frames_the_talks_and_each_step_is_audited():
    people = cast()
    process = process_create(
        actor=people.secretariat, name="Istanbul talks", host=people.observer,
        mediator=people.mediator,
    )
    day2 = round_create(
        actor=people.secretariat, process=process, name="Day 2",
        date=datetime.date(2026, 2, 24), venue="Dolmabahçe", format="proximity",
    )
    delegation = delegation_set(
        actor=people.secretariat, round=day2, party=people.ukraine, head=people.ua_head,
        members=[people.ua_delegate],
    )

    assert [p.name for p in process_list(actor=people.ru_delegate)] == [
        "Geneva Peace Talks",
        "Istanbul talks",
    ]
    assert list(round_list(actor=people.ru_delegate, process=process)) == [day2]
    assert sorted(m.username for m in delegation.members.all()) == ["ua-delegate", "ua-head"]
    assert list(AuditEntry.objects.order_by("id").values_list("action", "actor__username")) == [
        ("process.create", "secretariat"),
        ("round.create", "secretariat"),
        ("delegation.set", "secretariat"),
    ]
    assert AuditEntry.objects.get(action="delegation.set").after == {
        "head": "ua-head",
        "members": ["ua-delegate", "ua-head"],
    }


def test_only_the_secretariat_frames_the_talks():
    people = cast()

    with pytest.raises(Forbidden):
        process_create(
            actor=people.ua_head, name="Our talks", host=people.ukraine, mediator=people.mediator
        )
    with pytest.raises(Forbidden):
        round_create(
            actor=people.ru_head, process=people.process, name="Day 9",
            date=datetime.date(2026, 3, 1),
        )
    assert AuditEntry.objects.count() == 0


def test_a_delegation_holds_only_its_own_partys_people():
    people = cast()

    with pytest.raises(ValidationError) as error:
        delegation_set(
            actor=people.secretariat, round=people.day1, party=people.ukraine,
            head=people.ua_head, members=[people.ru_delegate],
        )

    assert error.value.message_dict == {"members": ["ru-delegate does not belong to Ukraine."]}


def test_people_without_a_party_see_no_talks():
    cast()
    stranger = UserFactory(username="stranger", party=None)

    assert list(process_list(actor=stranger)) == []
