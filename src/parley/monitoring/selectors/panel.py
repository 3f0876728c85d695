"""The monitoring panel of the main dashboard."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from parley.agreements.models import Agreement
from parley.agreements.rules import SETTLED
from parley.agreements.selectors import visible_agreements
from parley.core.types import Actor
from parley.monitoring import rules
from parley.monitoring.models import (
    Classification,
    Event,
    SiteAlert,
)
from parley.monitoring.selectors.events import (
    OPEN_STATUSES,
    _signed_in,
    site_alerts,
    visible_events,
)


@dataclass(frozen=True)
class PauseViolations:
    """Events of the last days that fell in one pause during a window, by verification."""

    agreement: Agreement
    candidates: int
    confirmed: int


@dataclass(frozen=True)
class MonitoringPanel:
    since: datetime
    pauses: list[PauseViolations]
    under_review: list[Event]
    site_alerts: list[SiteAlert]

    def __bool__(self) -> bool:
        return bool(self.pauses or self.under_review or self.site_alerts)


def monitoring_panel(*, actor: Actor, now: datetime | None = None, days: int = 7,
                     limit: int = 10) -> MonitoringPanel:
    """The main dashboard's monitoring panel, as the actor may see it: per visible pause, the
    candidate (not yet concluded) and confirmed violations that began in the last `days`; for
    monitors the events under review; for an organisation (and monitors, the secretariat) the
    site alerts of those days."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    if not _signed_in(actor):
        return MonitoringPanel(since, [], [], [])
    agreements = {a.pk: a for a in visible_agreements(actor=actor).filter(status__in=SETTLED)}
    counted = (Classification.objects
               .filter(in_window=True, agreement_id__in=list(agreements),
                       incident__event__in=visible_events(actor=actor),
                       incident__event__time_start__gte=since,
                       incident__event__status__in=[*OPEN_STATUSES, Event.Status.CONFIRMED])
               .values_list("agreement_id", "incident__event__status")
               .annotate(events=Count("incident__event", distinct=True)).order_by())
    tallies: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for agreement_id, status, events in counted:
        tallies[agreement_id][status == Event.Status.CONFIRMED] += events
    pauses = sorted((PauseViolations(agreements[pk], candidates, confirmed)
                     for pk, (candidates, confirmed) in tallies.items()),
                    key=lambda row: row.agreement.code)
    under_review = list(Event.objects.filter(status=Event.Status.UNDER_REVIEW)
                        .order_by("time_start", "reference")[:limit]) \
        if rules.can_verify_event(actor) else []
    alerts = [alert for alert in site_alerts(actor=actor, limit=limit)
              if alert.incident.time_start >= since]
    return MonitoringPanel(since, pauses, under_review, alerts)
