"""References: random ones (HP-2026-7K3QM) for kinds some readers may not see, numbered ones
(ICRC-S001, HZ-0001) for kinds every reader sees whole.

A numbered sequence tells every reader how many objects of the kind exist: the gaps a reader
sees are the objects hidden from it. So agreements, movements and events, which need-to-know
hides from some readers, get `random_reference` (docs/security.md, "References and codes");
sites and hazards, which every party at the table sees from the moment they are reported, keep
`next_reference`. Inside `sequential_references()` (the demo, whose codes tours and tests name)
`random_reference` numbers as `next_reference` does.

Numbered references are handed out once each, also when two requests ask at the same moment.

A counter row per prefix is locked with `select_for_update` while the number is taken; the lock
lasts until the caller's transaction ends, so the second request waits and takes the next
number. A prefix met for the first time starts after the highest number already stored under
it (references made before the counter existed, or typed by hand). Call inside the transaction
that saves the object: if it rolls back, the number is not used up.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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


# Digits and capitals that are not read as one another (no 0/O, 1/I/L, U/V): 29 symbols, so
# five of them give 20 million references per prefix.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
RANDOM_LENGTH = 5
RANDOM_ATTEMPTS = 10

_sequential: ContextVar[bool] = ContextVar("parley_sequential_references", default=False)


@contextmanager
def sequential_references() -> Iterator[None]:
    """Number `random_reference`s in sequence while inside (the demo's stable codes)."""
    token = _sequential.set(True)
    try:
        yield
    finally:
        _sequential.reset(token)


def random_reference(*, prefix: str, width: int, model: type[models.Model], field: str) -> str:
    """A free reference `prefix` + five symbols of `ALPHABET` drawn at random, which says
    nothing of how many objects of the kind exist; numbered as `next_reference` inside
    `sequential_references()`. The field's unique constraint stays the last word: a caller
    that loses a race for the same draw retries (one chance in 20 million)."""
    if _sequential.get():
        return next_reference(prefix=prefix, width=width, model=model, field=field)
    manager = model._default_manager
    for _attempt in range(RANDOM_ATTEMPTS):
        drawn = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
        if drawn.isdigit():
            continue  # never mistaken for (or counted as) a numbered reference
        candidate = prefix + drawn
        if not manager.filter(**{field: candidate}).exists():
            return candidate
    raise RuntimeError(f"no free random reference under {prefix!r}")  # pragma: no cover
