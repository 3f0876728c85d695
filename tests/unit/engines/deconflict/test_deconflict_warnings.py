"""Parley's warnings: crossing congestion, hazards near the route, vehicle and cargo limits."""

from datetime import timedelta

import pytest

from parley.engines import geo
from parley.engines.deconflict import (
    CODES,
    InputValidationError,
    check_movements,
    parse_hazards,
    parse_movements,
)

pytestmark = pytest.mark.unit

CROSSING = [35.70, 47.55]
WHOLE_DAY = [{"start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z"}]


def through_crossing(build, movement_id, at_centre, minutes_per_km=10):
    """A movement from 1 km south of the crossing to 1 km north of it, at the centre at
    `at_centre`."""
    south, north = build.offset(*CROSSING, 180, 1000), build.offset(*CROSSING, 0, 1000)
    centre = build.utc(at_centre)
    leg = timedelta(minutes=minutes_per_km)
    return build.movement(
        [south, CROSSING, north], [centre - leg, centre, centre + leg], movement_id=movement_id
    )


def areas_with_crossing(build, capacity=2, **conditions):
    return geo.parse_areas(
        build.collection(
            build.area(windows=WHOLE_DAY, **conditions),
            build.area(
                "X1",
                "Point",
                CROSSING,
                kind="site",
                width_m=400,
                crossing=True,
                capacity_per_hour=capacity,
                windows=WHOLE_DAY,
                **conditions,
            ),
        )
    )


def findings_for(build, areas, *movements, hazards=None):
    parsed = parse_movements(build.collection(*movements))
    return check_movements(areas, parsed, hazards)


def rows(findings):
    return [(f.movement_id, f.code, f.severity, f.detail) for f in findings]


def test_more_movements_than_the_crossing_takes_in_one_hour(build):
    areas = areas_with_crossing(build)
    movements = [
        through_crossing(build, "M1", "2026-03-01T10:10:00Z"),
        through_crossing(build, "M2", "2026-03-01T10:30:00Z"),
        through_crossing(build, "M3", "2026-03-01T10:55:00Z"),
        through_crossing(build, "M4", "2026-03-01T12:30:00Z"),
    ]
    detail = (
        "3 movements (M1, M2, M3) pass crossing X1 between 2026-03-01T10:00:00Z and "
        "2026-03-01T11:00:00Z; its capacity is 2 per hour"
    )
    assert rows(findings_for(build, areas, *movements)) == [
        ("M1", "crossing_congestion", "warning", detail),
        ("M2", "crossing_congestion", "warning", detail),
        ("M3", "crossing_congestion", "warning", detail),
    ]
    [first, *_] = findings_for(build, areas, *movements)
    assert (first.lon, first.lat) == tuple(CROSSING)


def test_at_capacity_is_no_congestion(build):
    areas = areas_with_crossing(build)
    movements = [
        through_crossing(build, "M1", "2026-03-01T10:10:00Z"),
        through_crossing(build, "M2", "2026-03-01T10:30:00Z"),
    ]
    assert findings_for(build, areas, *movements) == []


def test_a_movement_counts_in_every_hour_it_is_within_the_radius(build):
    """At 10 min per km the movement is within 200 m of the centre from 2 min before to 2 min
    after it passes: 11:01:59 reaches back to 10:59:59; 11:02:01 does not."""
    areas = areas_with_crossing(build, capacity=1)
    crossing_hours = [
        through_crossing(build, "EARLY", "2026-03-01T10:30:00Z"),
        through_crossing(build, "SPANS", "2026-03-01T11:01:59Z"),
        through_crossing(build, "LATE", "2026-03-01T11:30:00Z"),
    ]
    assert [
        (f.movement_id, f.detail[:40]) for f in findings_for(build, areas, *crossing_hours)
    ] == [
        ("EARLY", "2 movements (EARLY, SPANS) pass crossing"),
        ("SPANS", "2 movements (EARLY, SPANS) pass crossing"),
        ("SPANS", "2 movements (SPANS, LATE) pass crossing "),
        ("LATE", "2 movements (SPANS, LATE) pass crossing "),
    ]
    crossing_hours[1] = through_crossing(build, "SPANS", "2026-03-01T11:02:01Z")
    assert [f.movement_id for f in findings_for(build, areas, *crossing_hours)] == ["SPANS", "LATE"]


