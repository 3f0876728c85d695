"""Acknowledgements: who must acknowledge, deadlines, what is overdue or held, the dashboard's
panel, latency and the mission summary.
"""

import datetime
import statistics
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Max
from django.utils import timezone

from parley.access import rules
from parley.access.models import (
    Acknowledgement,
    Movement,
    MovementVersion,
)
from parley.access.selectors.movements import access_terms_of, visible_movements
from parley.core.models import Party
from parley.core.rules import is_secretariat
from parley.core.types import Actor, party_of
from parley.engines import bounds


def acknowledgements_of(version: MovementVersion | None) -> list[Acknowledgement]:
    if version is None:
        return []
    return sorted(version.acknowledgements.all(), key=lambda ack: ack.at)


def acknowledging_party_ids(version: MovementVersion | None) -> set[int]:
    return {ack.party_id for ack in acknowledgements_of(version)}


def crossed_parties(movement: Movement, version: MovementVersion | None = None) -> list[Party]:
    """The parties whose areas the route of `version` (the current one by default) crosses,
    each of which acknowledges receipt of it."""
    version = version or movement.current_version
    if version is None:
        return []
    return sorted(version.crossed_parties.all(), key=lambda party: party.slug)


def parties_yet_to_acknowledge(movement: Movement) -> list[Party]:
    done = acknowledging_party_ids(movement.current_version)
    return [party for party in crossed_parties(movement) if party.pk not in done]


def acknowledgement_deadline(movement: Movement, version: MovementVersion | None = None
                             ) -> datetime.datetime | None:
    version = version or movement.current_version
    if version is None or version.released_at is None:
        return None
    # Never trusted on read: a stored deadline outside its range reads as the range's end, and
    # the sum stays inside the supported span of dates.
    hours = bounds.clamp("ack_deadline_h", access_terms_of(movement.agreement).ack_deadline_h,
                         default=24)
    return bounds.shift(version.released_at, datetime.timedelta(hours=hours))


def awaiting_my_acknowledgement(*, actor: Actor) -> list[Movement]:
    """Open notifications whose current version the actor's party has not acknowledged."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return []
    if party_of(actor).kind != Party.Kind.BELLIGERENT:
        return []
    candidates = visible_movements(actor=actor).filter(status=Movement.Status.NOTIFIED)
    return [
        movement for movement in candidates.order_by("created_at", "reference")
        if actor.party_id not in acknowledging_party_ids(movement.current_version)
    ]


@dataclass(frozen=True)
class Overdue:
    movement: Movement
    party: Party
    deadline: datetime.datetime


def overdue_acknowledgements(
    *, actor: Actor, now: datetime.datetime | None = None,
) -> list[Overdue]:
    """Missed deadlines, derived: a bound party has not acknowledged the current version of an
    open notification in time. Escalated to the secretariat; the organisation sees its own."""
    now = now or timezone.now()
    overdue: list[Overdue] = []
    for movement in visible_movements(actor=actor).filter(status=Movement.Status.NOTIFIED):
        if not (is_secretariat(actor) or rules.is_organisation_member(actor, movement)):
            continue
        deadline = acknowledgement_deadline(movement)
        if deadline is None or deadline > now:
            continue
        overdue.extend(Overdue(movement, party, deadline)
                       for party in parties_yet_to_acknowledge(movement))
    overdue.sort(key=lambda item: (item.deadline, item.movement.reference, item.party.slug))
    return overdue


def open_movements_of_my_organisation(*, actor: Actor) -> list[Movement]:
    """The actor's organisation's movements that are notified, acknowledged or under way."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return []
    return list(visible_movements(actor=actor)
                .filter(organisation_id=actor.party_id, status__in=rules.OPEN)
                .order_by("created_at", "reference"))


@dataclass(frozen=True)
class AccessPanel:
    """What the main dashboard shows of humanitarian access, by the actor's part in it: a
    belligerent party what awaits its acknowledgement, the secretariat the missed deadlines and
    held notifications, an organisation its own open movements; the others nothing."""

    PARTY = "party"
    SECRETARIAT = "secretariat"
    ORGANISATION = "organisation"

    part: str
    awaiting: list[Movement] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)
    held: list[Movement] = field(default_factory=list)
    open: list[Movement] = field(default_factory=list)


