"""Geometry sanity: values that are valid GeoJSON but implausible for Parley's region.

Refusals (`GeometryRefusal`): an area larger than `bounds.RANGES["area_km2"]` (1 000 000 km²,
more than Ukraine's 603 550 km²), which includes a polygon covering the world.

Warnings (`GeometryWarning`, never refusals): each names the likely cause.
- `large_area`: an area larger than `LARGE_AREA_KM2` (100 000 km², more than any oblast).
- `outside_region`: a point far outside the region of Ukraine and Russia (`REGION`).
- `outside_agreement`: a point more than `FAR_FROM_AGREEMENT_KM` from the agreement's areas.
- `swapped`: the point is outside, but with latitude and longitude exchanged it is inside
  ("latitude and longitude may be swapped").

Pure: positions are (longitude, latitude) in WGS 84, as in GeoJSON.
"""

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pyproj import Geod

from parley.engines import bounds

WGS84 = Geod(ellps="WGS84")
LARGE_AREA_KM2 = 100_000.0
FAR_FROM_AGREEMENT_KM = 100.0
# The region of Ukraine and Russia, as longitude/latitude boxes (Russia's east crosses the
# antimeridian), with some 50 km to spare; points outside are far from any Parley area.
REGION: tuple[tuple[float, float, float, float], ...] = (
    (19.0, 40.5, 180.0, 82.5),  # Kaliningrad and Crimea to the Bering Strait, Arctic islands
    (-180.0, 62.0, -168.0, 72.0),  # Chukotka east of the antimeridian
)
REGION_NAME = "Ukraine's and Russia's region"
KM_PER_DEGREE = 111.32
EARTH_M2 = 510_065_621_724_000.0  # WGS 84's surface


