"""The dashboard follows the reader's part at the talks: each audience sees its own panels,
its own work first, and nothing it has no part in."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from parley.ui import panels
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PANEL_ID = re.compile(r'id="((?:consent|access|negotiation|windows|talks|monitoring|queue|'
                      r'exchanges|figures)-panel)"')


def panel_ids(response) -> list[str]:
    return [name.removesuffix("-panel") for name in PANEL_ID.findall(response.content.decode())]


@pytest.fixture
def world():
    people = cast()
    AgreementFactory(code="HP-2026-201", title="Orikhiv aid pause", owner=people.mediator,
                     process=people.process, status="agreed", public=True)
    AgreementFactory(code="HP-2026-202", title="Kamianske corridor", owner=people.mediator,
                     process=people.process, status="proposed")
    AgreementFactory(code="HP-2026-203", title="Ukrainian draft", owner=people.ukraine,
                     process=people.process)
    return people


@pytest.mark.parametrize(("who", "audience"), [
    ("ua_head", "party"), ("ru_delegate", "party"), ("secretariat", "secretariat"),
    ("icrc_liaison", "organisation"), ("monitor_user", "monitor"),
    ("observer_user", "observer"),
])
def test_each_person_reads_as_the_audience_of_their_party(world, who, audience):
    request = RequestFactory().get("/")
    request.user = getattr(world, who)

    assert panels.audience(request) == audience


def test_a_party_sees_its_consents_acknowledgements_and_drafts_first(client, world):
    client.force_login(world.ua_head)

    response = client.get(reverse("ui:dashboard"))

    assert panel_ids(response) == [
        "consent", "access", "negotiation", "talks", "windows", "figures"]
    html = response.content.decode()
    assert "Awaiting my party's consent" in html and "My party's drafts" in html
    assert re.search(r"<strong>HP-2026-203</strong> Ukrainian draft", html)


def test_the_other_party_does_not_see_our_draft_on_its_dashboard(client, world):
    client.force_login(world.ru_head)

    html = client.get(reverse("ui:dashboard")).content.decode()

    assert "HP-2026-203" not in html and "Ukrainian draft" not in html


def test_the_secretariat_sees_what_awaits_it_and_whose_consent_is_missing(client, world):
    client.force_login(world.secretariat)

    response = client.get(reverse("ui:dashboard"))

    assert panel_ids(response) == ["access", "negotiation", "talks", "figures", "windows"]
    html = response.content.decode()
    assert "On the table, awaiting the parties" in html
    assert "The secretariat's drafts" in html
    assert "My party's" not in html
    assert re.search(r"consent awaited from\s+Russian Federation, Ukraine", html)


def test_an_organisation_sees_its_movements_then_the_windows(client, world):
    client.force_login(world.icrc_liaison)

    response = client.get(reverse("ui:dashboard"))

    assert panel_ids(response) == ["access", "windows", "talks", "figures"]
    assert "My organisation&#x27;s open movements" in response.content.decode()
    assert "consent" not in response.content.decode().lower()


def test_a_monitor_sees_the_review_queue_first(client, world):
    client.force_login(world.monitor_user)

    response = client.get(reverse("ui:dashboard"))

    assert panel_ids(response) == ["queue", "windows", "talks", "figures"]
    assert 'href="/monitoring/events/?status=candidate"' in response.content.decode()


def test_an_observer_sees_the_public_summary_only(client, world):
    client.force_login(world.observer_user)

    response = client.get(reverse("ui:dashboard"))

    assert panel_ids(response) == ["windows", "figures", "talks"]
    html = response.content.decode()
    assert "HP-2026-202" not in html and "Kamianske" not in html
    assert "drafts" not in html.lower()
    # The figures count only what the observer may see: one public agreed pause.
    assert "All 1 agreement you may see" in html


def test_panels_of_an_audience_are_ordered_by_its_own_order():
    first = panels.Panel(name="test.first", order=10, template="x", context=lambda r, n: None)
    second = panels.Panel(name="test.second", order=20, template="x", context=lambda r, n: None,
                          orders={"monitor": 1}, audiences=frozenset({"monitor", "party"}))
    try:
        panels.register(first)
        panels.register(second)
        monitor = [p.name for p in panels.registered("monitor") if p.name.startswith("test.")]
        party = [p.name for p in panels.registered("party") if p.name.startswith("test.")]
        observer = [p.name for p in panels.registered("observer") if p.name.startswith("test.")]
    finally:
        panels._PANELS.pop("test.first")
        panels._PANELS.pop("test.second")

    assert monitor == ["test.second", "test.first"]
    assert party == ["test.first", "test.second"]
    assert observer == ["test.first"]


def test_a_panel_for_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="unknown audiences"):
        panels.register(panels.Panel(name="test.bad", order=1, template="x",
                                     context=lambda r, n: None, orders={"guest": 1}))
