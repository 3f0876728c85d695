"""Reads of movements: what an actor may see (the need-to-know rule in one place), lists, versions,
check-ins.
"""


from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from parley.access import rules
from parley.access.models import (
    AccessTerms,
    Acknowledgement,
    CheckIn,
    CoordinateAccessLog,
    Movement,
    MovementVersion,
)
from parley.agreements.models import Agreement
from parley.agreements.selectors import agreement_phase, visible_agreements
from parley.core.errors import NotFound
from parley.core.models import Party
from parley.core.rules import is_secretariat
from parley.core.types import Actor, party_of


def visible_movements(*, actor: Actor) -> QuerySet[Movement]:
    """The need-to-know rule of `rules.can_view_movement`, as one query."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return Movement.objects.none()
    if is_secretariat(actor):
        seen = Q()
    else:
        seen = Q(organisation_id=actor.party_id)
        if party_of(actor).kind == Party.Kind.BELLIGERENT:
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


def movement_get(*, actor: Actor, reference: str) -> Movement:
    try:
        return visible_movements(actor=actor).get(reference=reference)
    except Movement.DoesNotExist as exc:
        raise NotFound(reference) from exc


def movement_list(*, actor: Actor, status: str | None = None, agreement: str | None = None
                  ) -> list[Movement]:
    movements = visible_movements(actor=actor)
    if status is not None:
        movements = movements.filter(status=status)
    if agreement is not None:
        movements = movements.filter(agreement__code=agreement)
    return list(movements.order_by("-created_at", "reference"))


def movement_versions(*, actor: Actor, movement: Movement) -> list[MovementVersion]:
    """Every version for the organisation and the secretariat; for a party, the versions it
    was addressed on: released to it with a route across its areas (an earlier route elsewhere
    was none of its business, nor anyone's receipt of it)."""
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    versions = sorted(movement.versions.all(), key=lambda version: version.number)
    if is_secretariat(actor) or rules.is_organisation_member(actor, movement):
        return versions
    return [version for version in versions if version.released_at is not None
            and actor.party_id in {party.pk for party in version.crossed_parties.all()}]


def check_ins_of(*, actor: Actor, movement: Movement) -> list[CheckIn]:
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    return list(CheckIn.objects.filter(movement=movement).select_related("user")
                .order_by("at", "id"))


def coordinate_views(*, actor: Actor, movement: Movement) -> list[CoordinateAccessLog]:
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


def agreements_for_movements(*, actor: Actor) -> list[Agreement]:
    """Agreed pauses and ceasefires a movement can be notified under: not yet over."""
    now = timezone.now()
    return [
        agreement
        for agreement in visible_agreements(actor=actor).filter(status=Agreement.Status.AGREED)
        .order_by("code")
        if agreement_phase(agreement, now) in ("agreed", "in_force", "active")
    ]


def access_terms_list(*, actor: Actor) -> list[tuple[Agreement, AccessTerms]]:
    """The agreements whose access terms the actor sets, with their terms; nobody else's."""
    if not rules.can_set_access_terms(actor):
        return []
    return [(agreement, access_terms_of(agreement))
            for agreement in agreements_for_movements(actor=actor)]
