"""Every read of humanitarian access. Each takes the actor and returns only what the actor may
see; "may not see" and "does not exist" are the same `NotFound`."""

import datetime
import statistics
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from parley.access import rules
from parley.access.checks import hazard_feature, movement_feature, version_content
from parley.access.models import (
    AccessTerms,
    Acknowledgement,
    CheckIn,
    CoordinateAccessLog,
    Hazard,
    Movement,
    MovementVersion,
    Notification,
    Site,
    Webhook,
    WebhookDelivery,
)
from parley.agreements.models import Agreement
from parley.agreements.selectors import agreement_phase, visible_agreements
from parley.audit.selectors import audit_trail_for
from parley.core.errors import NotFound
from parley.core.models import Party
from parley.core.rules import is_secretariat


def visible_movements(*, actor) -> QuerySet[Movement]:
    """The need-to-know rule of `rules.can_view_movement`, as one query."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return Movement.objects.none()
    if is_secretariat(actor):
        seen = Q()
    else:
        seen = Q(organisation_id=actor.party_id)
        if actor.party.kind == Party.Kind.BELLIGERENT:
            later = MovementVersion.objects.filter(movement=OuterRef("movement"),
                                                   number__gt=OuterRef("number"))
            crossing_me = MovementVersion.objects.filter(crossed_parties=actor.party) \
                .exclude(Exists(later)).values("movement_id")
            seen |= Q(pk__in=crossing_me) & ~Q(status=Movement.Status.HELD)
    ids = Movement.objects.filter(seen).values("pk")
    return (
        Movement.objects.filter(pk__in=ids)
        .select_related("organisation", "agreement", "agreement__process", "created_by")
        .prefetch_related(
            "agreement__bound_parties",
            Prefetch(
                "versions",
                queryset=MovementVersion.objects.select_related(
                    "created_by", "overridden_by"
                ).prefetch_related(
                    "crossed_parties",
                    Prefetch("acknowledgements",
                             queryset=Acknowledgement.objects.select_related("party", "user"))
                ),
            ),
        )
    )


def movement_get(*, actor, reference: str) -> Movement:
    try:
        return visible_movements(actor=actor).get(reference=reference)
    except Movement.DoesNotExist as exc:
        raise NotFound(reference) from exc


def movement_list(*, actor, status: str | None = None, agreement: str | None = None
                  ) -> list[Movement]:
    movements = visible_movements(actor=actor)
    if status is not None:
        movements = movements.filter(status=status)
    if agreement is not None:
        movements = movements.filter(agreement__code=agreement)
    return list(movements.order_by("-created_at", "reference"))


def movement_versions(*, actor, movement: Movement) -> list[MovementVersion]:
    """Every version for the organisation and the secretariat; for a party, the versions whose
    route crossed its areas (an earlier route elsewhere was none of its business)."""
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    versions = sorted(movement.versions.all(), key=lambda version: version.number)
    if is_secretariat(actor) or rules.is_organisation_member(actor, movement):
        return versions
    return [version for version in versions
            if actor.party_id in {party.pk for party in version.crossed_parties.all()}]


def check_ins_of(*, actor, movement: Movement) -> list[CheckIn]:
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    return list(CheckIn.objects.filter(movement=movement).select_related("user")
                .order_by("at", "id"))


def coordinate_views(*, actor, movement: Movement) -> list[CoordinateAccessLog]:
    """The log of who looked at the coordinates: for the organisation and the secretariat."""
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    if not rules.can_see_coordinate_log(actor, movement):
        return []
    return list(movement.coordinate_views.select_related("user", "party").order_by("-at", "-id"))


def access_terms_of(agreement: Agreement) -> AccessTerms:
    """The agreement's access terms; the defaults (24 h, no limits) when none were set."""
    try:
        return agreement.access_terms
    except AccessTerms.DoesNotExist:
        return AccessTerms(agreement=agreement)


def agreements_for_movements(*, actor) -> list[Agreement]:
    """Agreed pauses and ceasefires a movement can be notified under: not yet over."""
    now = timezone.now()
    return [
        agreement
        for agreement in visible_agreements(actor=actor).filter(status=Agreement.Status.AGREED)
        .order_by("code")
        if agreement_phase(agreement, now) in ("agreed", "in_force", "active")
    ]


