"""Reconciliation (the matcher over a held and a sought list, decisions kept through re-uploads)
and exchanges from proposal to the signed handover, with the discrepancy report."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from parley.agreements import services as agreement_services
from parley.agreements.models import Agreement
from parley.audit.models import AuditEntry
from parley.core.errors import Forbidden, NotFound
from parley.exchanges import presenters, selectors, services
from parley.exchanges.models import Outcome, Pair, Person, PersonList, PersonStatus
from tests.factories import PartyFactory, UserFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = "record_id,family_name,given_name,patronymic,date_of_birth,military_unit,category\n"
# Moscow writes the Ukrainians it holds in Russian.
RU_HOLDS = HEADER + (
    "RU-1,Коваленко,Александр,Александрович,12.03.1994,в/ч А1234,pow\n"
    "RU-2,Олейник,Алексей,Викторович,20.10.1982,A7891,pow\n"
    "RU-3,Мельник,Наталья,Ивановна,05.01.1990,,pow\n"
    "RU-4,Гнатюк,Петр,Иванович,01.07.1975,А-5555,pow\n"
)
# Kyiv writes the same people in Ukrainian or Latin; Hnatiuk is not sought; Bondarenko is not
# held.
UA_SEEKS = HEADER + (
    "UA-1,Коваленко,Олександр,Олександрович,1994-03-12,A1234,pow\n"
    "UA-2,Oliinyk,Oleksii,Viktorovych,20/10/1982,А-7891,pow\n"
    "UA-3,Мельник,Наталія,Іванівна,1990-01-05,,detained_civilian\n"
    "UA-4,Бондаренко,Тарас,Богданович,1999-09-09,,pow\n"
)
# Kyiv holds Russians; Moscow seeks them.
UA_HOLDS = HEADER + (
    "UA-H1,Иванов,Сергей,Петрович,1991-04-04,12345,pow\n"
    "UA-H2,Smirnov,Dmitry,Olegovich,1988-08-08,54321,pow\n"
)
RU_SEEKS = HEADER + (
    "RU-S1,Иванов,Сергей,Петрович,04.04.1991,в/ч 12345,pow\n"
    "RU-S2,Смирнов,Дмитрий,Олегович,08.08.1988,в/ч 54321,pow\n"
)
DAY = datetime.date(2026, 12, 20)


def upload(user, counterpart, side, title, text):
    return services.person_list_upload(actor=user, side=side, counterpart=counterpart,
                                       title=title, content=text.encode(),
                                       filename="list.csv").person_list


@pytest.fixture
def people():
    return cast()


@pytest.fixture
def lists(people):
    return {
        "ru_holds": upload(people.ru_delegate, people.ukraine, "held", "Held", RU_HOLDS),
        "ua_seeks": upload(people.ua_delegate, people.russia, "sought", "Sought", UA_SEEKS),
        "ua_holds": upload(people.ua_delegate, people.russia, "held", "Held", UA_HOLDS),
        "ru_seeks": upload(people.ru_delegate, people.ukraine, "sought", "Sought", RU_SEEKS),
    }


def person(record_id: str) -> Person:
    from parley.exchanges import crypto

    return next(p for p in Person.objects.all()
                if crypto.unseal(p.identity_token)["record_id"] == record_id)


def test_reconciliation_links_the_same_people_across_spellings(people, lists):
    run = services.reconciliation_run(actor=people.icrc_liaison, held_list=lists["ru_holds"],
                                      sought_list=lists["ua_seeks"])

    linked = {(pair.held_id, pair.sought_id) for pair in Pair.objects.exclude(
        state=Pair.State.REJECTED)}
    assert (person("RU-1").pk, person("UA-1").pk) in linked
    assert (person("RU-2").pk, person("UA-2").pk) in linked
    assert (person("RU-3").pk, person("UA-3").pk) in linked
    assert run.figures["held"] == 4 and run.figures["sought"] == 4
    assert person("RU-1").status == PersonStatus.IDENTIFIED
    assert AuditEntry.objects.filter(action="exchanges.reconcile").count() == 1


def test_a_decision_is_kept_through_a_reupload_and_a_new_run(people, lists):
    services.reconciliation_run(actor=people.icrc_liaison, held_list=lists["ru_holds"],
                                sought_list=lists["ua_seeks"])
    pair = Pair.objects.get(held=person("RU-1"))
    services.pair_decide(actor=people.icrc_liaison, pair=pair, same_person=False)
    upload(people.ua_delegate, people.russia, "sought", "Sought", UA_SEEKS)
    upload(people.ru_delegate, people.ukraine, "held", "Held",
           RU_HOLDS + "RU-5,Шевченко,Иван,Иванович,1980-01-01,,pow\n")
    services.reconciliation_run(actor=people.icrc_liaison, held_list=lists["ru_holds"],
                                sought_list=lists["ua_seeks"])

    kept = Pair.objects.get(pk=pair.pk)
    assert (kept.state, kept.decided_by) == (Pair.State.REJECTED, people.icrc_liaison)
    entry = AuditEntry.objects.get(action="exchanges.pair_decide")
    assert entry.after["state"] == "rejected"
    assert "Коваленко" not in str(entry.after)


def test_only_the_intermediary_decides_and_strangers_see_no_pair(people, lists):
    services.reconciliation_run(actor=people.secretariat, held_list=lists["ru_holds"],
                                sought_list=lists["ua_seeks"])
    pair = Pair.objects.get(held=person("RU-1"))
    with pytest.raises(Forbidden):
        services.pair_decide(actor=people.ua_head, pair=pair, same_person=True)
    with pytest.raises(NotFound):
        services.pair_decide(actor=people.observer_user, pair=pair, same_person=True)
    with pytest.raises(Forbidden):
        services.reconciliation_run(actor=people.ua_head, held_list=lists["ru_holds"],
                                    sought_list=lists["ua_seeks"])
    with pytest.raises(ValidationError):
        services.reconciliation_run(actor=people.icrc_liaison, held_list=lists["ru_holds"],
                                    sought_list=lists["ru_seeks"])


def _reconciled(people, lists):
    for held, sought in (("ru_holds", "ua_seeks"), ("ua_holds", "ru_seeks")):
        services.reconciliation_run(actor=people.icrc_liaison, held_list=lists[held],
                                    sought_list=lists[sought])


def _propose(people, **overrides):
    fields = {"actor": people.secretariat, "process": people.process,
              "title": "Exchange 2 for 2", "parties": [people.ukraine, people.russia],
              "formula": "n_for_m", "counts": {"ukraine": 2, "russia": 2},
              "place": "Border crossing", "days": [DAY.isoformat()]}
    return services.exchange_propose(**{**fields, **overrides})


def test_an_n_for_m_exchange_takes_identified_persons_and_follows_the_lifecycle(people, lists):
    _reconciled(people, lists)
    agreement = _propose(people)

    terms = agreement.current_version.terms
    assert (agreement.kind, agreement.status, agreement.code[:3]) == ("exchange", "proposed",
                                                                     "EX-")
    assert len(terms["releases"]["russia"]) == 2 and len(terms["releases"]["ukraine"]) == 2
    assert person("RU-4").pk not in terms["releases"]["russia"]  # not identified
    assert Person.objects.get(pk=terms["releases"]["russia"][0]).status == PersonStatus.PROPOSED
    agreement_services.agreement_consent(actor=people.ua_head, agreement=agreement, version=1)
    services.exchange_counter(actor=people.ru_delegate, agreement=agreement, version=1,
                              releases={"russia": terms["releases"]["russia"][:1],
                                        "ukraine": terms["releases"]["ukraine"]})
    agreement.refresh_from_db()
    assert (agreement.status, agreement.current_version.number) == ("countered", 2)
    for head in (people.ua_head, people.ru_head):
        agreement_services.agreement_consent(actor=head, agreement=agreement, version=2)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.AGREED
    view = selectors.exchange_view(actor=people.ua_head, agreement=agreement)
    assert [(side.party.slug, side.balance["total"]) for side in view.sides] == [
        ("russia", 1), ("ukraine", 2)]


def test_a_counter_that_changes_nothing_is_refused(people, lists):
    _reconciled(people, lists)
    agreement = _propose(people)
    with pytest.raises(ValidationError) as caught:
        services.exchange_counter(actor=people.ru_delegate, agreement=agreement, version=1)
    assert caught.value.messages == ["A counter-proposal must change the terms."]


def test_terms_refuse_persons_not_held_by_the_releasing_side(people, lists):
    with pytest.raises(ValidationError) as caught:
        _propose(people, releases={"russia": [person("UA-1").pk], "ukraine": []})
    assert list(caught.value.message_dict) == ["releases.russia", "releases"]
    assert not Agreement.objects.filter(kind="exchange").exists()


def _agreed(people, lists):
    _reconciled(people, lists)
    agreement = _propose(people)
    for head in (people.ua_head, people.ru_head):
        agreement_services.agreement_consent(actor=head, agreement=agreement, version=1)
    agreement.refresh_from_db()
    return agreement


def test_a_refusal_withdraws_the_person_without_telling_the_parties_why(people, lists):
    agreement = _agreed(people, lists)
    released = agreement.current_version.terms["releases"]["russia"]
    refuser = Person.objects.get(pk=released[0])
    services.exchange_interview(actor=people.icrc_liaison, agreement=agreement, person=refuser,
                                identity_confirmed=True, wishes_repatriation=False,
                                fit_to_travel=True, note="Fears for his family")

    refuser.refresh_from_db()
    assert refuser.status == PersonStatus.REFUSED
    assert presenters.status_label(refuser, sees_refusal=False) == "Withdrawn from the list"
    assert [c.status for c in selectors.person_history(actor=people.ua_head, person=refuser)] \
        == ["listed", "identified", "proposed"]
    assert [c.status for c in selectors.person_history(actor=people.icrc_liaison,
                                                       person=refuser)][-1] == "refused"
    entry = AuditEntry.objects.get(action="exchanges.interview")
    assert entry.after == {"agreement": agreement.code, "person": refuser.reference,
                           "withdrawn": True}
    view = selectors.exchange_view(actor=people.ua_head, agreement=agreement)
    assert view.sides[0].balance["total"] == 1
    with pytest.raises(Forbidden):
        services.exchange_interview(actor=people.ua_head, agreement=agreement, person=refuser,
                                    identity_confirmed=True, wishes_repatriation=True,
                                    fit_to_travel=True)


def test_handover_and_the_day_signed_by_both_sides_and_the_intermediary(people, lists):
    agreement = _agreed(people, lists)
    released = agreement.current_version.terms["releases"]
    for pk in released["russia"] + released["ukraine"]:
        subject = Person.objects.get(pk=pk)
        services.exchange_handover_record(actor=people.icrc_liaison, agreement=agreement,
                                          person=subject, outcome=Outcome.HANDED_OVER, day=DAY)
    services.exchange_handover_record(
        actor=people.ua_delegate, agreement=agreement,
        person=Person.objects.get(pk=released["russia"][0]), outcome=Outcome.RECEIVED, day=DAY)
    with pytest.raises(ValidationError) as caught:
        services.exchange_handover_record(
            actor=people.icrc_liaison, agreement=agreement,
            person=Person.objects.get(pk=released["russia"][1]), outcome=Outcome.RECEIVED,
            day=DAY + datetime.timedelta(days=1))
    assert list(caught.value.message_dict) == ["day"]

    for signer in (people.ua_head, people.ru_head, people.icrc_liaison):
        services.exchange_day_sign(actor=signer, agreement=agreement, day=DAY)
    with pytest.raises(ValidationError):
        services.exchange_handover_record(
            actor=people.icrc_liaison, agreement=agreement,
            person=Person.objects.get(pk=released["russia"][1]), outcome=Outcome.RECEIVED,
            day=DAY)
    with pytest.raises(Forbidden):
        services.exchange_day_sign(actor=people.monitor_user, agreement=agreement, day=DAY)
    with pytest.raises(NotFound):
        services.exchange_day_sign(actor=people.observer_user, agreement=agreement, day=DAY)
    received = Person.objects.get(pk=released["russia"][0])
    assert received.status == PersonStatus.EXCHANGED
    view = selectors.exchange_view(actor=people.ru_head, agreement=agreement)
    assert [sorted(s.party.slug for s in day.signoffs) for day in view.days] == [
        ["icrc", "russia", "ukraine"]]


def test_discrepancy_report(people, lists):
    _reconciled(people, lists)
    hnatiuk = person("RU-4")
    melnyk = person("RU-3")
    agreement = _propose(people, formula="all_for_all")
    report = selectors.discrepancy_report(actor=people.icrc_liaison, agreement=agreement)

    assert [line["listed"] for line in report.listed] == [4, 2]
    assert [p.pk for p in report.unplaced] == [hnatiuk.pk]
    assert [(p.pk, other) for p, other in report.category_conflicts] == [
        (melnyk.pk, "detained_civilian")]
    assert report.already_exchanged == []
    with pytest.raises(NotFound):
        selectors.discrepancy_report(actor=people.monitor_user, agreement=agreement)


def test_a_second_pair_of_parties_sees_nothing_of_this_exchange(people, lists):
    ruritania = PartyFactory(slug="ruritania", name_en="Ruritania")
    stranger = UserFactory(username="ruritania-head", party=ruritania, role="head")
    agreement = _agreed(people, lists)
    with pytest.raises(NotFound):
        selectors.exchange_get(actor=stranger, code=agreement.code)
    with pytest.raises(NotFound):
        selectors.person_list_get(actor=stranger, pk=PersonList.objects.first().pk)
    assert selectors.exchange_list(actor=stranger) == []
    assert [a.code for a in selectors.exchange_list(actor=people.icrc_liaison)] == [
        agreement.code]


def test_the_app_catalogue_speaks_ukrainian_and_russian_with_three_plural_forms():
    from django.utils import translation
    from django.utils.translation import gettext, ngettext

    forms = ("%(counter)s person", "%(counter)s persons")
    with translation.override("uk"):
        assert gettext("Withdrawn from the list") == "Вилучено зі списку"
        assert [ngettext(*forms, n) % {"counter": n} for n in (1, 3, 5)] == [
            "1 особа", "3 особи", "5 осіб"]
    with translation.override("ru"):
        assert gettext("Discrepancy report") == "Отчёт о расхождениях"
        assert [ngettext(*forms, n) % {"counter": n} for n in (21, 22, 25)] == [
            "21 лицо", "22 лица", "25 лиц"]
