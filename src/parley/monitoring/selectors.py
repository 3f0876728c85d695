"""Every read of monitoring data. Each takes the actor and returns only what the actor may see.

Events follow the agreements they fall in: a party sees an event when it can see an agreement
in whose area, while a window was open, one of the event's reports lies. Monitors and the
secretariat see every incident, event and import. Party accounts: see `rules.can_read_account`.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from parley.agreements.models import Agreement
from parley.agreements.rules import SETTLED
from parley.agreements.selectors import agreement_windows, visible_agreements
from parley.audit.selectors import audit_trail_for
from parley.core.errors import NotFound
from parley.core.models import Party
from parley.monitoring import rules
from parley.monitoring.models import (
    Classification,
    Event,
    Evidence,
    ImportRun,
    Incident,
    PartyAccount,
    SiteAlert,
    Verification,
)

OPEN_STATUSES = (Event.Status.CANDIDATE, Event.Status.UNDER_REVIEW)
HXL_COLUMNS = [
    ("reference", "#event+id"),
    ("status", "#status"),
    ("time_start", "#date+start"),
    ("time_end", "#date+end"),
    ("lat", "#geo+lat"),
    ("lon", "#geo+lon"),
    ("types", "#event+type"),
    ("sources", "#meta+source"),
    ("reports", "#meta+count"),
    ("agreements", "#activity+code"),
    ("areas", "#loc+name"),
]


def _signed_in(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and actor.party_id is not None


def visible_events(*, actor) -> QuerySet[Event]:
    if not _signed_in(actor):
        return Event.objects.none()
    if rules.sees_all_incidents(actor):
        return Event.objects.all()
    agreements = visible_agreements(actor=actor).values("pk")
    related = Classification.objects.filter(
        in_window=True, agreement__in=agreements, incident__event__isnull=False
    ).values("incident__event_id")
    return Event.objects.filter(pk__in=related)


def event_get(*, actor, reference: str) -> Event:
    try:
        return visible_events(actor=actor).get(reference=reference)
    except Event.DoesNotExist as exc:
        raise NotFound(reference) from exc


def event_list(
    *,
    actor,
    status: str | None = None,
    agreement: str | None = None,
    area: str | None = None,
    day: date | None = None,
) -> list[Event]:
    """Visible events, newest first; optionally only those of one agreement (code), one of its
    areas (feature id), one UTC day or one status."""
    events = visible_events(actor=actor)
    if status:
        events = events.filter(status=status)
    if agreement or area:
        rows = Classification.objects.filter(
            in_window=True, agreement__in=visible_agreements(actor=actor).values("pk")
        )
        if agreement:
            rows = rows.filter(agreement__code=agreement)
        if area:
            rows = rows.filter(feature_id=area)
        events = events.filter(pk__in=rows.values("incident__event_id"))
    if day:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        events = events.filter(time_start__gte=start, time_start__lt=start + timedelta(days=1))
    events = events.annotate(report_count=Count("incidents")).order_by("-time_start", "reference")
    return list(events)


@dataclass(frozen=True)
class Placement:
    """Where an event falls: an area of an agreement, and whether a window was open."""

    agreement: Agreement
    feature_id: str
    relation: str
    in_window: bool


def event_placements(*, actor, events: list[Event]) -> dict[int, list[Placement]]:
    """For each event, the areas (of agreements the actor sees) its reports fall in."""
    agreements = {a.pk: a for a in visible_agreements(actor=actor)}
    rows = (Classification.objects.filter(incident__event__in=[e.pk for e in events],
                                          agreement_id__in=list(agreements))
            .values_list("incident__event_id", "agreement_id", "feature_id", "relation",
                         "in_window")
            .order_by().distinct())
    placements: dict[int, set] = defaultdict(set)
    for event_id, agreement_id, feature_id, relation, in_window in rows:
        placements[event_id].add((agreement_id, feature_id, relation, in_window))
    return {
        event_id: [Placement(agreements[a], f, r, w) for a, f, r, w in
                   sorted(found, key=lambda p: (agreements[p[0]].code, p[1], p[2], not p[3]))]
        for event_id, found in placements.items()
    }


def event_audit_trail(*, actor, event: Event):
    event = event_get(actor=actor, reference=event.reference)
    return audit_trail_for(obj=event)


def event_reports(*, actor, event: Event) -> list[Incident]:
    event = event_get(actor=actor, reference=event.reference)
    return list(event.incidents.select_related("source", "reporter")
                .prefetch_related("evidence").order_by("time_start", "pk"))


def event_verifications(*, actor, event: Event) -> list[Verification]:
    event = event_get(actor=actor, reference=event.reference)
    return list(event.verifications.select_related("actor", "actor__party")
                .prefetch_related("evidence"))


def event_accounts(*, actor, event: Event) -> list[PartyAccount]:
    """Accounts of the event: all of them for monitors and the secretariat; for anyone else,
    their own party's and those shared by their authors."""
    event = event_get(actor=actor, reference=event.reference)
    accounts = event.accounts.select_related("party", "author")
    if not rules.sees_all_incidents(actor):
        accounts = accounts.filter(Q(party_id=actor.party_id) | Q(shared=True))
    return list(accounts)


