"""The grouping rule, set by the secretariat."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from parley.audit.services import audit_append
from parley.core.types import Actor
from parley.monitoring import rules
from parley.monitoring.models import (
    MonitoringSettings,
)
from parley.monitoring.services.common import _ensure, monitoring_settings


def monitoring_settings_update(*, actor: Actor, group_distance_m: int, group_minutes: int
                               ) -> MonitoringSettings:
    _ensure(rules.can_change_monitoring_settings, actor,
            message=gettext("Only the secretariat sets the grouping rule."))
    errors = {}
    if not isinstance(group_distance_m, int) or not 0 <= group_distance_m <= 100_000:
        errors["group_distance_m"] = [gettext("Give a whole number of metres, 0 to 100000.")]
    if not isinstance(group_minutes, int) or not 0 <= group_minutes <= 7 * 24 * 60:
        errors["group_minutes"] = [gettext("Give a whole number of minutes, 0 to 10080.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = MonitoringSettings.objects.select_for_update().get(pk=monitoring_settings().pk)
        before = {"group_distance_m": rule.group_distance_m, "group_minutes": rule.group_minutes}
        rule.group_distance_m, rule.group_minutes = group_distance_m, group_minutes
        rule.save(update_fields=["group_distance_m", "group_minutes", "updated_at"])
        audit_append(actor=actor, action="monitoring.settings", obj=rule, before=before,
                     after={"group_distance_m": group_distance_m,
                            "group_minutes": group_minutes})
    return rule
