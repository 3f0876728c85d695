"""The monitoring panel of the dashboard (registered in `MonitoringConfig.ready`)."""

from datetime import datetime

from django.http import HttpRequest

from parley.monitoring import presenters, selectors
from parley.talks.providers import register_pause_hours
from parley.ui import panels


def monitoring_context(request: HttpRequest, now: datetime) -> dict:
    """Violations, events under review and site alerts; None inside when the reader has none."""
    return {"monitoring": presenters.monitoring_section(
        selectors.monitoring_panel(actor=request.user, now=now), zone=request.user.zone
    )}


def register() -> None:
    panels.register(panels.Panel(name="monitoring", order=50, template="monitoring/_panel.html",
                                 context=monitoring_context))


def process_pause_hours(*, actor, process, now: datetime) -> tuple[int, int]:
    """For the pulse of the talks: elapsed pause hours of the process's agreements the actor
    may see, and those with a confirmed violation."""
    board = selectors.monitoring_dashboard(actor=actor, now=now)
    tallies = [t for t in board.agreements if t.agreement.process_id == process.pk]
    return (sum(t.pause_hours for t in tallies), sum(t.hours_with_confirmed for t in tallies))


def register_talks_pulse() -> None:
    register_pause_hours(process_pause_hours)
