"""Whether an agreement's areas meet a longitude/latitude box (the index's "area on a map").

Points and lines stand for circles and corridors `width_m` wide: the box is widened by half that
width (converted to degrees at the box's latitude), a close and never-missing approximation of
the buffered area meeting the box. Features that do not parse are skipped (the agreement's own
validation reports them).
"""

from __future__ import annotations

import math
from typing import Any

import shapely
from shapely.geometry import box, shape

METRES_PER_DEGREE = 111_320.0


def bbox_intersects(areas: Any, bounds: tuple[float, float, float, float]) -> bool:
    """True when any feature of the FeatureCollection `areas` meets `bounds`
    (min_lon, min_lat, max_lon, max_lat)."""
    min_lon, min_lat, max_lon, max_lat = bounds
    features = areas.get("features") if isinstance(areas, dict) else None
    if not isinstance(features, list):
        return False
    cos_lat = max(0.01, math.cos(math.radians(max(abs(min_lat), abs(max_lat)))))
    for feature in features:
        try:
            geometry = shape(feature["geometry"])
        except Exception:  # noqa: BLE001, S112 - a malformed feature is skipped, as documented
            continue
        if geometry.is_empty:
            continue
        properties = feature.get("properties") or {}
        width = properties.get("width_m") if isinstance(properties, dict) else None
        half = float(width) / 2 if isinstance(width, int | float) and width > 0 else 0.0
        if geometry.geom_type.endswith("Polygon"):
            half = 0.0
        d_lat = half / METRES_PER_DEGREE
        d_lon = half / (METRES_PER_DEGREE * cos_lat)
        region = box(min_lon - d_lon, min_lat - d_lat, max_lon + d_lon, max_lat + d_lat)
        if shapely.intersects(region, geometry):
            return True
    return False
