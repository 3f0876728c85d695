"""The pause flow in a real browser: the secretariat proposes a corridor by pasting GeoJSON, both
heads of delegation consent, and the calendar shows it agreed in Kyiv and in Moscow time."""

import datetime
import json
import re

import pytest
from playwright.sync_api import expect

from parley.agreements.models import Agreement
from tests.factories import cast

pytestmark = [pytest.mark.e2e]

PASSWORD = "correct horse battery staple"  # the factories' password


def _window_day() -> datetime.date:
    # 15 January of next year: always ahead, and in winter, when Kyiv is UTC+2 (EET) and
    # Moscow UTC+3 (MSK) whatever year the test runs in.
    return datetime.date(datetime.date.today().year + 1, 1, 15)


def _corridor(day: datetime.date) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "id": "C1",
            "geometry": {"type": "LineString",
                         "coordinates": [[35.1396, 47.8388], [35.2610, 47.5900],
                                         [35.2768, 47.4416]]},
            "properties": {
                "width_m": 2000,
                "windows": [{"start": f"{day.isoformat()}T10:00:00+02:00",
                             "end": f"{day.isoformat()}T14:00:00+02:00"}],
            },
        }],
    }


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".whoami .username")).to_be_visible()


def sign_out(page) -> None:
    page.click(".whoami button[type=submit]")
    expect(page.locator("#id_login")).to_be_visible()


def test_secretariat_proposes_both_heads_consent_calendar_shows_both_clocks(
    live_server, transactional_db, browser_page
):
    cast()
    page = browser_page
    base = live_server.url
    day = _window_day()

    sign_in(page, base, "secretariat")
    page.click("nav.mainnav >> text=Propose")
    page.fill("#id_title", "Evacuation corridor Zaporizhzhia–Vasylivka")
    page.select_option("#id_kind", "pause")
    page.select_option("#id_purpose", "evacuation")
    page.fill("#id_areas", json.dumps(_corridor(day)))
    # The pasted corridor is drawn on the map with its buffer, before anything is saved.
    expect(page.locator(".leaflet-overlay-pane path")).not_to_have_count(0)
    page.click("text=Save the draft")

    expect(page.locator("h1 .badge")).to_have_text("Draft")
    code = re.search(r"/agreements/([^/]+)/$", page.url).group(1)
    page.click("button[value=propose]")
    expect(page.locator("h1 .badge")).to_have_text("Proposed")
    sign_out(page)

    for head in ("ua-head", "ru-head"):
        sign_in(page, base, head)
        awaiting = page.locator("#awaiting + ul a", has_text=code)
        awaiting.click()
        page.click("button[value=consent]")
        expect(page.locator(".message.success")).to_have_text(
            f"Your party's consent to {code} is recorded."
        )
        sign_out(page)

    assert Agreement.objects.get(code=code).status == "agreed"

    sign_in(page, base, "secretariat")
    page.goto(f"{base}/calendar/?start={day.isoformat()}&days=1")
    entry = page.locator("#timeline .entry", has_text=code)
    expect(entry.locator(".badge")).to_have_text("Agreed")
    expect(entry.locator('[data-zone="UTC"]')).to_have_text("08:00–12:00 UTC")
    expect(entry.locator('[data-zone="Europe/Kyiv"]')).to_have_text("10:00–14:00 Kyiv (EET)")
    expect(entry.locator('[data-zone="Europe/Moscow"]')).to_have_text(
        "11:00–15:00 Moscow (MSK)"
    )
    expect(entry.locator("[data-window]")).to_have_text(
        "08:00–12:00 UTC · 10:00–14:00 Kyiv (EET) · 11:00–15:00 Moscow (MSK)"
    )
    assert page.problems == []
