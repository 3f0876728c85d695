import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from parley.agreements.models import Agreement
from parley.agreements.selectors import agreement_phase, consenting_party_ids
from parley.agreements.services import (
    agreement_consent,
    agreement_counter,
    agreement_create_draft,
    agreement_propose,
    agreement_resume,
    agreement_suspend,
    agreement_terminate,
    agreement_update_draft,
)
from parley.audit.models import AuditEntry
from parley.core.errors import Forbidden, NotFound
from parley.core.references import ALPHABET, sequential_references
from tests.factories import CORRIDOR, WINDOW, AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

UTC = datetime.UTC


def audit_actions(agreement):
    return list(
        AuditEntry.objects.filter(object_type="agreements.agreement", object_id=str(agreement.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def draft(people, **overrides):
    values = {
        "actor": people.secretariat,
        "process": people.process,
        "round": people.day1,
        "kind": Agreement.Kind.PAUSE,
        "title": "Vasylivka evacuation corridor",
        "purpose": Agreement.Purpose.EVACUATION,
        "bound_parties": [people.ukraine, people.russia],
        "areas": CORRIDOR,
        "windows": [WINDOW],
        "lead_time_h": 24,
        "margin_min": 30,
        "who_may_move": "Civilians in marked buses",
    }
    values.update(overrides)
    return agreement_create_draft(**values)


def test_full_lifecycle_with_a_counter_that_clears_consents():
    people = cast()
    agreement = draft(people)
    assert re.fullmatch(rf"HP-{datetime.datetime.now(UTC).year}-[{ALPHABET}]{{5}}", agreement.code)
    assert agreement.status == "draft"
    assert agreement.owner == people.mediator

    agreement_propose(actor=people.secretariat, agreement=agreement)
    agreement_consent(actor=people.ua_head, agreement=agreement, version=1)
    agreement.refresh_from_db()
    assert agreement.status == "proposed"
    assert consenting_party_ids(agreement.current_version) == {people.ukraine.pk}

    wider = {
        "type": "FeatureCollection",
        "features": [{**CORRIDOR["features"][0], "properties": {"width_m": 3000}}],
    }
    version2 = agreement_counter(
        actor=people.ru_delegate, agreement=agreement, version=1, areas=wider, note="Wider"
    )
    agreement.refresh_from_db()
    assert version2.number == 2
    assert agreement.status == "countered"
    assert consenting_party_ids(agreement.current_version) == set()

    with pytest.raises(ValidationError) as stale:
        agreement_consent(actor=people.ua_head, agreement=agreement, version=1)
    assert stale.value.message_dict == {"version": ["The text changed, review version 2."]}

    agreement_consent(actor=people.ru_head, agreement=agreement, version=2)
    agreement.refresh_from_db()
    assert agreement.status == "countered"
    agreement_consent(actor=people.ua_head, agreement=agreement, version=2)
    agreement.refresh_from_db()
    assert agreement.status == "agreed"
    assert consenting_party_ids(agreement.current_version) == {
        people.ukraine.pk,
        people.russia.pk,
    }

    agreement_suspend(actor=people.secretariat, agreement=agreement, reason="Shelling reported")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.status_reason) == ("suspended", "Shelling reported")
    agreement_resume(actor=people.secretariat, agreement=agreement, reason="Calm restored")
    agreement_terminate(actor=people.ru_head, agreement=agreement, reason="Withdrawn")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.status_reason) == ("terminated", "Withdrawn")

    assert audit_actions(agreement) == [
        "agreement.create_draft",
        "agreement.propose",
        "agreement.consent",
        "agreement.counter",
        "agreement.consent",
        "agreement.consent",
        "agreement.suspend",
        "agreement.resume",
        "agreement.terminate",
    ]
    entries = AuditEntry.objects.filter(
        object_type="agreements.agreement", object_id=str(agreement.pk)
    ).order_by("id")
    assert [e.before is None for e in entries] == [True] + [False] * 8
    assert [e.after["status"] for e in entries] == [
        "draft",
        "proposed",
        "proposed",
        "countered",
        "countered",
        "agreed",
        "suspended",
        "agreed",
        "terminated",
    ]


def test_each_transition_records_the_state_before_and_after():
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine, status="proposed")

    agreement_consent(actor=people.ua_head, agreement=agreement, version=1)
    agreement_consent(actor=people.ru_head, agreement=agreement, version=1)

    entries = list(AuditEntry.objects.filter(action="agreement.consent").order_by("id"))
    assert [(e.actor, e.party, e.before, e.after) for e in entries] == [
        (
            people.ua_head,
            people.ukraine,
            {"status": "proposed", "status_reason": "", "version": 1, "consents": []},
            {"status": "proposed", "status_reason": "", "version": 1, "consents": ["ukraine"]},
        ),
        (
            people.ru_head,
            people.russia,
            {"status": "proposed", "status_reason": "", "version": 1, "consents": ["ukraine"]},
            {
                "status": "agreed",
                "status_reason": "",
                "version": 1,
                "consents": ["russia", "ukraine"],
            },
        ),
    ]


def test_a_counter_that_changes_nothing_is_refused():
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine, status="proposed")

    with pytest.raises(ValidationError) as error:
        agreement_counter(actor=people.ru_delegate, agreement=agreement, version=1)

    assert error.value.message_dict == {
        "__all__": ["A counter-proposal must change the areas, the windows or the conditions."]
    }
    assert audit_actions(agreement) == []


