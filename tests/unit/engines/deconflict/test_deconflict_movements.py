"""Reading movements (docs/formats.md §5): every problem named; schedules from times or
depart + speed."""

from datetime import datetime, timedelta

import pytest

from parley.engines.deconflict import (
    CargoItem,
    InputValidationError,
    Vehicle,
    parse_movements,
)

pytestmark = pytest.mark.unit

ROUTE = [[35.70, 47.52], [35.70, 47.55]]
TIMES = ["2026-03-01T10:00:00+02:00", "2026-03-01T11:00:00+02:00"]


def problems(build, *features, agreements=("HP-2026-004",)):
    with pytest.raises(InputValidationError) as caught:
        parse_movements(build.collection(*features), agreements=set(agreements))
    return [(e.feature, e.field, e.reason, e.detail) for e in caught.value.errors]


def test_a_full_movement_is_read(build):
    feature = build.movement(
        ROUTE,
        TIMES,
        vehicles=[{"type": "truck", "plate": "AA 1234 BB"}, {"type": "van", "plate": "KA 77"}],
        personnel=4,
        cargo=[{"item": "wheat flour", "quantity": 20, "unit": "t"}],
    )
    [movement] = parse_movements(build.collection(feature), agreements={"HP-2026-004"})
    assert (movement.id, movement.organisation, movement.agreement, movement.purpose) == (
        "M1",
        "WFP",
        "HP-2026-004",
        "aid",
    )
    assert movement.notified_at == build.utc("2026-02-20T08:00:00+00:00")
    assert movement.times.astype("datetime64[s]").tolist() == [
        datetime(2026, 3, 1, 8, 0),
        datetime(2026, 3, 1, 9, 0),
    ]
    assert movement.lon.tolist() == [35.70, 35.70]
    assert movement.lat.tolist() == [47.52, 47.55]
    assert movement.vehicle_count == 2
    assert movement.vehicles == (Vehicle("truck", "AA 1234 BB"), Vehicle("van", "KA 77"))
    assert movement.personnel == 4
    assert movement.cargo == (CargoItem("wheat flour", 20.0, "t"),)


def test_a_single_feature_is_read_and_sites_are_left_out(build):
    [movement] = parse_movements(build.movement(ROUTE, TIMES))
    assert movement.id == "M1"
    site = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [35.9, 47.7]},
        "properties": {"id": "H1", "kind": "site", "width_m": 500},
    }
    assert [
        m.id for m in parse_movements(build.collection(site, build.movement(ROUTE, TIMES)))
    ] == ["M1"]


def test_depart_and_speed_give_times_from_geodesic_distances(build):
    route = [[35.70, 47.52], [35.70, 47.55], [35.75, 47.56]]
    feature = build.movement(route, depart="2026-03-01T08:00:00+02:00", speed_kmh=36)
    [movement] = parse_movements(build.collection(feature))
    legs = [build.geod.inv(*a, *b)[2] for a, b in zip(route, route[1:], strict=False)]
    depart = build.utc("2026-03-01T06:00:00+00:00")
    # 36 km/h is 10 m/s.
    expected = [
        depart,
        depart + timedelta(seconds=legs[0] / 10),
        depart + timedelta(seconds=(legs[0] + legs[1]) / 10),
    ]
    assert movement.times.astype("datetime64[us]").tolist() == [
        e.replace(tzinfo=None) for e in expected
    ]
    assert movement.first_instant == depart


