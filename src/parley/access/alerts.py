"""CAP 1.2 alerts and iCalendar entries about access, from models: the Django side of `cap`.

A movement's alert carries the agreement's areas and the times, never the route, plates or
people: those stay behind the logged need-to-know views.
"""

import numpy as np
import shapely
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from parley.access.cap import CapAlert, CapArea
from parley.agreements.selectors import agreement_areas_geojson, agreement_windows
from parley.engines import geo, timewin

SENDER = "parley@geneva-talks.invalid"


def agreement_cap_areas(agreement) -> list[CapArea]:
    """Each area of the agreement as CAP draws it: polygons as they are, corridors as their
    outline `width_m / 2` from the line, sites as circles."""
    areas = []
    for area in geo.parse_areas(agreement_areas_geojson(agreement)):
        name = area.properties.get("name") or f"{agreement.code} {area.id}"
        geometry = area.geometry
        if geometry.geom_type in ("Point", "MultiPoint"):
            circles = [(x, y, area.width_m / 2) for x, y in shapely.get_coordinates(geometry)]
            areas.append(CapArea(name, circles=circles))
            continue
        shape_m, transformer = geo.area_shape_m(area)
        rings = []
        for polygon in getattr(shape_m, "geoms", [shape_m]):
            xy = np.asarray(polygon.exterior.coords)
            lon, lat = transformer.transform(xy[:, 0], xy[:, 1], direction="INVERSE")
            rings.append(list(zip(np.round(lon, 6).tolist(), np.round(lat, 6).tolist(),
                                  strict=True)))
        areas.append(CapArea(name, polygons=rings))
    return areas


def next_window_change(agreement, now=None) -> tuple[str, timewin.Window] | None:
    """`("close", window)` while a window is open, else `("open", the next window)`."""
    now = now or timezone.now()
    for window in agreement_windows(agreement):
        if window.start <= now < window.end:
            return "close", window
        if window.start > now:
            return "open", window
    return None


def window_alert(agreement, change: str, window: timewin.Window, *, web: str = "") -> CapAlert:
    at = window.start if change == "open" else window.end
    event = (gettext("Humanitarian pause window opens") if change == "open"
             else gettext("Humanitarian pause window closes"))
    return CapAlert(
        identifier=f"parley-{agreement.code}-{change}-{at:%Y%m%dT%H%M%SZ}",
        sender=SENDER,
        sent=timezone.now(),
        event=event,
        headline=f"{agreement.code}: {event}",
        description=gettext("%(title)s. Window %(start)s to %(end)s (UTC).") % {
            "title": agreement.title,
            "start": window.start.strftime("%Y-%m-%d %H:%M"),
            "end": window.end.strftime("%Y-%m-%d %H:%M")},
        onset=at,
        expires=window.end if change == "open" else at,
        areas=agreement_cap_areas(agreement),
        scope="Public" if agreement.public else "Restricted",
        restriction="" if agreement.public else gettext("Parties to the talks and agencies "
                                                        "moving under the agreement"),
        urgency="Immediate" if change == "close" else "Expected",
        web=web,
    )


def movement_alert(movement, *, web: str = "") -> CapAlert:
    version = movement.current_version
    return CapAlert(
        identifier=f"parley-{movement.reference}-v{version.number}",
        sender=SENDER,
        sent=version.released_at or version.notified_at,
        event=gettext("Humanitarian movement notified"),
        headline=gettext("%(organisation)s: %(purpose)s under %(agreement)s") % {
            "organisation": movement.organisation.name_en,
            "purpose": movement.get_purpose_display().lower(),
            "agreement": movement.agreement.code},
        description=ngettext(
            "Movement %(reference)s (version %(version)d), %(vehicles)d vehicle, on the road "
            "from %(start)s to %(end)s (UTC).",
            "Movement %(reference)s (version %(version)d), %(vehicles)d vehicles, on the road "
            "from %(start)s to %(end)s (UTC).",
            len(version.vehicles),
        ) % {
            "reference": movement.reference, "version": version.number,
            "vehicles": len(version.vehicles),
            "start": version.starts_at.strftime("%Y-%m-%d %H:%M"),
            "end": version.ends_at.strftime("%Y-%m-%d %H:%M")},
        onset=version.starts_at,
        expires=version.ends_at,
        areas=agreement_cap_areas(movement.agreement),
        scope="Restricted",
        restriction=gettext("The notifying organisation, the parties whose areas the route "
                            "crosses and the secretariat"),
        msg_type="Alert" if version.number == 1 else "Update",
        web=web,
    )
