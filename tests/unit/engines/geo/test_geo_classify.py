"""Classification of point incidents against areas, docs/formats.md §4, on cases built from it.

Points are placed at chosen geodesic distances with pyproj.Geod, so the expected relation is
known before any projection is involved.
"""

from datetime import UTC, datetime

import numpy as np
import pytest
from pyproj import Geod

from parley.engines import geo

pytestmark = pytest.mark.unit

GEOD = Geod(ellps="WGS84")
A, B = (35.1, 47.8), (35.4, 47.9)  # the corridor of docs/formats.md §2, 2 000 m wide
ZNPP = (34.5856, 47.5119)
ALL_MARCH = [{"start": "2026-03-01T00:00:00+02:00", "end": "2026-04-01T00:00:00+03:00"}]
MID_MARCH = np.datetime64("2026-03-15T12:00:00", "ns")


def area(geometry_type, coordinates, feature_id="F", agreement="HP-2026-004", windows=None,
         **properties):
    properties = {"agreement": agreement, "kind": "pause", "windows": windows or ALL_MARCH,
                  **properties}
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": feature_id,
         "geometry": {"type": geometry_type, "coordinates": coordinates},
         "properties": properties}]}
    return geo.parse_areas(fc)[0]


def corridor(**properties):
    return area("LineString", [list(A), list(B)], feature_id="C007", width_m=2000, **properties)


def relations(areas, points, precision=0.0, times=None):
    """`{incident index: [(feature id, relation, in_window)]}` for points [(lon, lat), ...]."""
    lon = np.array([p[0] for p in points], dtype=float)
    lat = np.array([p[1] for p in points], dtype=float)
    if times is None:
        times = np.full(len(points), MID_MARCH)
    rows = geo.classify_points(
        areas, [str(i) for i in range(len(points))], lon, lat, np.asarray(times),
        np.broadcast_to(np.asarray(precision, dtype=float), lon.shape),
    )
    return [(int(r.incident_id), r.feature_id, r.relation, r.in_window) for r in rows]


def offset(point, azimuth, metres):
    lon, lat, _ = GEOD.fwd(point[0], point[1], azimuth, metres)
    return (float(lon), float(lat))


def heading(point):
    """The ground azimuth of the corridor's line A→B at `point`, a line straight in
    longitude/latitude (RFC 7946)."""
    step = 1e-6
    before = (point[0] - step * (B[0] - A[0]), point[1] - step * (B[1] - A[1]))
    after = (point[0] + step * (B[0] - A[0]), point[1] + step * (B[1] - A[1]))
    azimuth, _, _ = GEOD.inv(*before, *after)
    return azimuth


def corridor_frame():
    """A point in the middle of the corridor's line, the line's heading there, and at B."""
    middle = ((A[0] + B[0]) / 2, (A[1] + B[1]) / 2)
    return middle, heading(middle), heading(B)


def test_corridor_width_edges_on_both_sides_of_the_line():
    middle, travel, _ = corridor_frame()
    points = [offset(middle, travel + side, metres)
              for side in (90, -90) for metres in (0, 990, 999.5, 1000.5, 1010)]

    assert relations([corridor()], points) == [
        (0, "C007", "inside", True), (1, "C007", "inside", True), (2, "C007", "inside", True),
        (5, "C007", "inside", True), (6, "C007", "inside", True), (7, "C007", "inside", True),
    ]


def test_corridor_ends_are_round_half_a_width_beyond_the_last_vertex():
    _, _, travel_at_b = corridor_frame()
    points = [offset(B, travel_at_b + turn, metres)
              for turn in (0, 45, -60) for metres in (999.5, 1000.5)]
    points += [offset(A, heading(A) + 180, 999.5), offset(A, heading(A) + 180, 1000.5)]

    assert [row[0] for row in relations([corridor()], points)] == [0, 2, 4, 6]


