"""In a real browser: a monitor filters the events list to the candidates, ticks them all with
the "select all" box and starts their review in one go."""

import pytest
from playwright.sync_api import expect

from parley.agreements.models import Agreement
from parley.monitoring import services
from parley.monitoring.models import Event
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.e2e]

PASSWORD = "correct horse battery staple"  # the factories' password
INCIDENTS = (
    "id,lat,lon,time,precision_m,type\n"
    "jmm-1,47.6380,35.2070,2026-03-01T06:30:00Z,0,impact\n"
    "jmm-2,47.6380,35.2070,2026-03-01T09:00:00Z,0,impact\n"
    "jmm-3,47.6380,35.2070,2026-03-01T11:30:00Z,0,impact\n"
)


@pytest.mark.django_db(transaction=True)
def test_monitor_starts_the_review_of_every_candidate_at_once(
    live_server, browser_page, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    people = cast()
    AgreementFactory(
        code="HP-2026-010",
        title="Orikhiv pause",
        owner=people.mediator,
        process=people.process,
        status=Agreement.Status.AGREED,
    )
    feed = tmp_path / "jmm.csv"
    feed.write_text(INCIDENTS, encoding="utf-8")
    services.incidents_import(actor=people.monitor_user, kind="parley", path=feed)
    assert Event.objects.filter(status="candidate").count() == 3
    page, base = browser_page, live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", "monitor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/monitoring/events/")
    page.select_option("#id_status", "candidate")
    page.click("form[role=search] button[type=submit]")
    expect(page.locator("#events tbody tr")).to_have_count(3)
    page.check("[data-select-all=events]")
    expect(page.locator('#events input[name="events"]:checked')).to_have_count(3)
    page.click("text=Apply to the selected events")

    expect(page.locator(".message.success")).to_contain_text("Under review now (3)")
    # Back on the same filtered list: no candidate is left.
    expect(page.locator("#events tbody tr")).to_have_text(["No event matches."])
    assert "status=candidate" in page.url
    assert Event.objects.filter(status="under_review").count() == 3
    assert page.problems == []
