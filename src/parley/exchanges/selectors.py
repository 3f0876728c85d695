"""Every read of lists, persons, reconciliations and exchanges; each takes the actor.

Lists and persons are seen by the two parties of the list, the intermediary and the
secretariat; anyone else gets "not found", the same as for what does not exist. Identities are
decrypted here only to filter; showing one is `services.identities_reveal`, which logs the view.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from parley.agreements.models import Agreement
from parley.core.errors import NotFound
from parley.core.models import Party
from parley.core.types import Actor
from parley.engines.match import fold, link_lists
from parley.exchanges import crypto, rules
from parley.exchanges.models import (
    Category,
    DaySignoff,
    ExchangeEntry,
    HandoverDay,
    IdentityView,
    Outcome,
    Pair,
    Person,
    PersonList,
    PersonStatus,
    Reconciliation,
    StatusChange,
)
from parley.exchanges.records import matcher_record
from parley.talks.models import Process

BOTH_SIDES_THRESHOLD = 0.8


def visible_lists(*, actor: Actor) -> QuerySet[PersonList]:
    lists = PersonList.objects.select_related("party", "counterpart")
    if rules.sees_every_list(actor):
        return lists
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return lists.none()
    return lists.filter(Q(party_id=actor.party_id) | Q(counterpart_id=actor.party_id))


def person_list_get(*, actor: Actor, pk: int | str) -> PersonList:
    try:
        return visible_lists(actor=actor).get(pk=int(pk))
    except (PersonList.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(str(pk)) from exc


def list_summaries(*, actor: Actor) -> list[dict]:
    lists = visible_lists(actor=actor).annotate(
        listed=Count("persons", filter=Q(persons__withdrawn=False)))
    return [{"list": person_list, "listed": person_list.listed} for person_list in lists]


def _matches(identity: dict, query: str) -> bool:
    """The query in any field, or in a name in any spelling (Коваленко finds Kovalenko)."""
    plain = query.casefold()
    # Only a name is folded: the fold drops digits, so "A7891" would become "a".
    is_name = all(char.isalpha() or char in " -'’" for char in query)
    folded = fold(query) if is_name and len(query) >= 3 else ""
    return any(plain in value.casefold() or (folded and folded in fold(value))
               for value in identity.values() if isinstance(value, str))


def person_rows(*, actor: Actor, person_list: PersonList, query: str = "", category: str = "",
                status: str = "", serious: bool = False, withdrawn: bool = False,
                limit: int = 500) -> list[Person]:
    """The persons of a visible list that pass the filters (a name filter decrypts to search)."""
    person_list = person_list_get(actor=actor, pk=person_list.pk)
    persons = person_list.persons.select_related("person_list").filter(withdrawn=withdrawn)
    if category in Category.values:
        persons = persons.filter(category=category)
    if status == PersonStatus.REFUSED and not refusal_visible(actor):
        status = ""
    if status:
        persons = persons.filter(status=status)
    if serious:
        persons = persons.filter(seriously_wounded_or_sick=True)
    rows = list(persons.order_by("row_number", "pk"))
    if query.strip():
        rows = [person for person in rows
                if _matches(crypto.unseal(person.identity_token), query.strip())]
    return rows[:limit]


def person_get(*, actor: Actor, pk: int | str) -> Person:
    try:
        person = Person.objects.select_related("person_list__party",
                                               "person_list__counterpart").get(pk=int(pk))
    except (Person.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(str(pk)) from exc
    if not rules.can_view_list(actor, person.person_list):
        raise NotFound(str(pk))
    return person


def person_history(*, actor: Actor, person: Person) -> list[StatusChange]:
    person = person_get(actor=actor, pk=person.pk)
    history = person.history.select_related("agreement", "actor")
    if not rules.can_interview(actor):
        history = history.filter(intermediary_only=False)
    return list(history)


def person_views(*, actor: Actor, person: Person, limit: int = 100) -> list[IdentityView]:
    """Who has seen this person's identity; shown to the parties of its list."""
    person = person_get(actor=actor, pk=person.pk)
    return list(person.views.select_related("viewer", "viewer_party")[:limit])


def public_figures() -> list[dict]:
    """Counts per party, side and category: no name, no record, nothing that identifies."""
    rows = (Person.objects.filter(withdrawn=False)
            .values("person_list__party__slug", "person_list__party__name_en",
                    "person_list__side", "category")
            .annotate(count=Count("pk")).order_by("person_list__party__slug",
                                                  "person_list__side", "category"))
    return [{"party": row["person_list__party__slug"], "side": row["person_list__side"],
             "category": row["category"], "count": row["count"]} for row in rows]


# -- reconciliation ---------------------------------------------------------------------------


def reconciliation_list(*, actor: Actor) -> list[Reconciliation]:
    lists = visible_lists(actor=actor)
    return list(Reconciliation.objects.filter(held_list__in=lists, sought_list__in=lists)
                .select_related("held_list__party", "sought_list__party", "run_by")[:50])