def test_near_means_outside_but_within_the_precision_of_the_area():
    middle, travel, _ = corridor_frame()
    points = [offset(middle, travel + 90, 1000 + beyond) for beyond in (100, 199.5, 200.5, 300)]

    assert relations([corridor()], points, precision=200.0) == [
        (0, "C007", "near", True), (1, "C007", "near", True)
    ]


def test_precision_zero_or_empty_is_exact_and_never_near():
    middle, travel, _ = corridor_frame()
    point = offset(middle, travel + 90, 1000.5)

    assert relations([corridor()], [point, point], precision=[0.0, np.nan]) == []


def test_site_is_a_circle_of_radius_half_the_width():
    site = area("Point", list(ZNPP), "ZNPP", width_m=10_000, kind="ceasefire")
    azimuths = (0, 73, 151, 222, 301)
    points = [offset(ZNPP, az, metres) for az in azimuths for metres in (4999.5, 5000.5)]

    rows = relations([site], points)

    assert rows == [(i, "ZNPP", "inside", True) for i in range(0, 10, 2)]


def test_polygon_hole_is_outside_and_its_edge_is_inside():
    shell = [[32.55, 46.60], [32.70, 46.60], [32.70, 46.68], [32.55, 46.68], [32.55, 46.60]]
    hole = [[32.61, 46.63], [32.61, 46.65], [32.63, 46.65], [32.63, 46.63], [32.61, 46.63]]
    kherson = area("Polygon", [shell, hole], "KHE-1")
    west_edge_of_hole = (32.61, 46.64)
    points = [
        (32.62, 46.64),  # centre of the hole
        (32.58, 46.62),  # in the ring
        (32.55, 46.60),  # a vertex of the shell
        (32.61, 46.635),  # on the hole's edge
        offset(west_edge_of_hole, 90, 30.0),  # 30 m into the hole
        offset((32.70, 46.64), 90, 30.0),  # 30 m east of the shell
    ]

    assert relations([kherson], points, precision=[0, 0, 0, 0, 0, 0]) == [
        (1, "KHE-1", "inside", True), (2, "KHE-1", "inside", True), (3, "KHE-1", "inside", True)
    ]
    assert relations([kherson], points, precision=[900, 0, 0, 0, 29.5, 30.5]) == [
        (0, "KHE-1", "near", True), (1, "KHE-1", "inside", True), (2, "KHE-1", "inside", True),
        (3, "KHE-1", "inside", True), (5, "KHE-1", "near", True),
    ]


def test_multipolygon_counts_once_for_a_point_in_any_of_its_parts():
    donetsk = area("MultiPolygon", [
        [[[37.68, 48.50], [37.74, 48.50], [37.74, 48.56], [37.68, 48.56], [37.68, 48.50]]],
        [[[37.82, 48.37], [37.88, 48.37], [37.88, 48.42], [37.82, 48.42], [37.82, 48.37]]],
    ], "DON-1")

    assert relations([donetsk], [(37.71, 48.53), (37.85, 48.395), (37.78, 48.46)]) == [
        (0, "DON-1", "inside", True), (1, "DON-1", "inside", True)
    ]


def test_rows_follow_incident_order_then_feature_order_in_the_file():
    site = area("Point", [37.85, 48.395], "DON-S", width_m=3000, kind="site")
    square = area("Polygon", [[[37.82, 48.37], [37.88, 48.37], [37.88, 48.42], [37.82, 48.42],
                               [37.82, 48.37]]], "DON-1")
    points = [(37.88, 48.40), (37.85, 48.395), (30.52, 50.45), (37.851, 48.396)]

    assert relations([site, square], points) == [
        (0, "DON-1", "inside", True),
        (1, "DON-S", "inside", True), (1, "DON-1", "inside", True),
        (3, "DON-S", "inside", True), (3, "DON-1", "inside", True),
    ]


KYIV_DAILY_10 = [{"rrule": "FREQ=DAILY;COUNT=7", "dtstart": "2026-03-25T10:00:00",
                  "tz": "Europe/Kyiv", "duration": "PT4H"}]
