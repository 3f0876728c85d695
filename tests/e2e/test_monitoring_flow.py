"""Verification in a real browser: a monitor takes up a candidate violation, confirms it with
reasoning and a photo, and Ukraine's head of delegation attaches the party's account."""

import re

import pytest
from playwright.sync_api import expect

from parley.agreements.models import Agreement
from parley.monitoring import services
from parley.monitoring.models import Event, PartyAccount
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.e2e]

PASSWORD = "correct horse battery staple"  # the factories' password
INCIDENTS = ("id,lat,lon,time,precision_m,type\n"
             "jmm-1,47.6380,35.2070,2026-03-01T09:00:00Z,0,impact\n")


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".whoami .username")).to_be_visible()


def sign_out(page) -> None:
    page.click(".whoami button[type=submit]")
    expect(page.locator("#id_login")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_monitor_confirms_and_a_party_attaches_its_account(live_server, browser_page, settings,
                                                            tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    AgreementFactory(code="HP-2026-010", title="Orikhiv pause", owner=people.mediator,
                     process=people.process, status=Agreement.Status.AGREED)
    feed = tmp_path / "jmm.csv"
    feed.write_text(INCIDENTS, encoding="utf-8")
    services.incidents_import(actor=people.monitor_user, kind="parley", path=feed)
    reference = Event.objects.get().reference
    photo = tmp_path / "crater.jpg"
    photo.write_bytes(b"\xff\xd8\xff crater photo")
    page = browser_page
    base = live_server.url

    sign_in(page, base, "monitor")
    page.click("nav.mainnav >> text=Monitoring")
    expect(page.locator('[data-agreement="HP-2026-010"] [data-open]')).to_have_text("1")
    page.click("text=Events")
    page.click(f"#events >> text={reference}")
    expect(page.locator("h1 .badge")).to_have_text("Candidate")
    expect(page.locator("#placements li")).to_have_text(
        "HP-2026-010 · area C1 · inside · while a window was open")
    page.click("button[value=under_review]")
    expect(page.locator("h1 .badge")).to_have_text("Under review")
    page.fill("#id_reasoning", "Patrol found a fresh crater 30 m from the road at 10:40.")
    page.set_input_files("#id_files", str(photo))
    page.click("button[value=confirmed]")
    expect(page.locator(".message.success")).to_have_text(
        f"{reference} is confirmed as a violation of the pause.")
    expect(page.locator("h1 .badge")).to_have_text("Confirmed violation")
    expect(page.locator("#verification li")).to_have_count(2)
    expect(page.locator("#verification a")).to_have_text("crater.jpg")
    sign_out(page)

    sign_in(page, base, "ua-head")
    page.goto(f"{base}/monitoring/events/{reference}/")
    expect(page.locator("#verify-form")).to_have_count(0)
    page.fill("#id_text", "Our unit reports incoming fire at 09:00 UTC; we did not return fire.")
    page.check("#id_shared")
    page.click("text=Attach my party's account")
    expect(page.locator(".message.success")).to_have_text(
        f"Your party's account of {reference} is attached.")
    expect(page.locator('#accounts [data-account-party="ukraine"] p')).to_have_text(
        "Our unit reports incoming fire at 09:00 UTC; we did not return fire.")

    assert Event.objects.get().status == "confirmed"
    assert list(PartyAccount.objects.values_list("party__slug", "shared")) == [("ukraine", True)]
    assert page.problems == []


@pytest.mark.django_db(transaction=True)
def test_monitor_files_a_report_from_a_phone(live_server, chromium, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    AgreementFactory(code="HP-2026-010", title="Orikhiv pause", owner=people.mediator,
                     process=people.process, status=Agreement.Status.AGREED)
    context = chromium.new_context(locale="en-GB", viewport={"width": 390, "height": 844},
                                   has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    base = live_server.url

    sign_in(page, base, "monitor")
    page.goto(f"{base}/monitoring/report/")
    expect(page.locator(".report-form .leaflet-overlay-pane path")).not_to_have_count(0)
    page.locator(".report-form [data-map]").click()
    expect(page.locator("#id_lat")).not_to_have_value("")
    expect(page.locator(".report-form .leaflet-marker-icon")).to_have_count(1)
    page.fill("#id_lat", "47.6380")
    page.fill("#id_lon", "35.2070")
    page.fill("#id_time", "2026-03-01T11:00")
    page.select_option("#id_zone", "Europe/Kyiv")
    page.check("input[name=type][value=impact]")
    page.fill("#id_description", "Impact 200 m south of the road.")
    page.click("text=File the report")

    expect(page.locator("h1 .badge")).to_have_text("Candidate")
    expect(page.locator("#reports li")).to_have_text(re.compile(
        r"Monitor reports MR-\w+ · Impact\s+1 Mar 2026 09:00 UTC · 11:00 Kyiv \(EET\)"))
    assert problems == []
    context.close()


@pytest.mark.django_db(transaction=True)
def test_import_page_shows_progress_then_the_report(live_server, browser_page, settings,
                                                    tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    AgreementFactory(code="HP-2026-010", title="Orikhiv pause", owner=people.mediator,
                     process=people.process, status=Agreement.Status.AGREED)
    good = tmp_path / "jmm.csv"
    good.write_text(INCIDENTS, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,lat,lon,time,precision_m\nx,47.6,35.2,2026-03-01T09:00:00,0\n",
                   encoding="utf-8")
    page = browser_page
    base = live_server.url

    sign_in(page, base, "monitor")
    page.goto(f"{base}/monitoring/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("form[data-import] button[type=submit]")
    expect(page.locator("h1 .badge")).to_have_text("Rejected")
    expect(page.locator("#rejected tbody td")).to_have_text([
        "2", "time", "'2026-03-01T09:00:00' has no UTC offset: write it with its offset (such "
        "as +02:00) or Z; a time without one is not guessed"])

    page.goto(f"{base}/monitoring/import/")
    page.set_input_files("#id_file", str(good))
    page.click("form[data-import] button[type=submit]")
    expect(page.locator("h1 .badge")).to_have_text("Imported")
    expect(page.locator("#counts li")).to_have_text(
        ["1 row read", "1 incident added", "0 already known", "1 candidate violation"])
    assert page.problems == []
