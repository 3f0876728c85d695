"""Prisoner exchanges in the demo, through the services: four lists of a few hundred persons
(lists_demo: Cyrillic and Latin, every variation), both reconciliations, one exchange in
execution (50 for 50, three refusals at the interview, the first day handed over and signed) and
one N-for-M proposal awaiting consent.

Idempotent: a list uploaded again changes nothing; the exchanges are made once.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from parley.agreements import services as agreement_services
from parley.agreements.models import Agreement
from parley.core.models import Party
from parley.core.references import sequential_references
from parley.core.types import existing
from parley.exchanges import crypto, lists_demo, services
from parley.exchanges.models import Outcome, Pair, Person, PersonList
from parley.talks.models import Process

EXECUTION_TITLE = "Exchange of prisoners of war, 50 for 50"
PROPOSAL_TITLE = "Exchange of prisoners of war, 25 for 40 (seriously wounded first)"
PLACE = "Belarus–Ukraine border crossing, Chernihiv region"
REFUSALS = 3


def _upload(user, counterpart, side, title, content) -> PersonList:
    return services.person_list_upload(actor=user, side=side, counterpart=counterpart,
                                       title=title, content=content,
                                       filename=f"{title}.csv").person_list


def _confirm_uncertain(run, icrc, limit: int) -> None:
    """The intermediary confirms a few uncertain pairs; the rest wait in the review queue."""
    pairs = Pair.objects.filter(held__person_list=run.held_list,
                                sought__person_list=run.sought_list,
                                state=Pair.State.UNCERTAIN).order_by("-probability")[:limit]
    for pair in pairs:
        services.pair_decide(actor=icrc, pair=pair, same_person=True)


@sequential_references()
def load_exchanges_demo(users, say=print) -> None:
    if not settings.IDENTITY_KEYS and crypto.create_key_file(settings.IDENTITY_KEY_FILE):
        say(f"  created the identity key file {settings.IDENTITY_KEY_FILE}")
    Party.objects.filter(slug="icrc").update(is_intermediary=True)
    for user in users.values():
        user.party.refresh_from_db()
    ukraine, russia = Party.objects.get(slug="ukraine"), Party.objects.get(slug="russia")
    files = lists_demo.generate()
    russia_holds = _upload(users["ru-delegate"], ukraine, "held",
                           "Ukrainian servicemen held by the Russian Federation",
                           files.russia_holds)
    ukraine_seeks = _upload(users["ua-delegate"], russia, "sought",
                            "Ukrainians sought from the Russian Federation",
                            files.ukraine_seeks)
    ukraine_holds = _upload(users["ua-delegate"], russia, "held",
                            "Russian servicemen held by Ukraine", files.ukraine_holds)
    russia_seeks = _upload(users["ru-delegate"], ukraine, "sought",
                           "Russian servicemen sought from Ukraine", files.russia_seeks)
    say(f"  exchanges: four lists, {russia_holds.persons.count()} + "
        f"{ukraine_holds.persons.count()} persons held")
    if Agreement.objects.filter(kind=Agreement.Kind.EXCHANGE, title=EXECUTION_TITLE).exists():
        return
    with transaction.atomic():
        _reconcile_and_exchange(users, ukraine, russia, lists=(
            russia_holds, ukraine_seeks, ukraine_holds, russia_seeks), say=say)


def _reconcile_and_exchange(users, ukraine, russia, *, lists, say) -> None:
    russia_holds, ukraine_seeks, ukraine_holds, russia_seeks = lists
    icrc = users["icrc"]
    first = services.reconciliation_run(actor=icrc, held_list=russia_holds,
                                        sought_list=ukraine_seeks)
    second = services.reconciliation_run(actor=icrc, held_list=ukraine_holds,
                                         sought_list=russia_seeks)
    _confirm_uncertain(first, icrc, 3)
    _confirm_uncertain(second, icrc, 3)
    say(f"  reconciled: {first.figures['matched']} and {second.figures['matched']} matched, "
        f"{first.figures['uncertain']} and {second.figures['uncertain']} to review")
    _exchange_in_execution(users, ukraine, russia)
    process = existing(Process.objects.order_by("pk").first(), "the demo's process")
    proposal = services.exchange_propose(
        actor=users["secretariat"], process=process, title=PROPOSAL_TITLE,
        parties=[ukraine, russia], formula="n_for_m", counts={"ukraine": 25, "russia": 40},
        place=PLACE, days=[(timezone.now().date() + datetime.timedelta(days=10)).isoformat()])
    say(f"  {proposal.code}: 25 for 40, proposed, awaiting both heads' consent")


def _exchange_in_execution(users, ukraine, russia) -> None:
    today = timezone.now().date()
    days = [today - datetime.timedelta(days=1), today]
    process = existing(Process.objects.order_by("pk").first(), "the demo's process")
    pause = Agreement.objects.filter(kind=Agreement.Kind.PAUSE,
                                     status=Agreement.Status.AGREED).order_by("code").first()
    agreement = services.exchange_propose(
        actor=users["secretariat"], process=process, title=EXECUTION_TITLE,
        parties=[ukraine, russia], formula="n_for_m", counts={"ukraine": 50, "russia": 50},
        place=PLACE, days=[day.isoformat() for day in days], pause=pause.code if pause else "")
    version = existing(agreement.current_version, f"version of {agreement.code}").number
    for head in ("ua-head", "ru-head"):
        agreement_services.agreement_consent(actor=users[head], agreement=agreement,
                                             version=version)
    agreement.refresh_from_db()
    icrc = users["icrc"]
    releases = existing(agreement.current_version, f"version of {agreement.code}").terms[
        "releases"]
    refused = {releases["ukraine"][4], releases["ukraine"][17], releases["russia"][9]}
    for slug in ("russia", "ukraine"):
        for pk in releases[slug]:
            person = Person.objects.get(pk=pk)
            services.exchange_interview(
                actor=icrc, agreement=agreement, person=person, identity_confirmed=True,
                wishes_repatriation=pk not in refused, fit_to_travel=True,
                note="Wishes to stay; asked that the reason be kept private." if pk in refused
                else "")
    for slug in ("russia", "ukraine"):
        for index, pk in enumerate(releases[slug]):
            if pk in refused:
                continue
            person = Person.objects.get(pk=pk)
            if index == 30 and slug == "russia":
                services.exchange_handover_record(actor=icrc, agreement=agreement,
                                                  person=person, outcome=Outcome.NOT_PRESENTED,
                                                  day=days[0])
                continue
            day = days[0] if index < 35 else days[1]
            services.exchange_handover_record(actor=icrc, agreement=agreement, person=person,
                                              outcome=Outcome.HANDED_OVER, day=day)
            if day == days[0]:
                services.exchange_handover_record(actor=icrc, agreement=agreement,
                                                  person=person, outcome=Outcome.RECEIVED,
                                                  day=day)
    for signer in ("ua-head", "ru-head", "icrc"):
        services.exchange_day_sign(actor=users[signer], agreement=agreement, day=days[0])
