"""CAP 1.2 alerts (OASIS Common Alerting Protocol): a pure builder, no Django.

CAP writes positions latitude first (`"lat,lon"`), the reverse of GeoJSON; polygons are closed
rings of at least four pairs, circles `"lat,lon radius_km"`.
"""

import xml.etree.ElementTree as ElementTree  # noqa: S405 - only builds XML, never parses it
from dataclasses import dataclass, field
from datetime import UTC, datetime

NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"


@dataclass(frozen=True)
class CapArea:
    description: str
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)  # (lon, lat) rings
    circles: list[tuple[float, float, float]] = field(default_factory=list)  # lon, lat, metres


@dataclass(frozen=True)
class CapReference:
    """An earlier alert that this one updates or cancels (CAP 1.2 `<references>`)."""

    sender: str
    identifier: str
    sent: datetime

    def text(self) -> str:
        return f"{self.sender},{self.identifier},{cap_time(self.sent)}"


@dataclass(frozen=True)
class CapAlert:
    identifier: str
    sender: str
    sent: datetime
    event: str
    headline: str
    description: str
    onset: datetime
    expires: datetime
    areas: list[CapArea]
    scope: str = "Restricted"  # Public | Restricted | Private
    restriction: str = ""
    msg_type: str = "Alert"  # Alert | Update | Cancel
    status: str = "Actual"  # Actual | Draft (not in force yet)
    references: tuple[CapReference, ...] = ()
    note: str = ""
    category: str = "Safety"
    urgency: str = "Expected"
    severity: str = "Minor"
    certainty: str = "Observed"
    language: str = "en"
    web: str = ""


def cap_time(moment: datetime) -> str:
    """CAP's dateTime: seconds, an explicit offset, never `Z` (CAP 1.2 §3.3.2)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _pair(lon: float, lat: float) -> str:
    return f"{lat:.6f},{lon:.6f}"


def build(alert: CapAlert) -> str:
    ElementTree.register_namespace("", NAMESPACE)

    def child(parent, tag: str, text: str | None = None):
        element = ElementTree.SubElement(parent, f"{{{NAMESPACE}}}{tag}")
        if text is not None:
            element.text = text
        return element

    root = ElementTree.Element(f"{{{NAMESPACE}}}alert")
    child(root, "identifier", alert.identifier)
    child(root, "sender", alert.sender)
    child(root, "sent", cap_time(alert.sent))
    child(root, "status", alert.status)
    child(root, "msgType", alert.msg_type)
    child(root, "scope", alert.scope)
    if alert.scope == "Restricted":
        child(root, "restriction", alert.restriction)
    if alert.note:
        child(root, "note", alert.note)
    if alert.references:
        child(root, "references", " ".join(reference.text() for reference in alert.references))
    info = child(root, "info")
    child(info, "language", alert.language)
    child(info, "category", alert.category)
    child(info, "event", alert.event)
    child(info, "urgency", alert.urgency)
    child(info, "severity", alert.severity)
    child(info, "certainty", alert.certainty)
    child(info, "onset", cap_time(alert.onset))
    child(info, "expires", cap_time(alert.expires))
    child(info, "senderName", "Parley")
    child(info, "headline", alert.headline)
    child(info, "description", alert.description)
    if alert.web:
        child(info, "web", alert.web)
    for area in alert.areas:
        element = child(info, "area")
        child(element, "areaDesc", area.description)
        for ring in area.polygons:
            child(element, "polygon", " ".join(_pair(lon, lat) for lon, lat in ring))
        for lon, lat, radius_m in area.circles:
            child(element, "circle", f"{_pair(lon, lat)} {radius_m / 1000:.3f}")
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
