"""The single way to write the audit log."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from parley.audit.models import AuditEntry


def audit_append(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry. Call inside the service's transaction so that both land or neither."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        party=getattr(actor, "party", None),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        note=note,
    )
