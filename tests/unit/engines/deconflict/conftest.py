"""Builders for areas and movements as the files carry them (docs/formats.md §2 and §5).

Places are put at exact ground distances with pyproj.Geod, so that a test can say "49 m outside
the corridor's edge" and mean it.
"""

from datetime import UTC, datetime, timedelta

import pytest
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
AGREEMENT = "HP-2026-004"
# A north-south corridor near Orikhiv, about 11 km long; 2 km wide unless a test says otherwise.
CORRIDOR = [[35.70, 47.50], [35.70, 47.60]]
ONE_WINDOW = [{"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T14:00:00Z"}]


def offset(lon: float, lat: float, azimuth: float, metres: float) -> list[float]:
    """The position `metres` along the geodesic leaving (lon, lat) at `azimuth`."""
    lon2, lat2, _ = GEOD.fwd(lon, lat, azimuth, metres)
    return [lon2, lat2]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def area_feature(
    feature_id="C007",
    geometry_type="LineString",
    coordinates=None,
    agreement=AGREEMENT,
    **properties,
) -> dict:
    base = {"agreement": agreement, "kind": "pause", "windows": ONE_WINDOW}
    if geometry_type in ("LineString", "MultiLineString", "Point", "MultiPoint"):
        base["width_m"] = 2000
    base.update(properties)
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": geometry_type, "coordinates": coordinates or CORRIDOR},
        "properties": {key: value for key, value in base.items() if value is not None},
    }


def movement_feature(
    coordinates, times=None, movement_id="M1", agreement=AGREEMENT, **properties
) -> dict:
    """A movement on `coordinates`; `times` may be datetimes, or text as given."""
    base = {
        "id": movement_id,
        "organisation": "WFP",
        "agreement": agreement,
        "purpose": "aid",
        "notified_at": "2026-02-20T08:00:00Z",
    }
    if times is not None:
        base["times"] = [value if isinstance(value, str) else iso(value) for value in times]
    base.update(properties)
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": {key: value for key, value in base.items() if value is not None},
    }


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def spread(start: datetime, count: int, step: timedelta = timedelta(minutes=30)) -> list[datetime]:
    return [start + step * k for k in range(count)]


class Builders:
    geod = GEOD
    agreement = AGREEMENT
    corridor = CORRIDOR
    one_window = ONE_WINDOW
    offset = staticmethod(offset)
    utc = staticmethod(utc)
    iso = staticmethod(iso)
    area = staticmethod(area_feature)
    movement = staticmethod(movement_feature)
    collection = staticmethod(collection)
    spread = staticmethod(spread)


@pytest.fixture
def build() -> type[Builders]:
    return Builders
