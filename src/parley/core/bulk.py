"""Several objects, one step each, all or nothing: the mechanics of a bulk action.

Each object goes through its own app's one-object service (which checks permission, validates,
saves and audits); the batch is one transaction, and any refusal, named per object, rolls back
all of it."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404


@dataclass(frozen=True)
class BulkOutcome:
    """The references changed (empty when anything was refused) and, per refused reference,
    why."""

    done: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)


def all_or_nothing[T](
    items: Iterable[tuple[str, T]], apply: Callable[[T], object], *,
    missing: str, forbidden: str,
) -> BulkOutcome:
    """`apply(item)` for each (reference, item), each in a savepoint inside one transaction;
    `missing` names a reference not found or not visible, `forbidden` a refusal without its own
    words. Any refusal rolls the whole batch back."""
    done: list[str] = []
    refused: dict[str, list[str]] = {}
    with transaction.atomic():
        for reference, item in items:
            try:
                with transaction.atomic():
                    apply(item)
            except Http404:
                refused[reference] = [missing]
            except PermissionDenied as error:
                refused[reference] = [str(error) or forbidden]
            except ValidationError as error:
                refused[reference] = list(error.messages)
            else:
                done.append(reference)
        if refused:
            transaction.set_rollback(True)
            done = []
    return BulkOutcome(done=done, refused=refused)
