"""`crossed_features`: which features of the agreement a route passes through or within 50 m of.

The corridor crosses the line of contact at latitude 47.55: the Ukrainian side is one feature,
the Russian side another, as an agreement draws it so that each party sees only the routes that
reach its side.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_deconflict_route_properties import distance_to_segment, sampled, walk

from parley.engines import geo
from parley.engines.deconflict import OUTSIDE_LIMIT_M, crossed_features, parse_movements

pytestmark = pytest.mark.unit

UKRAINIAN_SIDE = [[35.70, 47.50], [35.70, 47.55]]
RUSSIAN_SIDE = [[35.70, 47.55], [35.70, 47.60]]
WINDOWS = [{"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T14:00:00Z"}]


@pytest.fixture
def sides(build):
    return geo.parse_areas(
        build.collection(
            build.area("C-UA", coordinates=UKRAINIAN_SIDE, party="ukraine"),
            build.area("C-RU", coordinates=RUSSIAN_SIDE, party="russia"),
        )
    )


def movement(build, coordinates):
    times = build.spread(build.utc("2026-03-01T09:00:00Z"), len(coordinates))
    return parse_movements(build.movement(coordinates, times))[0]


def test_a_route_on_the_ukrainian_side_crosses_only_its_feature(build, sides):
    route = movement(build, [[35.70, 47.50], [35.70, 47.52]])

    assert crossed_features(sides, route) == ["C-UA"]


def test_a_route_across_the_line_crosses_both_sides(build, sides):
    route = movement(build, [[35.70, 47.50], [35.70, 47.60]])

    assert crossed_features(sides, route) == ["C-UA", "C-RU"]


@pytest.mark.parametrize(("beyond_m", "expected"), [(49, ["C-UA", "C-RU"]), (51, ["C-UA"])])
def test_a_route_ending_near_the_other_side_counts_within_50_m(build, sides, beyond_m, expected):
    # The Russian feature's round end reaches 1 000 m south of its first vertex.
    end = build.offset(35.70, 47.55, 180, 1000 + beyond_m)
    route = movement(build, [[35.70, 47.50], end])

    assert crossed_features(sides, route) == expected


@pytest.mark.parametrize(("beyond_m", "expected"), [(49, ["S"]), (51, [])])
def test_the_nearest_point_between_two_vertices_counts(build, beyond_m, expected):
    # A site of 500 m radius; the route runs north-south past it, its vertices 5.5 km away.
    areas = geo.parse_areas(
        build.collection(
            build.area("S", "Point", [35.80, 47.55], kind="site", width_m=1000, party="ukraine"),
        )
    )
    lon = build.offset(35.80, 47.55, 90, 500 + beyond_m)[0]

    assert crossed_features(areas, movement(build, [[lon, 47.50], [lon, 47.60]])) == expected


def test_features_of_other_agreements_are_not_crossed(build, sides):
    other = geo.parse_areas(
        build.collection(
            build.area("C-OTHER", coordinates=UKRAINIAN_SIDE, agreement="HP-2026-099"),
        )
    )
    route = movement(build, [[35.70, 47.50], [35.70, 47.52]])

    assert crossed_features([*other, *sides], route) == ["C-UA"]


steps = st.tuples(st.floats(0, 360), st.floats(300, 1500))


@st.composite
def scenes(draw):
    """Two corridors meeting at a point, like the two sides of a corridor, and a route whose
    vertices lie near their edges, where 50 m decides."""
    joint = (draw(st.floats(30, 40)), draw(st.floats(45, 52)))
    first = walk(*joint, [draw(steps)])[::-1]
    second = walk(*joint, [draw(steps)])
    half_width = draw(st.floats(50, 800))
    anchors = [*first, *second]
    route = []
    for _ in range(draw(st.integers(2, 3))):
        lon, lat = draw(st.sampled_from(anchors))
        reach = max(half_width + draw(st.floats(-100, 300)), 0.0)
        route.append(walk(lon, lat, [(draw(st.floats(0, 360)), reach)])[-1])
    return [first, second], half_width, route


@settings(max_examples=30, deadline=None)
@given(scenes())
def test_crossed_features_match_brute_force(scene):
    corridors, half_width, route = scene
    areas = geo.parse_areas(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": f"C{k}",
                    "geometry": {"type": "LineString", "coordinates": [list(p) for p in line]},
                    "properties": {
                        "agreement": "A",
                        "kind": "pause",
                        "width_m": 2 * half_width,
                        "windows": WINDOWS,
                    },
                }
                for k, line in enumerate(corridors)
            ],
        }
    )
    moving = parse_movements(
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [list(p) for p in route]},
            "properties": {
                "id": "M",
                "organisation": "WFP",
                "agreement": "A",
                "purpose": "aid",
                "notified_at": "2026-02-20T08:00:00Z",
                "depart": "2026-03-01T09:00:00Z",
                "speed_kmh": 30,
            },
        }
    )[0]
    lon, lat = sampled(route)
    # The reference samples every metre, so it may overshoot the nearest distance by half a
    # metre; nearer to the limit than that, either answer is right.
    tolerance_m = 0.5 + 0.01

    found = crossed_features(areas, moving)

    for k, line in enumerate(corridors):
        nearest = float(np.min(distance_to_segment(lon, lat, line[0], line[1])) - half_width)
        if nearest <= OUTSIDE_LIMIT_M - tolerance_m:
            assert f"C{k}" in found
        elif nearest > OUTSIDE_LIMIT_M + tolerance_m:
            assert f"C{k}" not in found
