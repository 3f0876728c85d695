"""Hazards reported by the secretariat, and their clearing."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parley.access import checks, rules
from parley.access.models import (
    Hazard,
)
from parley.access.services.guards import _require_reason
from parley.audit.services import audit_append
from parley.core.errors import Forbidden
from parley.core.models import User
from parley.core.references import next_reference


def hazard_report(*, actor: User, kind: str, geometry: dict, note: str = "") -> Hazard:
    """A hazard reported by a monitor; from now on routes near it get a `near_hazard` warning."""
    if not rules.can_report_hazard(actor):
        raise Forbidden(_("Only a monitor or the secretariat reports hazards."))
    with transaction.atomic():
        reference = next_reference(prefix="HZ-", width=4, model=Hazard, field="reference")
        hazard = Hazard(reference=reference, kind=kind, geometry=geometry,
                        note=(note or "").strip(), reported_by=actor)
        checks.parse_hazard(checks.hazard_feature(hazard))
        hazard.save()
        audit_append(actor=actor, action="hazard.report", obj=hazard, before=None,
                     after={"kind": kind, "geometry": geometry, "note": hazard.note})
    return hazard


def hazard_clear(*, actor: User, hazard: Hazard, reason: str) -> Hazard:
    reason = _require_reason(reason)
    with transaction.atomic():
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if not rules.can_report_hazard(actor):
            raise Forbidden(_("Only a monitor or the secretariat clears hazards."))
        if not hazard.active:
            raise ValidationError({"status": [_("The hazard is already cleared.")]})
        hazard.active = False
        hazard.cleared_at = timezone.now()
        hazard.save(update_fields=["active", "cleared_at"])
        audit_append(actor=actor, action="hazard.clear", obj=hazard, before={"active": True},
                     after={"active": False}, note=reason)
    return hazard
