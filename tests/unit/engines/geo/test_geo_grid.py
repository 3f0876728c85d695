"""The grid settles points only where the exact test agrees: the classification with grids is
the classification without them, pair for pair, also for points placed just around edges."""

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from parley.engines import geo

pytestmark = pytest.mark.unit

GEOD = Geod(ellps="WGS84")
CENTRE = (37.0, 47.8)
WINDOWS = [{"start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z"}]
offsets = st.floats(-0.3, 0.3, allow_nan=False)
positions = st.tuples(offsets, offsets).map(lambda d: [CENTRE[0] + d[0], CENTRE[1] + d[1]])


@st.composite
def ring(draw, radius_range, count_range=(3, 60)):
    count = draw(st.integers(*count_range))
    angles = np.sort(draw(st.lists(st.floats(0, 2 * np.pi, exclude_max=True),
                                   min_size=count, max_size=count, unique=True)))
    radii = draw(st.lists(st.floats(*radius_range), min_size=count, max_size=count))
    coords = [[CENTRE[0] + r * np.cos(a) / np.cos(np.radians(CENTRE[1])),
               CENTRE[1] + r * np.sin(a)] for a, r in zip(angles, radii, strict=True)]
    return [*coords, coords[0]]


@st.composite
def feature(draw, index):
    shape = draw(st.sampled_from(["polygon", "holed", "corridor", "site"]))
    properties = {"agreement": "A", "kind": "pause", "windows": WINDOWS}
    if shape in ("polygon", "holed"):
        rings = [draw(ring((0.05, 0.3)))]
        if shape == "holed":
            rings.append(draw(ring((0.005, 0.04), (3, 8))))
        geometry = {"type": "Polygon", "coordinates": rings}
    elif shape == "corridor":
        geometry = {"type": "LineString",
                    "coordinates": draw(st.lists(positions, min_size=2, max_size=8))}
        properties["width_m"] = draw(st.floats(100, 8000))
    else:
        geometry = {"type": "MultiPoint",
                    "coordinates": draw(st.lists(positions, min_size=1, max_size=3))}
        properties["width_m"] = draw(st.floats(100, 12000))
    return {"type": "Feature", "id": f"F{index}", "geometry": geometry,
            "properties": properties}


@st.composite
def areas(draw):
    count = draw(st.integers(1, 3))
    collection = {"type": "FeatureCollection",
                  "features": [draw(feature(index)) for index in range(count)]}
    try:
        return geo.parse_areas(collection)
    except geo.GeoValidationError:
        from hypothesis import reject
        reject()


def points_around(area_list, draw):
    """Points at random, and points a few metres to a few kilometres from the areas' vertices
    and edges, the places where a grid cell is split by the edge."""
    lon, lat = [], []
    for area in area_list:
        vertices = shapely.get_coordinates(shapely.segmentize(area.geometry, 0.01))
        picks = draw(st.lists(st.integers(0, len(vertices) - 1), min_size=5, max_size=25))
        for pick in picks:
            azimuth = draw(st.floats(0, 360))
            # Also about the coarse precisions (5 and 25 km) from the edge, and about the grid's
            # 30 km margin, where a point leaves the grid.
            metres = draw(st.sampled_from([0.0, 0.5, 3.0, 40.0, 300.0, 4_990.0, 24_900.0,
                                           29_000.0, 30_500.0]))
            metres += draw(st.floats(0, 3000)) if draw(st.booleans()) else 0.0
            if area.width_m:
                metres += area.width_m / 2 * draw(st.sampled_from([0.98, 1.0, 1.02]))
            x, y, _ = GEOD.fwd(vertices[pick][0], vertices[pick][1], azimuth, metres)
            lon.append(x)
            lat.append(y)
    random = draw(st.lists(st.tuples(offsets, offsets), max_size=30))
    lon += [CENTRE[0] + dx * 1.3 for dx, _ in random]
    lat += [CENTRE[1] + dy for _, dy in random]
    return np.array(lon), np.array(lat)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(area_list=areas(), data=st.data())
def test_the_grids_give_exactly_the_pairs_of_the_exact_test(area_list, data):
    lon, lat = points_around(area_list, data.draw)
    precision = np.array(data.draw(st.lists(
        st.sampled_from([0.0, 0.0, 100.0, 250.0, 2000.0, 5000.0, 15000.0, 25000.0, 40000.0]),
        min_size=lon.size, max_size=lon.size)))
    t_ns = np.full(lon.size, np.datetime64("2026-03-01T12:00", "ns").astype(np.int64))

    fast = geo.classify_arrays(geo.prepare_areas(area_list), lon, lat, t_ns, precision)
    exact = geo.classify_arrays(geo.prepare_areas(area_list, grids=False), lon, lat, t_ns,
                                precision)

    assert [part.tolist() for part in fast] == [part.tolist() for part in exact]


def test_the_grid_settles_the_middle_and_the_far_side_of_a_large_polygon():
    ring_ = [[36.5, 47.5], [37.5, 47.5], [37.5, 48.1], [36.5, 48.1], [36.5, 47.5]]
    [area] = geo.parse_areas({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "P", "geometry": {"type": "Polygon", "coordinates": [ring_]},
         "properties": {"agreement": "A", "kind": "pause", "windows": WINDOWS}}]})
    [prepared] = geo.prepare_areas([area])
    lon = np.array([37.0, 37.535, 37.45, 37.0])
    lat = np.array([47.8, 47.8, 47.8, 48.1])
    precision = np.array([0.0, 500.0, 0.0, 0.0])

    inside, near, unrelated = prepared.grid.settle(lon, lat, precision, 0.001)

    # 37.535 is 2.6 km east of the edge, beyond a 500 m precision; 37.45 is 3.7 km inside. The
    # grid leaves the point on the northern edge to the exact test.
    assert inside.tolist() == [True, False, True, False]
    assert near.tolist() == [False, False, False, False]
    assert unrelated.tolist() == [False, True, False, False]
