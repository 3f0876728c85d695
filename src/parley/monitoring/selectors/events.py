"""Reads of events, incidents, imports and site alerts, each for what the actor may see."""

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from parley.agreements.models import Agreement
from parley.agreements.selectors import (
    reader_key,
    visible_agreement_pks,
    visible_agreement_pks_of,
    visible_agreements,
)
from parley.audit import history
from parley.audit.models import AuditEntry
from parley.core.compiled import TEXT_SLOTS, CompiledRead
from parley.core.errors import NotFound
from parley.core.models import Party
from parley.core.types import Actor, party_of
from parley.core.validation import check_query_span
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
    # HXL tools read a #date value with a "T" day first (libhxl turns 2026-12-02T00:12:30Z
    # into 12 February), so dates are plain YYYY-MM-DD and instants are written with a space.
    ("date_start", "#date+start"),
    ("date_end", "#date+end"),
    ("time_start_utc", "#date+start+utc"),
    ("time_end_utc", "#date+end+utc"),
    ("lat", "#geo+lat"),
    ("lon", "#geo+lon"),
    ("types", "#event+type"),
    ("sources", "#meta+source"),
    ("reports", "#meta+count"),
    ("agreements", "#activity+code"),
    ("places", "#loc+name"),
    ("areas", "#loc+code"),
]


def _signed_in(actor: Actor) -> bool:
    return getattr(actor, "is_authenticated", False) and actor.party_id is not None


def visible_events(*, actor: Actor) -> QuerySet[Event]:
    if not _signed_in(actor):
        return Event.objects.none()
    return _visible_events_of(*_reader_of(actor))


def _reader_of(actor: Actor) -> tuple[tuple[int, bool], bool]:
    """What the rules read of a signed-in actor: its `reader_key` (the agreements it sees), and
    whether it sees every event (monitors and the secretariat)."""
    key = reader_key(actor)
    if key is None:  # not reached: signed in with a party
        raise NotFound("events")
    return key, bool(rules.sees_all_incidents(actor))


def _visible_events_of(key: tuple[int, bool], sees_all: bool) -> QuerySet[Event]:
    """Every event for who sees them all, else those related (in a window) to the agreements
    of `key`."""
    if sees_all:
        return Event.objects.all()
    related = Classification.objects.filter(
        in_window=True, agreement__in=visible_agreement_pks_of(*key).values("pk"),
        incident__event__isnull=False,
    ).values("incident__event_id")
    return Event.objects.filter(pk__in=related)


def event_get(*, actor: Actor, reference: str) -> Event:
    try:
        return visible_events(actor=actor).get(reference=reference)
    except Event.DoesNotExist as exc:
        raise NotFound(reference) from exc


def event_list(
    *,
    actor: Actor,
    status: str | None = None,
    agreement: str | None = None,
    area: str | None = None,
    day: date | None = None,
) -> list[Event]:
    """Visible events, newest first; optionally only those of one agreement (code), one of its
    areas (feature id), one UTC day or one status."""
    check_query_span(day=day)
    if not _signed_in(actor):
        return []
    events = _events_of(*_reader_of(actor), status=status, agreement=agreement, area=area,
                        day=day)
    return list(events.annotate(report_count=Count("incidents")))


# Newest first: `_events_of`'s order, and the joined read's (`_event_summary_read`).
_EVENT_ORDER = ("-time_start", "reference")


def _events_of(
    key: tuple[int, bool], sees_all: bool, *, status: str | None, agreement: str | None,
    area: str | None, day: date | None,
) -> QuerySet[Event]:
    """`event_list`'s filter, newest first, for a reader (`_reader_of`)."""
    events = _visible_events_of(key, sees_all)
    if status:
        events = events.filter(status=status)
    if agreement or area:
        rows = Classification.objects.filter(
            in_window=True, agreement__in=visible_agreement_pks_of(*key).values("pk"))
        if agreement:
            rows = rows.filter(agreement__code=agreement)
        if area:
            rows = rows.filter(feature_id=area)
        events = events.filter(pk__in=rows.values("incident__event_id"))
    if day:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        events = events.filter(time_start__gte=start, time_start__lt=start + timedelta(days=1))
    return events.order_by(*_EVENT_ORDER)


@dataclass(frozen=True)
class Placement:
    """Where an event falls: an area of an agreement, and whether a window was open."""

    agreement: Agreement
    feature_id: str
    relation: str
    in_window: bool


@dataclass(frozen=True)
class PlacementSummary:
    """A `Placement` as the API gives it: the agreement by its code."""

    agreement: str
    feature_id: str
    relation: str
    in_window: bool


