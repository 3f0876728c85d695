"""The access panel of the dashboard (registered in `AccessConfig.ready`)."""

from datetime import datetime

from django.http import HttpRequest

from parley.access import presenters, selectors
from parley.core.types import user_of
from parley.ui import maplayers, panels


def access_context(request: HttpRequest, now: datetime) -> dict:
    """The cards for the reader's part in access; none for a monitor or an observer."""
    return {"access_sections": presenters.access_sections(
        selectors.access_panel(actor=user_of(request), now=now), zone=user_of(request).zone
    )}


def sites_and_hazards(request: HttpRequest, near) -> list[dict]:
    """For the maps of other apps' editors: the sites and active hazards the reader may see,
    those near `near` (a bounding box) when given."""
    features = presenters.sites_map(selectors.site_list(actor=user_of(request)),
                                     selectors.hazard_list(actor=user_of(request)))["features"]
    return [feature for feature in features if maplayers.within(feature, near)]


def register() -> None:
    maplayers.register("access.sites_hazards", sites_and_hazards)
    # First for an organisation (its movements) and the secretariat (what it must decide),
    # second for a party (what awaits its acknowledgement, after its consents).
    panels.register(panels.Panel(
        name="access", order=40, template="access/_panel.html", context=access_context,
        orders={panels.ORGANISATION: 10, panels.SECRETARIAT: 10, panels.PARTY: 20},
        audiences=frozenset({panels.ORGANISATION, panels.SECRETARIAT, panels.PARTY}),
    ))