MOSCOW_DAILY_10 = [{"rrule": "FREQ=DAILY;COUNT=7", "dtstart": "2026-03-25T10:00:00",
                    "tz": "Europe/Moscow", "duration": "PT4H"}]


@pytest.mark.parametrize(
    ("windows", "instant", "expected"),
    [
        # Daily 10:00–14:00 Kyiv: 08:00–12:00Z up to 28 March, 07:00–11:00Z from the 29th.
        (KYIV_DAILY_10, "2026-03-28T07:59:59Z", False),
        (KYIV_DAILY_10, "2026-03-28T08:00:00Z", True),
        (KYIV_DAILY_10, "2026-03-28T11:59:59Z", True),
        (KYIV_DAILY_10, "2026-03-28T12:00:00Z", False),
        (KYIV_DAILY_10, "2026-03-29T06:59:59Z", False),
        (KYIV_DAILY_10, "2026-03-29T07:00:00Z", True),
        (KYIV_DAILY_10, "2026-03-29T10:59:59Z", True),
        (KYIV_DAILY_10, "2026-03-29T11:00:00Z", False),
        (KYIV_DAILY_10, "2026-03-29T10:00:00+03:00", True),  # Kyiv summer time, the start
        (KYIV_DAILY_10, "2026-03-29T14:00:00+03:00", False),  # the end, half-open
        (KYIV_DAILY_10, "2026-03-29T11:00:00+04:00", True),  # 07:00Z written in another offset
        # Daily 10:00–14:00 Moscow: Moscow keeps UTC+3, so 07:00–11:00Z on either side.
        (MOSCOW_DAILY_10, "2026-03-28T07:00:00Z", True),
        (MOSCOW_DAILY_10, "2026-03-28T11:00:00Z", False),
        (MOSCOW_DAILY_10, "2026-03-29T06:59:59Z", False),
        (MOSCOW_DAILY_10, "2026-03-29T14:00:00+03:00", False),
        (MOSCOW_DAILY_10, "2026-03-29T13:59:59+03:00", True),
        (MOSCOW_DAILY_10, "2026-03-31T09:59:59+02:00", True),  # the seventh and last day
        (MOSCOW_DAILY_10, "2026-04-01T08:00:00Z", False),  # COUNT=7 has ended
    ],
)
def test_in_window_at_the_edges_around_the_spring_dst_change(windows, instant, expected):
    assert_in_window(windows, instant, expected)


KYIV_AUTUMN = [{"rrule": "FREQ=DAILY;COUNT=3", "dtstart": "2026-10-24T10:00:00",
                "tz": "Europe/Kyiv", "duration": "PT4H"}]
# 03:30 on 29 March does not exist in Kyiv (02:59 is followed by 04:00): it keeps +02:00.
KYIV_GAP = [{"start": "2026-03-29T03:30:00", "end": "2026-03-29T05:00:00", "tz": "Europe/Kyiv"}]
# 03:30 on 25 October happens twice in Kyiv: the first, still +03:00, is taken.
KYIV_FOLD = [{"start": "2026-10-25T03:30:00", "end": "2026-10-25T05:00:00", "tz": "Europe/Kyiv"}]


