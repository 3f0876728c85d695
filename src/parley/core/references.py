"""Reference numbers (HP-2026-001, EV-2026-0001, ICRC-2026-001, ICRC-S001, HZ-0001), handed out
once each, also when two requests ask at the same moment.

A counter row per prefix is locked with `select_for_update` while the number is taken; the lock
lasts until the caller's transaction ends, so the second request waits and takes the next
number. A prefix met for the first time starts after the highest number already stored under
it (references made before the counter existed, or typed by hand). Call inside the transaction
that saves the object: if it rolls back, the number is not used up.
"""

from django.db import IntegrityError, models, transaction

from parley.core.models import ReferenceCounter


def _highest_stored(model: type[models.Model], field: str, prefix: str) -> int:
    numbers = [
        int(value[len(prefix):])
        for value in model._default_manager.filter(**{f"{field}__startswith": prefix})
        .values_list(field, flat=True)
        if value[len(prefix):].isdigit()
    ]
    return max(numbers, default=0)


def _counter(key: str, model: type[models.Model], field: str) -> ReferenceCounter:
    found = ReferenceCounter.objects.select_for_update().filter(key=key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            ReferenceCounter.objects.create(key=key, last=_highest_stored(model, field, key))
    except IntegrityError:
        pass  # another request created it first; take its row (and wait for its lock)
    return ReferenceCounter.objects.select_for_update().get(key=key)


def next_reference(*, prefix: str, width: int, model: type[models.Model], field: str) -> str:
    """The next free reference `prefix` + number padded to `width` digits, for `model.field`."""
    with transaction.atomic():
        counter = _counter(prefix, model, field)
        counter.last += 1
        counter.save(update_fields=["last"])
        return f"{prefix}{counter.last:0{width}d}"
