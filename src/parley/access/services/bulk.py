"""Acknowledging several notifications in one go, as a party's liaison working through what
awaits its receipt expects: every movement through the one-movement service function
(`movement_acknowledge`), the whole batch in one transaction, one audit entry per movement.
All or nothing: when one receipt is refused, none is recorded, and the refusal is named per
movement."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from parley.access.services.movements import movement_acknowledge
from parley.core.bulk import BulkOutcome, all_or_nothing
from parley.core.models import User

MAX_BULK_MOVEMENTS = 100


def movements_acknowledge_bulk(
    *,
    actor: User,
    receipts: Sequence[tuple[str, int]],
) -> BulkOutcome:
    """Acknowledge each `(reference, version read)` of `receipts`, or none of them."""
    from parley.access.selectors import movement_get

    wanted = list(dict.fromkeys(receipts))
    if not wanted:
        raise ValidationError({"movements": [gettext("Select at least one movement.")]})
    if len(wanted) > MAX_BULK_MOVEMENTS:
        raise ValidationError(
            {
                "movements": [
                    gettext("Select at most %(limit)d movements at a time.")
                    % {"limit": MAX_BULK_MOVEMENTS}
                ]
            }
        )
    def acknowledge(receipt: tuple[str, int]) -> None:
        reference, version = receipt
        movement_acknowledge(actor=actor, movement=movement_get(actor=actor, reference=reference),
                             version=version)

    return all_or_nothing(
        ((reference, (reference, version)) for reference, version in wanted), acknowledge,
        missing=gettext("No such movement, or not one you may see."),
        forbidden=gettext("You may not acknowledge it."))
