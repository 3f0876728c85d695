"""CAP 1.2 alerts and iCalendar entries about access, from models: the Django side of `cap`.

A movement's alert carries the agreement's areas and the times, never the route, plates or
people: those stay behind the logged need-to-know views.

What a CAP consumer relies on (docs/formats.md §7):
- the same identifier always comes with the same `sent`: it is the stored moment the alert's
  content was decided (a version created, the last consent that made it agreed, a movement
  version released, a suspension, termination or cancellation recorded in the audit trail);
- an Update or a Cancel lists in `<references>` every earlier alert it supersedes;
- nothing is `Actual` before it is agreed: drafts and proposals go out as `Draft` with certainty
  `Possible`; an agreed window that is still to open is `Likely`, one that is open `Observed`;
- each kind has its own wording (pause, corridor, local ceasefire, protected site, movement).
"""

from datetime import datetime

import shapely
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from parley.access.cap import CapAlert, CapArea, CapReference
from parley.agreements.models import Agreement, AgreementVersion
from parley.agreements.selectors import agreement_areas_geojson, version_windows
from parley.audit.history import latest_change
from parley.core.types import existing
from parley.engines import geo, timewin
from parley.engines.geo.export import CAP_TOLERANCE_M, cap_polygons

SENDER = "parley@geneva-talks.invalid"
NOT_YET_AGREED = (Agreement.Status.DRAFT, Agreement.Status.PROPOSED, Agreement.Status.COUNTERED)
WITHDRAWN = (Agreement.Status.SUSPENDED, Agreement.Status.TERMINATED)


def agreement_cap_areas(agreement: Agreement) -> list[CapArea]:
    """Each area of the agreement as CAP draws it: hole-free polygons that together cover the
    area (simplified to `CAP_TOLERANCE_M` without shrinking it), sites as circles."""
    areas = []
    for area in geo.parse_areas(agreement_areas_geojson(agreement)):
        name = area.properties.get("name") or f"{agreement.code} {area.id}"
        if area.geometry.geom_type in ("Point", "MultiPoint"):
            width = existing(area.width_m, f"width of site {name}")  # a site has one
            circles = [(x, y, width / 2)
                       for x, y in shapely.get_coordinates(area.geometry)]
            areas.append(CapArea(name, circles=circles))
            continue
        rings = [[(round(x, 6), round(y, 6)) for x, y in polygon.exterior.coords]
                 for polygon in cap_polygons(area, CAP_TOLERANCE_M)]
        areas.append(CapArea(name, polygons=rings))
    return areas


def next_window_change(agreement: Agreement, now: datetime | None = None
                       ) -> tuple[str, timewin.Window] | None:
    """`("close", window)` while a window is open, else `("open", the next window)`."""
    now = now or timezone.now()
    for window in version_windows(agreement.current_version):
        if window.start <= now < window.end:
            return "close", window
        if window.start > now:
            return "open", window
    return None


def _event(agreement: Agreement, change: str) -> str:
    geometry_types = {area["geometry"]["type"]
                      for area in agreement_areas_geojson(agreement)["features"]}
    opens = change == "open"
    if agreement.kind == Agreement.Kind.CEASEFIRE:
        return gettext("Local ceasefire begins") if opens else gettext("Local ceasefire ends")
    if geometry_types and geometry_types <= {"Point", "MultiPoint"}:
        return (gettext("Protection of a site begins") if opens
                else gettext("Protection of a site ends"))
    if geometry_types and geometry_types <= {"LineString", "MultiLineString"}:
        return (gettext("Humanitarian corridor opens") if opens
                else gettext("Humanitarian corridor closes"))
    return (gettext("Humanitarian pause window opens") if opens
            else gettext("Humanitarian pause window closes"))


def _window_identifier(agreement: Agreement, version: AgreementVersion, change: str,
                       window: timewin.Window) -> str:
    at = window.start if change == "open" else window.end
    return f"parley-{agreement.code}-v{version.number}-{change}-{at:%Y%m%dT%H%M%SZ}"