def access_panel(*, actor: Actor, now: datetime.datetime | None = None) -> AccessPanel | None:
    """None for an actor with no part in humanitarian access (monitors, observers)."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return None
    if is_secretariat(actor):
        return AccessPanel(AccessPanel.SECRETARIAT,
                           overdue=overdue_acknowledgements(actor=actor, now=now),
                           held=held_movements(actor=actor))
    if party_of(actor).kind == Party.Kind.BELLIGERENT:
        return AccessPanel(AccessPanel.PARTY, awaiting=awaiting_my_acknowledgement(actor=actor))
    if party_of(actor).kind == Party.Kind.HUMANITARIAN:
        return AccessPanel(AccessPanel.ORGANISATION,
                           open=open_movements_of_my_organisation(actor=actor))
    return None


@dataclass(frozen=True)
class Latency:
    """How fast one party acknowledges: over every released version it was asked about."""

    party: Party
    acknowledged: int
    median: datetime.timedelta | None
    p90: datetime.timedelta | None
    missed: int


def acknowledgement_latency(*, actor: Actor, now: datetime.datetime | None = None) -> list[Latency]:
    """Per bound party: median and 90th percentile (linear interpolation) of the time from
    release to acknowledgement, and how many deadlines it missed (acknowledged late, or not
    at all by a deadline that has passed while the version was current). The secretariat sees
    every party; a belligerent party its own row only, over the versions it was addressed on
    (released to it across its areas); anyone else an empty list. Page and API read this."""
    party = getattr(actor, "party", None) if getattr(actor, "is_authenticated", False) else None
    if rules.can_see_access_statistics(actor):
        only: int | None = None
        versions = MovementVersion.objects.filter(movement__in=visible_movements(actor=actor)
                                                  .exclude(status=Movement.Status.HELD))
    elif party is not None and party.kind == Party.Kind.BELLIGERENT:
        only = party.pk
        versions = MovementVersion.objects.filter(crossed_parties=only,
                                                  released_at__isnull=False) \
            .exclude(movement__status=Movement.Status.HELD)
    else:
        return []
    now = now or timezone.now()
    seconds: dict[int, list[float]] = {}
    missed: dict[int, int] = {}
    parties: dict[int, Party] = {}
    versions = versions.select_related("movement__agreement__access_terms").prefetch_related(
        "crossed_parties", "acknowledgements").order_by("movement_id", "number")
    latest = dict(MovementVersion.objects.filter(movement__in=versions.values("movement_id"))
                  .values("movement_id").annotate(number=Max("number"))
                  .values_list("movement_id", "number"))
    for version in versions:
        movement = version.movement
        crossed = [party for party in crossed_parties(movement, version)
                   if only is None or party.pk == only]
        for party in crossed:
            parties[party.pk] = party
            seconds.setdefault(party.pk, [])
            missed.setdefault(party.pk, 0)
        if version.released_at is None:
            continue
        deadline = acknowledgement_deadline(movement, version)
        if deadline is None:  # not reached: a released version always has a deadline
            raise ValueError(f"version {version.pk} is released but has no deadline")
        acks = {ack.party_id: ack for ack in version.acknowledgements.all()}
        for party in crossed:
            ack = acks.get(party.pk)
            if ack is not None:
                seconds[party.pk].append((ack.at - version.released_at).total_seconds())
                missed[party.pk] += ack.at > deadline
            elif version.number == latest.get(movement.pk) and deadline <= now and \
                    movement.status == Movement.Status.NOTIFIED:
                missed[party.pk] += 1
    stats = []
    for pk, party in sorted(parties.items(), key=lambda item: item[1].slug):
        values = seconds[pk]
        stats.append(Latency(
            party=party,
            acknowledged=len(values),
            median=datetime.timedelta(seconds=statistics.median(values)) if values else None,
            p90=datetime.timedelta(seconds=float(np.percentile(values, 90))) if values else None,
            missed=missed[pk],
        ))
    return stats


@dataclass(frozen=True)
class MissionSummary:
    facilitated: int = 0
    impeded: int = 0
    denied: int = 0
    cancelled: int = 0
    withdrawn: int = 0
    open: int = 0
    held: int = 0
    by_status: dict = field(default_factory=dict)


def mission_summary(*, actor: Actor) -> MissionSummary:
    """How many missions were facilitated (completed), impeded or denied, and the rest."""
    counts: dict[str, int] = {}
    for status in visible_movements(actor=actor).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return MissionSummary(
        facilitated=counts.get(Movement.Status.COMPLETED, 0),
        impeded=counts.get(Movement.Status.IMPEDED, 0),
        denied=counts.get(Movement.Status.DENIED, 0),
        cancelled=counts.get(Movement.Status.CANCELLED, 0),
        withdrawn=counts.get(Movement.Status.WITHDRAWN, 0),
        open=sum(counts.get(status, 0) for status in rules.OPEN),
        held=counts.get(Movement.Status.HELD, 0),
        by_status=counts,
    )


def held_movements(*, actor: Actor) -> list[Movement]:
    """Notifications stopped by blocking findings, waiting for the secretariat's decision."""
    return list(visible_movements(actor=actor).filter(status=Movement.Status.HELD)
                .order_by("created_at", "reference"))
