"""Reads of the agenda and the positions, each filtered by the party's chosen visibility."""


from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from parley.audit import history as audit_history
from parley.audit.models import AuditEntry
from parley.core.errors import NotFound
from parley.core.models import Party
from parley.core.types import Actor
from parley.talks.models import AgendaItem, MediatorNote, Position, Process, Round
from parley.talks.rules import can_read_mediator_notes, can_view_talks, visibility_filter


def agenda_items(
    *, actor: Actor, round: Round | None = None, process: Process | None = None,
) -> QuerySet[AgendaItem]:
    if not can_view_talks(actor):
        return AgendaItem.objects.none()
    items = AgendaItem.objects.select_related("process", "text").prefetch_related(
        "agreements", "rounds")
    if round is not None:
        items = items.filter(rounds=round)
    if process is not None:
        items = items.filter(process=process)
    return items.order_by("number")


def agenda_item_get(*, actor: Actor, pk: int | str) -> AgendaItem:
    try:
        return agenda_items(actor=actor).get(pk=pk)
    except (AgendaItem.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("agenda item") from exc


def visible_positions(*, actor: Actor) -> QuerySet[Position]:
    if not can_view_talks(actor):
        return Position.objects.none()
    return Position.objects.filter(visibility_filter(actor)).select_related(
        "party", "round", "author", "item")


def positions(*, actor: Actor, item: AgendaItem, round: Round | None = None) -> list[Position]:
    shown = visible_positions(actor=actor).filter(item=item)
    if round is not None:
        shown = shown.filter(round=round)
    return list(shown.order_by("round__date", "party__slug", "kind", "pk"))


def position_get(*, actor: Actor, pk: int | str) -> Position:
    try:
        return visible_positions(actor=actor).get(pk=pk)
    except (Position.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("position") from exc


@dataclass
class Stance:
    """A party's statements of one kind at one round, and whether they changed since the
    party's previous round on the item."""

    round: Round
    positions: list[Position]
    moved: bool | None  # None at the party's first round on the item


@dataclass
class PartyHistory:
    party: Party
    kind: str
    stances: list[Stance] = field(default_factory=list)

    @property
    def ever_moved(self) -> bool:
        return any(stance.moved for stance in self.stances)


def position_history(*, actor: Actor, item: AgendaItem) -> list[PartyHistory]:
    """Who moved and who did not, from round to round, over what the actor may read."""
    histories: dict[tuple[int, str], PartyHistory] = {}
    by_round: dict[tuple[int, str], dict[int, list[Position]]] = {}
    for position in positions(actor=actor, item=item):
        key = (position.party_id, position.kind)
        histories.setdefault(key, PartyHistory(position.party, position.kind))
        by_round.setdefault(key, {}).setdefault(position.round_id, []).append(position)
    for key, history in histories.items():
        previous: list[str] | None = None
        rounds = sorted({p.round for ps in by_round[key].values() for p in ps},
                        key=lambda r: (r.date, r.name))
        for round_ in rounds:
            said = by_round[key][round_.pk]
            words = sorted(p.text for p in said)
            moved = None if previous is None else words != previous
            history.stances.append(Stance(round_, said, moved))
            previous = words
    return sorted(histories.values(), key=lambda h: (h.party.slug, h.kind))


def mediator_notes(*, actor: Actor, item: AgendaItem) -> list[MediatorNote]:
    if not can_read_mediator_notes(actor):
        return []
    return list(item.mediator_notes.select_related("author", "round"))


def item_audit_trail(*, actor: Actor, item: AgendaItem) -> list[AuditEntry]:
    """The item's own entries and those of its positions and notes, as far as the actor may
    read them (`parley.audit.history`)."""
    shown = (Q(object_type="talks.agendaitem", object_id=str(item.pk))
             | Q(object_type="talks.position",
                 object_id__in=[str(pk) for pk in item.positions.values_list("pk", flat=True)])
             | Q(object_type="talks.mediatornote",
                 object_id__in=[str(pk) for pk in item.mediator_notes.values_list("pk",
                                                                                  flat=True)]))
    entries = (audit_history.readable(user=actor,
                                kinds=["talks.agendaitem", "talks.position", "talks.mediatornote"])
               .filter(shown).select_related("actor").order_by("at", "pk"))
    return list(audit_history.disclose(user=actor, entries=entries))


def visible_note_ids(user: Actor) -> QuerySet:
    if not can_read_mediator_notes(user):
        return MediatorNote.objects.none().values_list("pk", flat=True)
    return MediatorNote.objects.values_list("pk", flat=True)
