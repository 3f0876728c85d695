"""`route_outside_area` against brute force: the route sampled every metre, each sample's ground
distance (pyproj.Geod) to every corridor or polygon edge found by golden-section search along
it, to every site by one geodesic; polygon containment by shapely in longitude/latitude."""

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from parley.engines import geo
from parley.engines.deconflict import OUTSIDE_LIMIT_M, farthest_outside

pytestmark = pytest.mark.unit

GEOD = Geod(ellps="WGS84")
SAMPLE_SPACING_M = 1.0
# The reference may miss the maximum by half a sample spacing; the engine rounds to 1 cm (the
# limit decision) or 10 cm (the value).
TOLERANCE_M = SAMPLE_SPACING_M / 2 + 0.1
GOLDEN = (math.sqrt(5) - 1) / 2
WINDOWS = [{"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T14:00:00Z"}]


def walk(lon, lat, steps):
    points = [(lon, lat)]
    for azimuth, metres in steps:
        lon, lat, _ = GEOD.fwd(lon, lat, azimuth, metres)
        points.append((lon, lat))
    return points


def distance_to_segment(lon, lat, a, b):
    """Geodesic distance from each point to the segment a-b, straight in longitude/latitude."""

    def at(v):
        _, _, metres = GEOD.inv(lon, lat, a[0] + v * (b[0] - a[0]), a[1] + v * (b[1] - a[1]))
        return np.asarray(metres)

    low, high = np.zeros_like(lon), np.ones_like(lon)
    for _ in range(40):
        left, right = high - GOLDEN * (high - low), low + GOLDEN * (high - low)
        nearer_left = at(left) < at(right)
        high = np.where(nearer_left, right, high)
        low = np.where(nearer_left, low, left)
    return np.minimum.reduce([at(np.zeros_like(lon)), at(np.ones_like(lon)), at((low + high) / 2)])


def reference_outside(lon, lat, corridor, half_width, site, radius):
    to_line = np.min(
        [distance_to_segment(lon, lat, a, b) for a, b in zip(corridor, corridor[1:], strict=False)],
        axis=0,
    )
    _, _, to_site = GEOD.inv(np.full_like(lon, site[0]), np.full_like(lat, site[1]), lon, lat)
    return np.maximum(np.minimum(to_line - half_width, np.asarray(to_site) - radius), 0.0)


def sampled(route):
    lons, lats = [], []
    for a, b in zip(route, route[1:], strict=False):
        _, _, metres = GEOD.inv(*a, *b)
        u = np.linspace(0, 1, max(int(math.ceil(metres / SAMPLE_SPACING_M)), 1) + 1)
        lons.append(a[0] + u * (b[0] - a[0]))
        lats.append(a[1] + u * (b[1] - a[1]))
    return np.concatenate(lons), np.concatenate(lats)


steps = st.tuples(st.floats(0, 360), st.floats(300, 1500))


@st.composite
def scenes(draw):
    start = (draw(st.floats(30, 40)), draw(st.floats(45, 52)))
    corridor = walk(*start, draw(st.lists(steps, min_size=1, max_size=2)))
    half_width = draw(st.floats(50, 800))
    site = walk(*draw(st.sampled_from(corridor)), [draw(steps)])[-1]
    radius = draw(st.floats(50, 500))
    # Route vertices near the corridor's and the site's edges, where the 50 m limit bites.
    anchors = [(point, half_width) for point in corridor] + [(site, radius)]
    route = []
    for _ in range(draw(st.integers(2, 3))):
        (lon, lat), reach = draw(st.sampled_from(anchors))
        beyond = draw(st.floats(-200, 200))
        route.append(walk(lon, lat, [(draw(st.floats(0, 360)), max(reach + beyond, 0.0))])[-1])
    return corridor, half_width, site, radius, route


