"""Finding 4: existence oracles. A party learns nothing about another party's hidden objects
from the codes and references Parley hands out: creating an agreement under a hidden draft's
code answers as under any code (Parley draws every code), and the references of kinds that
some readers may not see are drawn at random, so their gaps count nothing."""

import re

import pytest

from parley.access.models import Movement
from parley.agreements import services as agreement_services
from parley.agreements.models import Agreement
from parley.core.references import ALPHABET, random_reference, sequential_references
from parley.monitoring.models import Event
from tests.factories import CORRIDOR, WINDOW
from tests.factories.access import access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"
RANDOM = rf"[{ALPHABET}]{{5}}"


def _payload(people, **overrides):
    return {
        "process": people.process.pk,
        "round": people.day1.pk,
        "kind": "pause",
        "title": "Stepnohirsk corridor",
        "purpose": "evacuation",
        "bound_parties": ["ukraine", "russia"],
        "areas": CORRIDOR,
        "windows": [WINDOW],
        **overrides,
    }


def _draft(people, actor):
    return agreement_services.agreement_create_draft(
        actor=actor,
        process=people.process,
        kind=Agreement.Kind.PAUSE,
        title="Hidden draft",
        purpose=Agreement.Purpose.EVACUATION,
        bound_parties=[people.ukraine, people.russia],
        areas=CORRIDOR,
        windows=[WINDOW],
    )


def test_finding_4_a_hidden_drafts_code_answers_as_any_other_code(client):
    people = access_cast().people
    hidden = _draft(people, people.ua_head)
    client.force_login(people.ru_delegate)

    taken = client.post(
        "/api/agreements", data=_payload(people, code=hidden.code), content_type=JSON
    )
    free = client.post(
        "/api/agreements", data=_payload(people, code="HP-2026-ZZZZZ"), content_type=JSON
    )

    assert taken.status_code == free.status_code == 422
    assert taken.json() == free.json()
    assert b"already" not in taken.content
    assert not Agreement.objects.filter(code="HP-2026-ZZZZZ").exists()
    # Leaving the code out, Russia's draft gets a code of its own.
    created = client.post("/api/agreements", data=_payload(people), content_type=JSON)
    assert created.status_code == 201
    assert created.json()["code"] != hidden.code


def test_finding_4_agreement_codes_are_random_so_gaps_count_nothing(client):
    people = access_cast().people
    before = _draft(people, people.ru_head).code
    for _ in range(3):
        _draft(people, people.ua_head)  # hidden from Russia
    after = _draft(people, people.ru_head).code

    for code in (before, after):
        assert re.fullmatch(rf"HP-\d{{4}}-{RANDOM}", code), code
        assert not code[-5:].isdigit()
    assert len(set(Agreement.objects.values_list("code", flat=True))) == Agreement.objects.count()


def test_finding_4_movement_and_event_references_are_random():
    c = access_cast()
    movement = notify(c)
    assert re.fullmatch(rf"WFP-\d{{4}}-{RANDOM}", movement.reference), movement.reference
    drawn = {
        random_reference(prefix="EV-2026-", width=4, model=Event, field="reference")
        for _ in range(20)
    }
    assert len(drawn) == 20
    assert all(re.fullmatch(rf"EV-2026-{RANDOM}", reference) for reference in drawn)


def test_finding_4_the_demo_keeps_numbered_readable_references():
    c = access_cast()
    with sequential_references():
        first = notify(c).reference
        second = notify(c).reference
        code = _draft(c.people, c.people.ua_head).code
    assert re.fullmatch(r"WFP-\d{4}-001", first), first
    assert re.fullmatch(r"WFP-\d{4}-002", second), second
    # HP-2026-101 is the cast's agreement (typed by hand); the counter continues after it.
    assert re.fullmatch(r"HP-\d{4}-\d{3}", code), code
    assert Movement.objects.count() == 2
