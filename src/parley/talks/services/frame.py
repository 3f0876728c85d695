"""Writes to the talks frame; only the secretariat runs the process."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from parley.audit.services import audit_append
from parley.core.errors import Forbidden
from parley.core.models import Party, User
from parley.core.types import Actor
from parley.core.validation import add_error, raise_if
from parley.talks.models import Attendance, Delegation, Process, Round, Session
from parley.talks.rules import can_manage_talks


def require_secretariat(actor: Actor) -> None:
    if not can_manage_talks(actor):
        raise Forbidden(_("Only the secretariat runs the talks."))


def process_create(
    *, actor: User, name: str, host: Party, mediator: Party, description: str = ""
) -> Process:
    require_secretariat(actor)
    if mediator.kind != Party.Kind.MEDIATOR:
        raise ValidationError({"mediator": [_("The mediator must be a mediating party.")]})
    process = Process(name=name, host=host, mediator=mediator, description=description)
    process.full_clean()
    with transaction.atomic():
        process.save()
        audit_append(
            actor=actor,
            action="process.create",
            obj=process,
            after={"name": name, "host": host.slug, "mediator": mediator.slug},
        )
    return process


def round_create(
    *,
    actor: User,
    process: Process,
    name: str,
    date: datetime.date,
    venue: str = "",
    format: str = Round.Format.PLENARY,
) -> Round:
    require_secretariat(actor)
    round_ = Round(process=process, name=name, date=date, venue=venue, format=format)
    round_.full_clean()
    with transaction.atomic():
        round_.save()
        audit_append(
            actor=actor,
            action="round.create",
            obj=round_,
            after={"name": name, "date": date.isoformat(), "venue": venue, "format": format},
        )
    return round_


def _delegation_snapshot(delegation: Delegation | None) -> dict | None:
    if delegation is None:
        return None
    return {
        "head": delegation.head.username if delegation.head is not None else None,
        "members": sorted(member.username for member in delegation.members.all()),
    }


def delegation_set(
    *,
    actor: User,
    round: Round,
    party: Party,
    head: User | None,
    members: Sequence[User] = (),
) -> Delegation:
    """Create or replace the party's delegation at a round."""
    require_secretariat(actor)
    everyone = [*([head] if head else []), *members]
    strangers = sorted(user.username for user in everyone if user.party_id != party.pk)
    if strangers:
        raise ValidationError(
            {
                "members": [
                    ngettext(
                        "%(users)s does not belong to %(party)s.",
                        "%(users)s do not belong to %(party)s.",
                        len(strangers),
                    )
                    % {"users": ", ".join(strangers), "party": party.name}
                ]
            }
        )
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update().filter(round=round, party=party).first()
        )
        before = _delegation_snapshot(delegation)
        if delegation is None:
            delegation = Delegation(round=round, party=party)
        delegation.head = head
        delegation.save()
        delegation.members.set(everyone)
        audit_append(
            actor=actor,
            action="delegation.set",
            obj=delegation,
            before=before,
            after=_delegation_snapshot(delegation),
        )
    return delegation


def session_create(
    *,
    actor: User,
    round: Round,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    venue: str = "",
    attendance: dict[Party, list[User]] | None = None,
) -> Session:
    """A sitting of the round, with the delegations (and which of their members) in the room."""
    require_secretariat(actor)
    errors: dict = {}
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        add_error(errors, "starts_at", _("Give the time with its zone."))
    elif ends_at <= starts_at:
        add_error(errors, "ends_at", _("A session ends after it starts."))
    for party, members in (attendance or {}).items():
        strangers = sorted(user.username for user in members if user.party_id != party.pk)
        if strangers:
            add_error(errors, "attendance", _("%(users)s do not belong to %(party)s.")
                      % {"users": ", ".join(strangers), "party": party.name})
    raise_if(errors)
    session = Session(round=round, kind=kind, starts_at=starts_at, ends_at=ends_at,
                      venue=venue or round.venue)
    session.full_clean()
    with transaction.atomic():
        session.save()
        for party, members in (attendance or {}).items():
            present = Attendance.objects.create(session=session, party=party)
            present.members.set(members)
        audit_append(
            actor=actor, action="session.create", obj=session,
            after={"round": round.pk, "kind": kind, "starts_at": starts_at.isoformat(),
                   "ends_at": ends_at.isoformat(), "venue": session.venue,
                   "attendance": {party.slug: sorted(u.username for u in members)
                                  for party, members in (attendance or {}).items()}},
        )
    return session
