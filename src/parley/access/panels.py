"""The access panel of the dashboard (registered in `AccessConfig.ready`)."""

from datetime import datetime

from django.http import HttpRequest

from parley.access import presenters, selectors
from parley.core.types import user_of
from parley.ui import panels


def access_context(request: HttpRequest, now: datetime) -> dict:
    """The cards for the reader's part in access; none for a monitor or an observer."""
    return {"access_sections": presenters.access_sections(
        selectors.access_panel(actor=user_of(request), now=now), zone=user_of(request).zone
    )}


def register() -> None:
    # First for an organisation (its movements) and the secretariat (what it must decide),
    # second for a party (what awaits its acknowledgement, after its consents).
    panels.register(panels.Panel(
        name="access", order=40, template="access/_panel.html", context=access_context,
        orders={panels.ORGANISATION: 10, panels.SECRETARIAT: 10, panels.PARTY: 20},
        audiences=frozenset({panels.ORGANISATION, panels.SECRETARIAT, panels.PARTY}),
    ))
