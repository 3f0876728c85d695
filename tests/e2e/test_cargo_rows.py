"""The cargo rows of the movement form in a real browser: a row is added, another removed, and
the movement stores exactly the rows left; the movement page shows them as a table."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from parley.access.models import Movement
from tests.e2e.test_access_flow import _pasted
from tests.e2e.test_pause_flow import sign_in
from tests.factories.access import ROUTE, access_cast

pytestmark = [pytest.mark.e2e]


def _new_movement(live_server, page):
    """WFP's notification form with a route inside the corridor and a departure in the window."""
    c = access_cast()
    depart = (c.start + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Rome"))
    sign_in(page, live_server.url, "wfp")
    page.goto(f"{live_server.url}/access/movements/new/")
    page.select_option("#id_agreement", c.agreement.code)
    page.fill("#id_route", _pasted(ROUTE))
    page.fill("#id_depart", depart.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_speed_kmh", "40")
    return page


@pytest.mark.django_db(transaction=True)
def test_cargo_rows_are_added_and_removed(live_server, browser_page):
    page = _new_movement(live_server, browser_page)

    rows = page.locator("[data-cargo-row]:visible")
    expect(rows).to_have_count(2)
    # With JavaScript the Remove boxes give way to buttons.
    expect(page.locator("[data-cargo-remove-box]:visible")).to_have_count(0)
    page.fill("#id_cargo-0-item", "wheat flour")
    page.fill("#id_cargo-0-quantity", "40")
    page.select_option("#id_cargo-0-unit", "t")
    page.fill("#id_cargo-1-item", "tents")
    page.fill("#id_cargo-1-quantity", "20")
    page.select_option("#id_cargo-1-unit", "pallets")
    page.click("text=Add a cargo row")
    expect(rows).to_have_count(3)
    expect(page.locator("#id_cargo-2-item")).to_be_focused()
    page.fill("#id_cargo-2-item", "insulin")
    page.fill("#id_cargo-2-quantity", "1500")
    page.select_option("#id_cargo-2-unit", "doses")
    expect(page.locator("#id_cargo-2-unit option[value=doses]")).to_have_text("doses")
    # The tents go: the row disappears and the rows are numbered again.
    rows.nth(1).locator("[data-cargo-remove]").click()
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("[data-cargo-number]")).to_have_text("2")
    page.click("button[name=notify]")

    expect(page.locator("h1 .badge")).to_have_text("Notified")
    assert Movement.objects.get().current_version.cargo == [
        {"item": "wheat flour", "quantity": 40.0, "unit": "t"},
        {"item": "insulin", "quantity": 1500.0, "unit": "doses"}]
    table = page.locator("table#cargo tbody tr")
    expect(table).to_have_count(2)
    expect(table.nth(1)).to_contain_text("insulin")
    expect(table.nth(1)).to_contain_text("1,500")
    assert page.problems == []


@pytest.mark.django_db(transaction=True)
def test_a_bad_row_is_shown_on_its_row(live_server, browser_page):
    page = _new_movement(live_server, browser_page)
    page.fill("#id_cargo-0-quantity", "40")
    page.select_option("#id_cargo-0-unit", "t")
    page.click("button[name=notify]")
    expect(page.locator("#form-errors")).to_contain_text("Cargo, row 1, item: Name the item.")
    expect(page.locator('[data-errors-for="cargo-0-item"]')).to_have_text("Name the item.")
    assert Movement.objects.count() == 0
