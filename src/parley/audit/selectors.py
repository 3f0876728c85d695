from django.db import models
from django.db.models import QuerySet

from parley.audit.models import AuditEntry


def audit_trail_for(*, obj: models.Model) -> QuerySet[AuditEntry]:
    """Entries about one object. The caller has already checked that the actor may see it."""
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor", "party")
