"""Acknowledging several notifications in one go, as a party's liaison working through what
awaits its receipt expects: every movement through the one-movement service function
(`movement_acknowledge`), the whole batch in one transaction, one audit entry per movement.
All or nothing: when one receipt is refused, none is recorded, and the refusal is named per
movement."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext

from parley.access.services.movements import movement_acknowledge
from parley.core.models import User

MAX_BULK_MOVEMENTS = 100


@dataclass(frozen=True)
class BulkOutcome:
    """The references acknowledged (none when any was refused) and, per reference, why."""

    done: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)


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
    done: list[str] = []
    refused: dict[str, list[str]] = {}
    with transaction.atomic():
        for reference, version in wanted:
            try:
                with transaction.atomic():
                    movement = movement_get(actor=actor, reference=reference)
                    movement_acknowledge(actor=actor, movement=movement, version=version)
            except Http404:
                refused[reference] = [gettext("No such movement, or not one you may see.")]
            except PermissionDenied as error:
                refused[reference] = [str(error) or gettext("You may not acknowledge it.")]
            except ValidationError as error:
                refused[reference] = list(error.messages)
            else:
                done.append(reference)
        if refused:
            transaction.set_rollback(True)
            done = []
    return BulkOutcome(done=done, refused=refused)