def evidence_get(*, actor, pk: int) -> Evidence:
    """A stored file, if the actor sees the event (or, for a report not in an event, all
    incidents)."""
    try:
        evidence = Evidence.objects.select_related("incident", "verification").get(pk=pk)
    except Evidence.DoesNotExist as exc:
        raise NotFound(pk) from exc
    if rules.sees_all_incidents(actor):
        return evidence
    event_id = (evidence.verification.event_id if evidence.verification_id
                else evidence.incident.event_id if evidence.incident_id else None)
    if event_id is None or not visible_events(actor=actor).filter(pk=event_id).exists():
        raise NotFound(pk)
    return evidence


def visible_incidents(*, actor) -> QuerySet[Incident]:
    if not _signed_in(actor):
        return Incident.objects.none()
    incidents = Incident.objects.select_related("source", "event")
    if rules.sees_all_incidents(actor):
        return incidents
    return incidents.filter(event__in=visible_events(actor=actor).values("pk"))


def incident_list(*, actor, source: str | None = None, since: datetime | None = None,
                  until: datetime | None = None, limit: int = 1000) -> list[Incident]:
    incidents = visible_incidents(actor=actor)
    if source:
        incidents = incidents.filter(source__name=source)
    if since:
        incidents = incidents.filter(time_start__gte=since)
    if until:
        incidents = incidents.filter(time_start__lt=until)
    return list(incidents.order_by("-time_start", "-pk")[:limit])


def import_runs(*, actor, limit: int = 20) -> list[ImportRun]:
    if not rules.can_import_incidents(actor):
        return []
    return list(ImportRun.objects.select_related("source", "started_by")[:limit])


def import_run_get(*, actor, pk: int) -> ImportRun:
    if not rules.can_import_incidents(actor):
        raise NotFound(pk)
    try:
        return ImportRun.objects.select_related("source", "started_by").get(pk=pk)
    except ImportRun.DoesNotExist as exc:
        raise NotFound(pk) from exc


def site_alerts(*, actor, limit: int = 50) -> list[SiteAlert]:
    """Incidents near notified sites: for monitors and the secretariat all of them, for a
    humanitarian organisation those near its own sites."""
    if not _signed_in(actor):
        return []
    alerts = SiteAlert.objects.select_related("incident", "incident__source", "site")
    if not rules.sees_all_incidents(actor):
        if actor.party.kind != Party.Kind.HUMANITARIAN:
            return []
        alerts = alerts.filter(site__organisation_id=actor.party_id)
    return list(alerts.order_by("-incident__time_start", "pk")[:limit])


# -- the dashboard ---------------------------------------------------------------------------


@dataclass
class AgreementTally:
    agreement: Agreement
    candidate: int = 0
    under_review: int = 0
    confirmed: int = 0
    dismissed: int = 0
    unverifiable: int = 0
    pause_hours: int = 0
    hours_with_confirmed: int = 0
    areas: dict[str, int] = field(default_factory=dict)

    @property
    def open(self) -> int:
        return self.candidate + self.under_review

    @property
    def share_without_confirmed(self) -> float | None:
        if not self.pause_hours:
            return None
        return (self.pause_hours - self.hours_with_confirmed) / self.pause_hours


@dataclass
class DayTally:
    day: date
    open: int = 0
    confirmed: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.open + self.confirmed + self.other


@dataclass
class Dashboard:
    agreements: list[AgreementTally]
    days: list[DayTally]
    status_counts: dict[str, int]
    pause_hours: int
    hours_with_confirmed: int

    @property
    def share_without_confirmed(self) -> float | None:
        if not self.pause_hours:
            return None
        return (self.pause_hours - self.hours_with_confirmed) / self.pause_hours


def _hour_slots(windows, now: datetime) -> np.ndarray:
    """Starts (int64 ns) of the elapsed pause hours: each window cut in hours from its start,
    up to its end or now."""
    starts = []
    hour = np.int64(3_600_000_000_000)
    now_ns = np.datetime64(now.astimezone(UTC).replace(tzinfo=None), "ns").astype(np.int64)
    for window in windows:
        begin = np.datetime64(window.start.replace(tzinfo=None), "ns").astype(np.int64)
        end = min(np.datetime64(window.end.replace(tzinfo=None), "ns").astype(np.int64), now_ns)
        if end > begin:
            starts.append(np.arange(begin, end, hour, dtype=np.int64))
    return np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)


def _slots_hit(slots: np.ndarray, times: list[datetime]) -> int:
    if slots.size == 0 or not times:
        return 0
    stamps = np.array([np.datetime64(t.astimezone(UTC).replace(tzinfo=None), "ns")
                       for t in times]).astype(np.int64)
    slot = np.searchsorted(slots, stamps, side="right") - 1
    inside = (slot >= 0) & (stamps < slots[np.clip(slot, 0, None)] + 3_600_000_000_000)
    return int(np.unique(slot[inside]).size)


