"""Property tests: the vectorised classification against a simple reference, point by point.

The reference measures each point on its own: sites by pyproj.Geod, corridors and polygons in an
azimuthal equidistant projection centred on the point itself (where every distance from the
point is exact), with shapely. Points whose reference distance is within a hair of an edge
(the inside edge or the precision edge) are left out: there the two methods may round apart.
"""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from parley.engines import geo
from parley.engines.geo.metric import local_projection

pytestmark = pytest.mark.unit

GEOD = Geod(ellps="WGS84")
CENTRE = (35.5, 47.5)
WINDOW = [{"start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z"}]
T0 = datetime(2026, 3, 1, tzinfo=UTC)
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

offsets = st.floats(-0.25, 0.25, allow_nan=False)
positions = st.tuples(offsets, offsets).map(lambda d: [CENTRE[0] + d[0], CENTRE[1] + d[1]])


@st.composite
def star_ring(draw, radius_range, centre=CENTRE, count=None):
    """A simple polygon ring: vertices at increasing angles around `centre`."""
    count = count or draw(st.integers(3, 9))
    angles = sorted(draw(st.lists(st.floats(0, 2 * np.pi, exclude_max=True), min_size=count,
                                  max_size=count, unique=True)))
    radii = draw(st.lists(st.floats(*radius_range), min_size=count, max_size=count))
    ring = [[centre[0] + r * np.cos(a) / np.cos(np.radians(centre[1])), centre[1] + r * np.sin(a)]
            for a, r in zip(angles, radii, strict=True)]
    return [*ring, ring[0]]


@st.composite
def features(draw):
    shape = draw(st.sampled_from(["corridor", "site", "polygon", "polygon-with-hole"]))
    properties = {"agreement": "HP-2026-004", "kind": "pause", "windows": WINDOW}
    if shape == "corridor":
        geometry = {"type": "LineString",
                    "coordinates": draw(st.lists(positions, min_size=2, max_size=5))}
        properties["width_m"] = draw(st.floats(100, 6000))
    elif shape == "site":
        geometry = {"type": "MultiPoint",
                    "coordinates": draw(st.lists(positions, min_size=1, max_size=3))}
        properties["width_m"] = draw(st.floats(100, 12000))
    else:
        rings = [draw(star_ring((0.08, 0.2)))]
        if shape == "polygon-with-hole":
            rings.append(draw(star_ring((0.01, 0.05))))
        geometry = {"type": "Polygon", "coordinates": rings}
    feature = {"type": "Feature", "id": shape, "geometry": geometry, "properties": properties}
    fc = {"type": "FeatureCollection", "features": [feature]}
    try:
        return geo.parse_areas(fc)[0]
    except geo.GeoValidationError:
        # Random lines may repeat a point; the strategy asks again rather than test validation.
        from hypothesis import reject
        reject()


def reference_beyond_edge(area, lon, lat):
    """Metres beyond the area's edge of one point (<= 0 inside), measured around the point."""
    if area.geometry.geom_type in ("Point", "MultiPoint"):
        distances = [GEOD.inv(lon, lat, x, y)[2] for x, y in shapely.get_coordinates(area.geometry)]
        return min(distances) - area.width_m / 2
    around_point = local_projection(lon, lat)
    shape = shapely.transform(
        shapely.segmentize(area.geometry, 0.0005),
        lambda xy: np.column_stack(around_point.transform(xy[:, 0], xy[:, 1])),
    )
    origin = shapely.Point(0, 0)
    if area.geometry.geom_type == "Polygon":
        return 0.0 if shape.covers(origin) else shape.distance(origin)
    return shape.distance(origin) - area.width_m / 2


def reference_relation(beyond, precision):
    if beyond <= 0:
        return "inside"
    if beyond <= precision:
        return "near"
    return None


def ambiguous(beyond, precision):
    band = 0.01 + 2e-5 * abs(beyond)
    return abs(beyond) <= band or (precision > 0 and abs(beyond - precision) <= band)