@settings(max_examples=40, deadline=None)
@given(scenes())
def test_largest_distance_matches_brute_force(scene):
    corridor, half_width, site, radius, route = scene
    areas = geo.parse_areas(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": "C",
                    "geometry": {"type": "LineString", "coordinates": [list(p) for p in corridor]},
                    "properties": {
                        "agreement": "A",
                        "kind": "pause",
                        "width_m": 2 * half_width,
                        "windows": WINDOWS,
                    },
                },
                {
                    "type": "Feature",
                    "id": "S",
                    "geometry": {"type": "Point", "coordinates": list(site)},
                    "properties": {
                        "agreement": "A",
                        "kind": "site",
                        "width_m": 2 * radius,
                        "windows": WINDOWS,
                    },
                },
            ],
        }
    )
    metric = [geo.metric_area(area) for area in areas]
    lon, lat = np.array([p[0] for p in route]), np.array([p[1] for p in route])
    found = farthest_outside(lon, lat, metric, OUTSIDE_LIMIT_M)
    reference = float(reference_outside(*sampled(route), corridor, half_width, site, radius).max())

    assert found.distance_m <= reference + TOLERANCE_M
    if reference > OUTSIDE_LIMIT_M + TOLERANCE_M:
        assert found.distance_m > OUTSIDE_LIMIT_M
    if found.distance_m > OUTSIDE_LIMIT_M:
        assert abs(found.distance_m - reference) <= TOLERANCE_M
        at = reference_outside(
            np.array([found.lon]), np.array([found.lat]), corridor, half_width, site, radius
        )
        assert abs(float(at[0]) - found.distance_m) <= 0.01


def ring(lon, lat, half_side_m):
    """A square ring of `half_side_m` metres around (lon, lat), corners found with Geod."""
    corners = [
        walk(lon, lat, [(azimuth, half_side_m * math.sqrt(2))])[-1]
        for azimuth in (45, 135, 225, 315)
    ]
    return corners + corners[:1]


def reference_outside_polygon(lon, lat, shell, hole):
    polygon = shapely.Polygon(shell, [hole])
    inside = shapely.contains_xy(polygon, lon, lat) | shapely.intersects_xy(
        polygon.boundary, lon, lat
    )
    edges = [(a, b) for points in (shell, hole) for a, b in zip(points, points[1:], strict=False)]
    outside = np.zeros(lon.shape)
    out_lon, out_lat = lon[~inside], lat[~inside]
    if out_lon.size:
        to_edges = [distance_to_segment(out_lon, out_lat, a, b) for a, b in edges]
        outside[~inside] = np.min(to_edges, axis=0)
    return outside


@st.composite
def holed_squares(draw):
    centre = (draw(st.floats(30, 40)), draw(st.floats(45, 52)))
    outer = draw(st.floats(800, 1500))
    inner = draw(st.floats(150, 500))
    edges = [(centre, inner), (centre, outer)]
    route = []
    for _ in range(draw(st.integers(2, 3))):
        (lon, lat), reach = draw(st.sampled_from(edges))
        beyond = draw(st.floats(-150, 150))
        route.append(walk(lon, lat, [(draw(st.floats(0, 360)), reach + beyond)])[-1])
    return ring(*centre, outer), ring(*centre, inner), route


@settings(max_examples=15, deadline=None)
@given(holed_squares())
def test_largest_distance_from_a_polygon_with_a_hole_matches_brute_force(scene):
    shell, hole, route = scene
    [area] = geo.parse_areas(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": "P",
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[list(p) for p in shell], [list(p) for p in hole]],
                    },
                    "properties": {"agreement": "A", "kind": "pause", "windows": WINDOWS},
                }
            ],
        }
    )
    lon, lat = np.array([p[0] for p in route]), np.array([p[1] for p in route])
    found = farthest_outside(lon, lat, [geo.metric_area(area)], OUTSIDE_LIMIT_M)
    reference = float(reference_outside_polygon(*sampled(route), shell, hole).max())

    assert found.distance_m <= reference + TOLERANCE_M
    if reference > OUTSIDE_LIMIT_M + TOLERANCE_M:
        assert found.distance_m > OUTSIDE_LIMIT_M
    if found.distance_m > OUTSIDE_LIMIT_M:
        assert abs(found.distance_m - reference) <= TOLERANCE_M