@dataclass(frozen=True)
class GeometryWarning:
    code: str
    message: str
    field: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class GeometryRefusal(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def in_region(lon: float, lat: float) -> bool:
    return any(w <= lon <= e and s <= lat <= n for w, s, e, n in REGION)


def _box_distance_km(lon: float, lat: float, box: tuple[float, float, float, float]) -> float:
    """Approximate distance (km) from a point to a longitude/latitude box: 0 inside."""
    west, south, east, north = box
    dlat = max(south - lat, 0.0, lat - north)
    dlon = max(west - lon, 0.0, lon - east)
    dlon = min(dlon, 360.0 - dlon) if dlon else 0.0
    mid = math.radians(min(max(lat, south), north))
    return math.hypot(dlat * KM_PER_DEGREE, dlon * KM_PER_DEGREE * math.cos(mid))


def positions_of(geometry: Any) -> list[tuple[float, float]]:
    """Every (lon, lat) position of a GeoJSON geometry (or feature, or collection); what is not
    a position is skipped (validation names it elsewhere)."""
    found: list[tuple[float, float]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("type") == "FeatureCollection":
                for feature in value.get("features") or []:
                    walk(feature)
            elif value.get("type") == "Feature":
                walk(value.get("geometry"))
            elif value.get("type") == "GeometryCollection":
                for item in value.get("geometries") or []:
                    walk(item)
            else:
                walk(value.get("coordinates"))
        elif isinstance(value, list | tuple):
            if len(value) >= 2 and all(_is_number(v) for v in value[:2]):
                found.append((float(value[0]), float(value[1])))
            else:
                for item in value:
                    walk(item)

    walk(geometry)
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _rings(geometry: dict[str, Any]) -> list[list[list[tuple[float, float]]]]:
    """The polygons of a Polygon or MultiPolygon geometry as lists of rings."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    result = []
    for polygon in polygons or []:
        rings = [
            [
                (float(p[0]), float(p[1]))
                for p in ring
                if isinstance(p, list | tuple)
                and len(p) >= 2
                and _is_number(p[0])
                and _is_number(p[1])
            ]
            for ring in polygon or []
            if isinstance(ring, list)
        ]
        result.append([ring for ring in rings if len(ring) >= 3])
    return result


def _densified(ring: Sequence[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """The ring with vertices added along each edge, so that its geodesic edges follow the
    straight longitude/latitude lines that Parley's areas have (docs/formats.md §2) closely
    enough for an area's size: at most 10 000 vertices are added."""
    edges = list(zip(ring, ring[1:], strict=False))
    total = sum(max(abs(b[0] - a[0]), abs(b[1] - a[1])) for a, b in edges)
    step = max(0.5, total / 10_000)
    lons: list[float] = []
    lats: list[float] = []
    for (lon0, lat0), (lon1, lat1) in edges:
        parts = max(1, math.ceil(max(abs(lon1 - lon0), abs(lat1 - lat0)) / step))
        for k in range(parts):
            lons.append(lon0 + (lon1 - lon0) * k / parts)
            lats.append(lat0 + (lat1 - lat0) * k / parts)
    lons.append(ring[-1][0])
    lats.append(ring[-1][1])
    return lons, lats


def _line_length_km(positions: Sequence[tuple[float, float]]) -> float:
    if len(positions) < 2:
        return 0.0
    lons, lats = zip(*positions, strict=True)
    return float(WGS84.line_length(lons, lats)) / 1000.0


def area_km2(geometry: dict[str, Any], width_m: float | None = None) -> float:
    """The ground area of a polygon, or of a corridor (line length × width) or a site
    (a disc of diameter `width_m`), in km²."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind in ("Polygon", "MultiPolygon"):
        total = 0.0
        for rings in _rings(geometry):
            for index, ring in enumerate(rings):
                lons, lats = _densified(ring)
                area, _perimeter = WGS84.polygon_area_perimeter(lons, lats)
                # The geodesic area is signed by the ring's direction on the sphere; a ring
                # that goes round most of the world reads as its small complement. The plane's
                # direction (longitude/latitude, as Parley draws areas) tells which side.
                planar = sum(
                    x0 * y1 - x1 * y0
                    for x0, y0, x1, y1 in zip(lons, lats, lons[1:], lats[1:], strict=False)
                )
                if area and planar and (area > 0) != (planar > 0):
                    area = EARTH_M2 - abs(area)
                total += abs(area) * (1 if index == 0 else -1)
        return max(total, 0.0) / 1e6
    width_km = (width_m or 0.0) / 1000.0
    if kind in ("LineString", "MultiLineString"):
        lines = (
            [geometry.get("coordinates")]
            if kind == "LineString"
            else geometry.get("coordinates") or []
        )
        return sum(_line_length_km(positions_of(line)) for line in lines) * width_km
    if kind in ("Point", "MultiPoint"):
        count = len(positions_of(geometry))
        return count * math.pi * (width_km / 2) ** 2
    return 0.0


def check_areas(feature_collection: Any) -> tuple[list[GeometryWarning], list[GeometryRefusal]]:
    """Warnings and refusals for an agreement's areas (a GeoJSON FeatureCollection)."""
    warnings: list[GeometryWarning] = []
    refusals: list[GeometryRefusal] = []
    if not isinstance(feature_collection, dict):
        return warnings, refusals
    largest = bounds.RANGES["area_km2"].high
    for index, feature in enumerate(feature_collection.get("features") or []):
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            continue
        name = str(feature.get("id", f"#{index}"))
        properties = feature.get("properties") or {}
        width = properties.get("width_m") if isinstance(properties, dict) else None
        try:
            size = area_km2(feature["geometry"], width if _is_number(width) else None)
        except (ValueError, TypeError):
            continue
        if size > largest:
            refusals.append(
                GeometryRefusal(
                    "areas",
                    f"Feature {name}: covers {size:,.0f} km², more than {largest:,.0f} km² (larger "
                    "than a country: is it drawn around the world, or are its coordinates in the "
                    "wrong order?)",
                )
            )
        elif size > LARGE_AREA_KM2:
            warnings.append(
                GeometryWarning(
                    "large_area",
                    f"Feature {name} covers {size:,.0f} km², more than {LARGE_AREA_KM2:,.0f} km² "
                    "(larger than any oblast): check its width and its coordinates.",
                    "areas",
                    {"feature": name, "area_km2": round(size)},
                )
            )
        warnings.extend(
            check_points(positions_of(feature["geometry"]), field="areas", what=f"Feature {name}")
        )
    return warnings, refusals


def check_points(
    positions: Iterable[tuple[float, float]],
    *,
    field: str = "",
    what: str = "",
    near: Sequence[tuple[float, float]] | None = None,
    limit: int = 1,
) -> list[GeometryWarning]:
    """Warnings for positions far outside the region (or, given `near`, more than
    `FAR_FROM_AGREEMENT_KM` from the bounding box of those positions, the agreement's areas),
    naming swapped latitude and longitude when exchanging them brings the point in. At most
    `limit` warnings of each kind (the first positions)."""
    box = _box(near) if near else None
    warnings: list[GeometryWarning] = []
    outside = far = 0
    prefix = f"{what}: " if what else ""
    for lon, lat in positions:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            continue
        if box is not None:
            distance = _box_distance_km(lon, lat, box)
            if distance > FAR_FROM_AGREEMENT_KM:
                far += 1
                if far > limit:
                    continue
                if -90 <= lon <= 90 and _box_distance_km(lat, lon, box) <= FAR_FROM_AGREEMENT_KM:
                    warnings.append(_swapped(lon, lat, field, prefix, "the agreement's areas"))
                else:
                    warnings.append(
                        GeometryWarning(
                            "outside_agreement",
                            f"{prefix}({lon:g}, {lat:g}) lies about {distance:,.0f} km from the "
                            "agreement's areas: check the coordinates.",
                            field,
                            {"lon": lon, "lat": lat, "distance_km": round(distance)},
                        )
                    )
                continue
        if not in_region(lon, lat):
            outside += 1
            if outside > limit:
                continue
            if -90 <= lon <= 90 and in_region(lat, lon):
                warnings.append(_swapped(lon, lat, field, prefix, REGION_NAME))
            else:
                warnings.append(
                    GeometryWarning(
                        "outside_region",
                        f"{prefix}(longitude {lon:g}, latitude {lat:g}) lies far outside "
                        f"{REGION_NAME}: check the coordinates.",
                        field,
                        {"lon": lon, "lat": lat},
                    )
                )
    return warnings


def region_mask(lon: Any, lat: Any) -> Any:
    """Whether each of many positions (NumPy arrays) lies in the region, in whole-array steps."""
    import numpy as np

    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    inside = np.zeros(lon.shape, dtype=bool)
    for west, south, east, north in REGION:
        inside |= (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    return inside


class PointTally:
    """Positions read in batches (an incident file): how many lie outside the region, and
    the warning for the first of them."""

    def __init__(self) -> None:
        self.outside = 0
        self.swapped = 0
        self.first: GeometryWarning | None = None

    def add(self, lon: Any, lat: Any, rows: Any = None) -> None:
        import numpy as np

        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        outside = ~region_mask(lon, lat)
        if not outside.any():
            return
        self.outside += int(outside.sum())
        swapped = outside & region_mask(lat, lon) & (np.abs(lon) <= 90)
        self.swapped += int(swapped.sum())
        if self.first is None:
            index = int(np.flatnonzero(outside)[0])
            where = f"row {int(rows[index])}" if rows is not None else "the first of them"
            found = check_points([(float(lon[index]), float(lat[index]))], what=where)
            self.first = found[0] if found else None

    def warnings(self) -> list[GeometryWarning]:
        if not self.outside:
            return []
        result = [
            GeometryWarning(
                "outside_region",
                (f"{self.outside:,} incidents lie" if self.outside != 1 else "1 incident lies")
                + f" far outside {REGION_NAME}"
                + (
                    f", {self.swapped:,} of them inside it with latitude and longitude swapped"
                    if self.swapped
                    else ""
                )
                + ": check the file's coordinates.",
                "lat",
                {"outside": self.outside, "swapped": self.swapped},
            )
        ]
        if self.first is not None:
            result.append(self.first)
        return result


def _swapped(lon: float, lat: float, field: str, prefix: str, where: str) -> GeometryWarning:
    return GeometryWarning(
        "swapped",
        f"{prefix}latitude and longitude may be swapped: (longitude {lon:g}, latitude {lat:g}) "
        f"lies outside {where}, (longitude {lat:g}, latitude {lon:g}) inside.",
        field,
        {"lon": lon, "lat": lat},
    )


def _box(positions: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    return min(lons), min(lats), max(lons), max(lats)