@PROPERTY_SETTINGS
@given(
    area=features(),
    points=st.lists(st.tuples(st.floats(-0.35, 0.35), st.floats(-0.35, 0.35),
                              st.sampled_from([0.0, 0.0, 250.0, 2000.0, 15000.0])),
                    min_size=1, max_size=25),
)
def test_classification_matches_a_point_by_point_reference(area, points):
    lon = np.array([CENTRE[0] + p[0] for p in points])
    lat = np.array([CENTRE[1] + p[1] for p in points])
    precision = np.array([p[2] for p in points])
    times = np.full(len(points), np.datetime64("2026-03-01T12:00:00", "ns"))

    rows = geo.classify_points([area], [str(i) for i in range(len(points))], lon, lat, times,
                               precision)

    got = {int(row.incident_id): row.relation for row in rows}
    for index in range(len(points)):
        beyond = reference_beyond_edge(area, lon[index], lat[index])
        if ambiguous(beyond, precision[index]):
            continue
        assert got.get(index) == reference_relation(beyond, precision[index]), (index, beyond)


@PROPERTY_SETTINGS
@given(
    area=features(),
    points=st.lists(st.tuples(st.floats(-0.3, 0.3), st.floats(-0.3, 0.3)), min_size=1,
                    max_size=20),
)
def test_distance_to_area_matches_the_reference(area, points):
    lon = np.array([CENTRE[0] + p[0] for p in points])
    lat = np.array([CENTRE[1] + p[1] for p in points])

    distances = geo.distance_to_area_m(area, lon, lat)

    for index, distance in enumerate(distances):
        expected = max(reference_beyond_edge(area, lon[index], lat[index]), 0.0)
        assert distance == pytest.approx(expected, rel=2e-5, abs=0.01)


window_specs = st.lists(
    st.tuples(st.integers(0, 96 * 60), st.integers(1, 12 * 60)), min_size=1, max_size=6
)


@PROPERTY_SETTINGS
@given(
    specs=window_specs,
    minutes=st.lists(st.integers(-60, 110 * 60), min_size=1, max_size=30),
    data=st.data(),
)
def test_in_window_is_true_exactly_when_some_half_open_window_holds_the_instant(
    specs, minutes, data
):
    windows = [{"start": (T0 + timedelta(minutes=s)).isoformat(),
                "end": (T0 + timedelta(minutes=s + d)).isoformat()} for s, d in specs]
    # Also probe every window's own edges: the start is in, the end is out unless covered.
    edges = [m for s, d in specs for m in (s, s + d, s + d - 1)]
    probes = minutes + data.draw(st.lists(st.sampled_from(edges), max_size=10))
    polygon = {"type": "Polygon", "coordinates": [[[35, 47], [36, 47], [36, 48], [35, 48],
                                                   [35, 47]]]}
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "P",
          "geometry": polygon, "properties": {"agreement": "A", "kind": "pause",
                                              "windows": windows}}]}
    [area] = geo.parse_areas(fc)
    instants = np.array([np.datetime64("2026-03-01T00:00", "ns") + np.timedelta64(m, "m")
                         for m in probes])

    rows = geo.classify_points([area], [str(i) for i in range(len(probes))],
                               np.full(len(probes), 35.5), np.full(len(probes), 47.5), instants,
                               np.zeros(len(probes)))

    expected = [any(s <= m < s + d for s, d in specs) for m in probes]
    assert [row.in_window for row in rows] == expected


@PROPERTY_SETTINGS
@given(
    areas=st.lists(features(), min_size=1, max_size=4),
    points=st.lists(st.tuples(st.floats(-0.35, 0.35), st.floats(-0.35, 0.35),
                              st.sampled_from([0.0, 500.0, 5000.0])), min_size=1, max_size=15),
)
def test_several_features_give_each_feature_s_rows_in_incident_then_file_order(areas, points):
    areas = [geo.Area(**{**vars(a), "id": f"F{i}", "index": i}) for i, a in enumerate(areas)]
    lon = np.array([CENTRE[0] + p[0] for p in points])
    lat = np.array([CENTRE[1] + p[1] for p in points])
    precision = np.array([p[2] for p in points])
    times = np.full(len(points), np.datetime64("2026-03-01T12:00:00", "ns"))
    ids = [str(i) for i in range(len(points))]

    together = geo.classify_points(areas, ids, lon, lat, times, precision)

    one_by_one = sorted(
        (row for area in areas for row in geo.classify_points([area], ids, lon, lat, times,
                                                                precision)),
        key=lambda row: (int(row.incident_id), int(row.feature_id[1:])),
    )
    assert together == one_by_one