def test_passing_outside_the_radius_does_not_count(build):
    areas = areas_with_crossing(build, capacity=0)
    beside = [
        build.offset(*CROSSING, 90, 201),
        build.offset(*build.offset(*CROSSING, 90, 201), 0, 900),
    ]
    movement = build.movement(beside, ["2026-03-01T10:00:00Z", "2026-03-01T10:10:00Z"])
    assert findings_for(build, areas, movement) == []
    inside = [
        build.offset(*CROSSING, 90, 199),
        build.offset(*build.offset(*CROSSING, 90, 199), 0, 900),
    ]
    movement = build.movement(inside, ["2026-03-01T10:00:00Z", "2026-03-01T10:10:00Z"])
    assert [f.code for f in findings_for(build, areas, movement)] == ["crossing_congestion"]


def hazards(build, *features):
    return parse_hazards(build.collection(*features))


def hazard(build, hazard_id, geometry_type, coordinates, kind="mined", note="bridge approach"):
    return {
        "type": "Feature",
        "geometry": {"type": geometry_type, "coordinates": coordinates},
        "properties": {"id": hazard_id, "kind": kind, "note": note},
    }


def test_hazard_near_the_route(build):
    areas = geo.parse_areas(build.collection(build.area(windows=WHOLE_DAY)))
    movement = build.movement(
        [[35.70, 47.52], [35.70, 47.58]], ["2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z"]
    )
    near = hazard(build, "Z1", "Point", build.offset(35.70, 47.55, 90, 400))
    far = hazard(
        build, "Z2", "Point", build.offset(35.70, 47.55, 270, 600), kind="shelling", note=""
    )
    found = findings_for(build, areas, movement, hazards=hazards(build, near, far))
    assert rows(found) == [
        (
            "M1",
            "near_hazard",
            "warning",
            "the route passes 400 m from the mined hazard Z1 (bridge approach), within the "
            "500 m to keep clear",
        )
    ]
    assert (found[0].lon, round(found[0].lat, 5)) == (35.70, 47.55)
    wider = geo.parse_areas(build.collection(build.area(windows=WHOLE_DAY, hazard_buffer_m=700)))
    found = findings_for(build, wider, movement, hazards=hazards(build, near, far))
    assert [f.detail for f in found][1] == (
        "the route passes 600 m from the shelling hazard Z2, within the 700 m to keep clear"
    )


def test_route_crossing_a_hazard_area_or_line(build):
    areas = geo.parse_areas(build.collection(build.area(windows=WHOLE_DAY)))
    movement = build.movement(
        [[35.70, 47.52], [35.70, 47.58]], ["2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z"]
    )
    field = hazard(
        build,
        "Z3",
        "Polygon",
        [[[35.69, 47.54], [35.71, 47.54], [35.71, 47.545], [35.69, 47.545], [35.69, 47.54]]],
        kind="impassable",
        note="",
    )
    road = hazard(build, "Z4", "LineString", [[35.68, 47.57], [35.72, 47.57]], note="")
    found = findings_for(build, areas, movement, hazards=hazards(build, field, road))
    assert [f.detail for f in found] == [
        "the route crosses the impassable hazard Z3",
        "the route crosses the mined hazard Z4",
    ]
    assert (found[0].lon, round(found[0].lat, 6)) == (35.70, 47.54)


def test_hazard_file_problems_are_named(build):
    with pytest.raises(InputValidationError) as caught:
        hazards(
            build,
            hazard(build, "Z1", "Point", [35.7, 47.5], kind="wolves"),
            hazard(build, "Z2", "Polygon", [[[35.7, 47.5], [35.8, 47.5], [35.7, 47.5]]]),
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [35.7, 47.5]}},
        )
    assert [str(e) for e in caught.value.errors] == [
        "feature Z1, kind: must be one of mined, impassable, shelling, other ('wolves')",
        "feature Z2, geometry.coordinates[0]: a ring needs at least 4 positions (the last "
        "repeating the first)",
        "feature #2, properties: must be an object with id and kind",
        "feature #2, id: is missing: every hazard needs an id",
        "feature #2, kind: must be one of mined, impassable, shelling, other (None)",
    ]


