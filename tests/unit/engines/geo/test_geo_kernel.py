"""The compiled exact test (`kernel`) gives, point for point, what the reference exact test of
`metric` (shapely in the feature's projection) gives: on random polygons with holes and parts,
corridors of one or several lines, and on points placed within millimetres of edges, vertices,
corridor ends and the precision's edge, where a different rounding would show."""

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.engines import geo
from parley.engines.geo.kernel import compile_area

pytestmark = pytest.mark.unit

CENTRE = (36.2, 47.9)
WINDOWS = [{"start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z"}]
offsets = st.floats(-0.2, 0.2, allow_nan=False)
positions = st.tuples(offsets, offsets).map(lambda d: [CENTRE[0] + d[0], CENTRE[1] + d[1]])
# Metres from an edge: on it, around the 1 mm tolerance, and farther.
GAPS = [0.0, 0.0004, 0.001, 0.0016, 0.01, 1.0, 120.0]


@st.composite
def ring(draw, centre, radius_range, count_range=(3, 40)):
    count = draw(st.integers(*count_range))
    angles = np.sort(draw(st.lists(st.floats(0, 2 * np.pi, exclude_max=True),
                                   min_size=count, max_size=count, unique=True)))
    radii = draw(st.lists(st.floats(*radius_range), min_size=count, max_size=count))
    coords = [[round(centre[0] + r * np.cos(a) / np.cos(np.radians(centre[1])), 7),
               round(centre[1] + r * np.sin(a), 7)] for a, r in zip(angles, radii, strict=True)]
    return [*coords, coords[0]]


@st.composite
def area(draw):
    shape = draw(st.sampled_from(["polygon", "holed", "two parts", "corridor", "corridors"]))
    properties = {"agreement": "A", "kind": "pause", "windows": WINDOWS}
    if shape in ("polygon", "holed"):
        rings = [draw(ring(CENTRE, (0.03, 0.2)))]
        if shape == "holed":
            rings.append(draw(ring(CENTRE, (0.003, 0.025), (3, 8))))
        geometry = {"type": "Polygon", "coordinates": rings}
    elif shape == "two parts":
        east = (CENTRE[0] + 0.5, CENTRE[1])
        geometry = {"type": "MultiPolygon",
                    "coordinates": [[draw(ring(CENTRE, (0.03, 0.2)))],
                                    [draw(ring(east, (0.03, 0.2)))]]}
    else:
        lines = [draw(st.lists(positions, min_size=2, max_size=8))
                 for _ in range(1 if shape == "corridor" else 2)]
        geometry = ({"type": "LineString", "coordinates": lines[0]} if shape == "corridor"
                    else {"type": "MultiLineString", "coordinates": lines})
        properties["width_m"] = draw(st.floats(50, 6000))
    try:
        [parsed] = geo.parse_areas({"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": "F", "geometry": geometry, "properties": properties}]})
    except geo.GeoValidationError:
        from hypothesis import reject
        reject()
    return parsed


def points_near_edges(metric, draw):
    """Points (lon/lat) at `GAPS` (plus the half width) on either side of random points of the
    densified edges, of vertices and of line ends, and random points around the area."""
    transformer = metric.transformer
    coords = shapely.get_coordinates(metric.core)
    x, y = [], []
    for _ in range(draw(st.integers(5, 40))):
        at = draw(st.integers(0, len(coords) - 2))
        share = draw(st.sampled_from([0.0, 0.5, 1.0])) if draw(st.booleans()) else draw(
            st.floats(0, 1))
        (ax, ay), (bx, by) = coords[at], coords[at + 1]
        length = max(np.hypot(bx - ax, by - ay), 1e-9)
        if draw(st.booleans()):
            nx, ny = -(by - ay) / length, (bx - ax) / length  # across the edge
        else:
            angle = draw(st.floats(0, 2 * np.pi))  # any way, as around a corridor's end
            nx, ny = np.cos(angle), np.sin(angle)
        gap = metric.half_width_m + draw(st.sampled_from([-1, 1])) * draw(st.sampled_from(GAPS))
        gap += draw(st.sampled_from([0.0, 0.0, 500.0, 2000.0]))
        x.append(ax + share * (bx - ax) + gap * nx)
        y.append(ay + share * (by - ay) + gap * ny)
    lon, lat = transformer.transform(np.array(x), np.array(y), direction="INVERSE")
    random = draw(st.lists(st.tuples(offsets, offsets), max_size=30))
    lon = np.concatenate([lon, [CENTRE[0] + 2 * dx for dx, _ in random]])
    lat = np.concatenate([lat, [CENTRE[1] + dy for _, dy in random]])
    return lon, lat


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parsed=area(), data=st.data())
def test_the_compiled_test_is_the_reference_point_for_point(parsed, data):
    metric = geo.metric_area(parsed)
    lon, lat = points_near_edges(metric, data.draw)
    precision = np.array(data.draw(st.lists(
        st.sampled_from([0.0, 0.0, 0.001, 500.0, 2000.0, 25000.0]),
        min_size=lon.size, max_size=lon.size)))

    compiled = compile_area(metric).inside_or_near(lon, lat, precision)
    reference = metric.inside_or_near(lon, lat, precision)

    assert [part.tolist() for part in compiled] == [part.tolist() for part in reference]


def test_a_point_on_an_edge_and_one_a_hair_beyond_it():
    ring_ = [[36.0, 47.8], [36.2, 47.8], [36.2, 48.0], [36.0, 48.0], [36.0, 47.8]]
    hole = [[36.05, 47.85], [36.05, 47.9], [36.1, 47.9], [36.1, 47.85], [36.05, 47.85]]
    [parsed] = geo.parse_areas({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "P", "geometry": {"type": "Polygon",
                                                    "coordinates": [ring_, hole]},
         "properties": {"agreement": "A", "kind": "pause", "windows": WINDOWS}}]})
    compiled = compile_area(geo.metric_area(parsed))
    # On the outer edge, in the hole, on the hole's edge, 1 m east of the polygon with a 2 m
    # precision, and 1 m east with none.
    lon = np.array([36.2, 36.07, 36.05, 36.2000134, 36.2000134])
    lat = np.array([47.9, 47.87, 47.87, 47.9, 47.9])
    precision = np.array([0.0, 0.0, 0.0, 2.0, 0.0])

    inside, near = compiled.inside_or_near(lon, lat, precision)

    assert inside.tolist() == [True, False, True, False, False]
    assert near.tolist() == [False, False, False, True, False]


def test_sites_keep_the_geodesic_test():
    [parsed] = geo.parse_areas({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "S", "geometry": {"type": "Point", "coordinates": [36, 48]},
         "properties": {"agreement": "A", "kind": "site", "width_m": 1000,
                        "windows": WINDOWS}}]})

    assert compile_area(geo.metric_area(parsed)) is None
