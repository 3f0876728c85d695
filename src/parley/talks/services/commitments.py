"""Commitments the secretariat extracts from provisions, their status with evidence, the
parties' answers; and the communiqué of a round, whose publication is an audited act."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parley.audit.services import audit_append
from parley.core.errors import Forbidden
from parley.core.models import Party, User
from parley.core.types import party_of
from parley.talks.models import (
    AgendaItem,
    Commitment,
    CommitmentAnswer,
    CommitmentEvidence,
    Communique,
    Process,
    Provision,
    Round,
)
from parley.talks.rules import can_answer_commitment, can_manage_commitments
from parley.talks.services.frame import require_secretariat


def commitment_create(
    *, actor: User, process: Process, party: Party, what: str, due_at: datetime.datetime,
    verification: str, provision: Provision | None = None,
) -> Commitment:
    if not can_manage_commitments(actor):
        raise Forbidden(_("Only the secretariat records commitments."))
    errors: dict = {}
    if not party.is_belligerent:
        errors["party"] = [_("Commitments are the parties' to the conflict.")]
    if provision is not None and provision.text.process_id != process.pk:
        errors["provision"] = [_("The provision belongs to another process.")]
    if due_at.tzinfo is None:
        errors["due_at"] = [_("Give the time with its zone.")]
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(process=process, provision=provision, party=party, what=what.strip(),
                            due_at=due_at, verification=verification.strip(), created_by=actor)
    commitment.full_clean()
    with transaction.atomic():
        commitment.save()
        audit_append(actor=actor, action="commitment.create", obj=commitment,
                     after={"party": party.slug, "what": commitment.what,
                            "due_at": due_at.isoformat(),
                            "provision": provision.number if provision else None})
    return commitment


def commitment_set_status(
    *, actor: User, commitment: Commitment, status: str, evidence: Sequence[tuple[str, str]] = (),
    note: str = "",
) -> Commitment:
    """The secretariat's finding, with the evidence for it: (kind, reference) pairs."""
    if not can_manage_commitments(actor):
        raise Forbidden(_("Only the secretariat records whether a commitment was kept."))
    errors: dict = {}
    if status not in Commitment.Status.values:
        errors["status"] = [_("Choose one of the listed statuses.")]
    for index, (kind, reference) in enumerate(evidence):
        if kind not in CommitmentEvidence.Kind.values or not reference.strip():
            errors[f"evidence[{index}]"] = [_("Evidence needs a kind and a reference.")]
    if status in (Commitment.Status.MET, Commitment.Status.BREACHED) and not evidence and \
            not commitment.evidence.exists():
        errors["evidence"] = [_("Say what shows it: a monitoring event, a movement, an "
                                "exchange result, a file or a link.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        before = commitment.status
        commitment.status = status
        commitment.status_at = timezone.now()
        commitment.save(update_fields=["status", "status_at"])
        for kind, reference in evidence:
            CommitmentEvidence.objects.create(commitment=commitment, kind=kind,
                                              reference=reference.strip(), note=note,
                                              added_by=actor)
        audit_append(actor=actor, action="commitment.status", obj=commitment,
                     before={"status": before},
                     after={"status": status,
                            "evidence": [f"{kind}:{ref.strip()}" for kind, ref in evidence]},
                     note=note)
    return commitment


def commitment_answer(*, actor: User, commitment: Commitment, text: str) -> CommitmentAnswer:
    if not can_answer_commitment(actor):
        raise Forbidden(_("Only the parties' delegates answer for them."))
    if not text.strip():
        raise ValidationError({"text": [_("The answer is empty.")]})
    with transaction.atomic():
        answer = CommitmentAnswer.objects.create(commitment=commitment, party=party_of(actor),
                                                 author=actor, text=text.strip())
        audit_append(actor=actor, action="commitment.answer", obj=commitment,
                     after={"party": party_of(actor).slug, "answer": answer.text})
    return answer


def _communique_body(round: Round) -> str:
    agreed = AgendaItem.objects.filter(rounds=round, status=AgendaItem.Status.AGREED)
    in_principle = AgendaItem.objects.filter(rounds=round,
                                             status=AgendaItem.Status.AGREED_IN_PRINCIPLE)
    lines = [_("The parties met at %(venue)s on %(date)s.")
             % {"venue": round.venue or "—", "date": round.date.isoformat()}]
    if agreed:
        lines += ["", _("Agreed:")] + [f"- {item.title}" for item in agreed]
    if in_principle:
        lines += ["", _("Agreed in principle:")] + [f"- {item.title}" for item in in_principle]
    if not agreed and not in_principle:
        lines += ["", _("The talks continue.")]
    return "\n".join(lines)


def communique_draft(*, actor: User, round: Round) -> Communique:
    """The secretariat drafts (or redrafts) the round's communiqué from the agreed items."""
    require_secretariat(actor)
    with transaction.atomic():
        communique = Communique.objects.select_for_update().filter(round=round).first()
        if communique is not None and communique.status == Communique.Status.PUBLISHED:
            raise ValidationError({"body": [_("The communiqué is published.")]})
        body = _communique_body(round)
        if communique is None:
            communique = Communique.objects.create(round=round, body=body, drafted_by=actor)
        else:
            communique.body = body
            communique.save(update_fields=["body"])
        audit_append(actor=actor, action="communique.draft", obj=communique,
                     after={"round": round.pk, "body": body})
    return communique


def communique_update(*, actor: User, communique: Communique, body: str) -> Communique:
    require_secretariat(actor)
    if communique.status == Communique.Status.PUBLISHED:
        raise ValidationError({"body": [_("The communiqué is published.")]})
    if not body.strip():
        raise ValidationError({"body": [_("The communiqué is empty.")]})
    with transaction.atomic():
        before = communique.body
        communique.body = body.strip()
        communique.save(update_fields=["body"])
        audit_append(actor=actor, action="communique.update", obj=communique,
                     before={"body": before}, after={"body": communique.body})
    return communique


def communique_publish(*, actor: User, communique: Communique) -> Communique:
    require_secretariat(actor)
    with transaction.atomic():
        communique = Communique.objects.select_for_update().get(pk=communique.pk)
        if communique.status == Communique.Status.PUBLISHED:
            raise ValidationError({"body": [_("The communiqué is published.")]})
        communique.status = Communique.Status.PUBLISHED
        communique.published_at = timezone.now()
        communique.save(update_fields=["status", "published_at"])
        audit_append(actor=actor, action="communique.publish", obj=communique,
                     after={"round": communique.round_id, "body": communique.body})
    return communique
