"""The monitoring panel of the dashboard (registered in `MonitoringConfig.ready`)."""

from datetime import datetime

from django.http import HttpRequest

from parley.monitoring import presenters, selectors
from parley.ui import panels


def monitoring_context(request: HttpRequest, now: datetime) -> dict:
    """Violations, events under review and site alerts; None inside when the reader has none."""
    return {"monitoring": presenters.monitoring_section(
        selectors.monitoring_panel(actor=request.user, now=now), zone=request.user.zone
    )}


def register() -> None:
    panels.register(panels.Panel(name="monitoring", order=50, template="monitoring/_panel.html",
                                 context=monitoring_context))
