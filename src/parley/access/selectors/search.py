"""The movements list with its filters: status, agreement, a party (the notifying organisation
or a party whose areas the route crosses), a reference, and a time range of the planned start
given as instants (the page turns days on the reader's clock into them)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from parley.access.models import Movement
from parley.access.selectors.movements import visible_movements
from parley.core.types import Actor


@dataclass(frozen=True)
class MovementQuery:
    status: str = ""
    agreement: str = ""
    party_id: int | None = None
    text: str = ""
    since: datetime | None = None
    until: datetime | None = None


def movement_search(*, actor: Actor, query: MovementQuery) -> list[Movement]:
    """Visible movements (`visible_movements`, never more), the latest notified first,
    narrowed by `query`; the range keeps movements whose current version starts in
    `[since, until)`."""
    movements = visible_movements(actor=actor)
    if query.status:
        movements = movements.filter(status=query.status)
    if query.agreement:
        movements = movements.filter(agreement__code=query.agreement)
    if query.text.strip():
        movements = movements.filter(reference__icontains=query.text.strip())
    if query.party_id is not None:
        movements = movements.filter(
            Q(organisation_id=query.party_id) | Q(versions__crossed_parties=query.party_id)
        ).distinct()
    found = list(movements.order_by("-created_at", "reference"))
    if query.since is None and query.until is None:
        return found

    def starts_in_range(movement: Movement) -> bool:
        version = movement.current_version
        if version is None:
            return False
        return (query.since is None or version.starts_at >= query.since) and (
            query.until is None or version.starts_at < query.until
        )

    return [movement for movement in found if starts_in_range(movement)]