def test_vehicle_and_cargo_limits(build):
    areas = geo.parse_areas(
        build.collection(
            build.area(windows=WHOLE_DAY, max_vehicles=3, cargo_limits={"fuel": 10000, "flour": 40})
        )
    )
    movement = build.movement(
        [[35.70, 47.52], [35.70, 47.58]],
        ["2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z"],
        vehicles=4,
        cargo=[
            {"item": "Fuel", "quantity": 6000, "unit": "l"},
            {"item": "flour", "quantity": 40, "unit": "t"},
            {"item": "fuel ", "quantity": 5000, "unit": "l"},
        ],
    )
    assert rows(findings_for(build, areas, movement)) == [
        (
            "M1",
            "vehicle_limit",
            "warning",
            "4 vehicles notified; agreement HP-2026-004 allows at most 3 per movement",
        ),
        (
            "M1",
            "cargo_limit",
            "warning",
            "11000 l of fuel notified; agreement HP-2026-004 allows at most 10000 per movement",
        ),
    ]
    within = build.movement(
        [[35.70, 47.52], [35.70, 47.58]],
        ["2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z"],
        vehicles=[{"type": "truck", "plate": f"AA {k}"} for k in range(3)],
    )
    assert findings_for(build, areas, within) == []


def test_malformed_agreement_conditions_are_named(build):
    areas = geo.parse_areas(
        build.collection(
            build.area("C1", windows=WHOLE_DAY, max_vehicles="four"),
            build.area("C2", windows=WHOLE_DAY, cargo_limits={"fuel": 100}),
            build.area("C3", windows=WHOLE_DAY, cargo_limits={"fuel": 200}),
            build.area("X1", "Point", CROSSING, kind="site", crossing=True, windows=WHOLE_DAY),
        )
    )
    movement = build.movement([[35.70, 47.52], [35.70, 47.58]], ["2026-03-01T10:00:00Z"] * 2)
    with pytest.raises(InputValidationError) as caught:
        findings_for(build, areas, movement)
    assert [str(e) for e in caught.value.errors] == [
        "feature C1, max_vehicles: must be a whole number of vehicles, zero or more ('four')",
        "feature C3, cargo_limits: differs from another feature of the same agreement; an "
        "agreement's conditions must be the same on each of its features (feature C2)",
    ]


def test_findings_come_in_movement_order_then_code_order(build):
    areas = areas_with_crossing(build, capacity=0, lead_time_h=48, max_vehicles=1)
    late_and_everything = through_crossing(build, "B", "2026-03-01T10:30:00Z")
    late_and_everything["properties"].update(notified_at="2026-03-01T09:00:00Z", vehicles=2)
    late_and_everything["geometry"]["coordinates"][0] = [36.0, 47.0]
    clean_but_crowded = through_crossing(build, "A", "2026-03-01T10:20:00Z")
    clean_but_crowded["properties"]["notified_at"] = "2026-02-01T00:00:00Z"
    found = findings_for(
        build,
        areas,
        clean_but_crowded,
        late_and_everything,
        hazards=hazards(build, hazard(build, "Z1", "Point", CROSSING)),
    )
    assert [(f.movement_id, f.code) for f in found] == [
        ("A", "crossing_congestion"),
        ("A", "near_hazard"),
        ("B", "route_outside_area"),
        ("B", "late_notice"),
        ("B", "crossing_congestion"),
        ("B", "near_hazard"),
        ("B", "vehicle_limit"),
    ]
    assert CODES == (
        "route_outside_area",
        "outside_window",
        "late_notice",
        "crossing_congestion",
        "near_hazard",
        "vehicle_limit",
        "cargo_limit",
    )
