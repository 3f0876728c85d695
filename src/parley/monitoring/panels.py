"""The monitoring panel of the dashboard (registered in `MonitoringConfig.ready`)."""

from datetime import datetime

from django.http import HttpRequest

from parley.core.types import user_of
from parley.monitoring import presenters, rules, selectors
from parley.monitoring.models import Event
from parley.talks.providers import register_pause_hours
from parley.ui import panels
from parley.ui.clock import read_instant


def monitoring_context(request: HttpRequest, now: datetime) -> dict:
    """Violations, events under review and site alerts; None inside when the reader has none."""
    return {"monitoring": presenters.monitoring_section(
        selectors.monitoring_panel(actor=user_of(request), now=now), zone=user_of(request).zone
    )}


QUEUE_LISTED = 8


def queue_context(request: HttpRequest, now: datetime) -> dict | None:
    """A monitor's review queue: the candidate events, oldest first (they waited longest), and
    how many events are under review; None for anyone who does not verify events."""
    actor = user_of(request)
    if not rules.can_verify_event(actor):
        return None
    events = selectors.visible_events(actor=actor)
    candidates = events.filter(status=Event.Status.CANDIDATE).order_by("time_start", "reference")
    return {
        "candidates": [
            {"event": event, "when": read_instant(event.time_start, [actor.zone])}
            for event in candidates[:QUEUE_LISTED]
        ],
        "candidate_count": candidates.count(),
        "review_count": events.filter(status=Event.Status.UNDER_REVIEW).count(),
    }


def register() -> None:
    panels.register(panels.Panel(name="monitoring.queue", order=5,
                                 template="monitoring/_panel_queue.html", context=queue_context,
                                 audiences=frozenset({panels.MONITOR})))
    # A monitor's work comes first; an observer reads the violations after the windows.
    panels.register(panels.Panel(
        name="monitoring", order=50, template="monitoring/_panel.html",
        context=monitoring_context,
        orders={panels.MONITOR: 10, panels.OBSERVER: 30, panels.ORGANISATION: 35,
                panels.SECRETARIAT: 35, panels.PARTY: 60},
    ))


def process_pause_hours(*, actor, process, now: datetime) -> tuple[int, int]:
    """For the pulse of the talks: elapsed pause hours of the process's agreements the actor
    may see, and those with a confirmed violation."""
    board = selectors.monitoring_dashboard(actor=actor, now=now)
    tallies = [t for t in board.agreements if t.agreement.process_id == process.pk]
    return (sum(t.pause_hours for t in tallies), sum(t.hours_with_confirmed for t in tallies))


def register_talks_pulse() -> None:
    register_pause_hours(process_pause_hours)
