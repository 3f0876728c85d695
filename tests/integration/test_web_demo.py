"""The demo scenario loads through the services, twice without change, with one pause active.
The tests that only read the scenario share one load (`demo_scenario`, tests/conftest.py)."""

import datetime
import io

import pytest
from django.utils import timezone

from parley import demo
from parley.agreements.models import Agreement
from parley.agreements.selectors import agreement_list, agreement_windows
from parley.audit.models import AuditEntry
from parley.core.models import User

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_loading_twice_gives_the_same_scenario():
    demo.load(stdout=io.StringIO())
    first = sorted(Agreement.objects.values_list("code", "status"))
    entries = AuditEntry.objects.count()

    demo.load(stdout=io.StringIO())

    assert sorted(Agreement.objects.values_list("code", "status")) == first
    assert AuditEntry.objects.count() == entries
    assert [(code[:3], status) for code, status in first] == [
        ("EX-", "agreed"), ("EX-", "proposed"),
        ("HP-", "agreed"), ("HP-", "countered"), ("HP-", "draft"), ("HP-", "agreed"),
        ("LC-", "proposed"),
    ]


def test_the_scenario_has_what_the_issue_asks_for(demo_scenario):
    now = timezone.now()
    secretariat = User.objects.get(username="secretariat")

    daily = Agreement.objects.get(code="HP-2026-001")
    kyiv_starts = {w.start.strftime("%H:%MZ") for w in agreement_windows(daily)}
    countered = Agreement.objects.get(code="HP-2026-002")
    site = Agreement.objects.get(code="LC-2026-001").current_version.areas["features"][0]

    assert kyiv_starts == {"08:00Z", "07:00Z"}  # 10:00 Kyiv before and after 28 March 2027
    assert (countered.status, countered.versions.count()) == ("countered", 2)
    assert (site["geometry"]["type"], site["properties"]["width_m"]) == ("Point", 30000)
    # The medevac is open whenever the demo is loaded; the daily pause too between 10:00 and
    # 14:00 Kyiv time (the test may run at any hour).
    daily_open = any(w.start <= now < w.end for w in agreement_windows(daily))
    assert [a.title for a in agreement_list(actor=secretariat, phase="active", now=now)] == sorted(
        ["Medical evacuation Kherson–Oleshky across the Antonivskyi Bridge"]
        + ([daily.title] if daily_open else []),
        key=lambda title: Agreement.objects.get(title=title).code,
    )
    assert set(
        AuditEntry.objects.filter(action="agreement.create_draft").values_list(
            "object_id", flat=True
        )
    ) == {str(pk) for pk in Agreement.objects.values_list("pk", flat=True)}


def test_the_daily_pause_runs_across_the_next_spring_change_of_the_clocks():
    assert demo.next_spring_dst_change(datetime.date(2026, 11, 26)) == datetime.date(2027, 3, 28)
    assert demo.next_spring_dst_change(datetime.date(2027, 3, 28)) == datetime.date(2028, 3, 26)


def test_every_demo_account_signs_in_with_the_published_password(demo_scenario, client):
    for username, *_ in demo.ACCOUNTS:
        assert client.login(username=username, password="parley-demo"), username


def test_the_welcome_names_the_url_and_every_account(demo_scenario):
    out = io.StringIO()

    demo.print_welcome(host="127.0.0.1", port=8000, stdout=out)

    lines = out.getvalue().splitlines()
    assert "Parley is at http://127.0.0.1:8000/" in lines
    assert [line.split()[0] for line in lines if line.startswith("  ")] == [
        "secretariat", "ua-head", "ua-delegate", "ru-head", "ru-delegate", "icrc", "wfp",
        "monitor", "observer",
    ]


def test_only_the_secretariat_reaches_the_admin_site(demo_scenario, client):
    client.force_login(User.objects.get(username="secretariat"))
    secretariat_status = client.get("/admin/").status_code
    client.force_login(User.objects.get(username="ua-head"))
    head_status = client.get("/admin/").status_code

    assert (secretariat_status, head_status) == (200, 302)