def test_every_problem_of_every_movement_is_named(build):
    def movement(movement_id, **properties):
        properties.setdefault("times", TIMES)
        return build.movement(ROUTE, movement_id=movement_id, **properties)

    swapped = movement("A9")
    swapped["geometry"]["coordinates"] = [[47.5, 95.0], [35.7, 47.5]]
    found = problems(
        build,
        movement(None),
        movement("A1", agreement="HP-1999-001"),
        movement("A2", times=TIMES[:1]),
        movement("A3", times=[TIMES[1], TIMES[0]]),
        movement("A4", times=["2026-03-01T10:00:00", TIMES[1]]),
        movement("A5", depart=TIMES[0], speed_kmh=30),
        movement("A6", times=None),
        build.movement(ROUTE, movement_id="A7", depart=TIMES[0], speed_kmh=0),
        movement("A8", purpose="tourism", notified_at="yesterday"),
        swapped,
        movement("A1"),
        movement(
            "A10",
            vehicles=[{"type": "truck"}],
            cargo=[{"item": "flour", "quantity": -1, "unit": "t"}],
            personnel="many",
        ),
    )
    assert found == [
        ("#0", "id", "is missing: every movement needs an id", ""),
        ("A1", "agreement", "is not an agreement of the areas file", "'HP-1999-001'"),
        (
            "A2",
            "times",
            "must have one instant per route vertex",
            "1 given for a route of 2 vertices",
        ),
        (
            "A3",
            "times[1]",
            "is earlier than the time before it; times must not decrease",
            "2026-03-01T10:00:00+02:00 after 2026-03-01T11:00:00+02:00",
        ),
        (
            "A4",
            "times[0]",
            "is a local time without a time zone: add an offset or a zone",
            "2026-03-01T10:00:00",
        ),
        ("A5", "times", "give either times or depart and speed_kmh, not both", ""),
        (
            "A6",
            "times",
            "is missing: give times (one per route vertex) or depart and speed_kmh",
            "",
        ),
        ("A7", "speed_kmh", "must be greater than zero", "0"),
        (
            "A8",
            "purpose",
            "is not a purpose; use one of aid, evacuation, medevac, repair, exchange",
            "'tourism'",
        ),
        ("A8", "notified_at", "is not an ISO 8601 date and time", "yesterday"),
        (
            "A9",
            "geometry.coordinates[0]",
            "latitude outside ±90, the usual sign of swapped coordinates",
            "[47.5, 95]",
        ),
        ("A1", "id", "is used twice: an earlier movement has the same id", "movement #1"),
        ("A10", "vehicles[0].plate", "must be a non-empty text", "None"),
        ("A10", "personnel", "must be a whole number of people, or a list of them", "'many'"),
        ("A10", "cargo[0].quantity", "must be a number, zero or more", "-1"),
    ]


def test_bad_routes(build):
    point = build.movement(ROUTE, TIMES, movement_id="P")
    point["geometry"] = {"type": "Point", "coordinates": [35.7, 47.5]}
    short = build.movement([[35.7, 47.5]], TIMES[:1], movement_id="S")
    text = build.movement([[35.7, "47.5"], [35.7, 47.6]], TIMES, movement_id="T")
    assert problems(build, point, short, text) == [
        ("P", "geometry.type", "must be LineString: a movement's route is one line", "'Point'"),
        ("S", "geometry.coordinates", "a route needs at least 2 positions", "it has 1"),
        (
            "T",
            "geometry.coordinates[0]",
            "must be a position [longitude, latitude]: two numbers "
            "(a third, the altitude, is allowed and ignored)",
            "[35.7, '47.5']",
        ),
    ]


def test_not_geojson(build):
    with pytest.raises(InputValidationError) as caught:
        parse_movements([1, 2])
    assert [str(e) for e in caught.value.errors] == [
        "is not a GeoJSON FeatureCollection or Feature (its type is 'list')"
    ]
    assert str(problems(build, {"type": "Feature"})[0][2]) == (
        "must be an object with the movement's id, agreement and schedule"
    )


def test_error_text_names_feature_field_and_reason(build):
    with pytest.raises(InputValidationError) as caught:
        parse_movements(build.collection(build.movement(ROUTE, TIMES, speed_kmh=-5)))
    assert str(caught.value) == (
        "feature M1, times: give either times or depart and speed_kmh, not both"
    )


def test_local_times_with_a_zone(build):
    """docs/formats.md §1: naive local times are read in `tz`; 10:00 in Kyiv is 07:00Z on
    29 March 2026, the first day of summer time. An offset in the text wins."""
    feature = build.movement(
        ROUTE,
        ["2026-03-29T10:00:00", "2026-03-29T11:00:00+03:00"],
        tz="Europe/Kyiv",
        notified_at="2026-03-28T10:00:00",
    )
    [movement] = parse_movements(build.collection(feature))
    assert movement.times.astype("datetime64[s]").tolist() == [
        datetime(2026, 3, 29, 7, 0),
        datetime(2026, 3, 29, 8, 0),
    ]
    assert movement.notified_at == build.utc("2026-03-28T08:00:00+00:00")
    bad = build.movement(ROUTE, TIMES, tz="Mars/Olympus")
    assert problems(build, bad) == [
        ("M1", "tz", "is not an IANA time zone such as Europe/Kyiv", "'Mars/Olympus'")
    ]