def _placement_rows(
    *, actor: Actor, events: list[Event]
) -> dict[int, list[tuple[int, str, str, str, bool]]]:
    """For each event, (agreement key, agreement code, feature id, relation, in window) of the
    areas its reports fall in, only in agreements the actor sees, sorted by code, feature,
    relation and open window first: one query."""
    rows = (Classification.objects.filter(
                incident__event__in=[e.pk for e in events],
                agreement_id__in=visible_agreement_pks(actor=actor).values("pk"))
            .values_list(*_PLACEMENT_COLUMNS)
            .order_by().distinct())
    return _placements_by_event(rows)


_PLACEMENT_COLUMNS = ("incident__event_id", "agreement_id", "agreement__code", "feature_id",
                      "relation", "in_window")


def _placements_by_event(rows: Iterable[Sequence[Any]]) -> dict[int, list[tuple]]:
    placements: dict[int, set] = defaultdict(set)
    for event_id, agreement_id, code, feature_id, relation, in_window in rows:
        placements[event_id].add((agreement_id, code, feature_id, relation, in_window))
    return {event_id: sorted(found, key=lambda p: (p[1], p[2], p[3], not p[4]))
            for event_id, found in placements.items()}


def event_placements(*, actor: Actor, events: list[Event]) -> dict[int, list[Placement]]:
    """For each event, the areas (of agreements the actor sees) its reports fall in, with the
    agreements loaded as the pages show them."""
    rows = _placement_rows(actor=actor, events=events)
    placed = {row[0] for found in rows.values() for row in found}
    agreements = {a.pk: a for a in visible_agreements(actor=actor).filter(pk__in=placed)}
    return {
        event_id: [Placement(agreements[a], f, r, w) for a, _code, f, r, w in found]
        for event_id, found in rows.items()
    }


def event_placement_list(
    *, actor: Actor, events: list[Event]
) -> dict[int, list[PlacementSummary]]:
    """`event_placements` with the agreements by code only, for the API: one query, where
    loading the agreements as pages show them takes four."""
    return {
        event_id: [PlacementSummary(code, f, r, w) for _a, code, f, r, w in found]
        for event_id, found in _placement_rows(actor=actor, events=events).items()
    }


@dataclass(frozen=True)
class EventSummary:
    """An event as the API's list gives it (`EventOut`)."""

    reference: str
    status: str
    lat: float
    lon: float
    time_start: datetime
    time_end: datetime
    placements: list[PlacementSummary]


# Readers (party and kind, or every event) times the filters given; each entry two short SQLs.
EVENT_READS_CACHED = 1024


def _event_summary_queries(
    key: tuple[int, bool], sees_all: bool, *, status: str | None, agreement: str | None,
    area: str | None, day: date | None,
) -> tuple[QuerySet[Any], QuerySet[Any]]:
    events = _events_of(key, sees_all, status=status, agreement=agreement, area=area, day=day)
    # Joined to the events (`_event_summary_read`): only the events' placements are kept.
    placements = (Classification.objects.filter(
                      incident__event__isnull=False,
                      agreement_id__in=visible_agreement_pks_of(*key).values("pk"))
                  .values_list(*_PLACEMENT_COLUMNS).order_by().distinct())
    return (events.order_by().values_list("pk", "reference", "status", "lat", "lon",
                                          "time_start", "time_end"), placements)


def _event_summary_read(events: QuerySet[Any], placements: QuerySet[Any],
                        slots: list[str]) -> CompiledRead:
    """The events, each with its placements (a row per placement, NULLs for none): one read."""
    return CompiledRead(events, slots).left_join(
        CompiledRead(placements), on=("pk", "incident__event_id"), order_by=_EVENT_ORDER)


@functools.lru_cache(maxsize=EVENT_READS_CACHED)
def _event_summary_reads(
    vendor: str, key: tuple[int, bool], sees_all: bool, filters: tuple[bool, bool, bool]
) -> CompiledRead:
    """`event_summary_list`'s read for a reader and the filters given (status, agreement,
    area: each a slot), compiled once (`CompiledRead`)."""
    slots = [slot for slot, given in zip(TEXT_SLOTS, filters, strict=False) if given]
    status, agreement, area = (slot if given else None
                               for slot, given in zip(TEXT_SLOTS, filters, strict=False))
    events, placements = _event_summary_queries(key, sees_all, status=status,
                                                agreement=agreement, area=area, day=None)
    return _event_summary_read(events, placements, slots)


def event_summary_list(
    *,
    actor: Actor,
    status: str | None = None,
    agreement: str | None = None,
    area: str | None = None,
    day: date | None = None,
) -> list[EventSummary]:
    """`event_list` with each event's placements (`event_placement_list`), as the API gives
    them: one query, compiled once per reader and filters given (but a day's)."""
    check_query_span(day=day)
    if not _signed_in(actor):
        return []
    key, sees_all = _reader_of(actor)
    given = (bool(status), bool(agreement), bool(area))
    if day:
        read = _event_summary_read(*_event_summary_queries(
            key, sees_all, status=status, agreement=agreement, area=area, day=day), [])
        values: list[str] = []
    else:
        read = _event_summary_reads(connection.vendor, key, sees_all, given)
        values = [value for value in (status, agreement, area) if value]
    # A row per event and placement, newest event first: the events are the distinct keys.
    rows = read.rows(*values)
    events = {row[0]: row[:7] for row in rows}
    found = _placements_by_event(row[7:] for row in rows if row[7] is not None)
    return [
        EventSummary(reference=reference, status=event_status, lat=lat, lon=lon,
                     time_start=time_start, time_end=time_end,
                     placements=[PlacementSummary(code, f, r, w)
                                 for _a, code, f, r, w in found.get(pk, [])])
        for pk, reference, event_status, lat, lon, time_start, time_end in events.values()
    ]