def _decided_at(agreement: Agreement, version: AgreementVersion) -> datetime:
    """When this version's alert content was decided: the last consent that made it agreed,
    or the version's creation while it is only proposed."""
    if agreement.status in NOT_YET_AGREED:
        return version.created_at
    last_consent = version.consents.aggregate(last=Max("at"))["last"]
    return last_consent or version.created_at


def _earlier_version_reference(agreement: Agreement, version: AgreementVersion, change: str,
                               index: int) -> tuple[CapReference, ...]:
    """The alert the previous version gave for its window at the same position, which this
    version's alert supersedes."""
    previous = agreement.versions.filter(number__lt=version.number).order_by("-number").first()
    if previous is None:
        return ()
    windows = version_windows(previous)
    if index >= len(windows):
        return ()
    return (CapReference(SENDER, _window_identifier(agreement, previous, change, windows[index]),
                         previous.created_at),)


def window_alert(agreement: Agreement, change: str, window: timewin.Window, *,
                 web: str = "") -> CapAlert:
    version = existing(agreement.current_version, f"version of {agreement.code}")
    index = version_windows(version).index(window)
    identifier = _window_identifier(agreement, version, change, window)
    at = window.start if change == "open" else window.end
    event = _event(agreement, change)
    references = _earlier_version_reference(agreement, version, change, index)
    sent, msg_type, note = _decided_at(agreement, version), "Alert", ""
    if references:
        msg_type = "Update"
    if agreement.status in WITHDRAWN:
        # The agreed alert for this window no longer holds: cancel it, referring to it.
        references = (CapReference(SENDER, identifier, _decided_at(agreement, version)),)
        last_change = latest_change(obj=agreement)
        sent = last_change.at if last_change else agreement.updated_at
        identifier, msg_type = f"{identifier}-{agreement.status}", "Cancel"
        note = (gettext("The agreement is suspended.")
                if agreement.status == Agreement.Status.SUSPENDED
                else gettext("The agreement is terminated."))
    if agreement.status in NOT_YET_AGREED:
        status, certainty = "Draft", "Possible"
    else:
        status, certainty = "Actual", ("Observed" if change == "close" else "Likely")
    return CapAlert(
        identifier=identifier,
        sender=SENDER,
        sent=sent,
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
        certainty=certainty,
        status=status,
        msg_type=msg_type,
        references=references,
        note=note,
        web=web,
    )


def _movement_identifier(movement, version) -> str:
    return f"parley-{movement.reference}-v{version.number}"


def _movement_sent(version) -> datetime:
    return version.released_at or version.notified_at


def movement_alert(movement, *, web: str = "", seen=None) -> CapAlert:
    """The alert of the current version. `seen`: the versions the reader was addressed on
    (`selectors.movement_versions`); only those are referred to as superseded, so a party
    learns nothing of a version it never received."""
    version = movement.current_version
    versions = movement.versions.order_by("number") if seen is None else seen
    earlier = [v for v in versions
               if v.number < version.number and v.released_at is not None]
    references = tuple(CapReference(SENDER, _movement_identifier(movement, v), _movement_sent(v))
                       for v in earlier)
    identifier, sent = _movement_identifier(movement, version), _movement_sent(version)
    msg_type, note = ("Update" if references else "Alert"), ""
    if movement.status == movement.Status.CANCELLED:
        references = (*references, CapReference(SENDER, identifier, sent))
        last_change = latest_change(obj=movement)
        sent = last_change.at if last_change else sent
        identifier, msg_type = f"{identifier}-cancelled", "Cancel"
        note = gettext("The movement is cancelled.")
    return CapAlert(
        identifier=identifier,
        sender=SENDER,
        sent=sent,
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
        msg_type=msg_type,
        certainty="Likely",
        references=references,
        note=note,
        web=web,
    )
