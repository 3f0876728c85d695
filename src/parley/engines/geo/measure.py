"""Agreement areas measured for people: a circle's centre and radius, a corridor's geodesic
length and width, a zone's area, and how far and which way an area moved between two versions.

Pure functions over GeoJSON features (docs/formats.md §2); lengths and areas on the WGS 84
ellipsoid (`pyproj.Geod`), never in degrees. They return numbers and codes; the words are
`parley.ui.words`'.
"""

from dataclasses import dataclass
from typing import Any

import shapely
from pyproj import Geod

GEOD = Geod(ellps="WGS84")

CIRCLE = "circle"
CORRIDOR = "corridor"
ZONE = "zone"
POINT = "point"
LINE = "line"
OTHER = "other"

# Eight compass points, clockwise from north; each covers 45° centred on its bearing.
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


@dataclass(frozen=True)
class Measure:
    """What a person needs to picture an area: `shape` is one of the codes above."""

    shape: str
    centre: tuple[float, float] | None = None  # (lon, lat): a circle's centre, else the centroid
    radius_m: float | None = None  # circles
    length_m: float | None = None  # corridors and bare lines
    width_m: float | None = None  # corridors
    area_m2: float | None = None  # zones


def _positions(geometry: dict[str, Any]) -> list[Any]:
    return geometry.get("coordinates") or []


def _line_length_m(coordinates: list[Any]) -> float:
    if len(coordinates) < 2:
        return 0.0
    lons = [float(p[0]) for p in coordinates]
    lats = [float(p[1]) for p in coordinates]
    return float(GEOD.line_length(lons, lats))


def _centroid(geometry: dict[str, Any]) -> tuple[float, float] | None:
    try:
        shape = shapely.geometry.shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        return None
    if shape.is_empty:
        return None
    point = shape.centroid
    return (float(point.x), float(point.y))


def measure_feature(feature: dict[str, Any]) -> Measure:
    """A stored area feature measured: a Point with `width_m` (the diameter) is a circle, a
    LineString with `width_m` a corridor, a Polygon or MultiPolygon a zone."""
    geometry = feature.get("geometry") or {}
    kind = geometry.get("type")
    width = (feature.get("properties") or {}).get("width_m")
    width = float(width) if isinstance(width, int | float) and not isinstance(width, bool) \
        else None
    try:
        if kind == "Point":
            lon, lat = (float(v) for v in _positions(geometry)[:2])
            if width:
                return Measure(CIRCLE, centre=(lon, lat), radius_m=width / 2)
            return Measure(POINT, centre=(lon, lat))
        if kind in ("LineString", "MultiLineString"):
            lines = [_positions(geometry)] if kind == "LineString" else _positions(geometry)
            length = sum(_line_length_m(line) for line in lines)
            return Measure(CORRIDOR if width else LINE, centre=_centroid(geometry),
                           length_m=length, width_m=width)
        if kind in ("Polygon", "MultiPolygon"):
            shape = shapely.geometry.shape(geometry)
            area, _perimeter = GEOD.geometry_area_perimeter(shape)
            return Measure(ZONE, centre=_centroid(geometry), area_m2=abs(float(area)))
    except (ValueError, TypeError, IndexError, AttributeError):
        pass
    return Measure(OTHER, centre=_centroid(geometry) if kind else None)


def compass_point(azimuth_deg: float) -> str:
    """The compass point (one of `COMPASS`) nearest a bearing in degrees from north."""
    return COMPASS[round((azimuth_deg % 360) / 45) % 8]


def displacement(before: tuple[float, float], after: tuple[float, float]) -> tuple[float, str]:
    """How far (metres, geodesic) and which way (a `COMPASS` code) a centre moved."""
    azimuth, _back, distance = GEOD.inv(before[0], before[1], after[0], after[1])
    return float(distance), compass_point(float(azimuth))
