"""Validation of agreement areas, docs/formats.md §2: every bad feature named, with the reason."""

import copy
from datetime import UTC, datetime

import pytest
import shapely

from parley.engines import geo, timewin

pytestmark = pytest.mark.unit

ONE_WINDOW = [{"start": "2026-03-01T08:00:00+02:00", "end": "2026-03-01T14:00:00+02:00"}]
# A square of about 7.5 km × 11 km east of Orikhiv, with a 2 km hole in the middle.
SQUARE = [[35.70, 47.50], [35.80, 47.50], [35.80, 47.60], [35.70, 47.60], [35.70, 47.50]]
HOLE = [[35.74, 47.54], [35.74, 47.56], [35.76, 47.56], [35.76, 47.54], [35.74, 47.54]]


def feature(geometry_type="LineString", coordinates=None, feature_id="C007", **properties):
    if coordinates is None:
        coordinates = {
            "LineString": [[35.1, 47.8], [35.4, 47.9]],
            "Polygon": [SQUARE],
            "Point": [35.3, 47.6],
        }[geometry_type]
    base = {"agreement": "HP-2026-004", "kind": "pause", "windows": ONE_WINDOW}
    if geometry_type not in ("Polygon", "MultiPolygon"):
        base["width_m"] = 2000
    base.update(properties)
    result = {
        "type": "Feature",
        "geometry": {"type": geometry_type, "coordinates": coordinates},
        "properties": {key: value for key, value in base.items() if value is not None},
    }
    if feature_id is not None:
        result["id"] = feature_id
    return result


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def problems(fc):
    with pytest.raises(geo.GeoValidationError) as caught:
        geo.parse_areas(fc)
    return [str(error) for error in caught.value.errors]


def test_the_example_of_formats_parses_with_all_its_parts():
    fc = collection(
        {
            "type": "Feature",
            "id": "C007",
            "geometry": {"type": "LineString", "coordinates": [[35.1, 47.8], [35.4, 47.9]]},
            "properties": {
                "agreement": "HP-2026-004",
                "kind": "pause",
                "width_m": 2000,
                "windows": [
                    {"start": "2026-03-01T08:00:00+02:00", "end": "2026-03-01T14:00:00+02:00"},
                    {"rrule": "FREQ=DAILY;COUNT=7", "dtstart": "2026-03-25T10:00:00",
                     "tz": "Europe/Kyiv", "duration": "PT4H"},
                ],
            },
        }
    )

    [area] = geo.parse_areas(fc)

    assert (area.id, area.index, area.agreement, area.kind, area.width_m) == (
        "C007", 0, "HP-2026-004", "pause", 2000.0
    )
    assert area.geometry.equals(shapely.LineString([(35.1, 47.8), (35.4, 47.9)]))
    assert (area.lead_time_h, area.margin_min) == (None, None)
    assert len(area.windows) == 8
    assert area.windows[0] == timewin.Window(
        datetime(2026, 3, 1, 6, tzinfo=UTC), datetime(2026, 3, 1, 12, tzinfo=UTC)
    )
    # Daily 10:00 Kyiv: 08:00Z before the DST change of 29 March, 07:00Z from that day on.
    assert [w.start.hour for w in area.windows[1:]] == [8, 8, 8, 8, 7, 7, 7]
    assert area.specs == fc["features"][0]["properties"]["windows"]


def test_every_allowed_geometry_type_parses():
    fc = collection(
        feature("Polygon", [SQUARE, HOLE], "P"),
        feature("MultiPolygon", [[SQUARE], [[[36.0, 47.0], [36.1, 47.0], [36.1, 47.1],
                                              [36.0, 47.0]]]], "MP"),
        feature("LineString", feature_id="L"),
        feature("MultiLineString", [[[35.1, 47.8], [35.4, 47.9]], [[35.5, 47.9], [35.6, 48.0]]],
                "ML"),
        feature("Point", feature_id="S", kind="site"),
        feature("MultiPoint", [[35.3, 47.6], [35.31, 47.61, 120.0]], "MS", kind="site"),
    )

    areas = geo.parse_areas(fc)

    assert [(a.id, a.geometry_type, a.width_m) for a in areas] == [
        ("P", "Polygon", None),
        ("MP", "MultiPolygon", None),
        ("L", "LineString", 2000.0),
        ("ML", "MultiLineString", 2000.0),
        ("S", "Point", 2000.0),
        ("MS", "MultiPoint", 2000.0),
    ]
    assert areas[0].geometry.interiors[0].coords[:] == [tuple(p) for p in HOLE]


def test_features_without_id_are_named_by_their_index_and_numeric_ids_as_text():
    fc = collection(feature(feature_id=None), feature(feature_id=17), feature(feature_id=2.0))

    assert [area.id for area in geo.parse_areas(fc)] == ["#0", "17", "2"]


