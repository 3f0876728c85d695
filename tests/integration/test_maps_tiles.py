"""The tile source a deployment provides (PARLEY_MAP_TILES*, PARLEY_MAP_PMTILES) reaches every
map; without one the maps carry only the offline layers."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

TEMPLATE = "https://tiles.example.org/{z}/{x}/{y}.png"


@pytest.fixture
def reader(client):
    client.force_login(cast().ua_head)
    return client


@override_settings(PARLEY_MAP_TILES=TEMPLATE, PARLEY_MAP_TILES_ATTRIBUTION="© Example tiles",
                   PARLEY_MAP_TILES_MAX_ZOOM=15)
def test_the_configured_xyz_source_is_on_every_map(reader):
    page = reader.get(reverse("agreements:map")).content.decode()

    assert f'data-tiles="{TEMPLATE}"' in page
    assert 'data-tiles-attribution="© Example tiles"' in page
    assert 'data-tiles-max-zoom="15"' in page
    assert "vendor/pmtiles/pmtiles.js" not in page
    # The offline layers stay as the fallback.
    for layer in ("countries", "water", "rivers", "admin1", "places"):
        assert f"parley/basemap/{layer}.geojson" in page


@override_settings(PARLEY_MAP_PMTILES="/static/tiles/region.pmtiles",
                   PARLEY_MAP_TILES_ATTRIBUTION="© OpenStreetMap contributors")
def test_a_pmtiles_archive_brings_the_vendored_reader(reader):
    page = reader.get(reverse("agreements:agreement_list")).content.decode()

    assert 'data-pmtiles="/static/tiles/region.pmtiles"' in page
    assert "vendor/pmtiles/pmtiles.js" in page
    assert "data-tiles=" not in page


def test_without_a_source_the_maps_are_offline(reader):
    page = reader.get(reverse("agreements:map")).content.decode()

    assert "data-tiles=" not in page and "data-pmtiles=" not in page
    assert "parley/basemap/rivers.geojson" in page


def test_the_csp_allows_the_tile_origin():
    from config.settings import _tile_origin

    assert _tile_origin("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == \
        "https://*.tiles.example.org"
    assert _tile_origin("/static/tiles/region.pmtiles") is None
