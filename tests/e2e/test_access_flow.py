"""The access flow in a real browser: WFP draws a convoy's route on the map, the check finds it
leaves the corridor and shows where, WFP fixes the route by pasting it and notifies; each bound
party acknowledges receipt; the driver checks in from a phone-sized page and WFP completes the
movement."""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from parley.access.models import CoordinateAccessLog, Movement
from tests.e2e.test_pause_flow import sign_in, sign_out
from tests.factories.access import ROUTE, access_cast

pytestmark = [pytest.mark.e2e]


def _pasted(route: dict) -> str:
    return json.dumps({"type": "FeatureCollection",
                       "features": [{"type": "Feature", "geometry": route, "properties": {}}]})


@pytest.mark.django_db(transaction=True)
def test_wfp_notifies_fixes_the_route_parties_acknowledge_convoy_checks_in_and_completes(
    live_server, browser_page
):
    c = access_cast()
    page = browser_page
    base = live_server.url
    depart = (c.start + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Rome"))

    sign_in(page, base, "wfp")
    page.click("nav.mainnav >> text=Access")
    page.click("text=Notify a movement")
    page.select_option("#id_agreement", c.agreement.code)
    page.select_option("#id_purpose", "aid")
    # A first route drawn on the map with Geoman: three clicks, the last one twice to finish;
    # around the map's centre it cuts across the front, far from the 2 km corridor.
    page.locator(".leaflet-pm-icon-polyline").first.click()
    box = page.locator("[data-map]").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-40, 60), (0, 0), (30, -60), (30, -60)):
        page.mouse.click(x + dx, y + dy)
    drawn = json.loads(page.input_value("#id_route"))
    assert [f["geometry"]["type"] for f in drawn["features"]] == ["LineString"]
    assert len(drawn["features"][0]["geometry"]["coordinates"]) == 3
    page.fill("#id_depart", depart.strftime("%Y-%m-%dT%H:%M"))
    expect(page.locator("#id_zone")).to_have_value("Europe/Rome")
    page.fill("#id_speed_kmh", "40")
    page.fill("#id_vehicles", "truck, AP 1201 KC\ntruck, AP 1202 KC")
    page.fill("#id_personnel", "Giulia Romano (convoy leader)\nDriver 1")
    page.fill("#id_cargo-0-item", "wheat flour")
    page.fill("#id_cargo-0-quantity", "40")
    page.select_option("#id_cargo-0-unit", "t")
    page.click("button[name=check]")

    finding = page.locator("#findings-list li[data-code=route_outside_area]")
    expect(finding).to_contain_text("The route leaves the agreed areas")
    expect(finding).to_contain_text("m outside every area of agreement HP-2026-101")
    # The place of the finding is marked on the route editor's map (a red circle numbered 1),
    # and the editor still holds the drawn route.
    expect(page.locator('.map path.map-finding[stroke="#a8261f"]')).to_have_count(1)
    expect(page.locator(".map path.map-drawn")).to_have_count(1)
    assert Movement.objects.count() == 0

    # Fixed by pasting the route along the corridor.
    page.fill("#id_route", _pasted(ROUTE))
    page.click("button[name=check]")
    expect(page.locator("#no-findings")).to_be_visible()
    page.click("button[name=notify]")

    expect(page.locator("h1 .badge")).to_have_text("Notified")
    reference = page.locator("h1").inner_text().split()[0]
    expect(page.locator("#receipt-note")).to_have_text(
        "An acknowledgement is a receipt of the notification, not a security guarantee.")
    sign_out(page)

    for head, status in (("ua-head", "Notified"), ("ru-head", "Acknowledged")):
        sign_in(page, base, head)
        page.goto(f"{base}/access/")
        page.locator("#awaiting-list a", has_text=reference).click()
        expect(page.locator("#vehicles")).to_contain_text("AP 1201 KC")
        page.click("button[value=acknowledge]")
        expect(page.locator(".message.success")).to_have_text(
            f"Your party's receipt of {reference} is recorded.")
        expect(page.locator("h1 .badge")).to_have_text(status)
        sign_out(page)

    phone = page.context.browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    driver = phone.new_page()
    sign_in(driver, base, "wfp-driver")
    driver.goto(f"{base}/access/movements/{reference}/check-in/")
    driver.fill("#id_lat", "47.4373")
    driver.fill("#id_lon", "35.2745")
    driver.fill("#id_place", "Vasylivka checkpoint")
    driver.fill("#id_note", "Two trucks, all well")
    # Two days early: the phone warns, outside the window and before the schedule, and records
    # nothing until the driver confirms.
    expect(driver.locator("#check-in-warnings")).to_contain_text(
        f"Now is outside every window of agreement {c.agreement.code}")
    driver.click("text=Check in now")
    warnings = driver.locator("#check-in-warnings li")
    expect(warnings.filter(has_text="before the scheduled start")).to_have_count(1)
    expect(warnings.filter(has_text="km from the notified route")).to_have_count(0)
    assert driver.locator("#recent-check-ins").count() == 0
    driver.click("text=Check in despite the warnings")
    expect(driver.locator(".message.success")).to_have_text("Check-in recorded.")
    expect(driver.locator("h1 .badge")).to_have_text("Under way")
    expect(driver.locator("#recent-check-ins")).to_contain_text("Vasylivka checkpoint")
    expect(driver.locator("#recent-check-ins")).to_contain_text("47.43730, 35.27450")
    expect(driver.locator("#recent-check-ins")).to_contain_text("Two trucks, all well")
    expect(driver.locator("#recent-check-ins")).to_contain_text(" UTC · ")
    # Nothing on the phone page is wider than the phone.
    assert driver.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()

    sign_in(page, base, "wfp")
    page.goto(f"{base}/access/movements/{reference}/")
    expect(page.locator("#check-ins")).to_contain_text("Vasylivka checkpoint")
    page.fill("input[aria-label='note on completion']", "Delivered to the Orikhiv warehouse")
    page.click("button[value=complete]")
    expect(page.locator("h1 .badge")).to_have_text("Completed")
    # The organisation sees who outside it looked at the route: each head of delegation opened
    # the page, and saw it again after acknowledging.
    expect(page.locator("#coordinate-views tbody tr")).to_have_count(4)
    assert list(CoordinateAccessLog.objects.filter(movement__reference=reference)
                .values_list("user__username", flat=True)) == [
        "ru-head", "ru-head", "ua-head", "ua-head"]
    assert Movement.objects.get(reference=reference).status == "completed"
    assert page.problems == []