def test_conditions_are_kept_when_every_feature_of_the_agreement_repeats_them():
    fc = collection(
        feature(feature_id="a", lead_time_h=24, margin_min=30),
        feature("Point", feature_id="b", kind="site", lead_time_h=24.0, margin_min=30),
        feature(feature_id="c", agreement="LC-2026-001"),
    )

    areas = geo.parse_areas(fc)

    assert [(a.lead_time_h, a.margin_min) for a in areas] == [(24, 30), (24, 30), (None, None)]


@pytest.mark.parametrize(
    ("fc", "expected"),
    [
        ({"type": "Feature"}, "is not a GeoJSON FeatureCollection (its type is 'Feature')"),
        ([], "is not a GeoJSON FeatureCollection (its type is 'list')"),
        ({"type": "FeatureCollection"}, "features: the FeatureCollection has no 'features' array"),
    ],
)
def test_something_other_than_a_feature_collection_is_rejected(fc, expected):
    assert problems(fc) == [expected]


def test_every_bad_feature_is_reported_not_just_the_first():
    fc = collection(
        feature(feature_id="ok"),
        feature(feature_id="no-width", width_m=None),
        feature("Polygon", feature_id=None, width_m=500),
        feature(feature_id="no-kind", kind=None, agreement=None),
    )

    assert problems(fc) == [
        "feature no-width, width_m: is missing: a corridor (LineString) needs its full width "
        "in metres",
        "feature #2, width_m: is not allowed for a Polygon: a polygon is the area itself; "
        "width_m is for corridors (lines) and sites (points)",
        "feature no-kind, agreement: is missing: name the agreement this area belongs to",
        "feature no-kind, kind: is missing: use one of pause, ceasefire, site",
    ]


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (feature("GeometryCollection", []),
         "feature C007, geometry.type: geometry type 'GeometryCollection' is not allowed; "
         "use one of Polygon, MultiPolygon, LineString, MultiLineString, Point, MultiPoint"),
        ({"type": "Feature", "id": "C007", "geometry": None, "properties": {
            "agreement": "HP-2026-004", "kind": "pause", "width_m": 100, "windows": ONE_WINDOW}},
         "feature C007, geometry: is missing: an area needs a geometry"),
        (feature("Polygon", [[[35.7, 47.5], [35.8, 47.5], [35.7, 47.5]]]),
         "feature C007, geometry.coordinates[0]: a ring needs at least 4 positions (the last "
         "repeating the first); this one has 3"),
        (feature("Polygon", [SQUARE[:-1]]),
         "feature C007, geometry.coordinates[0]: the ring is not closed: its last position must "
         "repeat its first (35.7, 47.5)"),
        (feature("Polygon", [[[35.7, 47.5], [35.8, 47.6], [35.8, 47.5], [35.7, 47.6],
                              [35.7, 47.5]]]),
         "feature C007, geometry: self-intersecting ring: the boundary crosses itself or another "
         "ring, near longitude 35.75, latitude 47.55"),
        (feature("Polygon", [SQUARE, [[36.0, 47.0], [36.1, 47.0], [36.1, 47.1], [36.0, 47.0]]]),
         "feature C007, geometry: a hole lies outside its polygon's outer ring, near longitude "
         "36, latitude 47"),
        (feature("LineString", [[47.8, 35.1], [47.9, 95.4], [47.9, 91.0]]),
         "feature C007, geometry.coordinates[1]: position [47.9, 95.4] has latitude 95.4 outside "
         "±90 (and 1 more positions): the usual sign of swapped coordinates (GeoJSON puts "
         "longitude first, then latitude)"),
        (feature("Point", [190.5, 47.6]),
         "feature C007, geometry.coordinates: position [190.5, 47.6] has longitude 190.5 outside "
         "±180: the usual sign of swapped coordinates (GeoJSON puts longitude first, then "
         "latitude)"),
        (feature("LineString", [[35.1, 47.8], ["35.4", 47.9]]),
         "feature C007, geometry.coordinates[1]: must be a position [longitude, latitude]: two "
         "numbers (a third, the altitude, is allowed and ignored)"),
        (feature("LineString", [[35.1, 47.8], [True, 47.9]]),
         "feature C007, geometry.coordinates[1]: must be a position [longitude, latitude]: two "
         "numbers (a third, the altitude, is allowed and ignored)"),
        (feature("LineString", [[35.1, 47.8], [35.4, 47.9, 0, 1]]),
         "feature C007, geometry.coordinates[1]: must be a position [longitude, latitude]: two "
         "numbers (a third, the altitude, is allowed and ignored)"),
        (feature("LineString", [[35.1, 47.8], [35.4, float("nan")]]),
         "feature C007, geometry.coordinates[1]: must be a position [longitude, latitude]: two "
         "numbers (a third, the altitude, is allowed and ignored)"),
        (feature("LineString", [[35.1, 47.8]]),
         "feature C007, geometry.coordinates: a line needs at least 2 positions; this one has 1"),
        (feature("LineString", [[35.1, 47.8], [35.1, 47.8]]),
         "feature C007, geometry.coordinates: all positions of the line are the same point (a "
         "site is a Point)"),
        (feature("MultiPolygon", []),
         "feature C007, geometry.coordinates: is empty"),
        (feature(width_m=0),
         "feature C007, width_m: must be greater than zero (0)"),
        (feature("Point", width_m=-50),
         "feature C007, width_m: must be greater than zero (-50)"),
        (feature(width_m="2 km"),
         "feature C007, width_m: must be a number of metres, not '2 km'"),
        (feature(kind="truce"),
         "feature C007, kind: 'truce' is not a kind of area; use one of pause, ceasefire, site"),
        (feature(lead_time_h=-2),
         "feature C007, lead_time_h: must not be negative (-2)"),
        (feature(margin_min=-0.5),
         "feature C007, margin_min: must not be negative (-0.5)"),
        (feature(windows=None),
         "feature C007, windows: is missing: an area needs at least one window"),
        (feature(windows=[]),
         "feature C007, windows: is empty: an area needs at least one window"),
        (feature(windows={"start": "2026-03-01T08:00:00Z"}),
         "feature C007, windows: must be an array of window objects"),
        ({"type": "Feature", "id": "C007", "geometry": {"type": "Point", "coordinates": [1, 2]}},
         "feature C007, properties: must be an object with agreement, kind and windows"),
        ({"type": "Polygon", "coordinates": [SQUARE]},
         "feature #0: is not a GeoJSON Feature (an object with \"type\": \"Feature\")"),
    ],
)
def test_a_bad_feature_is_named_with_the_field_and_the_reason(bad, expected):
    assert problems(collection(bad)) == [expected]


