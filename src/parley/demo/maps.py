"""The demo's contact line: an illustrative line along the Dnipro and across the Zaporizhzhia
and Donetsk fronts, imported by the secretariat through the service (once; running the demo
again changes nothing)."""

import datetime

from parley.agreements.models import ContactLine
from parley.agreements.services import contact_line_import

# Illustrative only (drawn by hand for the demo from the places of the scenario), longitude first.
DEMO_LINE = [
    [31.55, 46.55], [32.05, 46.5], [32.45, 46.56], [32.62, 46.61], [32.95, 46.7],
    [33.35, 46.76], [33.55, 46.95], [33.78, 47.16], [34.02, 47.35], [34.3, 47.5],
    [34.6, 47.55], [34.85, 47.6], [35.08, 47.62], [35.28, 47.54], [35.6, 47.52],
    [35.9, 47.47], [36.25, 47.6], [36.6, 47.72], [36.95, 47.8], [37.35, 47.87],
    [37.62, 48.0], [37.82, 48.25], [38.0, 48.55], [38.12, 48.85], [37.98, 49.15],
    [37.78, 49.45], [37.75, 49.75], [37.95, 50.05], [38.2, 50.2],
]


def load_maps_demo(users: dict, *, say) -> None:
    if ContactLine.objects.exists():
        return
    contact_line_import(actor=users["secretariat"],
                        geometry={"type": "LineString", "coordinates": DEMO_LINE},
                        valid_on=datetime.date.today(),
                        source="Demo scenario (illustrative)")
    say("Contact line imported (illustrative).")
