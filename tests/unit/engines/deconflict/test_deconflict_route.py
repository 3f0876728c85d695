"""`route_outside_area` at the 50 m edge: corridor sides and end caps, sites, polygon holes."""

import pytest

from parley.engines import geo
from parley.engines.deconflict import ROUTE_OUTSIDE_AREA, check_movements, parse_movements

pytestmark = pytest.mark.unit

NOON = "2026-03-01T10:00:00Z"
ONE = "2026-03-01T11:00:00Z"


def route_findings(build, area_features, coordinates):
    areas = geo.parse_areas(build.collection(*area_features))
    movements = parse_movements(
        build.collection(build.movement(coordinates, [NOON] + [ONE] * (len(coordinates) - 1)))
    )
    return [f for f in check_movements(areas, movements) if f.code == ROUTE_OUTSIDE_AREA]


def beside_corridor(build, metres_from_line):
    """A route parallel to the corridor's line, east of it, over its middle half."""
    (lon, south), (_, north) = build.corridor
    third = (north - south) / 4
    return [
        build.offset(lon, south + third, 90, metres_from_line),
        build.offset(lon, north - third, 90, metres_from_line),
    ]


def test_route_49_m_outside_the_corridor_edge_is_accepted(build):
    assert route_findings(build, [build.area()], beside_corridor(build, 1000 + 49)) == []


def test_route_51_m_outside_the_corridor_edge_is_blocking(build):
    [finding] = route_findings(build, [build.area()], beside_corridor(build, 1000 + 51))
    assert finding.severity == "blocking"
    assert finding.detail.startswith(
        "the route goes 51 m outside every area of agreement HP-2026-004 (more than 50 m "
        "allowed), farthest at longitude 35.71"
    )


def test_route_exactly_on_the_edge_and_50_m_beyond_are_accepted(build):
    assert route_findings(build, [build.area()], beside_corridor(build, 1000)) == []
    assert route_findings(build, [build.area()], beside_corridor(build, 1000 + 49.98)) == []


def test_route_past_the_end_cap(build):
    (lon, _), (_, north) = build.corridor
    inside = [lon, north - 0.02]
    assert route_findings(build, [build.area()], [inside, build.offset(lon, north, 0, 1049)]) == []
    tip = build.offset(lon, north, 0, 1051)
    [finding] = route_findings(build, [build.area()], [inside, tip])
    assert (round(finding.lon, 6), round(finding.lat, 6)) == (round(tip[0], 6), round(tip[1], 6))
    assert "51 m outside" in finding.detail


def test_end_cap_is_round_not_square(build):
    """Diagonally past the end, a square cap would reach 1414 m; the round one reaches 1000."""
    (lon, _), (_, north) = build.corridor
    corner = build.offset(lon, north, 45, 1051)
    [finding] = route_findings(build, [build.area()], [[lon, north - 0.02], corner])
    assert "51 m outside" in finding.detail


def test_site_is_a_circle(build):
    centre = [35.9, 47.7]
    site = build.area("S1", "Point", centre, kind="site", width_m=600)
    assert route_findings(build, [site], [centre, build.offset(*centre, 200, 349)]) == []
    [finding] = route_findings(build, [site], [centre, build.offset(*centre, 200, 351)])
    assert "51 m outside" in finding.detail


def test_route_through_a_polygon_hole_is_blocking(build):
    square = [[35.70, 47.50], [35.80, 47.50], [35.80, 47.60], [35.70, 47.60], [35.70, 47.50]]
    hole = [[35.74, 47.54], [35.74, 47.56], [35.76, 47.56], [35.76, 47.54], [35.74, 47.54]]
    polygon = build.area("P1", "Polygon", [square, hole], width_m=None)
    across = [[35.72, 47.55], [35.78, 47.55]]
    [finding] = route_findings(build, [polygon], across)
    # The middle of the hole, 0.01° of longitude from its sides at latitude 47.55.
    _, _, half_hole = build.geod.inv(35.74, 47.55, 35.75, 47.55)
    assert finding.detail.startswith(f"the route goes {half_hole:.0f} m outside")
    assert (round(finding.lon, 4), round(finding.lat, 4)) == (35.75, 47.55)
    beside = [[35.72, 47.53], [35.78, 47.53]]
    assert route_findings(build, [polygon], beside) == []


def test_farthest_point_between_vertices_is_found(build):
    """Two corridors meeting at a right angle: a route cutting the corner between them has its
    farthest point in the middle of a segment, with both ends well inside."""
    corner = [35.70, 47.60]
    east = build.offset(*corner, 90, 10_000)
    north_south = build.area("C1", "LineString", [[35.70, 47.50], corner], width_m=200)
    west_east = build.area("C2", "LineString", [corner, east], width_m=200)
    start = build.offset(*corner, 180, 1000)
    end = build.offset(*corner, 90, 1000)
    [finding] = route_findings(build, [north_south, west_east], [start, end])
    # Both ends lie on the lines; the route's middle is 500 m from each line, 100 m of which
    # are inside the corridors.
    assert finding.detail.startswith("the route goes 400 m outside")
    middle = build.offset(*build.offset(*corner, 180, 500), 90, 500)
    assert (round(finding.lon, 4), round(finding.lat, 4)) == (
        round(middle[0], 4),
        round(middle[1], 4),
    )


def test_union_of_areas_counts_not_any_single_one(build):
    (lon, south), (_, north) = build.corridor
    beyond = build.offset(lon, north, 0, 3000)
    second = build.area("C2", "LineString", [[lon, north], beyond], width_m=200)
    route = [[lon, south + 0.01], build.offset(lon, north, 0, 2900)]
    assert route_findings(build, [build.area(), second], route) == []
