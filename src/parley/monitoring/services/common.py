"""What the monitoring services share: limits, source names, the status transitions of events, the
grouping rule's row.
"""

from datetime import UTC, datetime

from django.utils.translation import gettext_lazy as _

from parley.core.errors import Forbidden
from parley.core.types import Actor, Predicate, StrOrPromise
from parley.monitoring.models import (
    Event,
    MonitoringSettings,
    Source,
)

BATCH_SIZE = 2_000
# Rows per batch of an import file (setting MONITORING_IMPORT_BATCH_ROWS): small enough that a
# long import reports its progress often, large enough that the fast reader stays fast.
IMPORT_BATCH_ROWS = 100_000
# Incidents classified per call of the engine: arrays of this many rows bound the memory.
CLASSIFY_CHUNK = 100_000
# Incidents fetched per `IN (...)` query when filtering out ids already known.
LOOKUP_CHUNK = 900
MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
# Keyed by the choices, which are str: a plain str finds its entry too.
SOURCE_NAMES: dict[str, str] = {
    Source.Kind.PARLEY: "Parley CSV",
    Source.Kind.ACLED: "ACLED",
    Source.Kind.FIRMS: "NASA FIRMS",
    Source.Kind.MONITOR_REPORT: "Monitor reports",
}
FEED_KINDS = (Source.Kind.PARLEY, Source.Kind.ACLED, Source.Kind.FIRMS)
# The incident types as the OSCE monitors' daily reports name them.
REPORT_TYPES = {
    "impact": _("Impact"),
    "outgoing_fire": _("Outgoing fire"),
    "explosion": _("Explosion"),
    "small_arms": _("Small-arms fire"),
    "drone": _("Drone"),
    "movement": _("Movement"),
}
# Who a source says acted is the source's attribution; Parley keeps none (see the module doc).
NOT_KEPT = frozenset({"actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "inter1", "inter2",
                      "interaction"})
# Allowed steps of the verification; the value is the service's audit action.
# Keyed by the choices, which are str: a plain str pair finds its entry too.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Event.Status.CANDIDATE, Event.Status.UNDER_REVIEW): "event.start_review",
    (Event.Status.UNDER_REVIEW, Event.Status.CONFIRMED): "event.confirm",
    (Event.Status.UNDER_REVIEW, Event.Status.DISMISSED): "event.dismiss",
    (Event.Status.UNDER_REVIEW, Event.Status.UNVERIFIABLE): "event.mark_unverifiable",
}
# A site alert is raised whatever the time: the site's protection has no window.
_ALWAYS = [{"start": "1970-01-01T00:00:00Z", "end": "2200-01-01T00:00:00Z"}]
_EARTH_RADIUS_M = 6_371_008.8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _ensure(predicate: Predicate, actor: Actor, *args: object, message: StrOrPromise) -> None:
    if not predicate(actor, *args):
        raise Forbidden(message)


def source_for(kind: str, name: str | None = None) -> Source:
    source, _created = Source.objects.get_or_create(
        name=name or SOURCE_NAMES[kind], defaults={"kind": kind}
    )
    return source


def monitoring_settings() -> MonitoringSettings:
    found = MonitoringSettings.objects.order_by("pk").first()
    return found or MonitoringSettings.objects.create()