def event_audit_trail(*, actor: Actor, event: Event) -> list[AuditEntry]:
    """The history the actor may see (`monitoring.history`): an account attached by another
    party appears only if that account is shared with the actor."""
    event = event_get(actor=actor, reference=event.reference)
    return history.audit_trail_for(obj=event, user=actor)


def event_reports(*, actor: Actor, event: Event) -> list[Incident]:
    event = event_get(actor=actor, reference=event.reference)
    return list(event.incidents.select_related("source", "reporter")
                .prefetch_related("evidence").order_by("time_start", "pk"))


def event_verifications(*, actor: Actor, event: Event) -> list[Verification]:
    event = event_get(actor=actor, reference=event.reference)
    return list(event.verifications.select_related("actor", "actor__party")
                .prefetch_related("evidence"))


def event_accounts(*, actor: Actor, event: Event) -> list[PartyAccount]:
    """Accounts of the event: all of them for monitors and the secretariat; for anyone else,
    their own party's and those shared by their authors."""
    event = event_get(actor=actor, reference=event.reference)
    accounts = event.accounts.select_related("party", "author")
    if not rules.sees_all_incidents(actor):
        accounts = accounts.filter(Q(party_id=actor.party_id) | Q(shared=True))
    return list(accounts)


def evidence_get(*, actor: Actor, pk: int) -> Evidence:
    """A stored file, if the actor sees the event (or, for a report not in an event, all
    incidents)."""
    try:
        evidence = Evidence.objects.select_related("incident", "verification").get(pk=pk)
    except Evidence.DoesNotExist as exc:
        raise NotFound(pk) from exc
    if rules.sees_all_incidents(actor):
        return evidence
    event_id = (evidence.verification.event_id if evidence.verification is not None
                else evidence.incident.event_id if evidence.incident is not None else None)
    if event_id is None or not visible_events(actor=actor).filter(pk=event_id).exists():
        raise NotFound(pk)
    return evidence


def visible_incidents(*, actor: Actor) -> QuerySet[Incident]:
    if not _signed_in(actor):
        return Incident.objects.none()
    incidents = Incident.objects.select_related("source", "event")
    if rules.sees_all_incidents(actor):
        return incidents
    return incidents.filter(event__in=visible_events(actor=actor).values("pk"))


def incident_list(*, actor: Actor, source: str | None = None, since: datetime | None = None,
                  until: datetime | None = None, limit: int | None = 1000
                  ) -> QuerySet[Incident] | list[Incident]:
    check_query_span(since=since, until=until)
    incidents = visible_incidents(actor=actor)
    if source:
        incidents = incidents.filter(source__name=source)
    if since:
        incidents = incidents.filter(time_start__gte=since)
    if until:
        incidents = incidents.filter(time_start__lt=until)
    # All of them as a query when `limit` is None: the API pages it.
    incidents = incidents.order_by("-time_start", "-pk")
    return incidents if limit is None else list(incidents[:limit])


def import_runs(*, actor: Actor, limit: int = 20) -> list[ImportRun]:
    if not rules.can_import_incidents(actor):
        return []
    return list(ImportRun.objects.select_related("source", "started_by")[:limit])


def import_run_get(*, actor: Actor, pk: int) -> ImportRun:
    if not rules.can_import_incidents(actor):
        raise NotFound(pk)
    try:
        return ImportRun.objects.select_related("source", "started_by").get(pk=pk)
    except ImportRun.DoesNotExist as exc:
        raise NotFound(pk) from exc


def site_alerts(*, actor: Actor, limit: int | None = 50) -> QuerySet[SiteAlert] | list[SiteAlert]:
    """Incidents near notified sites: for monitors and the secretariat all of them, for a
    humanitarian organisation those near its own sites."""
    if not _signed_in(actor):
        return []
    alerts = SiteAlert.objects.select_related(
        "incident", "incident__source", "incident__event", "site")
    if not rules.sees_all_incidents(actor):
        if party_of(actor).kind != Party.Kind.HUMANITARIAN:
            return []
        alerts = alerts.filter(site__organisation_id=actor.party_id)
    alerts = alerts.order_by("-incident__time_start", "pk")
    return alerts if limit is None else list(alerts[:limit])
