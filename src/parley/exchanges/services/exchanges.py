"""Exchanges: agreements of kind `exchange` whose terms are the persons each side releases.

The lifecycle (propose, counter, consent per version by both heads, suspend, terminate) is the
agreements app's; this module builds and validates the terms, and runs the execution of an
agreed exchange: the intermediary's pre-departure interviews, the outcome per person handed over,
and the per-day totals signed off by both sides and the intermediary.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rules.predicates import Predicate as RulePredicate

from parley.agreements import services as agreement_services
from parley.agreements.models import Agreement, AgreementVersion
from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound
from parley.core.models import Party
from parley.core.types import Actor, StrOrPromise, party_of
from parley.core.validation import UNSET, add_error, raise_if
from parley.exchanges import crypto, rules
from parley.exchanges.models import (
    Category,
    DaySignoff,
    ExchangeEntry,
    HandoverDay,
    Outcome,
    Pair,
    Person,
    PersonList,
    PersonStatus,
)
from parley.exchanges.services.lists import person_status_set
from parley.talks.models import Process, Round

FORMULAS = ("all_for_all", "all_identified", "n_for_m", "category", "remains")
SERIOUS = "seriously_wounded_or_sick"
TERMINAL_STATUSES = (PersonStatus.EXCHANGED, PersonStatus.REFUSED, PersonStatus.DECEASED)
PLACE_LIMIT = 200
MAX_DAYS = 14


def _releasable(releasing: Party, receiving: Party) -> QuerySet[Person]:
    return Person.objects.filter(
        person_list__party=releasing, person_list__side=PersonList.Side.HELD,
        person_list__counterpart=receiving, withdrawn=False,
    ).exclude(status__in=TERMINAL_STATUSES)


def _identified_ids(persons: Iterable[int]) -> set[int]:
    return set(Pair.objects.filter(
        held__in=persons, state__in=[Pair.State.MATCHED, Pair.State.CONFIRMED],
    ).values_list("held_id", flat=True))


def select_by_formula(*, formula: str, category: str, releasing: Party, receiving: Party,
                      count: int | None) -> list[int]:
    """The persons `releasing` hands over under the formula, in a stable order."""
    persons = _releasable(releasing, receiving).order_by("-seriously_wounded_or_sick", "pk")
    if formula == "remains":
        persons = persons.filter(category=Category.REMAINS)
    else:
        persons = persons.exclude(category=Category.REMAINS)
    if formula == "category":
        persons = (persons.filter(seriously_wounded_or_sick=True) if category == SERIOUS
                   else persons.filter(category=category))
    ids = list(persons.values_list("pk", flat=True))
    if formula in ("all_identified", "n_for_m"):
        identified = _identified_ids(ids)
        ids = [pk for pk in ids if pk in identified]
    if formula == "n_for_m":
        ids = ids[:count or 0]
    return ids


def _clean_days(days: list | None, errors: dict) -> list[str]:
    clean = []
    for index, day in enumerate(days or []):
        try:
            clean.append(datetime.date.fromisoformat(str(day)).isoformat())
        except ValueError:
            add_error(errors, f"days[{index}]", gettext(
                "%(value)s is not a date (YYYY-MM-DD).") % {"value": day})
    if not clean and not errors.get("days"):
        add_error(errors, "days", _("Give at least one day of handover."))
    if len(set(clean)) > MAX_DAYS:
        add_error(errors, "days", gettext("Give at most %(limit)d days.") % {"limit": MAX_DAYS})
    return sorted(set(clean))


def _clean_releases(releases: dict, sides: tuple[Party, Party], errors: dict) -> dict:
    clean = {}
    for releasing, receiving in (sides, sides[::-1]):
        wanted = [int(pk) for pk in releases.get(releasing.slug, [])]
        allowed = set(_releasable(releasing, receiving).filter(pk__in=wanted)
                      .values_list("pk", flat=True))
        for pk in wanted:
            if pk not in allowed:
                add_error(errors, f"releases.{releasing.slug}", gettext(
                    "P-%(pk)d is not on a list of persons %(party)s holds, or is already "
                    "exchanged.") % {"pk": pk, "party": releasing.name})
        if len(set(wanted)) != len(wanted):
            add_error(errors, f"releases.{releasing.slug}", _("A person is listed twice."))
        clean[releasing.slug] = sorted(set(wanted) & allowed)
    if not any(clean.values()):
        add_error(errors, "releases", _("The exchange names nobody."))
    return clean


def _sides(parties: Iterable[Party]) -> tuple[Party, Party]:
    parties = list(parties)
    if len(parties) != 2 or not all(party.is_belligerent for party in parties) or \
            parties[0].pk == parties[1].pk:
        raise ValidationError({"bound_parties": [_("An exchange binds two belligerent parties.")]})
    first, second = sorted(parties, key=lambda party: party.slug)
    return first, second


def exchange_propose(
    *, actor: Actor, process: Process, title: str, parties: list[Party], formula: str,
    category: str = "", counts: dict | None = None, releases: dict | None = None, place: str = "",
    days: list | None = None, pause: str = "", note: str = "", round: Round | None = None,
) -> Agreement:
    """Draft and propose an exchange in one step; the persons follow the formula unless given."""
    if not rules.can_propose_exchange(actor):
        raise Forbidden(_("The secretariat or a belligerent party's delegation proposes "
                          "exchanges."))
    sides = _sides(parties)
    errors: dict = {}
    if formula not in FORMULAS:
        add_error(errors, "formula", _("Choose a formula."))
    if formula == "category" and category not in (SERIOUS, *Category.values):
        add_error(errors, "category", _("Choose the category the exchange is for."))
    counts = counts or {}
    if formula == "n_for_m":
        for party in sides:
            value = counts.get(party.slug)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 100000:
                add_error(errors, f"counts.{party.slug}", gettext(
                    "Give how many persons %(party)s releases (1 or more).")
                    % {"party": party.name})
    raise_if(errors)
    if releases is None:
        releases = {
            releasing.slug: select_by_formula(
                formula=formula, category=category, releasing=releasing, receiving=receiving,
                count=counts.get(releasing.slug))
            for releasing, receiving in (sides, sides[::-1])
        }
    terms = _clean_terms(sides=sides, formula=formula, category=category, releases=releases,
                         place=place, days=days, pause=pause)
    with transaction.atomic():
        agreement = agreement_services.agreement_create_draft(
            actor=actor, process=process, kind=Agreement.Kind.EXCHANGE, title=title,
            purpose=Agreement.Purpose.EXCHANGE, bound_parties=list(sides), terms=terms,
            note=note, round=round,
        )
        agreement = agreement_services.agreement_propose(actor=actor, agreement=agreement)
        _mark_proposed(actor, agreement, terms)
    return agreement


def _clean_terms(*, sides: tuple[Party, Party], formula: str, category: str, releases: dict,
                 place: str | None, days: list | None, pause: str | None) -> dict:
    errors: dict = {}
    clean_releases = _clean_releases(releases, sides, errors)
    place = (place or "").strip()
    if not place:
        add_error(errors, "place", _("Name the place of handover."))
    elif len(place) > PLACE_LIMIT or "\x00" in place:
        add_error(errors, "place", gettext("Keep the place within %(limit)d characters.")
                  % {"limit": PLACE_LIMIT})
    clean_days = _clean_days(days, errors)
    pause = (pause or "").strip().upper()
    if pause and not Agreement.objects.filter(code=pause, kind=Agreement.Kind.PAUSE).exists():
        add_error(errors, "pause", _("No humanitarian pause has this code."))
    raise_if(errors)
    return {"formula": formula, "category": category or "", "releases": clean_releases,
            "place": place, "days": clean_days, "pause": pause}


def _mark_proposed(actor: Actor, agreement: Agreement, terms: dict) -> None:
    ids = [pk for persons in terms["releases"].values() for pk in persons]
    for person in Person.objects.filter(
            pk__in=ids, status__in=[PersonStatus.LISTED, PersonStatus.IDENTIFIED]):
        person_status_set(actor=actor, person=person, status=PersonStatus.PROPOSED,
                          agreement=agreement)


def _exchange(actor: Actor, agreement: Agreement) -> Agreement:
    if not rules.can_view_exchange(actor, agreement):
        raise NotFound(agreement.code)
    return agreement


def _current_version(agreement: Agreement) -> AgreementVersion:
    version = agreement.current_version
    if version is None:  # an agreement is created with its first version
        raise ValueError(f"agreement {agreement.code} has no version")
    return version


def exchange_counter(*, actor: Actor, agreement: Agreement, version: int | None = None,
                     releases: Any = UNSET, place: Any = UNSET, days: Any = UNSET,
                     pause: Any = UNSET, note: str = "") -> AgreementVersion:
    """A new version of the terms (persons, place, days); consents start again."""
    agreement = _exchange(actor, agreement)
    current = _current_version(agreement).terms

    def given(value: Any, key: str) -> Any:
        return current.get(key) if value is UNSET else value

    sides = _sides(agreement.bound_parties.all())
    terms = _clean_terms(
        sides=sides, formula=current.get("formula", "n_for_m"),
        category=current.get("category", ""), releases=given(releases, "releases"),
        place=given(place, "place"), days=given(days, "days"), pause=given(pause, "pause"))
    with transaction.atomic():
        proposal = agreement_services.agreement_counter(
            actor=actor, agreement=agreement, version=version, terms=terms, note=note)
        _mark_proposed(actor, agreement, terms)
    return proposal


# -- execution --------------------------------------------------------------------------------


def _agreed(actor: Actor, agreement: Agreement, predicate: RulePredicate,
            message: StrOrPromise) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _exchange(actor, agreement)
    if not predicate.test(actor, agreement):
        raise Forbidden(message)
    if agreement.status != Agreement.Status.AGREED:
        raise ValidationError({"status": [_("Only an agreed exchange is carried out.")]})
    return agreement


def _entries_made(agreement: Agreement) -> None:
    """The agreed version's persons each have an entry and its days of handover exist; what is
    there already is read as keys only (this runs before every interview and handover)."""
    terms = _current_version(agreement).terms
    have = set(agreement.exchange_entries.values_list("person_id", flat=True))
    releases = terms.get("releases", {})
    if any(pk not in have for ids in releases.values() for pk in ids):
        sides = {party.slug: party for party in agreement.bound_parties.all()}
        missing = []
        for slug, ids in releases.items():
            receiving = next(party for key, party in sides.items() if key != slug)
            missing += [ExchangeEntry(agreement=agreement, person_id=pk, releasing=sides[slug],
                                      receiving=receiving) for pk in ids if pk not in have]
        ExchangeEntry.objects.bulk_create(missing)
    days = {datetime.date.fromisoformat(day) for day in terms.get("days", [])}
    days -= set(HandoverDay.objects.filter(agreement=agreement, date__in=days)
                .values_list("date", flat=True))
    for day in sorted(days):
        HandoverDay.objects.get_or_create(agreement=agreement, date=day)


def _entry(agreement: Agreement, person: Person) -> ExchangeEntry:
    _entries_made(agreement)
    entry = (ExchangeEntry.objects.select_for_update().select_related("person")
             .filter(agreement=agreement, person_id=person.pk).first())
    if entry is None:
        raise NotFound(person.reference)
    return entry


def exchange_interview(*, actor: Actor, agreement: Agreement, person: Person,
                       identity_confirmed: bool, wishes_repatriation: bool,
                       fit_to_travel: bool, note: str = "") -> None:
    """The intermediary's private pre-departure interview. A refusal takes the person off the
    list; the parties see that the person was withdrawn, never why."""
    with transaction.atomic():
        agreement = _agreed(actor, agreement, rules.can_interview,
                            _("The intermediary interviews the persons before departure."))
        entry = _entry(agreement, person)
        if entry.outcome:
            raise ValidationError({"person": [_("The handover of this person is already "
                                                "recorded.")]})
        if len(note or "") > 2000:
            raise ValidationError({"note": [_("Keep the note within 2000 characters.")]})
        entry.identity_confirmed = identity_confirmed
        entry.wishes_repatriation = wishes_repatriation
        entry.fit_to_travel = fit_to_travel
        entry.interview_token = crypto.seal({"note": note.strip()}) if note.strip() else ""
        entry.interviewed_by = actor
        entry.interviewed_at = timezone.now()
        if not wishes_repatriation:
            entry.outcome = Outcome.REFUSED
        entry.save()
        person_status_set(
            actor=actor, person=entry.person, agreement=agreement,
            status=PersonStatus.INTERVIEWED if wishes_repatriation else PersonStatus.REFUSED,
            intermediary_only=not wishes_repatriation)
        audit_append(actor=actor, action="exchanges.interview", obj=entry,
                     after={"agreement": agreement.code, "person": entry.person.reference,
                            "withdrawn": not wishes_repatriation})


RECORDABLE = (Outcome.HANDED_OVER, Outcome.RECEIVED, Outcome.NOT_PRESENTED, Outcome.DECEASED,
              Outcome.REFUSED)


def exchange_handover_record(*, actor: Actor, agreement: Agreement, person: Person, outcome: str,
                             day: datetime.date) -> ExchangeEntry:
    """What happened to one person on a day of handover."""
    with transaction.atomic():
        agreement = _agreed(actor, agreement, rules.can_record_handover,
                            _("The intermediary or a bound party's delegation records the "
                              "handover."))
        entry = _entry(agreement, person)
        errors: dict = {}
        if outcome not in RECORDABLE:
            add_error(errors, "outcome", _("Choose what happened."))
        handover_day = HandoverDay.objects.filter(agreement=agreement, date=day).first()
        if handover_day is None:
            add_error(errors, "day", _("This is not a day of handover of the exchange."))
        elif handover_day.signoffs.exists():
            add_error(errors, "day", _("The totals of this day are signed; nothing changes."))
        if entry.wishes_repatriation is False:
            add_error(errors, "person", _("This person is no longer on the list."))
        if outcome == Outcome.RECEIVED and entry.outcome != Outcome.HANDED_OVER:
            add_error(errors, "outcome", _("A person is received after being handed over."))
        if entry.day is not None and entry.day.signoffs.exists():
            add_error(errors, "day", _("The totals of this day are signed; nothing changes."))
        raise_if(errors)
        before = {"outcome": entry.outcome}
        entry.outcome = outcome
        entry.day = handover_day
        entry.recorded_by = actor
        entry.recorded_at = timezone.now()
        entry.save(update_fields=["outcome", "day", "recorded_by", "recorded_at"])
        statuses: dict[str, PersonStatus] = {Outcome.RECEIVED: PersonStatus.EXCHANGED,
                                             Outcome.DECEASED: PersonStatus.DECEASED}
        status = statuses.get(outcome)
        if status:
            person_status_set(actor=actor, person=entry.person, status=status,
                              agreement=agreement)
        audit_append(actor=actor, action="exchanges.handover", obj=entry, before=before,
                     after={"agreement": agreement.code, "person": entry.person.reference,
                            "outcome": outcome, "day": day.isoformat()})
    return entry


def day_totals(day: HandoverDay) -> dict:
    totals: dict = {}
    for entry in ExchangeEntry.objects.filter(day=day).select_related("releasing"):
        side = totals.setdefault(entry.releasing.slug, {})
        side[entry.outcome] = side.get(entry.outcome, 0) + 1
    return totals


def exchange_day_sign(*, actor: Actor, agreement: Agreement, day: datetime.date) -> DaySignoff:
    """One party's signature under a day's totals; both sides and the intermediary sign."""
    with transaction.atomic():
        agreement = _agreed(actor, agreement, rules.can_sign_day,
                            _("The heads of both delegations and the intermediary sign the "
                              "totals."))
        _entries_made(agreement)
        handover_day = HandoverDay.objects.filter(agreement=agreement, date=day).first()
        if handover_day is None:
            raise ValidationError({"day": [_("This is not a day of handover of the exchange.")]})
        if handover_day.signoffs.filter(party_id=party_of(actor).pk).exists():
            raise ValidationError({"day": [_("Your party has already signed this day.")]})
        totals = day_totals(handover_day)
        earlier = handover_day.signoffs.first()
        if earlier is not None and earlier.totals != totals:
            raise ValidationError({"day": [_("The totals changed since the first signature.")]})
        signoff = DaySignoff.objects.create(day=handover_day, party=party_of(actor), user=actor,
                                            totals=totals)
        audit_append(actor=actor, action="exchanges.day_sign", obj=agreement,
                     after={"day": day.isoformat(), "party": party_of(actor).slug,
                            "totals": totals})
    return signoff
