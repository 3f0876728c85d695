"""Reconciliation: the matcher run over a held list and the other side's sought list.

Pairs at or above `CERTAIN` (the top of the matcher's review band) are matched at once; the
others the matcher proposes wait in the review queue of the intermediary. A decision (confirmed
or rejected) is kept through later runs and re-uploads: the persons are found again by their
record key, and the matcher's new figures never overwrite a person's judgement.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound
from parley.core.types import Actor
from parley.engines.match import REVIEW_HIGH, link_lists
from parley.exchanges import rules
from parley.exchanges.models import Pair, PersonList, PersonStatus, Reconciliation
from parley.exchanges.records import matcher_record
from parley.exchanges.services.lists import person_status_set

CERTAIN = REVIEW_HIGH
DEFAULT_THRESHOLD = 0.5


def _check_lists(actor: Actor, held_list: PersonList, sought_list: PersonList) -> None:
    for person_list in (held_list, sought_list):
        if not rules.can_view_list(actor, person_list):
            raise NotFound(str(person_list.pk))
    if not rules.can_reconcile(actor):
        raise Forbidden(_("The intermediary or the secretariat reconciles lists."))
    if (held_list.side != PersonList.Side.HELD or sought_list.side != PersonList.Side.SOUGHT
            or held_list.party_id != sought_list.counterpart_id
            or sought_list.party_id != held_list.counterpart_id):
        raise ValidationError({"sought_list": [_(
            "Reconcile a list of persons one party holds with the list of persons the other "
            "party seeks from it.")]})


def reconciliation_run(*, actor: Actor, held_list: PersonList, sought_list: PersonList,
                       threshold: float = DEFAULT_THRESHOLD) -> Reconciliation:
    _check_lists(actor, held_list, sought_list)
    if not 0 < threshold < 1:
        raise ValidationError({"threshold": [_("Give a probability between 0 and 1.")]})
    held = list(held_list.persons.filter(withdrawn=False).order_by("pk"))
    sought = list(sought_list.persons.filter(withdrawn=False).order_by("pk"))
    linkage = link_lists([matcher_record(p) for p in held], [matcher_record(p) for p in sought],
                         threshold=threshold)
    proposed = {}
    for linked in linkage.pairs:
        state = Pair.State.MATCHED if linked.probability >= CERTAIN else Pair.State.UNCERTAIN
        proposed[(held[linked.index_a].pk, sought[linked.index_b].pk)] = (linked, state)
    for linked in linkage.candidates:
        key = (held[linked.index_a].pk, sought[linked.index_b].pk)
        proposed.setdefault(key, (linked, Pair.State.UNCERTAIN))
    with transaction.atomic():
        stored = Pair.objects.select_for_update().filter(
            held__person_list=held_list, sought__person_list=sought_list)
        existing = {(pair.held_id, pair.sought_id): pair for pair in stored}
        for key, old in existing.items():
            if key not in proposed and old.state in (Pair.State.MATCHED, Pair.State.UNCERTAIN):
                old.delete()
        for (held_id, sought_id), (linked, state) in proposed.items():
            pair = existing.get((held_id, sought_id))
            if pair is None:
                Pair.objects.create(held_id=held_id, sought_id=sought_id,
                                    probability=linked.probability, fields=dict(linked.fields),
                                    state=state)
                continue
            pair.probability = linked.probability
            pair.fields = dict(linked.fields)
            if pair.state in (Pair.State.MATCHED, Pair.State.UNCERTAIN):
                pair.state = state
            pair.save(update_fields=["probability", "fields", "state", "updated_at"])
        _mark_identified(actor, held_list, sought_list)
        pairs = Pair.objects.filter(held__person_list=held_list, sought__person_list=sought_list)
        linked_held = set(pairs.filter(state__in=[Pair.State.MATCHED, Pair.State.CONFIRMED])
                          .values_list("held_id", flat=True))
        linked_sought = set(pairs.filter(state__in=[Pair.State.MATCHED, Pair.State.CONFIRMED])
                            .values_list("sought_id", flat=True))
        figures = {
            "held": len(held), "sought": len(sought),
            "matched": pairs.filter(state=Pair.State.MATCHED).count(),
            "confirmed": pairs.filter(state=Pair.State.CONFIRMED).count(),
            "uncertain": pairs.filter(state=Pair.State.UNCERTAIN).count(),
            "rejected": pairs.filter(state=Pair.State.REJECTED).count(),
            "unplaced_held": len(held) - len(linked_held),
            "unplaced_sought": len(sought) - len(linked_sought),
            "duplicates_held": [[held[i].pk for i in group] for group in linkage.duplicates_a],
            "duplicates_sought": [[sought[i].pk for i in group]
                                  for group in linkage.duplicates_b],
        }
        run = Reconciliation.objects.create(held_list=held_list, sought_list=sought_list,
                                            run_by=actor, threshold=threshold, figures=figures)
        audit_append(actor=actor, action="exchanges.reconcile", obj=run,
                     after={key: value for key, value in figures.items()
                            if not key.startswith("duplicates")})
    return run


def _mark_identified(actor: Actor, held_list: PersonList, sought_list: PersonList) -> None:
    """A held person linked to a sought one is identified (its later statuses are left alone)."""
    linked = Pair.objects.filter(
        held__person_list=held_list, sought__person_list=sought_list,
        state__in=[Pair.State.MATCHED, Pair.State.CONFIRMED])
    for pair in linked.select_related("held", "sought"):
        for person in (pair.held, pair.sought):
            if person.status == PersonStatus.LISTED:
                person_status_set(actor=actor, person=person, status=PersonStatus.IDENTIFIED)


def pair_decide(*, actor: Actor, pair: Pair, same_person: bool) -> Pair:
    """The intermediary's judgement on an uncertain pair (or a reversal of an earlier one)."""
    with transaction.atomic():
        pair = Pair.objects.select_for_update().select_related(
            "held__person_list", "sought__person_list").get(pk=pair.pk)
        if not rules.can_view_list(actor, pair.held.person_list):
            raise NotFound(str(pair.pk))
        if not rules.can_decide_pair(actor):
            raise Forbidden(_("The intermediary decides whether two records are one person."))
        before = {"state": pair.state}
        pair.state = Pair.State.CONFIRMED if same_person else Pair.State.REJECTED
        pair.decided_by = actor
        pair.decided_at = timezone.now()
        pair.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
        if same_person:
            for person in (pair.held, pair.sought):
                if person.status == PersonStatus.LISTED:
                    person_status_set(actor=actor, person=person,
                                      status=PersonStatus.IDENTIFIED)
        audit_append(actor=actor, action="exchanges.pair_decide", obj=pair, before=before,
                     after={"state": pair.state, "held": pair.held.reference,
                            "sought": pair.sought.reference,
                            "probability": round(pair.probability, 4)})
    return pair
