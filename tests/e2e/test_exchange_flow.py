"""A prisoner exchange in a real browser: Ukraine uploads the persons it seeks, Russia the persons
it holds, the intermediary reconciles and reviews an uncertain pair, the secretariat proposes an
exchange, both heads consent, the interviews and the handover are recorded, and the discrepancy
report shows the differences."""

import datetime

import pytest
from playwright.sync_api import expect

from parley.exchanges import lists_demo, services
from parley.exchanges.models import Pair, PersonList
from tests.factories import cast

pytestmark = [pytest.mark.e2e]

PASSWORD = "correct horse battery staple"  # the factories' password


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".whoami .username")).to_be_visible()


def sign_out(page) -> None:
    page.click(".whoami button[type=submit]")
    expect(page.locator("#id_login")).to_be_visible()


def upload(page, base, path, *, title, side, counterpart):
    page.goto(f"{base}/exchanges/lists/upload/")
    page.fill("#id_title", title)
    page.check(f"input[name=side][value={side}]")
    page.select_option("#id_counterpart", label=counterpart)
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    expect(page.locator(".message.success")).to_contain_text("Saved:")


@pytest.mark.django_db(transaction=True)
def test_lists_to_handover(live_server, browser_page, tmp_path):
    people = cast()
    files = lists_demo.generate(7, ukrainians_held=60, russians_held=30)
    # The other direction (Russians held by Ukraine) is set up through the services.
    services.person_list_upload(actor=people.ua_delegate, side="held",
                                counterpart=people.russia, title="Russians held",
                                content=files.ukraine_holds, filename="ua-holds.csv")
    services.person_list_upload(actor=people.ru_delegate, side="sought",
                                counterpart=people.ukraine, title="Russians sought",
                                content=files.russia_seeks, filename="ru-seeks.csv")
    sought, held = tmp_path / "ua-seeks.csv", tmp_path / "ru-holds.csv"
    sought.write_bytes(files.ukraine_seeks)
    held.write_bytes(files.russia_holds)
    page, base = browser_page, live_server.url

    sign_in(page, base, "ua-delegate")
    page.click("nav.mainnav >> text=Exchanges")
    upload(page, base, sought, title="Ukrainians sought", side="sought",
           counterpart="Russian Federation")
    expect(page.locator("#persons tbody tr")).to_have_count(107)
    sign_out(page)

    sign_in(page, base, "ru-delegate")
    upload(page, base, held, title="Ukrainians held", side="held", counterpart="Ukraine")
    expect(page.locator("#persons tbody tr")).to_have_count(60)
    sign_out(page)

    sign_in(page, base, "icrc-liaison")
    page.goto(f"{base}/exchanges/")
    page.select_option("#id_held_list", label="Ukraine · Russians held")
    page.select_option("#id_sought_list", label="Russian Federation · Russians sought")
    page.click("#reconcile button[type=submit]")
    expect(page.locator(".message.success")).to_have_text("The lists are reconciled.")
    page.goto(f"{base}/exchanges/")
    page.select_option("#id_held_list", label="Russian Federation · Ukrainians held")
    page.select_option("#id_sought_list", label="Ukraine · Ukrainians sought")
    page.click("#reconcile button[type=submit]")
    expect(page.locator("#run-figures")).to_contain_text("60 held, 107 sought.")
    first_pair = page.locator("#pairs .pair").first
    expect(first_pair.locator("tr[data-field=family_name] td").nth(3)).not_to_be_empty()
    pair_id = int(first_pair.get_attribute("data-pair"))
    first_pair.locator("button[value=same]").click()
    expect(page.locator(".message.success")).to_have_text("Decided: the same person.")
    assert Pair.objects.get(pk=pair_id).state == Pair.State.CONFIRMED
    sign_out(page)

    day = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    sign_in(page, base, "secretariat")
    page.goto(f"{base}/exchanges/new/")
    page.fill("#id_title", "Five for five")
    page.select_option("#id_formula", "n_for_m")
    page.select_option("#id_party_a", label="Russian Federation")
    page.fill("#id_count_a", "5")
    page.select_option("#id_party_b", label="Ukraine")
    page.fill("#id_count_b", "5")
    page.fill("#id_place", "Border crossing")
    page.fill("#id_days", day)
    page.click("#exchange-form button[type=submit]")
    expect(page.locator(".message.success")).to_contain_text("is proposed.")
    code = page.locator("h1").inner_text().split()[0]
    expect(page.locator("#balance tbody tr")).to_have_count(2)
    sign_out(page)

    for head in ("ua-head", "ru-head"):
        sign_in(page, base, head)
        page.goto(f"{base}/exchanges/{code}/")
        page.click("button[value=consent]")
        expect(page.locator(".message.success")).to_have_text("Your party's consent is "
                                                               "recorded.")
        sign_out(page)

    sign_in(page, base, "icrc-liaison")
    page.goto(f"{base}/exchanges/{code}/")
    expect(page.locator("h1 .badge")).to_have_text("Agreed")
    rows = page.locator("[data-releasing=russia] tbody tr")
    refuser = rows.nth(0).get_attribute("data-person")
    rows.nth(0).locator("form.interview input[value=no]").check()
    rows.nth(0).locator("form.interview button").click()
    expect(page.locator(".message.success")).to_contain_text("is recorded.")
    row = page.locator("[data-releasing=russia] tbody tr").nth(1)
    row.locator("form.interview button").click()
    row = page.locator("[data-releasing=russia] tbody tr").nth(1)
    row.locator("form.handover select[name=outcome]").select_option("handed_over")
    row.locator("form.handover button").click()
    expect(page.locator(".message.success")).to_contain_text("Recorded for")
    page.click("#days button")
    expect(page.locator(f"[data-day='{day}'] [data-signed]")).to_have_text("ICRC")
    expect(page.locator(f"[data-person='{refuser}'] [data-outcome]").first).to_have_text(
        "Refused")
    sign_out(page)

    sign_in(page, base, "ua-head")
    page.goto(f"{base}/exchanges/{code}/")
    expect(page.locator(f"[data-person='{refuser}'] [data-outcome]").first).to_have_text(
        "Withdrawn from the list")
    page.click("text=Discrepancy report")
    expect(page.locator("#listed [data-side=russia] td").nth(1)).to_have_text("5")
    expect(page.locator("#listed [data-side=russia] td").nth(2)).to_have_text("1")
    expect(page.locator("#listed [data-side=russia] td").nth(3)).to_have_text("1")
    assert PersonList.objects.count() == 4
    assert page.problems == []
