"""The daily situation report: one day on one clock, per agreement, in the style of a monitoring
mission's daily report. Every figure is read through the apps' own need-to-know selectors
(`visible_agreements`, `visible_movements`, `visible_events`, `visible_incidents`,
`exchange_list`), so the report counts and lists only what its reader may see."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from parley.access.models import Movement
from parley.access.selectors import visible_movements
from parley.agreements.models import Agreement
from parley.agreements.rules import SETTLED
from parley.agreements.selectors import agreement_windows, visible_agreements
from parley.audit.models import AuditEntry
from parley.core.types import Actor
from parley.engines import timewin
from parley.exchanges.models import ExchangeEntry, HandoverDay
from parley.exchanges.selectors import exchange_list
from parley.monitoring.models import Classification, Event
from parley.monitoring.selectors import visible_events, visible_incidents

# Audited steps of a movement that end it on the road, by the report's heading.
ENDED = {
    "movement.complete": "completed",
    "movement.impede": "impeded",
    "movement.deny": "denied",
    "movement.cancel": "cancelled",
}
OPEN_EVENT = (Event.Status.CANDIDATE, Event.Status.UNDER_REVIEW)


@dataclass
class AgreementDay:
    """One agreement on the day: its windows, movements, incidents and violations."""

    agreement: Agreement
    windows: list[timewin.Window] = field(default_factory=list)
    notified: list[Movement] = field(default_factory=list)
    ended: list[tuple[Movement, str]] = field(default_factory=list)
    incidents_in_window: int = 0
    incidents_outside_window: int = 0
    candidates: list[Event] = field(default_factory=list)
    confirmed: list[Event] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        return not (
            self.notified
            or self.ended
            or self.incidents_in_window
            or self.incidents_outside_window
            or self.candidates
            or self.confirmed
        )


@dataclass
class ExchangeDay:
    agreement: Agreement
    planned: bool
    outcomes: dict[str, int]


@dataclass
class DailyReport:
    day: datetime.date
    zone: str
    start: datetime.datetime
    end: datetime.datetime
    agreements: list[AgreementDay]
    exchanges: list[ExchangeDay]

    @property
    def pauses_active(self) -> list[AgreementDay]:
        return [row for row in self.agreements if row.windows]

    def total(self, name: str) -> int:
        value = 0
        for row in self.agreements:
            item = getattr(row, name)
            value += item if isinstance(item, int) else len(item)
        return value


def day_bounds(day: datetime.date, zone: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The day on the clock of `zone`, as UTC instants `[start, end)` (23 or 25 hours long on a
    clock-change day)."""
    tz = ZoneInfo(zone)
    start = datetime.datetime(day.year, day.month, day.day, tzinfo=tz)
    after = day + datetime.timedelta(days=1)
    end = datetime.datetime(after.year, after.month, after.day, tzinfo=tz)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def daily_report(*, actor: Actor, day: datetime.date, zone: str) -> DailyReport:
    start, end = day_bounds(day, zone)
    agreements = list(
        visible_agreements(actor=actor)
        .filter(status__in=SETTLED)
        .exclude(kind=Agreement.Kind.EXCHANGE)
        .order_by("code")
    )
    rows = {
        agreement.pk: AgreementDay(
            agreement=agreement,
            windows=[w for w in agreement_windows(agreement) if w.start < end and w.end > start],
        )
        for agreement in agreements
    }

    movements = list(visible_movements(actor=actor).filter(agreement_id__in=list(rows)))
    for movement in movements:
        versions = list(movement.versions.all())
        first = min(versions, key=lambda version: version.number) if versions else None
        if first is not None and start <= first.notified_at < end:
            rows[movement.agreement_id].notified.append(movement)
    by_id = {str(movement.pk): movement for movement in movements}
    steps = AuditEntry.objects.filter(
        object_type=Movement._meta.label_lower,
        object_id__in=list(by_id),
        action__in=list(ENDED),
        at__gte=start,
        at__lt=end,
    ).order_by("at", "pk")
    for step in steps:
        movement = by_id[step.object_id]
        rows[movement.agreement_id].ended.append((movement, ENDED[step.action]))

    incidents = visible_incidents(actor=actor).filter(time_start__gte=start, time_start__lt=end)
    placed = (
        Classification.objects.filter(
            agreement_id__in=list(rows), incident__in=incidents.values("pk")
        )
        .values_list("agreement_id", "incident_id", "in_window")
        .distinct()
    )
    inside: dict[int, set[int]] = {}
    outside: dict[int, set[int]] = {}
    for agreement_id, incident_id, in_window in placed:
        (inside if in_window else outside).setdefault(agreement_id, set()).add(incident_id)
    for agreement_id, row in rows.items():
        row.incidents_in_window = len(inside.get(agreement_id, ()))
        row.incidents_outside_window = len(
            outside.get(agreement_id, set()) - inside.get(agreement_id, set())
        )

    events = {
        event.pk: event
        for event in visible_events(actor=actor)
        .filter(
            time_start__gte=start,
            time_start__lt=end,
            status__in=[*OPEN_EVENT, Event.Status.CONFIRMED],
        )
        .order_by("time_start", "reference")
    }
    pairs = (
        Classification.objects.filter(
            in_window=True, agreement_id__in=list(rows), incident__event_id__in=list(events)
        )
        .values_list("agreement_id", "incident__event_id")
        .distinct()
    )
    for agreement_id, event_id in sorted(pairs, key=lambda p: (events[p[1]].time_start, p[1])):
        event = events[event_id]
        target = (
            rows[agreement_id].confirmed
            if event.status == Event.Status.CONFIRMED
            else rows[agreement_id].candidates
        )
        if event not in target:
            target.append(event)

    return DailyReport(
        day=day,
        zone=zone,
        start=start,
        end=end,
        agreements=[row for row in rows.values() if row.windows or not row.quiet],
        exchanges=_exchanges(actor=actor, day=day),
    )


def _exchanges(*, actor: Actor, day: datetime.date) -> list[ExchangeDay]:
    """Exchanges with a handover planned or recorded on the day: counts by outcome, no name."""
    found = []
    for agreement in exchange_list(actor=actor):
        if agreement.status not in SETTLED:
            continue
        version = agreement.current_version
        planned = day.isoformat() in (version.terms.get("days", []) if version else [])
        handover = HandoverDay.objects.filter(agreement=agreement, date=day).first()
        outcomes: Counter = Counter()
        if handover is not None:
            outcomes.update(
                ExchangeEntry.objects.filter(agreement=agreement, day=handover).values_list(
                    "outcome", flat=True
                )
            )
        if planned or outcomes:
            found.append(ExchangeDay(agreement, planned, dict(outcomes)))
    return found
