"""Which audit entries an account may see: those about objects it may see, by each app's own
need-to-know selector. An object kind not listed here is the secretariat's only (fail closed)."""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from parley.access.selectors import visible_movements, visible_sites
from parley.agreements.selectors import visible_agreements
from parley.audit.models import AuditEntry
from parley.core.rules import has_party, is_secretariat
from parley.core.selectors import party_list
from parley.monitoring.selectors import visible_events, visible_incidents
from parley.talks.selectors import (
    process_list,
    round_list,
    visible_commitments,
    visible_positions,
    visible_texts,
)

VISIBLE_OBJECTS: dict[str, Callable[..., QuerySet]] = {
    "agreements.agreement": visible_agreements,
    "access.movement": visible_movements,
    "access.site": visible_sites,
    "monitoring.event": visible_events,
    "monitoring.incident": visible_incidents,
    "talks.process": process_list,
    "talks.round": round_list,
    "talks.position": visible_positions,
    "talks.commitment": visible_commitments,
    "talks.drafttext": visible_texts,
    "core.party": party_list,
}
# What the record itself writes (a witness's alarm) concerns every party.
PUBLIC_TO_PARTIES = {"record.witness"}


def visible_audit_entries(*, actor) -> QuerySet[AuditEntry]:
    if not has_party(actor):
        return AuditEntry.objects.none()
    seen = Q(object_type__in=PUBLIC_TO_PARTIES)
    for object_type, selector in VISIBLE_OBJECTS.items():
        ids = [str(pk) for pk in selector(actor=actor).values_list("pk", flat=True)]
        seen |= Q(object_type=object_type, object_id__in=ids)
    if is_secretariat(actor):
        seen |= ~Q(object_type__in=list(VISIBLE_OBJECTS))
    return AuditEntry.objects.filter(seen)
