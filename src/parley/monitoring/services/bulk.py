"""Verification of several events in one go, as a monitor working through a queue expects: every
event through the one-event service function (`services.verification`), the whole batch in one
transaction, one audit entry per event. All or nothing: when one event cannot make the step,
none does, and the refusal is named per event so that the monitor can fix or unselect it."""

from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from parley.core.bulk import BulkOutcome, all_or_nothing
from parley.core.types import Actor
from parley.monitoring.models import Event
from parley.monitoring.services.verification import (
    event_dismiss,
    event_mark_unverifiable,
    event_start_review,
)

# The steps a batch may take. Confirming a violation stays one event at a time: it rests on the
# evidence of that event.
BULK_STEPS: dict[str, Callable[..., Event]] = {
    Event.Status.UNDER_REVIEW: event_start_review,
    Event.Status.DISMISSED: event_dismiss,
    Event.Status.UNVERIFIABLE: event_mark_unverifiable,
}
MAX_BULK_EVENTS = 200


def events_verify_bulk(
    *,
    actor: Actor,
    references: Sequence[str],
    to_status: str,
    reasoning: str = "",
) -> BulkOutcome:
    """Take every event of `references` to `to_status` (under review, dismissed,
    unverifiable) with the same reasoning, or none of them."""
    from parley.monitoring.selectors import event_get

    step = BULK_STEPS.get(to_status)
    if step is None:
        raise ValidationError({"action": [gettext("Choose what to do with the events.")]})
    wanted = list(dict.fromkeys(str(r).strip() for r in references if str(r).strip()))
    if not wanted:
        raise ValidationError({"events": [gettext("Select at least one event.")]})
    if len(wanted) > MAX_BULK_EVENTS:
        raise ValidationError(
            {
                "events": [
                    gettext("Select at most %(limit)d events at a time.")
                    % {"limit": MAX_BULK_EVENTS}
                ]
            }
        )
    def take_step(reference: str) -> None:
        step(actor=actor, event=event_get(actor=actor, reference=reference), reasoning=reasoning)

    return all_or_nothing(
        ((reference, reference) for reference in wanted), take_step,
        missing=gettext("No such event, or not one you may see."),
        forbidden=gettext("You may not verify events."))
