"""The events list with its filters: status, agreement, area, a party bound by the agreement,
a reference, and a time range given as instants (the page turns days on the reader's clock into
them)."""

from dataclasses import dataclass
from datetime import datetime

from parley.agreements.selectors import visible_agreements
from parley.core.types import Actor
from parley.monitoring.models import Classification, Event
from parley.monitoring.selectors.events import event_list


@dataclass(frozen=True)
class EventQuery:
    status: str = ""
    agreement: str = ""
    area: str = ""
    party_id: int | None = None
    text: str = ""
    since: datetime | None = None
    until: datetime | None = None


def event_search(*, actor: Actor, query: EventQuery) -> list[Event]:
    """Visible events (`event_list`, never more), newest first, narrowed by `query`: the party
    keeps events that fell, while a window was open, in an area of a visible agreement that
    binds the party; the range keeps events that began in `[since, until)`."""
    events = event_list(
        actor=actor,
        status=query.status or None,
        agreement=query.agreement or None,
        area=query.area or None,
    )
    text = query.text.strip().upper()
    if text:
        events = [event for event in events if text in event.reference.upper()]
    if query.since is not None:
        events = [event for event in events if event.time_start >= query.since]
    if query.until is not None:
        events = [event for event in events if event.time_start < query.until]
    if query.party_id is not None:
        placed = set(
            Classification.objects.filter(
                in_window=True,
                agreement__in=visible_agreements(actor=actor).values("pk"),
                agreement__bound_parties=query.party_id,
                incident__event__isnull=False,
            ).values_list("incident__event_id", flat=True)
        )
        events = [event for event in events if event.pk in placed]
    return events