def reconciliation_get(*, actor: Actor, pk: int | str) -> Reconciliation:
    try:
        run = Reconciliation.objects.select_related(
            "held_list__party", "held_list__counterpart", "sought_list__party",
            "sought_list__counterpart").get(pk=int(pk))
    except (Reconciliation.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(str(pk)) from exc
    if not (rules.can_view_list(actor, run.held_list)
            and rules.can_view_list(actor, run.sought_list)):
        raise NotFound(str(pk))
    return run


def reconciliation_pairs(*, actor: Actor, run: Reconciliation, state: str = "") -> list[Pair]:
    run = reconciliation_get(actor=actor, pk=run.pk)
    pairs = Pair.objects.filter(held__person_list=run.held_list,
                                sought__person_list=run.sought_list)
    if state:
        pairs = pairs.filter(state=state)
    return list(pairs.select_related("held__person_list", "sought__person_list", "decided_by"))


def reconciliation_state_counts(*, actor: Actor, run: Reconciliation) -> dict[str, int]:
    """Pairs per state now (decisions made since the run included)."""
    run = reconciliation_get(actor=actor, pk=run.pk)
    counts = Counter(Pair.objects.filter(held__person_list=run.held_list,
                                         sought__person_list=run.sought_list)
                     .values_list("state", flat=True))
    return {state: counts[state] for state in Pair.State.values}


def pair_get(*, actor: Actor, pk: int | str) -> Pair:
    try:
        pair = Pair.objects.select_related("held__person_list", "sought__person_list").get(
            pk=int(pk))
    except (Pair.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(str(pk)) from exc
    if not rules.can_view_list(actor, pair.held.person_list):
        raise NotFound(str(pk))
    return pair


def links_of(persons: Iterable[Person]) -> dict[int, list[Pair]]:
    """Matched or confirmed pairs of the given persons, held or sought."""
    ids = [person.pk for person in persons]
    linked: dict[int, list[Pair]] = {}
    for pair in Pair.objects.filter(Q(held_id__in=ids) | Q(sought_id__in=ids),
                                    state__in=[Pair.State.MATCHED, Pair.State.CONFIRMED]
                                    ).select_related("held", "sought"):
        linked.setdefault(pair.held_id, []).append(pair)
        linked.setdefault(pair.sought_id, []).append(pair)
    return linked


# -- exchanges --------------------------------------------------------------------------------


def exchange_list(*, actor: Actor) -> list[Agreement]:
    exchanges = Agreement.objects.filter(kind=Agreement.Kind.EXCHANGE).select_related(
        "process").prefetch_related("bound_parties", "versions")
    return [agreement for agreement in exchanges if rules.can_view_exchange(actor, agreement)]


def persons_exchanged(*, process: Process) -> int | None:
    """Persons handed over under the agreed exchanges of one process; None before the first
    handover. Like `public_figures`, a handover is the public outcome of an exchange (both sides
    announce it): the count is shown to every reader of the pulse, even one who may not read the
    exchange itself; no name, no party, no list."""
    handed_over = ExchangeEntry.objects.filter(
        agreement__process=process, agreement__kind=Agreement.Kind.EXCHANGE,
        outcome=Outcome.HANDED_OVER).count()
    return handed_over or None


def exchange_panel(*, actor: Actor) -> list[dict]:
    """Open exchanges (not terminated) with counts: persons listed and received."""
    rows = []
    for agreement in exchange_list(actor=actor):
        if agreement.status in (Agreement.Status.TERMINATED, Agreement.Status.DRAFT):
            continue
        version = agreement.current_version
        releases = version.terms.get("releases", {}) if version else {}
        rows.append({"agreement": agreement,
                     "listed": sum(len(ids) for ids in releases.values()),
                     "received": agreement.exchange_entries.filter(
                         outcome=Outcome.RECEIVED).count()})
    return rows


def exchange_get(*, actor: Actor, code: str) -> Agreement:
    agreement = (Agreement.objects.filter(code=code, kind=Agreement.Kind.EXCHANGE)
                 .select_related("process").first())
    if agreement is None or not rules.can_view_exchange(actor, agreement):
        raise NotFound(code)
    return agreement


def sees_persons(actor: Actor, agreement: Agreement) -> bool:
    """Names in an exchange are for its two parties, the intermediary and the secretariat."""
    return rules.sees_every_list(actor) or actor.party_id in {
        party.pk for party in agreement.bound_parties.all()}


@dataclass
class Side:
    party: Party | None  # None only if the terms named a party no longer bound
    receiving: Party | None
    persons: list[Person]
    entries: dict[int, ExchangeEntry]
    balance: dict[str, int] = field(default_factory=dict)


@dataclass
class DayView:
    day: HandoverDay
    totals: dict
    signoffs: list[DaySignoff]


@dataclass
class ExchangeView:
    agreement: Agreement
    terms: dict
    sides: list[Side]
    days: list[DayView]
    sees_persons: bool


def _balance(persons: list[Person], entries: dict[int, ExchangeEntry]) -> dict[str, int]:
    """Persons per category still on the list (a refusal takes a person off it)."""
    staying = [person for person in persons
               if getattr(entries.get(person.pk), "outcome", "") != Outcome.REFUSED]
    counts = Counter(person.category for person in staying)
    balance = {category: counts[category] for category in Category.values}
    balance["civilians"] = counts[Category.CIVILIAN_INTERNEE] + counts[Category.DETAINED_CIVILIAN]
    balance["seriously_wounded_or_sick"] = sum(
        1 for person in staying if person.seriously_wounded_or_sick)
    balance["total"] = len(staying)
    return balance


def exchange_view(*, actor: Actor, agreement: Agreement) -> ExchangeView:
    agreement = exchange_get(actor=actor, code=agreement.code)
    version = agreement.current_version
    terms = version.terms if version else {}
    parties = {party.slug: party for party in agreement.bound_parties.all()}
    entries = {entry.person_id: entry for entry in agreement.exchange_entries.all()}
    sides = []
    for slug, ids in sorted(terms.get("releases", {}).items()):
        persons = list(Person.objects.filter(pk__in=ids).select_related("person_list")
                       .order_by("pk"))
        receiving = next((party for key, party in parties.items() if key != slug), None)
        side_entries = {pk: entry for pk, entry in entries.items() if pk in set(ids)}
        sides.append(Side(parties.get(slug), receiving, persons, side_entries,
                          _balance(persons, side_entries)))
    stored = {day.date.isoformat(): day for day in HandoverDay.objects.filter(
        agreement=agreement).prefetch_related("signoffs__party")}
    days = []
    for date in sorted(set(terms.get("days", [])) | set(stored)):
        day = stored.get(date) or HandoverDay(agreement=agreement,
                                             date=datetime.date.fromisoformat(date))
        totals: dict = {}
        for entry in entries.values():
            if day.pk and entry.day_id == day.pk:
                side = totals.setdefault(entry.releasing_id, Counter())
                side[entry.outcome] += 1
        days.append(DayView(day, totals, list(day.signoffs.all()) if day.pk else []))
    return ExchangeView(agreement, terms, sides, days, sees_persons(actor, agreement))


def refusal_visible(actor: Actor) -> bool:
    """Why a person left an exchange's list is the intermediary's to know."""
    return rules.can_interview(actor)


@dataclass
class Discrepancies:
    listed: list[dict]
    already_exchanged: list[Person]
    category_conflicts: list[tuple[Person, str]]
    on_both_sides: list[tuple[Person, Person, float]]
    unplaced: list[Person]


def discrepancy_report(*, actor: Actor, agreement: Agreement) -> Discrepancies:
    view = exchange_view(actor=actor, agreement=agreement)
    if not view.sees_persons:
        raise NotFound(agreement.code)
    listed = []
    for side in view.sides:
        outcomes = Counter(entry.outcome for entry in side.entries.values())
        listed.append({
            "party": side.party, "listed": len(side.persons),
            "withdrawn": outcomes[Outcome.REFUSED],
            "handed_over": outcomes[Outcome.HANDED_OVER] + outcomes[Outcome.RECEIVED],
            "received": outcomes[Outcome.RECEIVED],
            "not_presented": outcomes[Outcome.NOT_PRESENTED],
            "deceased": outcomes[Outcome.DECEASED],
            "pending": len(side.persons) - sum(outcomes[o] for o in Outcome.values if o),
        })
    everyone = [person for side in view.sides for person in side.persons]
    links = links_of(everyone)
    sought_ids = {pair.sought_id for person in everyone for pair in links.get(person.pk, [])}
    exchanged_elsewhere = set(ExchangeEntry.objects.filter(
        outcome=Outcome.RECEIVED).exclude(agreement=agreement).values_list(
        "person_id", flat=True))
    exchanged_elsewhere |= set(Pair.objects.filter(
        sought_id__in=sought_ids, state__in=[Pair.State.MATCHED, Pair.State.CONFIRMED],
        held__entries__outcome=Outcome.RECEIVED).exclude(
        held__entries__agreement=agreement).values_list("sought_id", flat=True))
    already: list[Person] = []
    conflicts: list[tuple[Person, str]] = []
    unplaced: list[Person] = []
    civilians = (Category.CIVILIAN_INTERNEE, Category.DETAINED_CIVILIAN)
    for person in everyone:
        pairs = links.get(person.pk, [])
        if person.pk in exchanged_elsewhere or any(
                pair.sought_id in exchanged_elsewhere for pair in pairs):
            already.append(person)
        other_categories = {pair.sought.category for pair in pairs}
        if person.category in civilians and Category.POW in other_categories:
            conflicts.append((person, Category.POW))
        elif person.category == Category.POW and other_categories & set(civilians):
            conflicts.append((person, sorted(other_categories & set(civilians))[0]))
        if not pairs:
            unplaced.append(person)
    both = []
    if len(view.sides) == 2 and all(side.persons for side in view.sides):
        first, second = view.sides
        linkage = link_lists([matcher_record(p) for p in first.persons],
                             [matcher_record(p) for p in second.persons],
                             threshold=BOTH_SIDES_THRESHOLD)
        both = [(first.persons[pair.index_a], second.persons[pair.index_b], pair.probability)
                for pair in linkage.pairs]
    return Discrepancies(listed, already, conflicts, both, unplaced)