# -- acknowledgements -------------------------------------------------------------------------


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
    hours = access_terms_of(movement.agreement).ack_deadline_h
    return version.released_at + datetime.timedelta(hours=hours)


def awaiting_my_acknowledgement(*, actor) -> list[Movement]:
    """Open notifications whose current version the actor's party has not acknowledged."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return []
    if actor.party.kind != Party.Kind.BELLIGERENT:
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


def overdue_acknowledgements(*, actor, now: datetime.datetime | None = None) -> list[Overdue]:
    """Missed deadlines, derived: a bound party has not acknowledged the current version of an
    open notification in time. Escalated to the secretariat; the organisation sees its own."""
    now = now or timezone.now()
    overdue = []
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


def open_movements_of_my_organisation(*, actor) -> list[Movement]:
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


def access_panel(*, actor, now: datetime.datetime | None = None) -> AccessPanel | None:
    """None for an actor with no part in humanitarian access (monitors, observers)."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return None
    if is_secretariat(actor):
        return AccessPanel(AccessPanel.SECRETARIAT,
                           overdue=overdue_acknowledgements(actor=actor, now=now),
                           held=held_movements(actor=actor))
    if actor.party.kind == Party.Kind.BELLIGERENT:
        return AccessPanel(AccessPanel.PARTY, awaiting=awaiting_my_acknowledgement(actor=actor))
    if actor.party.kind == Party.Kind.HUMANITARIAN:
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


def acknowledgement_latency(*, actor, now: datetime.datetime | None = None) -> list[Latency]:
    """Per bound party: median and 90th percentile (linear interpolation) of the time from
    release to acknowledgement, and how many deadlines it missed (acknowledged late, or not
    at all by a deadline that has passed while the version was current)."""
    now = now or timezone.now()
    seconds: dict[int, list[float]] = {}
    missed: dict[int, int] = {}
    parties: dict[int, Party] = {}
    for movement in visible_movements(actor=actor).exclude(status=Movement.Status.HELD):
        current = movement.current_version
        for version in movement.versions.all():
            for party in crossed_parties(movement, version):
                parties[party.pk] = party
                seconds.setdefault(party.pk, [])
                missed.setdefault(party.pk, 0)
            if version.released_at is None:
                continue
            deadline = acknowledgement_deadline(movement, version)
            acks = {ack.party_id: ack for ack in version.acknowledgements.all()}
            for party in crossed_parties(movement, version):
                ack = acks.get(party.pk)
                if ack is not None:
                    seconds[party.pk].append((ack.at - version.released_at).total_seconds())
                    missed[party.pk] += ack.at > deadline
                elif version == current and deadline <= now and \
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


def mission_summary(*, actor) -> MissionSummary:
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


def held_movements(*, actor) -> list[Movement]:
    """Notifications stopped by blocking findings, waiting for the secretariat's decision."""
    return list(visible_movements(actor=actor).filter(status=Movement.Status.HELD)
                .order_by("created_at", "reference"))


# -- versions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: object
    after: object


def movement_version_diff(old: MovementVersion, new: MovementVersion) -> list[FieldChange]:
    """What an amendment changed, field by field (route and schedule compared as wholes)."""
    names = ("route", "times", "depart", "speed_kmh", "crossings", "vehicles", "personnel",
             "cargo", "note")
    return [
        FieldChange(name, getattr(old, name), getattr(new, name))
        for name in names
        if getattr(old, name) != getattr(new, name)
    ]


def movement_geojson(movement: Movement, version: MovementVersion | None = None) -> dict:
    """FORMATS §5: the movement as a GeoJSON Feature with its route and schedule."""
    version = version or movement.current_version
    feature = movement_feature(
        reference=movement.reference, organisation=movement.organisation.slug,
        agreement=movement.agreement.code, purpose=movement.purpose,
        content=version_content(version),
    )
    feature["properties"].update({"status": movement.status, "version": version.number,
                                  "crossings": version.crossings})
    return feature


# -- sites ------------------------------------------------------------------------------------


