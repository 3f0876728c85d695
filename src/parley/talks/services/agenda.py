"""The agenda and the parties' positions.

A position's audit entry names the item, the party, the kind and the visibility but carries
only the SHA-256 of its wording: the audit trail is read more widely than a party's own-eyes
red line may travel.
"""

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from parley.audit.services import audit_append
from parley.core.errors import Forbidden
from parley.core.models import User
from parley.core.types import party_of
from parley.talks.models import AgendaItem, DraftText, MediatorNote, Position, Round, Visibility
from parley.talks.rules import can_read_mediator_notes, can_take_position
from parley.talks.services.frame import require_secretariat


def wording_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def agenda_item_create(
    *, actor: User, round: Round, title: str, topic: str, agreements: Any = (),
) -> AgendaItem:
    require_secretariat(actor)
    with transaction.atomic():
        number = (AgendaItem.objects.select_for_update().filter(process=round.process)
                  .aggregate(top=Max("number"))["top"] or 0) + 1
        item = AgendaItem(process=round.process, number=number, title=title, topic=topic)
        item.full_clean()
        item.save()
        item.rounds.add(round)
        item.agreements.set(agreements)
        audit_append(actor=actor, action="agenda_item.create", obj=item,
                     after={"round": round.pk, "number": number, "title": title,
                            "topic": topic,
                            "agreements": sorted(a.code for a in agreements)})
    return item


def agenda_item_table(*, actor: User, item: AgendaItem, round: Round) -> AgendaItem:
    """Put an item of the process on another round's agenda (it keeps its number)."""
    require_secretariat(actor)
    if round.process_id != item.process_id:
        raise ValidationError({"round": [_("The round belongs to another process.")]})
    with transaction.atomic():
        item.rounds.add(round)
        audit_append(actor=actor, action="agenda_item.table", obj=item,
                     after={"round": round.pk})
    return item


def agenda_item_set_status(*, actor: User, item: AgendaItem, status: str) -> AgendaItem:
    require_secretariat(actor)
    if status not in AgendaItem.Status.values:
        raise ValidationError({"status": [_("Choose one of the listed statuses.")]})
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        before = item.status
        item.status = status
        item.save(update_fields=["status", "updated_at"])
        audit_append(actor=actor, action="agenda_item.status", obj=item,
                     before={"status": before}, after={"status": status})
    return item


def agenda_item_link(
    *, actor: User, item: AgendaItem, agreements: Any = (), text: DraftText | None = None,
) -> AgendaItem:
    require_secretariat(actor)
    foreign = [a.code for a in agreements if a.process_id != item.process_id]
    if foreign:
        raise ValidationError({"agreements": [_("%(codes)s belong to another process.")
                                              % {"codes": ", ".join(foreign)}]})
    with transaction.atomic():
        before = {"agreements": sorted(a.code for a in item.agreements.all()),
                  "text": item.text_id}
        item.agreements.set(agreements)
        item.text = text
        item.save(update_fields=["text", "updated_at"])
        audit_append(actor=actor, action="agenda_item.link", obj=item, before=before,
                     after={"agreements": sorted(a.code for a in agreements),
                            "text": text.pk if text else None})
    return item


def position_take(
    *, actor: User, item: AgendaItem, round: Round, kind: str, text: str,
    visibility: str = Visibility.OWN,
) -> Position:
    """The actor's party states a position on the item at the round."""
    if not can_take_position(actor):
        raise Forbidden(_("Only a party's delegates state its positions."))
    errors: dict = {}
    if not item.rounds.filter(pk=round.pk).exists():
        errors["round"] = [_("The item is not on this round's agenda.")]
    if not text.strip():
        errors["text"] = [_("Say what the position is.")]
    if errors:
        raise ValidationError(errors)
    position = Position(item=item, round=round, party=actor.party, kind=kind, text=text.strip(),
                        visibility=visibility, author=actor)
    position.full_clean()
    with transaction.atomic():
        position.save()
        audit_append(actor=actor, action="position.take", obj=position,
                     after={"item": item.number, "round": round.pk, "party": party_of(actor).slug,
                            "kind": kind, "visibility": visibility,
                            "wording_sha256": wording_digest(position.text)})
    return position


def mediator_note_add(*, actor: User, item: AgendaItem, round: Round, text: str) -> MediatorNote:
    if not can_read_mediator_notes(actor):
        raise Forbidden(_("Only the secretariat keeps the mediator's notes."))
    if not text.strip():
        raise ValidationError({"text": [_("The note is empty.")]})
    note = MediatorNote(item=item, round=round, text=text.strip(), author=actor)
    with transaction.atomic():
        note.save()
        audit_append(actor=actor, action="mediator_note.add", obj=note,
                     after={"item": item.number, "round": round.pk,
                            "wording_sha256": wording_digest(note.text)})
    return note
