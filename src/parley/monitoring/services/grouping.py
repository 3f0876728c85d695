"""Grouping classified incidents into events (the secretariat's distance and time rule)."""

from datetime import timedelta
from typing import Any

import numpy as np

from parley.core.references import random_reference
from parley.monitoring.models import (
    Event,
    Incident,
    MonitoringSettings,
)
from parley.monitoring.services.common import _EARTH_RADIUS_M, monitoring_settings


def _distance_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> np.ndarray:
    """Great-circle distance in metres (haversine; the grouping distance is a rule of thumb
    of a few kilometres, well within its accuracy)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float))
                              for v in (lon1, lat1, lon2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _next_reference(year: int) -> str:
    return random_reference(prefix=f"EV-{year}-", width=4, model=Event, field="reference")


def _group(incidents: Any) -> None:
    """Attach each candidate violation without an event to the nearest event within the
    secretariat's time and distance, or open a new event for it."""
    rule = MonitoringSettings.objects.select_for_update().filter(
        pk=monitoring_settings().pk).get()
    slack = timedelta(minutes=rule.group_minutes)
    degrees = rule.group_distance_m / 100_000 + 0.01
    loose = (incidents.filter(event__isnull=True, classifications__in_window=True)
             .distinct().order_by("time_start", "pk"))
    for incident in loose:
        end = incident.time_end or incident.time_start
        earliest, latest = incident.time_start - slack, end + slack
        # Events are few and carry their span: those near in time first, then their reports
        # (the event's span leaves out its day-long reports, so the reports are checked too).
        events_near = Event.objects.filter(
            time_start__lte=latest + timedelta(days=1), time_end__gte=earliest - timedelta(days=1),
            lat__gte=incident.lat - degrees - 1, lat__lte=incident.lat + degrees + 1,
        ).values("pk")
        nearby = [
            (event_id, lon, lat) for event_id, lon, lat, start, stop in
            Incident.objects.filter(event__in=events_near).values_list(
                "event_id", "lon", "lat", "time_start", "time_end")
            if start <= latest and (stop or start) >= earliest
        ]
        event = None
        if nearby:
            distances = _distance_m([row[1] for row in nearby], [row[2] for row in nearby],
                                    incident.lon, incident.lat)
            best = int(np.argmin(distances))
            if distances[best] <= rule.group_distance_m:
                event = Event.objects.select_for_update().get(pk=nearby[best][0])
        if event is None:
            event = Event.objects.create(
                reference=_next_reference(incident.time_start.year), lon=incident.lon,
                lat=incident.lat, time_start=incident.time_start, time_end=end,
            )
        incident.event = event
        incident.save(update_fields=["event"])
        _fit_event(event)


def _fit_event(event: Event) -> None:
    """The event's span: from its first to its last report of an instant; only when every
    report is known to the day does it span those days. Its place: the most precise report's."""
    reports = list(event.incidents.values_list("time_start", "time_end", "precision_m", "lon",
                                               "lat"))
    instants = [start for start, end, *_rest in reports if end is None]
    if instants:
        event.time_start, event.time_end = min(instants), max(instants)
    else:
        event.time_start = min(start for start, *_rest in reports)
        # No report is an instant here, so every report has an end.
        event.time_end = max(end for _start, end, *_rest in reports if end is not None)
    _start, _end, _precision, event.lon, event.lat = min(reports, key=lambda r: (r[2], r[0]))
    event.save(update_fields=["time_start", "time_end", "lon", "lat", "updated_at"])
