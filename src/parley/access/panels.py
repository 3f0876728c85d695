"""The access panel of the dashboard (registered in `AccessConfig.ready`)."""

from datetime import datetime

from django.http import HttpRequest

from parley.access import presenters, selectors
from parley.ui import panels


def access_context(request: HttpRequest, now: datetime) -> dict:
    """The cards for the reader's part in access; none for a monitor or an observer."""
    return {"access_sections": presenters.access_sections(
        selectors.access_panel(actor=request.user, now=now), zone=request.user.zone
    )}


def register() -> None:
    panels.register(panels.Panel(name="access", order=40, template="access/_panel.html",
                                 context=access_context))