def visible_sites(*, actor) -> QuerySet[Site]:
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return Site.objects.none()
    seen = Q(status=Site.Status.ACTIVE)
    if is_secretariat(actor):
        seen = Q()
    else:
        seen |= Q(organisation_id=actor.party_id)
    return Site.objects.filter(seen).select_related("organisation")


def site_list(*, actor) -> list[Site]:
    return list(visible_sites(actor=actor).order_by("reference"))


def site_get(*, actor, reference: str) -> Site:
    try:
        return visible_sites(actor=actor).get(reference=reference)
    except Site.DoesNotExist as exc:
        raise NotFound(reference) from exc


def sites_geojson(sites: list[Site]) -> dict:
    """Sites as areas (FORMATS §2: a Point of kind site, width_m the protective diameter)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": site.reference,
         "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
         "properties": {"kind": "site", "width_m": site.radius_m * 2, "name": site.name,
                        "site_kind": site.kind, "organisation": site.organisation.slug,
                        "status": site.status}}
        for site in sites
    ]}


# -- what the pages offer ---------------------------------------------------------------------

_ACTIONS = {
    "amend": (rules.can_amend_movement, rules.BEFORE_DEPARTURE),
    "withdraw": (rules.can_withdraw_movement, rules.BEFORE_DEPARTURE),
    "override": (rules.can_override_movement, {Movement.Status.HELD}),
    "acknowledge": (rules.can_acknowledge_movement, {Movement.Status.NOTIFIED}),
    "check_in": (rules.can_check_in_movement, rules.OPEN),
    "complete": (rules.can_complete_movement, rules.OPEN),
    "impede": (rules.can_impede_movement, rules.OPEN),
    "deny": (rules.can_deny_movement, {Movement.Status.NOTIFIED, Movement.Status.ACKNOWLEDGED}),
    "cancel": (rules.can_cancel_movement, rules.OPEN | {Movement.Status.HELD}),
}


def available_actions(actor, movement: Movement) -> dict[str, bool]:
    """Which buttons to show; the services still decide, with the same predicates."""
    actions = {
        name: movement.status in statuses and bool(predicate(actor, movement))
        for name, (predicate, statuses) in _ACTIONS.items()
    }
    if actions["acknowledge"]:
        actions["acknowledge"] = actor.party_id not in acknowledging_party_ids(
            movement.current_version)
    return actions


def movement_audit_trail(*, actor, movement: Movement):
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    return audit_trail_for(obj=movement)


def site_audit_trail(*, actor, site: Site):
    if not rules.can_view_site(actor, site):
        raise NotFound(site.reference)
    return audit_trail_for(obj=site)


def notifications_of(*, actor, limit: int = 10) -> list[Notification]:
    """The actor's own latest notifications, newest first."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(Notification.objects.filter(user=actor).select_related("movement", "site")
                .order_by("-created_at", "-id")[:limit])


def webhook_list(*, actor) -> list[Webhook]:
    """Webhooks of the actor's own party."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return []
    return list(Webhook.objects.filter(party_id=actor.party_id).order_by("created_at"))


def webhook_deliveries(*, actor, webhook_id: int, limit: int = 50) -> list[WebhookDelivery]:
    webhook = Webhook.objects.filter(pk=webhook_id, party_id=actor.party_id).first() \
        if getattr(actor, "is_authenticated", False) and actor.party_id else None
    if webhook is None:
        raise NotFound(str(webhook_id))
    return list(webhook.deliveries.order_by("-created_at", "-id")[:limit])


def hazard_list(*, actor) -> list[Hazard]:
    """Active hazards: safety information for every party at the table."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return []
    return list(Hazard.objects.filter(active=True).order_by("reference"))


def hazard_get(*, actor, reference: str) -> Hazard:
    hazard = None
    if getattr(actor, "is_authenticated", False) and actor.party_id is not None:
        hazard = Hazard.objects.filter(active=True, reference=reference).first()
    if hazard is None:
        raise NotFound(reference)
    return hazard


def hazards_geojson(hazards: list[Hazard]) -> dict:
    """The hazards as `parley deconflict check --hazards` reads them."""
    return {"type": "FeatureCollection",
            "features": [hazard_feature(hazard) for hazard in hazards]}
