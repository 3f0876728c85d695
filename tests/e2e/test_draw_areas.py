"""Areas drawn with Geoman land in the GeoJSON the form sends: a corridor and a site."""

import json

import pytest
from playwright.sync_api import expect

from parley.agreements.models import Agreement
from tests.e2e.test_pause_flow import sign_in
from tests.factories import cast

pytestmark = [pytest.mark.e2e]


def click_map(page, box, points) -> None:
    for dx, dy in points:
        page.mouse.click(box["x"] + dx, box["y"] + dy)
        page.wait_for_timeout(300)


def test_a_delegate_draws_a_corridor_and_a_site_and_saves_the_draft(
    live_server, transactional_db, browser_page
):
    cast()
    page = browser_page
    sign_in(page, live_server.url, "ru-delegate")
    page.goto(f"{live_server.url}/agreements/new/")
    page.locator(".map").scroll_into_view_if_needed()
    box = page.locator(".map").bounding_box()

    page.click(".leaflet-pm-icon-polyline")
    click_map(page, box, [(300, 100), (400, 160), (500, 120), (500, 120)])
    page.click(".leaflet-pm-icon-circle")
    click_map(page, box, [(700, 200), (730, 200)])
    page.fill("#id_corridor_width", "1500")
    page.dispatch_event("#id_corridor_width", "change")
    drawn = json.loads(page.input_value("#id_areas"))

    page.fill("#id_title", "Drawn corridor and site")
    page.fill("#id_windows-0-start", "2027-02-01T08:00")
    page.fill("#id_windows-0-end", "2027-02-01T12:00")
    page.click("text=Save the draft")

    expect(page.locator("h1 .badge")).to_have_text("Draft")
    shapes = [(f["id"], f["geometry"]["type"]) for f in drawn["features"]]
    corridor, site = drawn["features"]
    assert shapes == [("A1", "LineString"), ("A2", "Point")]
    vertices = len(corridor["geometry"]["coordinates"])
    assert (vertices, corridor["properties"]["width_m"]) == (3, 1500)
    assert site["properties"]["width_m"] > 0
    stored = Agreement.objects.get(title="Drawn corridor and site").current_version
    assert stored.areas == drawn
    assert stored.windows == [
        {"start": "2027-02-01T08:00:00", "end": "2027-02-01T12:00:00", "tz": "Europe/Moscow"}
    ]
    assert page.problems == []