def monitoring_dashboard(*, actor, now: datetime | None = None, days: int = 14) -> Dashboard:
    """Candidate and confirmed violations per pause and per UTC day, and the share of elapsed
    pause hours without a confirmed violation."""
    now = now or timezone.now()
    events = {e.pk: e for e in visible_events(actor=actor)}
    agreements = [a for a in visible_agreements(actor=actor).filter(status__in=SETTLED)
                  .order_by("code")]
    rows = (Classification.objects.filter(
        in_window=True, agreement__in=[a.pk for a in agreements],
        incident__event_id__in=list(events))
        .values_list("agreement_id", "feature_id", "incident__event_id").order_by().distinct())
    per_agreement: dict[int, set[int]] = defaultdict(set)
    per_area: dict[tuple[int, str], set[int]] = defaultdict(set)
    for agreement_id, feature_id, event_id in rows:
        per_agreement[agreement_id].add(event_id)
        per_area[(agreement_id, feature_id)].add(event_id)
    tallies = []
    total_slots = total_hit = 0
    for agreement in agreements:
        tally = AgreementTally(agreement=agreement)
        confirmed_times = []
        for event_id in per_agreement.get(agreement.pk, ()):
            event = events[event_id]
            setattr(tally, event.status, getattr(tally, event.status) + 1)
            if event.status == Event.Status.CONFIRMED:
                confirmed_times.append(event.time_start)
        tally.areas = {feature: len(ids) for (a, feature), ids in sorted(per_area.items())
                       if a == agreement.pk}
        slots = _hour_slots(agreement_windows(agreement), now)
        tally.pause_hours = int(slots.size)
        tally.hours_with_confirmed = _slots_hit(slots, confirmed_times)
        total_slots += tally.pause_hours
        total_hit += tally.hours_with_confirmed
        tallies.append(tally)
    first_day = now.astimezone(UTC).date() - timedelta(days=days - 1)
    day_tallies = {first_day + timedelta(days=i): DayTally(first_day + timedelta(days=i))
                   for i in range(days)}
    status_counts = {status: 0 for status in Event.Status.values}
    for event in events.values():
        status_counts[event.status] += 1
        tally = day_tallies.get(event.time_start.astimezone(UTC).date())
        if tally is None:
            continue
        if event.status in OPEN_STATUSES:
            tally.open += 1
        elif event.status == Event.Status.CONFIRMED:
            tally.confirmed += 1
        else:
            tally.other += 1
    return Dashboard(agreements=tallies, days=list(day_tallies.values()),
                     status_counts=status_counts, pause_hours=total_slots,
                     hours_with_confirmed=total_hit)


# -- exports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    event: Event
    types: list[str]
    sources: list[str]
    reports: int
    placements: list[Placement]

    def as_dict(self) -> dict:
        return {
            "reference": self.event.reference,
            "status": self.event.status,
            "time_start": _utc(self.event.time_start),
            "time_end": _utc(self.event.time_end),
            "lat": round(self.event.lat, 6),
            "lon": round(self.event.lon, 6),
            "types": "; ".join(self.types),
            "sources": "; ".join(self.sources),
            "reports": self.reports,
            "agreements": "; ".join(sorted({p.agreement.code for p in self.placements
                                            if p.in_window})),
            "areas": "; ".join(sorted({f"{p.agreement.code}/{p.feature_id}"
                                       for p in self.placements if p.in_window})),
        }


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def event_rows(*, actor, events: list[Event]) -> list[EventRow]:
    placements = event_placements(actor=actor, events=events)
    details: dict[int, tuple[set, set, int]] = defaultdict(lambda: (set(), set(), 0))
    for event_id, kind, source in Incident.objects.filter(
        event__in=[e.pk for e in events]
    ).values_list("event_id", "type", "source__name"):
        types, sources, count = details[event_id]
        if kind:
            types.add(kind)
        sources.add(source)
        details[event_id] = (types, sources, count + 1)
    return [
        EventRow(event=e, types=sorted(details[e.pk][0]), sources=sorted(details[e.pk][1]),
                 reports=details[e.pk][2], placements=placements.get(e.pk, []))
        for e in events
    ]


def events_geojson(rows: list[EventRow]) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": row.event.reference,
         "geometry": {"type": "Point", "coordinates": [row.event.lon, row.event.lat]},
         "properties": row.as_dict()}
        for row in rows
    ]}


def events_csv(rows: list[EventRow]) -> str:
    """CSV with the HXL hashtag row under the header (FORMATS §7)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _tag in HXL_COLUMNS])
    writer.writerow([tag for _name, tag in HXL_COLUMNS])
    for row in rows:
        values = row.as_dict()
        writer.writerow([values[name] for name, _tag in HXL_COLUMNS])
    return buffer.getvalue()


# -- the main dashboard's panel --------------------------------------------------------------


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


def monitoring_panel(*, actor, now: datetime | None = None, days: int = 7,
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
