"""GeoJSON and KML out as their clients read them: geojson-validator finds nothing invalid or
problematic (holes aside, which are part of an area), rings follow RFC 7946's right-hand rule,
coordinates carry at most six decimals, and corridors can be had as the areas they stand for."""

import json
import xml.etree.ElementTree as ElementTree
from datetime import timedelta

import geojson_validator
import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from parley.engines import geo
from tests.factories import AgreementFactory, cast
from tests.factories.access import iso, window_start

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

KML = {"kml": "http://www.opengis.net/kml/2.2"}
# Entered against the right-hand rule: the outer ring clockwise, the hole counter-clockwise,
# with nine decimals.
AREAS = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": "P1",
     "geometry": {"type": "Polygon", "coordinates": [
         [[35.0, 47.0], [35.0, 47.3], [35.300000001, 47.3], [35.3, 47.0], [35.0, 47.0]],
         [[35.1, 47.1], [35.2, 47.1], [35.2, 47.2], [35.1, 47.2], [35.1, 47.1]]]},
     "properties": {"agreement": "HP-2026-301", "kind": "pause", "name": "Orikhiv"}},
    {"type": "Feature", "id": "C1",
     "geometry": {"type": "LineString", "coordinates": [
         [35.10, 47.80], [35.25, 47.86], [35.40, 47.90], [35.62, 47.84]]},
     "properties": {"agreement": "HP-2026-301", "kind": "pause", "width_m": 2000,
                    "name": "Zaporizhzhia road"}},
    {"type": "Feature", "id": "S1",
     "geometry": {"type": "Point", "coordinates": [34.585, 47.512]},
     "properties": {"agreement": "HP-2026-301", "kind": "site", "width_m": 30000,
                    "name": "Enerhodar"}},
]}


@pytest.fixture
def agreement_areas(client):
    people = cast()
    start = window_start()
    agreement = AgreementFactory(
        code="HP-2026-301", status="agreed", owner=people.mediator,
        version__areas=AREAS,
        version__windows=[{"start": iso(start), "end": iso(start + timedelta(hours=4))}])
    client.force_login(people.monitor_user)
    return agreement


def problems(collection):
    found = geojson_validator.validate_geometries(collection)
    problematic = {key: value for key, value in found["problematic"].items() if key != "holes"}
    return geojson_validator.validate_structure(collection), found["invalid"], problematic


def test_areas_come_out_valid_wound_counter_clockwise_with_six_decimals(client, agreement_areas):
    answer = client.get("/api/agreements/HP-2026-301/areas.geojson")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/geo+json"
    collection = json.loads(answer.content)
    assert problems(collection) == ({}, {}, {})
    exterior, hole = collection["features"][0]["geometry"]["coordinates"]
    assert bool(shapely.is_ccw(shapely.linearrings(exterior))) is True
    assert bool(shapely.is_ccw(shapely.linearrings(hole))) is False
    assert [35.3, 47.3] in exterior  # 35.300000001 rounded
    # Parley's own form is kept: the corridor is its line with its width.
    corridor = collection["features"][1]
    assert corridor["geometry"]["type"] == "LineString"
    assert corridor["properties"]["width_m"] == 2000
    assert geo.parse_areas(collection)[1].width_m == 2000


def test_shape_area_gives_corridors_and_sites_as_polygons_that_contain_them(
        client, agreement_areas):
    collection = json.loads(
        client.get("/api/agreements/HP-2026-301/areas.geojson?shape=area").content)
    assert problems(collection) == ({}, {}, {})
    kinds = [feature["geometry"]["type"] for feature in collection["features"]]
    assert kinds == ["Polygon", "Polygon", "Polygon"]
    corridor = collection["features"][1]
    assert corridor["properties"]["drawn_from"] == {"type": "LineString", "width_m": 2000}
    assert "width_m" not in corridor["properties"]
    window = [{"start": "2027-01-10T08:00:00Z", "end": "2027-01-10T12:00:00Z"}]
    exact = geo.parse_areas({"type": "FeatureCollection", "features": [
        {**feature, "properties": {**feature["properties"], "windows": window}}
        for feature in AREAS["features"]]})[1]
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(35.05, 35.7, 40000), rng.uniform(47.75, 47.95, 40000)
    inside = geo.metric_area(exact).beyond_edge_m(lon, lat) <= 0
    assert inside.sum() > 1000
    assert shapely.contains_xy(shape(corridor["geometry"]), lon[inside], lat[inside]).all()


def test_kml_draws_each_area_with_its_holes_line_and_point(client, agreement_areas):
    answer = client.get("/api/agreements/HP-2026-301/areas.kml")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/vnd.google-earth.kml+xml"
    root = ElementTree.fromstring(answer.content)  # noqa: S314 - our own output
    placemarks = root.findall("kml:Document/kml:Placemark", KML)
    assert [p.findtext("kml:name", namespaces=KML) for p in placemarks] == [
        "Orikhiv", "Zaporizhzhia road", "Enerhodar"]
    orikhiv, road, site = placemarks
    assert len(orikhiv.findall(".//kml:innerBoundaryIs", KML)) == 1
    assert road.find(".//kml:LineString", KML) is not None
    assert road.find(".//kml:Polygon", KML) is not None
    point = site.findtext(".//kml:Point/kml:coordinates", namespaces=KML)
    assert point == "34.585000,47.512000"


def test_another_partys_draft_has_neither_kml_nor_area_shapes(client):
    people = cast()
    AgreementFactory(code="HP-2026-302", status="draft", owner=people.ukraine,
                     version__areas={**AREAS, "features": AREAS["features"][1:2]})
    client.force_login(people.ua_head)
    assert client.get("/api/agreements/HP-2026-302/areas.kml").status_code == 200
    client.force_login(people.ru_head)
    for url in ("/api/agreements/HP-2026-302/areas.kml",
                "/api/agreements/HP-2026-302/areas.geojson?shape=area"):
        answer = client.get(url)
        assert answer.status_code == 404
        assert b"Zaporizhzhia road" not in answer.content
