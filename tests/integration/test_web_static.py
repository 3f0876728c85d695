"""The vendored front end and the offline base map are complete and say what they must."""

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

pytestmark = [pytest.mark.integration]

STATIC = Path(__file__).resolve().parents[2] / "src" / "parley" / "ui" / "static"


def test_every_vendored_package_ships_its_licence_and_version():
    vendor = STATIC / "vendor"

    shipped = {
        package.name: (package / "VERSION").read_text().strip()
        for package in sorted(vendor.iterdir())
        if (package / "LICENSE").is_file()
    }

    assert shipped == {
        "htmx": "2.0.11",
        "leaflet": "1.9.4",
        "leaflet-geoman": "2.20.2",
        "world-atlas": "2.0.2",
        "pmtiles": "4.5.0",
    }


def test_the_base_map_draws_crimea_as_its_own_disputed_feature():
    countries = json.loads((STATIC / "parley/basemap/countries.geojson").read_text())
    simferopol = Point(34.10, 44.95)

    holders = [
        (feature["properties"]["name"], feature["properties"]["disputed"])
        for feature in countries["features"]
        if shape(feature["geometry"]).contains(simferopol)
    ]

    assert holders == [("Crimea", True)]


def test_the_demo_places_lie_where_the_fronts_are():
    places = json.loads((STATIC / "parley/basemap/places.geojson").read_text())
    countries = json.loads((STATIC / "parley/basemap/countries.geojson").read_text())
    ukraine = next(
        shape(f["geometry"]) for f in countries["features"] if f["properties"]["name"] == "Ukraine"
    )
    fronts = {"Zaporizhzhia", "Enerhodar", "Vasylivka", "Kamianske", "Orikhiv", "Kherson",
              "Nova Kakhovka", "Oleshky", "Donetsk", "Kostiantynivka", "Pokrovsk", "Mariupol",
              "Melitopol"}

    outside = [
        f["properties"]["name_en"]
        for f in places["features"]
        if f["properties"]["name_en"] in fronts
        and not ukraine.buffer(0.05).contains(Point(f["geometry"]["coordinates"]))
    ]
    named = {f["properties"]["name_en"] for f in places["features"]}

    assert outside == []
    assert fronts - named == set()
    assert all(f["properties"]["name_uk"] and f["properties"]["name_ru"]
               for f in places["features"])
