"""A status transition, written once: lock the row, check who asks, require a status, set it (and
the fields that go with it), save, append the audit entry, all in one transaction.

Agreements, movements and hazards use it; each passes its own wording and audit snapshot.
"""

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise

from parley.audit.services import audit_append


def lock[M: models.Model](obj: M, *, related: tuple[str, ...] = ()) -> M:
    """The row again, locked until the transaction ends (only the row itself: the related rows
    fetched with it stay unlocked, which PostgreSQL needs for nullable joins)."""
    queryset = type(obj)._default_manager.select_for_update(of=("self",))
    return queryset.select_related(*related).get(pk=obj.pk)


def require_status(obj: Any, allowed: Collection[str], message: str | Promise) -> None:
    """`message` names the object and takes `%(status)s`, e.g. "Not possible while the movement
    is %(status)s." (a lazy translation, read in the active language here)."""
    if obj.status not in allowed:
        raise ValidationError({"status": [
            str(message) % {"status": obj.get_status_display().lower()}
        ]})


def transition[M: models.Model](
    *,
    actor: Any,
    obj: M,
    to: str,
    allowed: Collection[str],
    action: str,
    refused: str | Promise,
    state: Callable[[M], dict],
    check: Callable[[M], None] | None = None,
    fields: Mapping[str, Any] | None = None,
    note: str = "",
    related: tuple[str, ...] = (),
    then: Callable[[M], None] | None = None,
) -> M:
    """Move `obj` to status `to` from one of `allowed`.

    `check(locked)` raises `NotFound`/`Forbidden` for who asks (run on the locked row);
    `refused` is the message when the status does not allow it; `fields` are set with the
    status; `state(obj)` is the audit snapshot before and after; `then(obj)` runs last inside
    the transaction (e.g. enqueue notifications on commit).
    """
    fields = dict(fields or {})
    with transaction.atomic():
        obj = lock(obj, related=related)
        if check is not None:
            check(obj)
        require_status(obj, allowed, refused)
        before = state(obj)
        for name, value in {"status": to, **fields}.items():
            setattr(obj, name, value)
        obj.save(update_fields=["status", *fields, "updated_at"])
        audit_append(actor=actor, action=action, obj=obj, before=before, after=state(obj),
                     note=note)
        if then is not None:
            then(obj)
    return obj
