"""True metres: the local projection against pyproj.Geod geodesic distances."""

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from parley.engines import geo

pytestmark = pytest.mark.unit

GEOD = Geod(ellps="WGS84")
WINDOW = [{"start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z"}]


def one_area(geometry, **properties):
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": "F", "geometry": geometry,
        "properties": {"agreement": "A", "kind": "pause", "windows": WINDOW, **properties}}]}
    return geo.parse_areas(fc)[0]


def projected_and_geodesic(centre, radius_m, azimuths, distances):
    """Pairs of points within `radius_m` of `centre`: their distance in the projection
    centred there, and their geodesic distance."""
    projection = geo.local_projection(*centre)
    lon, lat, _ = GEOD.fwd(np.full(len(azimuths), centre[0]), np.full(len(azimuths), centre[1]),
                           np.array(azimuths), np.array(distances) * radius_m)
    x, y = projection.transform(lon, lat)
    projected = np.hypot(x[1::2] - x[0::2], y[1::2] - y[0::2])
    _, _, geodesic = GEOD.inv(lon[0::2], lat[0::2], lon[1::2], lat[1::2])
    return projected, geodesic


pairs = st.lists(st.tuples(st.floats(0, 360), st.floats(0, 1)), min_size=2, max_size=40).filter(
    lambda values: len(values) % 2 == 0
)


@settings(max_examples=50, deadline=None)
@given(centre=st.tuples(st.floats(22, 40), st.floats(44, 52)), points=pairs)
def test_projected_distances_within_100_km_are_geodesic_to_0_01_percent(centre, points):
    projected, geodesic = projected_and_geodesic(
        centre, 100_000, [p[0] for p in points], [p[1] for p in points]
    )

    keep = geodesic > 1.0
    assert np.all(np.abs(projected[keep] / geodesic[keep] - 1) < 1e-4)


@settings(max_examples=50, deadline=None)
@given(centre=st.tuples(st.floats(22, 40), st.floats(44, 52)), points=pairs)
def test_projected_distances_within_480_km_are_geodesic_to_0_1_percent(centre, points):
    projected, geodesic = projected_and_geodesic(
        centre, 480_000, [p[0] for p in points], [p[1] for p in points]
    )

    keep = geodesic > 1.0
    assert np.all(np.abs(projected[keep] / geodesic[keep] - 1) < 1e-3)


def test_distance_from_the_centre_of_the_projection_is_exactly_geodesic():
    projection = geo.local_projection(35.25, 47.85)
    x, y = projection.transform(36.25, 48.5)
    _, _, geodesic = GEOD.inv(35.25, 47.85, 36.25, 48.5)

    assert math.hypot(x, y) == pytest.approx(geodesic, abs=1e-6)


def test_site_distance_is_the_geodesic_distance_beyond_its_radius():
    site = one_area({"type": "MultiPoint", "coordinates": [[34.5856, 47.5119], [35.0, 47.0]]},
                    width_m=10_000)
    lon = np.array([34.5856, 34.7, 36.0])
    lat = np.array([47.5119, 47.6, 47.0])

    distances = geo.distance_to_area_m(site, lon, lat)

    nearest = [min(GEOD.inv(x, y, 34.5856, 47.5119)[2], GEOD.inv(x, y, 35.0, 47.0)[2])
               for x, y in zip(lon, lat, strict=True)]
    assert distances.tolist() == pytest.approx([0.0, nearest[1] - 5000, nearest[2] - 5000],
                                               abs=1e-6)


def test_buffered_site_shape_has_the_area_of_its_circle():
    site = one_area({"type": "Point", "coordinates": [34.5856, 47.5119]}, width_m=10_000)

    shape, _ = geo.area_shape_m(site)

    # 256 segments inscribed in the circle cover all but (2π/256)²/6 = 0.01 % of it.
    assert shape.area == pytest.approx(math.pi * 5000**2, rel=1.1e-4)
    assert shape.area < math.pi * 5000**2


def test_buffered_corridor_edge_lies_half_a_width_from_the_line():
    corridor = one_area({"type": "LineString", "coordinates": [[35.1, 47.8], [35.4, 47.9]]},
                        width_m=2000)
    shape, projection = geo.area_shape_m(corridor)
    edge_x, edge_y = shapely.get_coordinates(shape.exterior).T
    lon, lat = projection.transform(edge_x, edge_y, direction="INVERSE")

    beyond = geo.metric_area(corridor).beyond_edge_m(lon, lat)

    assert np.abs(beyond).max() < 0.01
    assert shape.length == pytest.approx(2 * 25_055 + 2 * math.pi * 1000, rel=1e-3)


def test_polygon_shape_keeps_its_hole_and_distance_is_zero_inside():
    shell = [[32.55, 46.60], [32.70, 46.60], [32.70, 46.68], [32.55, 46.68], [32.55, 46.60]]
    hole = [[32.61, 46.63], [32.61, 46.65], [32.63, 46.65], [32.63, 46.63], [32.61, 46.63]]
    polygon = one_area({"type": "Polygon", "coordinates": [shell, hole]})

    shape, _ = geo.area_shape_m(polygon)
    distances = geo.distance_to_area_m(polygon, np.array([32.58, 32.62]), np.array([46.62, 46.64]))

    assert len(shape.interiors) == 1
    # From the hole's centre the nearest edge is 0.01° of longitude east or west.
    _, _, to_west_edge = GEOD.inv(32.62, 46.64, 32.61, 46.64)
    assert distances.tolist() == pytest.approx([0.0, to_west_edge], abs=0.01)
