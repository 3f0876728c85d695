"""The talks in a real browser: the secretariat opens a round and puts pauses on its agenda,
each side states a confidential red line the other cannot see, the mediator resolves the
brackets, both heads initial and sign with keys kept off the server, `parley text verify`
accepts the signed export and rejects it after one character changes, a commitment is marked
met with evidence, and the pulse shows it."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from parley.engines.textsign.cli import keygen_command
from parley.talks import services
from tests.factories import cast
from tests.factories.talks import pause_text

pytestmark = [pytest.mark.e2e]

PASSWORD = "correct horse battery staple"  # the factories' password
PARLEY = [sys.executable, "-m", "parley.cli"]
UA_RED_LINE = "No pause may freeze the front line."
RU_RED_LINE = "No foreign armed personnel in the corridors."


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".whoami .username")).to_be_visible()


def sign_out(page) -> None:
    page.click(".whoami button[type=submit]")
    expect(page.locator("#id_login")).to_be_visible()


def parley(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PARLEY, *args], capture_output=True, text=True, timeout=60,
                          check=False)


def download_export(page, folder: Path, name: str) -> Path:
    with page.expect_download() as download:
        page.click("#export-json")
    path = folder / name
    download.value.save_as(path)
    return path


@pytest.mark.django_db(transaction=True)
def test_a_round_from_positions_to_signatures_and_the_pulse(live_server, browser_page,
                                                             tmp_path):
    people = cast()
    text = pause_text(people)
    commitment = services.commitment_create(
        actor=people.secretariat, process=people.process, party=people.russia,
        what="Hold fire along the corridor in the first window.",
        verification="The monitoring mission's report.",
        due_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC))
    page, base = browser_page, live_server.url

    sign_in(page, base, "secretariat")
    page.click("nav.mainnav >> text=Talks")
    page.fill("#round-form #id_name", "Day 2")
    page.fill("#round-form #id_date", "2026-02-24")
    page.fill("#round-form #id_venue", "Palais des Nations")
    page.select_option("#round-form #id_format", "proximity")
    page.click("#round-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Day 2")
    page.fill("#item-form #id_title", "Humanitarian pauses")
    page.click("#item-form button[type=submit]")
    page.click("#agenda >> text=Humanitarian pauses")
    item_url = page.url
    sign_out(page)

    for username, red_line in (("ua-delegate", UA_RED_LINE), ("ru-delegate", RU_RED_LINE)):
        sign_in(page, base, username)
        page.goto(item_url)
        page.select_option("#position-form #id_kind", "red_line")
        page.fill("#position-form #id_text", red_line)
        page.select_option("#position-form #id_visibility", "own")
        page.click("#position-form button[type=submit]")
        expect(page.locator(".positions")).to_contain_text(red_line)
        sign_out(page)
    sign_in(page, base, "ru-head")
    page.goto(item_url)
    expect(page.locator(".positions")).to_contain_text(RU_RED_LINE)
    expect(page.locator("main")).not_to_contain_text(UA_RED_LINE)
    sign_out(page)

    sign_in(page, base, "secretariat")
    page.goto(f"{base}/talks/texts/{text.pk}/")
    expect(page.locator('[data-provision="2.1"] .bracket')).to_have_count(2)
    provision = page.locator('[data-provision="2.1"]')
    provision.locator("select[name$=bracket]").select_option(
        label="Ukraine: The pause lasts four hours each day.")
    provision.locator(".resolve button[type=submit]").click()
    expect(page.locator('[data-provision="2.1"] .agreed-wording')).to_have_text(
        "The pause lasts four hours each day.")
    expect(page.locator(".bracket")).to_have_count(0)
    sign_out(page)

    keys = {}
    for head in ("ua-head", "ru-head"):
        keys[head] = tmp_path / f"{head}.pem"
        assert keygen_command(key=keys[head]) == 0
        sign_in(page, base, head)
        page.goto(f"{base}/talks/texts/{text.pk}/")
        page.fill("#key-form #id_public_key", Path(f"{keys[head]}.pub").read_text().strip())
        page.click("#key-form button[type=submit]")
        expect(page.locator("#own-key")).to_be_visible()
        page.click("#initial-button")
        expect(page.locator(".messages")).to_contain_text("initialled")
        sign_out(page)

    for head in ("ua-head", "ru-head"):
        sign_in(page, base, head)
        page.goto(f"{base}/talks/texts/{text.pk}/")
        export = download_export(page, tmp_path, f"for-{head}.json")
        signed = parley("text", "sign", "--key", str(keys[head]), str(export))
        assert signed.returncode == 0, signed.stderr
        page.fill("#sign-form #id_signature", signed.stdout.strip())
        page.click("#sign-form button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("signature is on the text")
        sign_out(page)

    sign_in(page, base, "ua-head")
    page.goto(f"{base}/talks/texts/{text.pk}/")
    expect(page.locator("#text-status")).to_have_text("Signed")
    export = download_export(page, tmp_path, "signed.json")
    accepted = parley("text", "verify", str(export))
    assert accepted.returncode == 0, accepted.stdout
    assert accepted.stdout.endswith("verified\n")
    tampered = tmp_path / "tampered.json"
    tampered.write_text(export.read_text("utf-8").replace("four hours", "five hours", 1),
                        "utf-8")
    rejected = parley("text", "verify", str(tampered))
    assert rejected.returncode == 1
    assert "NOT verified" in rejected.stdout
    sign_out(page)

    sign_in(page, base, "secretariat")
    page.goto(f"{base}/talks/commitments/{commitment.pk}/")
    page.select_option("#commitment-status-form #id_status", "met")
    page.select_option("#commitment-status-form #id_evidence_kind", "event")
    page.fill("#commitment-status-form #id_evidence_reference", "EV-2026-0007")
    page.click("#commitment-status-form button[type=submit]")
    expect(page.locator("#commitment-status")).to_have_text("Met")
    expect(page.locator("#evidence")).to_contain_text("EV-2026-0007")
    page.click("text=Are the talks alive?")
    expect(page.locator('#timeline [data-kind="met"]')).to_contain_text(
        "Russian Federation: Hold fire along the corridor in the first window.")
    expect(page.locator('[data-figure="texts_signed"] .value')).to_have_text("1")
    assert page.problems == []
