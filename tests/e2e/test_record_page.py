"""The Record page and an entry's verification in a real browser: the checkpoint, both demo
witnesses' cosignatures, and an inclusion proof checked step by step."""

import pytest
from playwright.sync_api import expect

from parley.audit.models import AuditEntry
from parley.audit.services import audit_append
from parley.record import jobs, keys
from parley.record.models import Checkpoint
from parley.record.tree import current_tree
from tests.factories import cast

pytestmark = [pytest.mark.e2e]

PASSWORD = "correct horse battery staple"  # the factories' password


@pytest.mark.django_db(transaction=True)
def test_a_party_member_sees_the_cosigned_checkpoint_and_verifies_an_entry(live_server,
                                                                            browser_page):
    people = cast()
    for number in range(5):
        audit_append(actor=people.secretariat, action="party.note", obj=people.ua_head.party,
                     note=f"note {number}")
    keys.ensure_demo_keys(["ukraine", "russia"])
    jobs.publish_and_witness()
    size = Checkpoint.objects.get().size
    entry = AuditEntry.objects.filter(action="party.note").order_by("id")[2]
    page = browser_page
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", "ru-delegate")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/record/")
    expect(page.locator("#checkpoint-size")).to_have_text(str(size))
    expect(page.locator("#witnesses tbody tr")).to_have_count(2)
    expect(page.locator("#witnesses tbody tr").first).to_contain_text("✓")
    page.click("summary")
    expect(page.locator("#checkpoint-note")).to_contain_text("parley.localhost/record/witness/")

    page.goto(f"{base}/record/entries/{entry.pk}/")
    expect(page.locator("#verdict")).to_contain_text(
        f"Verified: this entry is in the log, under the checkpoint of {size} entries.")
    seq = entry.log_entry.seq
    expected_steps = len(current_tree(size).inclusion_proof(seq, size))
    assert expected_steps >= 1
    expect(page.locator("#proof tbody tr")).to_have_count(expected_steps)
    assert page.problems == []
