"""The monitoring dashboard: tallies per agreement and per day."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.utils import timezone

from parley.agreements.models import Agreement
from parley.agreements.rules import SETTLED
from parley.agreements.selectors import agreement_windows, visible_agreements
from parley.core.types import Actor
from parley.monitoring import rules
from parley.monitoring.models import (
    Classification,
    Event,
    MonitoringSettings,
)
from parley.monitoring.selectors.events import OPEN_STATUSES, visible_events


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


def _hour_slots(windows: Any, now: datetime) -> np.ndarray:
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


def monitoring_dashboard(*, actor: Actor, now: datetime | None = None, days: int = 14) -> Dashboard:
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
        day_tally = day_tallies.get(event.time_start.astimezone(UTC).date())
        if day_tally is None:
            continue
        if event.status in OPEN_STATUSES:
            day_tally.open += 1
        elif event.status == Event.Status.CONFIRMED:
            day_tally.confirmed += 1
        else:
            day_tally.other += 1
    return Dashboard(agreements=tallies, days=list(day_tallies.values()),
                     status_counts=status_counts, pause_hours=total_slots,
                     hours_with_confirmed=total_hit)


def grouping_rule(*, actor: Actor) -> MonitoringSettings | None:
    """The grouping rule for whoever sets it (the secretariat), None for anyone else. A read:
    before the rule was first set, the defaults of an unsaved row (nothing is written)."""
    if not rules.can_change_monitoring_settings(actor):
        return None
    return MonitoringSettings.objects.order_by("pk").first() or MonitoringSettings()
