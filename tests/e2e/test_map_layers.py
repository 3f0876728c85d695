"""The maps in a browser: rivers, water and oblast boundaries drawn offline, place labels that
never overlap (recomputed on zoom), the contact line with its date, and the index's "agreements
in this view"."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from parley.agreements import services
from tests.e2e.test_pause_flow import sign_in
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.e2e]

LINE = {"type": "LineString",
        "coordinates": [[32.6, 46.6], [33.4, 46.8], [34.4, 47.4], [35.6, 47.5], [36.6, 47.6]]}

VISIBLE_LABEL_BOXES = """() => Array.from(document.querySelectorAll('.leaflet-tooltip'))
  .filter(n => n.style.visibility !== 'hidden')
  .map(n => { const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })
  .filter(r => r[2] > r[0])"""


def overlaps(boxes) -> list:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1]


def test_the_map_shows_water_boundaries_the_contact_line_and_labels_that_never_overlap(
    live_server, transactional_db, browser_page
):
    people = cast()
    services.contact_line_import(actor=people.secretariat, geometry=LINE,
                                 valid_on=datetime.date(2026, 12, 1), source="test")
    page = browser_page
    sign_in(page, live_server.url, "ua-head")
    page.goto(f"{live_server.url}/map/")

    expect(page.locator(".map[data-basemap-ready='1']")).to_have_count(1)
    expect(page.locator(".map[data-contact-line-ready='1']")).to_have_count(1)
    basemap = page.locator(".leaflet-basemap-pane path")
    assert basemap.count() > 300  # countries, lakes, rivers and 400-odd boundary lines
    # The Dnipro and the Kakhovka reservoir are drawn in water blue.
    water = page.locator(".leaflet-basemap-pane path[stroke='#7aa7d6'], "
                         ".leaflet-basemap-pane path[stroke='#5b8fc7']")
    assert water.count() >= 10
    assert page.locator(".leaflet-basemap-pane path[stroke='#9a8fa8']").count() > 100
    expect(page.locator(".leaflet-contactline-pane path.contact-line")).to_have_count(1)
    expect(page.locator(".contact-line-label")).to_have_text("Contact line as of 1 Dec 2026")
    expect(page.locator(".map-legend-control")).to_contain_text("Contact line as of 1 Dec 2026")
    expect(page.locator(".map-legend-control")).to_contain_text("Rivers and water")

    def settled(before: str) -> None:
        # map.js counts its passes over the labels; wait for one after the zoom, then a quiet
        # moment with no further pass.
        page.wait_for_function(
            "b => document.querySelector('.map').dataset.labelsPass !== b", arg=before)
        while True:
            now = page.locator(".map").get_attribute("data-labels-pass")
            page.wait_for_timeout(400)
            if page.locator(".map").get_attribute("data-labels-pass") == now:
                return

    page.wait_for_function("() => document.querySelector('.map').dataset.labelsPass")
    settled("")
    assert overlaps(page.evaluate(VISIBLE_LABEL_BOXES)) == []
    for zoom in ("out", "out", "in", "in", "in", "out", "out", "out"):
        before = page.locator(".map").get_attribute("data-labels-pass")
        page.click(f".leaflet-control-zoom-{zoom}")
        settled(before)
        assert overlaps(page.evaluate(VISIBLE_LABEL_BOXES)) == [], f"after zoom {zoom}"
    hidden = page.locator(".leaflet-tooltip.label-hidden").count()
    assert hidden > 0  # at a small scale the towns give way to the cities
    assert page.problems == []


def test_agreements_in_this_view_filters_the_index_by_the_maps_box(
    live_server, transactional_db, browser_page
):
    people = cast()
    AgreementFactory(code="HP-2026-301", owner=people.ukraine, process=people.process,
                     status="proposed")
    page = browser_page
    sign_in(page, live_server.url, "ua-head")
    page.goto(f"{live_server.url}/agreements/")
    page.click("details.area-filter summary")
    expect(page.locator(".area-filter .map[data-basemap-ready='1']")).to_have_count(1)

    page.click("text=Agreements in this view")

    page.wait_for_url("**bbox=**")
    west, south, east, north = map(float, parse_qs(urlparse(page.url).query)["bbox"][0].split(","))
    assert west < 35.14 < east and south < 47.84 < north
    expect(page.locator("tr[data-agreement]")).to_have_count(1)
    expect(page.locator(".area-filter .bbox-current")).to_have_count(1)
    assert page.problems == []


def test_a_configured_tile_source_is_on_by_default_over_the_offline_layers(
    live_server, transactional_db, browser_page, settings
):
    cast()
    # Tiles served by this very server (any image does): the layer is on, the offline land fill
    # and water make way, the boundaries stay.
    settings.PARLEY_MAP_TILES = "/static/parley/favicon.svg?z={z}&x={x}&y={y}"
    settings.PARLEY_MAP_TILES_ATTRIBUTION = "Test tiles"
    page = browser_page
    sign_in(page, live_server.url, "ua-head")
    page.goto(f"{live_server.url}/map/")

    expect(page.locator(".map[data-tiles-on='1'].map-tiles-on")).to_have_count(1)
    expect(page.locator(".leaflet-tile-pane img.leaflet-tile").first).to_be_attached()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Test tiles")
    expect(page.locator(".map[data-basemap-ready='1']")).to_have_count(1)
    assert page.locator(".leaflet-basemap-pane path[stroke='#9a8fa8']").count() > 100
    assert page.locator(".leaflet-basemap-pane path[fill='#b9d3ee']").count() == 0
    assert page.problems == []