@pytest.mark.parametrize(
    ("windows", "instant", "expected"),
    [
        # Daily 10:00–14:00 Kyiv: 07:00–11:00Z on 24 October, 08:00–12:00Z from the 25th.
        (KYIV_AUTUMN, "2026-10-24T07:00:00Z", True),
        (KYIV_AUTUMN, "2026-10-24T11:00:00Z", False),
        (KYIV_AUTUMN, "2026-10-25T07:59:59Z", False),
        (KYIV_AUTUMN, "2026-10-25T08:00:00Z", True),
        (KYIV_AUTUMN, "2026-10-25T11:00:00+03:00", True),  # Moscow clock, 08:00Z
        (KYIV_AUTUMN, "2026-10-25T15:00:00+03:00", False),  # Moscow clock, 12:00Z, the end
        (KYIV_AUTUMN, "2026-10-26T11:59:59Z", True),
        (KYIV_GAP, "2026-03-29T01:29:59Z", False),
        (KYIV_GAP, "2026-03-29T01:30:00Z", True),
        (KYIV_GAP, "2026-03-29T01:59:59Z", True),
        (KYIV_GAP, "2026-03-29T02:00:00Z", False),  # 05:00 summer time
        (KYIV_FOLD, "2026-10-25T00:29:59Z", False),
        (KYIV_FOLD, "2026-10-25T00:30:00Z", True),
        (KYIV_FOLD, "2026-10-25T02:59:59Z", True),
        (KYIV_FOLD, "2026-10-25T03:00:00Z", False),  # 05:00 winter time
    ],
)
def test_in_window_around_the_autumn_change_and_at_local_times_that_do_not_or_twice_exist(
    windows, instant, expected
):
    assert_in_window(windows, instant, expected)


def assert_in_window(windows, instant, expected):
    feature = corridor(windows=windows)
    middle, _, _ = corridor_frame()
    moment = np.datetime64(datetime.fromisoformat(instant).astimezone(UTC).replace(tzinfo=None))

    [(_, _, relation, in_window)] = relations([feature], [middle], times=[moment])

    assert (relation, in_window) == ("inside", expected)


def test_classify_arrays_returns_parallel_arrays_in_order():
    site = area("Point", list(ZNPP), "ZNPP", width_m=10_000)
    prepared = geo.prepare_areas([site, corridor()])
    middle, _, _ = corridor_frame()
    lon = np.array([middle[0], ZNPP[0], 0.0])
    lat = np.array([middle[1], ZNPP[1], 0.0])
    t_ns = np.array([MID_MARCH, np.datetime64("2026-05-01", "ns"), MID_MARCH]).view(np.int64)

    incident_idx, feature_idx, relation, in_window = geo.classify_arrays(
        prepared, lon, lat, t_ns, np.zeros(3)
    )

    assert incident_idx.tolist() == [0, 1]
    assert feature_idx.tolist() == [1, 0]
    assert relation.tolist() == [geo.INSIDE, geo.INSIDE]
    assert in_window.tolist() == [True, False]


def test_classify_arrays_with_no_incidents_or_no_areas_returns_empty_arrays():
    empty = np.zeros(0)
    no_incidents = geo.classify_arrays(geo.prepare_areas([corridor()]), empty, empty,
                                       np.zeros(0, np.int64), empty)
    no_areas = geo.classify_arrays([], np.array([35.2]), np.array([47.8]),
                                   np.zeros(1, np.int64), np.zeros(1))

    assert [len(part) for part in no_incidents + no_areas] == [0] * 8


def test_edges_are_straight_in_longitude_latitude_as_rfc_7946_draws_them():
    # A 11.5 km edge along the parallel 46.60: the geodesic between its ends bows 2.7 m north,
    # but the area's edge is the parallel itself.
    square = area("Polygon", [[[32.55, 46.60], [32.70, 46.60], [32.70, 46.68], [32.55, 46.68],
                               [32.55, 46.60]]], "KHE-1")
    on_edge = (32.625, 46.60)
    on_sloped_edge = area("Polygon", [[[35.0, 47.0], [35.3, 47.1], [35.0, 47.2], [35.0, 47.0]]],
                          "T")

    assert relations([square], [on_edge, offset(on_edge, 180, 0.5), offset(on_edge, 0, 0.5)]) == [
        (0, "KHE-1", "inside", True), (2, "KHE-1", "inside", True)
    ]
    assert relations([on_sloped_edge], [(35.15, 47.05), (35.0, 47.1), (35.3, 47.1)]) == [
        (0, "T", "inside", True), (1, "T", "inside", True), (2, "T", "inside", True)
    ]