def test_a_malformed_window_is_reported_with_its_index_from_timewin():
    naive = {"start": "2026-03-01T08:00:00", "end": "2026-03-01T09:00:00"}
    bad = feature(windows=[ONE_WINDOW[0], naive])

    [message] = problems(collection(bad))

    with pytest.raises(timewin.WindowError) as caught:
        timewin.windows_from_json(bad["properties"]["windows"], field="windows")
    assert caught.value.field.startswith("windows[1]")
    assert message.startswith(f"feature C007, {caught.value.field}: {caught.value.reason}")


def test_more_than_100_000_vertices_in_one_feature_is_rejected_but_100_000_is_accepted():
    def zigzag(count):
        return [[35.0 + i * 1e-5, 47.0 + (i % 2) * 1e-5] for i in range(count)]

    assert len(geo.parse_areas(collection(feature(coordinates=zigzag(100_000))))) == 1
    assert problems(collection(feature(coordinates=zigzag(100_001)))) == [
        "feature C007, geometry: has 100 001 vertices; at most 100 000 are allowed in one "
        "feature (simplify it or split it into several features)"
    ]


def test_conditions_differing_between_features_of_one_agreement_are_named_on_each_outlier():
    fc = collection(
        feature(feature_id="a", lead_time_h=24),
        feature(feature_id="b", lead_time_h=12),
        feature(feature_id="c"),
        feature(feature_id="d", lead_time_h=24, agreement="OTHER"),
    )

    assert problems(fc) == [
        "feature b, lead_time_h: is 12 here but 24 on feature a of the same agreement "
        "HP-2026-004; an agreement's conditions must be the same on each of its features",
        "feature c, lead_time_h: is not set here but 24 on feature a of the same agreement "
        "HP-2026-004; an agreement's conditions must be the same on each of its features",
    ]


def test_duplicate_feature_ids_are_rejected():
    assert problems(collection(feature(), feature())) == [
        "feature C007, id: is used twice: feature #0 has the same id"
    ]


def test_parse_areas_does_not_change_its_input():
    fc = collection(feature("Polygon", [SQUARE, HOLE]), feature("Point", feature_id="S"))
    before = copy.deepcopy(fc)

    geo.parse_areas(fc)

    assert fc == before


def test_a_ring_without_three_distinct_positions_is_rejected():
    degenerate = [[35.7, 47.5], [35.8, 47.6], [35.7, 47.5], [35.7, 47.5]]

    assert problems(collection(feature("Polygon", [degenerate]))) == [
        "feature C007, geometry: a ring has fewer than 3 distinct positions, near longitude "
        "35.7, latitude 47.5"
    ]


def test_null_properties_count_as_absent():
    polygon = feature("Polygon")
    polygon["properties"].update(width_m=None, lead_time_h=None, margin_min=None)

    [area] = geo.parse_areas(collection(polygon))

    assert (area.width_m, area.lead_time_h, area.margin_min) == (None, None, None)
