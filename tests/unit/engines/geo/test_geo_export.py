"""Areas as other systems read them: polygons that cover the whole area, RFC 7946 winding."""

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Polygon, shape

from parley.engines import geo
from parley.engines.geo.export import (
    area_polygon,
    cap_polygons,
    hole_free,
    rfc7946_geometry,
)

pytestmark = pytest.mark.unit
WGS84 = Geod(ellps="WGS84")
WINDOW = [{"start": "2027-01-10T08:00:00Z", "end": "2027-01-10T12:00:00Z"}]


def one_area(geometry, **properties):
    feature = {"type": "Feature", "id": "A1", "geometry": geometry,
               "properties": {"agreement": "HP-1", "kind": "pause", "windows": WINDOW,
                              **properties}}
    return geo.parse_areas({"type": "FeatureCollection", "features": [feature]})[0]


SQUARE_WITH_HOLE = {
    "type": "Polygon",
    # The outer ring clockwise and the hole counter-clockwise: the reverse of RFC 7946.
    "coordinates": [[[35.0, 47.0], [35.0, 47.2], [35.2, 47.2], [35.2, 47.0], [35.0, 47.0]],
                    [[35.05, 47.05], [35.15, 47.05], [35.15, 47.15], [35.05, 47.15],
                     [35.05, 47.05]]],
}


def test_rings_are_rewound_and_rounded_as_rfc7946_asks():
    out = rfc7946_geometry(shape({**SQUARE_WITH_HOLE, "coordinates": [
        [[x + 1e-9, y] for x, y in ring] for ring in SQUARE_WITH_HOLE["coordinates"]]}))
    exterior, hole = out["coordinates"]
    assert bool(shapely.is_ccw(shapely.linearrings(exterior))) is True
    assert bool(shapely.is_ccw(shapely.linearrings(hole))) is False
    assert exterior[0] == [35.0, 47.0]
    assert isinstance(exterior, list) and isinstance(exterior[0], list)


def test_rounding_keeps_a_decimal_more_when_six_would_make_the_ring_touch_itself():
    # A hole 0.4 micro-degrees from its shell: at six decimals it would touch it.
    polygon = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)],
                      [[(0.0000004, 0.2), (0.5, 0.2), (0.5, 0.4), (0.0000004, 0.4)]])
    out = shape(rfc7946_geometry(polygon))
    assert out.is_valid
    assert out.interiors[0].coords[0][0] == pytest.approx(0.0000004, abs=1e-9)


def test_a_polygon_with_holes_becomes_hole_free_pieces_covering_exactly_the_area():
    polygon = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)],
                      [[(2, 2), (4, 2), (4, 4), (2, 4)], [(6, 6), (8, 6), (8, 8), (6, 8)]])
    pieces = hole_free(polygon)
    assert len(pieces) >= 2
    assert all(not piece.interiors for piece in pieces)
    union = shapely.union_all(pieces)
    assert union.symmetric_difference(polygon).area == pytest.approx(0, abs=1e-9)
    assert sum(piece.area for piece in pieces) == pytest.approx(polygon.area)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(1, 8), st.floats(1, 8)), min_size=1, max_size=4))
def test_hole_free_pieces_cover_any_polygon_with_square_holes(corners):
    holes = [shapely.box(x, y, x + 0.5, y + 0.5) for x, y in corners]
    holes_union = shapely.union_all(holes)
    polygon = shapely.box(0, 0, 10, 10).difference(holes_union)
    for part in getattr(polygon, "geoms", [polygon]):
        pieces = hole_free(part)
        assert all(not piece.interiors for piece in pieces)
        assert shapely.union_all(pieces).symmetric_difference(part).area < 1e-9


def test_cap_pieces_of_an_area_with_a_hole_leave_the_hole_out_and_cover_the_rest():
    area = one_area(SQUARE_WITH_HOLE)
    pieces = cap_polygons(area, tolerance_m=0)
    assert all(not piece.interiors for piece in pieces)
    union = shapely.union_all(pieces)
    assert not union.contains(shapely.Point(35.1, 47.1))  # the middle of the hole
    assert union.contains(shapely.Point(35.02, 47.1))
    assert union.symmetric_difference(area.geometry).area < 1e-10  # under 1 m²


def corridor():
    line = [[35.10, 47.80], [35.25, 47.86], [35.40, 47.90], [35.62, 47.84]]
    return one_area({"type": "LineString", "coordinates": line}, width_m=2000)


def points_in_area(area, count=4000, seed=7):
    """Points of the true area, half of them within 5 m of its edge."""
    rng = np.random.default_rng(seed)
    min_lon, min_lat, max_lon, max_lat = area.geometry.bounds
    lon = rng.uniform(min_lon - 0.03, max_lon + 0.03, count * 40)
    lat = rng.uniform(min_lat - 0.03, max_lat + 0.03, count * 40)
    beyond = geo.metric_area(area).beyond_edge_m(lon, lat)
    keep = (beyond <= 0) & (beyond > -5)
    deep = beyond <= -5
    return (np.concatenate([lon[keep][: count // 2], lon[deep][: count // 2]]),
            np.concatenate([lat[keep][: count // 2], lat[deep][: count // 2]]))


def test_a_corridor_as_a_polygon_contains_every_point_of_the_corridor():
    area = corridor()
    polygon = area_polygon(area)
    lon, lat = points_in_area(area)
    assert len(lon) > 1000
    assert shapely.contains_xy(polygon, lon, lat).all()


def test_cap_simplifies_a_corridor_to_far_fewer_points_without_shrinking_it():
    area = corridor()
    full = shapely.get_num_coordinates(area_polygon(area))
    pieces = cap_polygons(area)
    simplified = sum(shapely.get_num_coordinates(piece) for piece in pieces)
    assert simplified < full / 4
    lon, lat = points_in_area(area)
    assert shapely.contains_xy(shapely.union_all(pieces), lon, lat).all()
    # Grown by at most the tolerance: a point 200 m beyond the edge stays outside.
    _, _, metres = WGS84.inv(35.10, 47.80, 35.10, 47.81)
    assert metres > 1000
    assert not shapely.union_all(pieces).contains(shapely.Point(35.40, 47.90 + 0.0135))


def test_a_site_polygon_contains_its_whole_geodesic_circle():
    area = one_area({"type": "Point", "coordinates": [34.585, 47.512]}, width_m=30000)
    polygon = area_polygon(area)
    azimuths = np.linspace(0, 360, 721)
    lon, lat, _ = WGS84.fwd(np.full(721, 34.585), np.full(721, 47.512), azimuths,
                            np.full(721, 15000.0))
    assert shapely.contains_xy(polygon, lon, lat).all()
    lon_out, lat_out, _ = WGS84.fwd(np.full(721, 34.585), np.full(721, 47.512), azimuths,
                                    np.full(721, 15002.0))  # grown by at most 1.2 m
    assert not shapely.contains_xy(polygon, lon_out, lat_out).any()
