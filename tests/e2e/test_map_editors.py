"""The map editors in a browser: the route editor draws the agreement's areas, sites and
hazards beneath the route, offers only the line tool, draws a pasted bare LineString (and the
form saves it), and after *Check the route* shows the findings on its own map next to the point
they concern while still holding the route; the area editor adds a circle entered as centre and
radius, and says it in words."""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from parley.access.models import Hazard, Movement, Site
from parley.agreements.models import Agreement
from tests.e2e.test_pause_flow import sign_in
from tests.factories import cast
from tests.factories.access import ROUTE, ROUTE_OUTSIDE, access_cast

pytestmark = [pytest.mark.e2e]

TOOLS = {"line": ".leaflet-pm-icon-polyline", "polygon": ".leaflet-pm-icon-polygon",
         "rectangle": ".leaflet-pm-icon-rectangle", "circle": ".leaflet-pm-icon-circle",
         "marker": ".leaflet-pm-icon-marker", "circle-marker": ".leaflet-pm-icon-circle-marker",
         "text": ".leaflet-pm-icon-text"}


def offered(page) -> list[str]:
    return [name for name, selector in TOOLS.items()
            if page.locator(f".leaflet-pm-toolbar {selector}").count()]


def fill_schedule(page, c) -> None:
    depart = (c.start + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Rome"))
    page.fill("#id_depart", depart.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_speed_kmh", "40")
    page.fill("#id_vehicles", "truck, AP 1201 KC")


@pytest.mark.django_db(transaction=True)
def test_the_route_editor_shows_the_agreement_offers_a_line_and_draws_a_pasted_line(
    live_server, browser_page
):
    c = access_cast()
    Site.objects.create(reference="ICRC-S001", organisation=c.people.icrc, name="Orikhiv hospital",
                        kind=Site.Kind.HOSPITAL, lon=35.2, lat=47.6, radius_m=500,
                        created_by=c.people.icrc_liaison)
    Hazard.objects.create(reference="HZ-0001", kind="mined", reported_by=c.people.monitor_user,
                          geometry={"type": "Point", "coordinates": [35.25, 47.5]})
    page = browser_page
    sign_in(page, live_server.url, "wfp")
    page.goto(f"{live_server.url}/access/movements/new/")

    # Beneath the route: the corridor (its band and its centre line), the site and the hazard,
    # none of them editable; the only tool is the line.
    context = page.locator(".map path.map-context")
    expect(context).to_have_count(4)
    assert offered(page) == ["line"]
    context.first.click(force=True)
    expect(page.locator(".leaflet-popup-content")).to_contain_text(c.agreement.code)

    # A bare LineString, what the field's label asks for, is drawn and kept as a collection.
    page.select_option("#id_agreement", c.agreement.code)
    page.select_option("#id_purpose", "aid")
    page.fill("#id_route", json.dumps(ROUTE))
    expect(page.locator(".map-shapes li").first).to_contain_text("route · length 45")
    stored = json.loads(page.input_value("#id_route"))
    assert stored["type"] == "FeatureCollection"
    assert [f["geometry"] for f in stored["features"]] == [ROUTE]
    drawn = page.locator(".map path.map-drawn")
    expect(drawn).to_have_count(1)

    fill_schedule(page, c)
    page.click("button[name=notify]")
    expect(page.locator("h1 .badge")).to_have_text("Notified")
    assert Movement.objects.get().current_version.route == ROUTE
    assert page.problems == []


@pytest.mark.django_db(transaction=True)
def test_findings_are_marked_on_the_editor_map_which_still_holds_the_route(
    live_server, browser_page
):
    c = access_cast()
    page = browser_page
    sign_in(page, live_server.url, "wfp")
    page.goto(f"{live_server.url}/access/movements/new/")
    page.select_option("#id_agreement", c.agreement.code)
    page.fill("#id_route", json.dumps({"type": "Feature", "geometry": ROUTE_OUTSIDE}))
    fill_schedule(page, c)
    page.click("button[name=check]")

    expect(page.locator("#findings-list li[data-code=route_outside_area]")).to_be_visible()
    # One map, the editor's: the route is on it, and the finding marked at its second point.
    expect(page.locator("[data-map]")).to_have_count(1)
    assert json.loads(page.input_value("#id_route"))["features"][0]["geometry"] == ROUTE_OUTSIDE
    expect(page.locator(".map-shapes li").first).to_contain_text("route · length")
    route = page.locator(".map path.map-drawn")
    expect(route).to_have_count(1)
    marker = page.locator('.map path.map-finding[data-finding="1"]')
    expect(marker).to_have_attribute("stroke", "#a8261f")
    assert marker.bounding_box()["width"] > 10
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Finding 1: The route leaves the agreed areas")
    expect(popup).to_contain_text("at point 2 of the route")
    expect(page.locator(".finding-label")).to_have_text(["1"])
    assert page.problems == []


@pytest.mark.django_db(transaction=True)
def test_each_editor_offers_the_tools_that_fit(live_server, browser_page):
    cast()
    page = browser_page
    sign_in(page, live_server.url, "monitor")
    page.goto(f"{live_server.url}/access/hazards/new/")
    assert offered(page) == ["line", "polygon", "rectangle", "circle-marker"]
    page.context.clear_cookies()
    sign_in(page, live_server.url, "ru-delegate")
    page.goto(f"{live_server.url}/agreements/new/")
    assert offered(page) == ["line", "polygon", "rectangle", "circle"]
    assert page.problems == []


@pytest.mark.django_db(transaction=True)
def test_a_circle_entered_as_centre_and_radius(live_server, browser_page):
    cast()
    page = browser_page
    sign_in(page, live_server.url, "ru-delegate")
    page.goto(f"{live_server.url}/agreements/new/")
    page.fill("#id_areas-circle-lat", "47.12")
    page.fill("#id_areas-circle-lon", "35,40")   # a decimal comma is read too
    page.fill("#id_areas-circle-radius", "fifteen")
    page.click("[data-circle-add]")
    expect(page.locator("[data-circle-error]")).to_have_text(
        "Radius: give a number of kilometres greater than zero, e.g. 15.")
    expect(page.locator("#id_areas-circle-radius")).to_have_attribute("aria-invalid", "true")
    assert page.input_value("#id_areas") == ""

    page.fill("#id_areas-circle-radius", "15")
    page.click("[data-circle-add]")
    expect(page.locator("[data-circle-error]")).to_be_hidden()
    stored = json.loads(page.input_value("#id_areas"))
    assert stored == {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "A1", "properties": {"width_m": 30000},
         "geometry": {"type": "Point", "coordinates": [35.4, 47.12]}}]}
    expect(page.locator(".map-shapes li")).to_have_text(
        ["A1 · circle · centre 47.12° N 35.40° E · radius 15 km"])

    page.fill("#id_title", "Ceasefire around Orikhiv")
    page.fill("#id_windows-0-start", "2027-02-01T08:00")
    page.fill("#id_windows-0-end", "2027-02-01T12:00")
    page.click("text=Save the draft")
    expect(page.locator("h1 .badge")).to_have_text("Draft")
    areas = Agreement.objects.get(title="Ceasefire around Orikhiv").current_version.areas
    assert areas == stored
    assert page.problems == []