def test_only_the_drafting_party_edits_its_draft():
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine)

    agreement_update_draft(actor=people.ua_delegate, agreement=agreement, title="Renamed")
    agreement.refresh_from_db()
    assert agreement.title == "Renamed"
    with pytest.raises(NotFound):
        agreement_update_draft(actor=people.ru_head, agreement=agreement, title="Hijacked")
    assert audit_actions(agreement) == ["agreement.update_draft"]


@pytest.mark.parametrize(
    ("who", "service", "kwargs", "error"),
    [
        ("ru_head", agreement_propose, {}, NotFound),
        ("secretariat", agreement_propose, {}, NotFound),
        ("icrc_liaison", agreement_propose, {}, NotFound),
    ],
)
def test_nobody_outside_the_drafting_party_touches_a_draft(who, service, kwargs, error):
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine)

    with pytest.raises(error):
        service(actor=getattr(people, who), agreement=agreement, **kwargs)
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    assert audit_actions(agreement) == []


@pytest.mark.parametrize(
    ("who", "service", "kwargs"),
    [
        ("ua_delegate", agreement_consent, {"version": 1}),
        ("secretariat", agreement_consent, {"version": 1}),
        ("ru_delegate", agreement_suspend, {"reason": "No"}),
        ("ua_head", agreement_suspend, {"reason": "No"}),
        ("ua_delegate", agreement_terminate, {"reason": "No"}),
    ],
)
def test_parties_who_see_a_proposal_may_not_do_everything_with_it(who, service, kwargs):
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine, status="proposed")

    with pytest.raises(Forbidden):
        service(actor=getattr(people, who), agreement=agreement, **kwargs)
    assert audit_actions(agreement) == []


def test_a_monitor_cannot_act_on_a_proposal_it_cannot_see():
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine, status="proposed")

    with pytest.raises(NotFound):
        agreement_counter(actor=people.monitor_user, agreement=agreement, note="x")


def test_suspending_and_terminating_need_a_reason():
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine, status="agreed")

    with pytest.raises(ValidationError) as error:
        agreement_suspend(actor=people.secretariat, agreement=agreement, reason="  ")
    assert error.value.message_dict == {"reason": ["Give the reason."]}
    with pytest.raises(ValidationError):
        agreement_terminate(actor=people.secretariat, agreement=agreement, reason="")
    assert audit_actions(agreement) == []


def test_consent_is_refused_once_the_agreement_is_agreed():
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine, status="agreed")

    with pytest.raises(ValidationError) as error:
        agreement_consent(actor=people.ua_head, agreement=agreement, version=1)
    assert error.value.message_dict == {"status": ["Not possible while the agreement is agreed."]}


def test_a_proposal_must_bind_a_belligerent_party():
    people = cast()
    agreement = draft(people, bound_parties=[people.icrc])

    with pytest.raises(ValidationError) as error:
        agreement_propose(actor=people.secretariat, agreement=agreement)
    assert error.value.message_dict == {"bound_parties": ["Bind at least one belligerent party."]}


def test_codes_name_kind_and_year_and_are_drawn_at_random():
    people = cast()
    first = draft(people)
    second = draft(people)
    ceasefire = draft(people, kind=Agreement.Kind.CEASEFIRE)
    year = datetime.datetime.now(UTC).year
    assert re.fullmatch(rf"HP-{year}-[{ALPHABET}]{{5}}", first.code)
    assert re.fullmatch(rf"HP-{year}-[{ALPHABET}]{{5}}", second.code)
    assert re.fullmatch(rf"LC-{year}-[{ALPHABET}]{{5}}", ceasefire.code)
    assert first.code != second.code


def test_codes_number_per_kind_and_year_in_the_demo():
    people = cast()
    with sequential_references():
        first = draft(people)
        second = draft(people)
        ceasefire = draft(people, kind=Agreement.Kind.CEASEFIRE)
    year = datetime.datetime.now(UTC).year
    assert [first.code, second.code, ceasefire.code] == [
        f"HP-{year}-001",
        f"HP-{year}-002",
        f"LC-{year}-001",
    ]


def test_phase_follows_the_clock_once_agreed():
    people = cast()
    agreement = AgreementFactory(
        owner=people.ukraine,
        status="agreed",
        version__windows=[
            {"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T10:00:00Z"},
            {"start": "2026-03-02T08:00:00Z", "end": "2026-03-02T10:00:00Z"},
        ],
    )

    def at(text):
        return agreement_phase(agreement, datetime.datetime.fromisoformat(text))

    assert at("2026-03-01T07:59:59+00:00") == "agreed"
    assert at("2026-03-01T08:00:00+00:00") == "active"
    assert at("2026-03-01T10:00:00+00:00") == "in_force"
    assert at("2026-03-02T09:59:59+00:00") == "active"
    assert at("2026-03-02T10:00:00+00:00") == "completed"
    agreement.status = "suspended"
    assert at("2026-03-02T09:00:00+00:00") == "suspended"


def test_a_draft_that_loses_the_race_for_a_code_takes_the_next(monkeypatch):
    people = cast()
    AgreementFactory(code="HP-2026-007", owner=people.ukraine)
    # As if another request inserted HP-2026-007 between computing the code and saving.
    codes = iter(["HP-2026-007", "HP-2026-008"])
    monkeypatch.setattr("parley.agreements.services.validation._next_code",
                        lambda kind, year: next(codes))

    agreement = draft(people)

    assert agreement.code == "HP-2026-008"
    assert Agreement.objects.filter(code="HP-2026-007").count() == 1
