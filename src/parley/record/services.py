"""Writes to the record: checkpoints, cosignatures from the parties' witnesses, and witness
alarms. The leaves are appended by `parley.audit.services.audit_append`."""

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parley.audit.models import LogEntry
from parley.audit.services import audit_append
from parley.core.errors import Forbidden
from parley.core.models import Party
from parley.core.rules import is_secretariat
from parley.engines.ledger.note import Checkpoint as CheckpointText
from parley.engines.ledger.note import (
    NoteError,
    parse_checkpoint_text,
    parse_note,
    parse_vkey,
)
from parley.record import keys, rules
from parley.record.models import Checkpoint, Cosignature, Witness
from parley.record.tree import current_tree


def checkpoint_publish() -> Checkpoint | None:
    """Sign a checkpoint for the current size, if it has grown since the last one."""
    signer = keys.log_signer()
    size = LogEntry.objects.count()
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is not None and latest.size >= size:
        return None
    if latest is None and size == 0:
        return None
    root = current_tree(size).root(size)
    text = CheckpointText(signer.name, size, root).text
    return Checkpoint.objects.create(size=size, root=root, note=signer.sign(text).decode())


def witnesses_sync() -> list[Witness]:
    """One Witness row per party whose public key is in the witness key directory."""
    found = []
    for slug, verifier in keys.witness_verifiers().items():
        party = Party.objects.filter(slug=slug).first()
        if party is None:
            continue
        witness, _ = Witness.objects.update_or_create(party=party,
                                                      defaults={"vkey": verifier.vkey})
        found.append(witness)
    return found


def _witness_of(party: Any) -> Witness:
    witness = Witness.objects.filter(party=party).first()
    if witness is None:
        raise Forbidden("this party has no witness key registered with the record")
    return witness


def cosignature_add(*, actor: Any, note: bytes, party: Any = None) -> Cosignature:
    """Store a witness's cosignature: `note` is the checkpoint with the witness's cosignature
    line appended (how a tlog-witness client reads an add-checkpoint answer). `party` is given
    only by the in-process witnesses; over HTTP it is the actor's."""
    party = party or getattr(actor, "party", None)
    if party is None or (actor is not None and not rules.can_view_record(actor)):
        raise Forbidden("only a party's members submit its witness's cosignatures")
    witness = _witness_of(party)
    verifier = parse_vkey(witness.vkey)
    try:
        parsed = parse_note(note)
        checkpoint_text = parse_checkpoint_text(parsed.text)
        timestamp = parsed.signed_by(verifier)
    except NoteError as exc:
        raise ValidationError(str(exc)) from exc
    if timestamp is None:
        raise ValidationError("the note carries no cosignature of this party's witness")
    checkpoint = Checkpoint.objects.filter(size=checkpoint_text.size,
                                           root=checkpoint_text.root).first()
    if checkpoint is None or parse_note(checkpoint.note.encode()).text != parsed.text:
        raise ValidationError("the cosigned checkpoint is not one this log published")
    line = next(s.line for s in parsed.signatures
                if (s.name, s.key_id) == (verifier.name, verifier.key_id))
    now = timezone.now()
    with transaction.atomic():
        cosignature, _ = Cosignature.objects.update_or_create(
            checkpoint=checkpoint, witness=witness,
            defaults={"line": line, "cosigned_at": datetime.fromtimestamp(timestamp, UTC)},
        )
        Witness.objects.filter(pk=witness.pk).update(
            last_answer_at=now, last_cosigned_size=checkpoint.size)
    return cosignature


def witness_alarm_raise(*, actor: Any, message: str, party: Any = None) -> Witness:
    """A witness refused a checkpoint because the log showed it another history. Kept on the
    witness (shown on the Record page to every party) and in the audit trail."""
    party = party or getattr(actor, "party", None)
    if party is None or (actor is not None and not rules.can_view_record(actor)):
        raise Forbidden("only a party's members report its witness's alarms")
    witness = _witness_of(party)
    first = not witness.alarm
    with transaction.atomic():
        now = timezone.now()
        Witness.objects.filter(pk=witness.pk).update(alarm=message[:2000], alarm_at=now,
                                                     last_answer_at=now)
        witness.refresh_from_db()
        if first:
            # Once in the audit trail; a witness run again and again repeats its alarm.
            audit_append(actor=actor, action="record.witness_alarm", obj=witness,
                         after={"party": party.slug, "message": message[:2000]})
    return witness


def witness_alarm_clear(*, actor: Any, party: Any) -> Witness:
    """The secretariat records that a witness's alarm has been looked into; the witness then
    cosigns again (and alarms again if the log still does not extend what it saw)."""
    if not is_secretariat(actor):
        raise Forbidden("only the secretariat clears a witness's alarm")
    witness = _witness_of(party)
    with transaction.atomic():
        before = {"alarm": witness.alarm}
        Witness.objects.filter(pk=witness.pk).update(alarm="", alarm_at=None)
        witness.refresh_from_db()
        audit_append(actor=actor, action="record.witness_alarm_clear", obj=witness,
                     before=before, after={"alarm": ""})
    return witness
