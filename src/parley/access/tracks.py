"""Routes imported from files (GeoJSON, GPX tracks or routes, KML LineStrings or gx:Tracks) and
exported for field GPS units (KML, with the schedule as a gx:Track when there is one).

Pure Python (the standard library's ElementTree), no Django, so the import is testable alone.
A file gives the route's positions (longitude, latitude) and, when every point has one, the
time at each (GPS tracks do), which becomes the movement's schedule.
"""

import json
import re
import xml.etree.ElementTree as ElementTree  # noqa: S405 - see `_xml` for why this is safe
from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024
_NAMESPACE = re.compile(r"^\{[^}]*\}")


class TrackError(ValueError):
    """The file is not a route Parley can read; `reason` is a fixed English sentence."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason} ({detail})" if detail else reason)


@dataclass(frozen=True)
class Track:
    coordinates: list[list[float]]
    times: list[str] | None

    @property
    def geometry(self) -> dict:
        return {"type": "LineString", "coordinates": self.coordinates}


def parse_track(data: bytes | str) -> Track:
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise TrackError("the file is larger than 5 MB")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TrackError("the file is not UTF-8 text") from error
    text = data.strip()
    if text.startswith("{"):
        return _geojson(text)
    if text.startswith("<"):
        return _xml(text)
    raise TrackError("the file is neither GeoJSON nor GPX nor KML")


def _geojson(text: str) -> Track:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise TrackError("the file is not valid JSON",
                         f"line {error.lineno}, column {error.colno}: {error.msg}") from error
    times = None
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        lines = [f for f in value.get("features") or []
                 if isinstance(f, dict) and (f.get("geometry") or {}).get("type") == "LineString"]
        if len(lines) != 1:
            raise TrackError("the collection must hold exactly one LineString",
                             f"it holds {len(lines)}")
        value = lines[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        properties = value.get("properties") or {}
        times = properties.get("times") if isinstance(properties, dict) else None
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") != "LineString":
        raise TrackError("the GeoJSON is not a LineString route")
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list):
        raise TrackError("the LineString has no coordinates")
    return Track(coordinates=coordinates,
                 times=times if isinstance(times, list) else None)


def _local(tag: str) -> str:
    return _NAMESPACE.sub("", tag)


def _xml(text: str) -> Track:
    # ElementTree never fetches external entities, and the expat bundled with Python 3.12 stops
    # entity-expansion bombs, which leaves no XML attack the file could carry.
    try:
        root = ElementTree.fromstring(text)  # noqa: S314
    except ElementTree.ParseError as error:
        raise TrackError("the file is not well-formed XML", str(error)) from error
    kind = _local(root.tag)
    if kind == "gpx":
        return _gpx(root)
    if kind == "kml":
        return _kml(root)
    raise TrackError("the XML is neither GPX nor KML", f"its root element is <{kind}>")


def _number(value: str | None, what: str) -> float:
    if value is None:
        raise TrackError(f"a {what} is not a number", repr(value))
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise TrackError(f"a {what} is not a number", repr(value)) from error


def _gpx(root) -> Track:
    points = [e for e in root.iter() if _local(e.tag) == "trkpt"] or \
        [e for e in root.iter() if _local(e.tag) == "rtept"]
    if len(points) < 2:
        raise TrackError("the GPX file has fewer than 2 track or route points")
    coordinates, times = [], []
    for point in points:
        coordinates.append([_number(point.get("lon"), "longitude"),
                            _number(point.get("lat"), "latitude")])
        stamp = next((child.text for child in point if _local(child.tag) == "time"), None)
        times.append(stamp.strip() if stamp else None)
    return Track(coordinates=coordinates,
                 times=[stamp for stamp in times if stamp] if all(times) else None)


def _kml(root) -> Track:
    tracks = [e for e in root.iter() if _local(e.tag) == "Track"]
    if tracks:
        track = tracks[0]
        whens = [e.text.strip() for e in track if _local(e.tag) == "when" and e.text]
        coords = [e.text.split() for e in track if _local(e.tag) == "coord" and e.text]
        coordinates = [[_number(c[0], "longitude"), _number(c[1], "latitude")] for c in coords]
        if len(coordinates) < 2:
            raise TrackError("the KML track has fewer than 2 points")
        return Track(coordinates=coordinates,
                     times=whens if len(whens) == len(coordinates) else None)
    lines = [e for e in root.iter() if _local(e.tag) == "LineString"]
    if len(lines) != 1:
        raise TrackError("the KML file must hold exactly one LineString or gx:Track",
                         f"it holds {len(lines)} LineStrings")
    text = next((e.text for e in lines[0] if _local(e.tag) == "coordinates"), None) or ""
    coordinates = []
    for tuple_text in text.split():
        parts = tuple_text.split(",")
        if len(parts) < 2:
            raise TrackError("a KML coordinate must be longitude,latitude[,altitude]",
                             tuple_text)
        coordinates.append([_number(parts[0], "longitude"), _number(parts[1], "latitude")])
    if len(coordinates) < 2:
        raise TrackError("the KML LineString has fewer than 2 positions")
    return Track(coordinates=coordinates, times=None)


KML = "http://www.opengis.net/kml/2.2"
GX = "http://www.google.com/kml/ext/2.2"


def kml_document(name: str, coordinates: list[list[float]], times: list[str] | None,
                 description: str = "") -> str:
    """One Placemark: a gx:Track (a `when` per position) when the times are known, else a
    LineString."""
    ElementTree.register_namespace("", KML)
    ElementTree.register_namespace("gx", GX)
    root = ElementTree.Element(f"{{{KML}}}kml")
    document = ElementTree.SubElement(root, f"{{{KML}}}Document")
    ElementTree.SubElement(document, f"{{{KML}}}name").text = name
    placemark = ElementTree.SubElement(document, f"{{{KML}}}Placemark")
    ElementTree.SubElement(placemark, f"{{{KML}}}name").text = name
    if description:
        ElementTree.SubElement(placemark, f"{{{KML}}}description").text = description
    if times and len(times) == len(coordinates):
        track = ElementTree.SubElement(placemark, f"{{{GX}}}Track")
        for moment in times:
            ElementTree.SubElement(track, f"{{{KML}}}when").text = moment
        for lon, lat, *_altitude in coordinates:
            ElementTree.SubElement(track, f"{{{GX}}}coord").text = f"{lon} {lat} 0"
    else:
        line = ElementTree.SubElement(placemark, f"{{{KML}}}LineString")
        ElementTree.SubElement(line, f"{{{KML}}}coordinates").text = " ".join(
            f"{lon},{lat},0" for lon, lat, *_altitude in coordinates)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
