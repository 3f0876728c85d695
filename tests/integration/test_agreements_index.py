"""The agreements index: search and filters over what the reader may see, never more."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = reverse("agreements:agreement_list")


def listed(response) -> list[str]:
    return re.findall(r'<tr data-agreement="([^"]+)"', response.content.decode())


def count(response) -> int:
    return int(re.search(r'data-count="(\d+)"', response.content.decode()).group(1))


def open_now_window() -> dict:
    now = datetime.datetime.now(datetime.UTC)
    return {
        "start": (now - datetime.timedelta(hours=1)).isoformat(timespec="seconds"),
        "end": (now + datetime.timedelta(hours=3)).isoformat(timespec="seconds"),
    }


@pytest.fixture
def world():
    people = cast()
    AgreementFactory(
        code="HP-2026-101",
        title="Orikhiv aid pause",
        owner=people.mediator,
        process=people.process,
        status="agreed",
        public=True,
        version__windows=[open_now_window()],
    )
    AgreementFactory(
        code="HP-2026-102",
        title="Kamianske evacuation",
        owner=people.ukraine,
        process=people.process,
        status="proposed",
    )
    AgreementFactory(
        code="LC-2026-103",
        title="Enerhodar ceasefire",
        kind="ceasefire",
        owner=people.russia,
        process=people.process,
        status="agreed",
    )
    # The other party's confidential draft: its title shares a word with the Ukrainian one.
    AgreementFactory(
        code="HP-2026-104",
        title="Russian draft about Kamianske",
        owner=people.russia,
        process=people.process,
    )
    AgreementFactory(
        code="HP-2026-105",
        title="Ukrainian draft about Kamianske",
        owner=people.ukraine,
        process=people.process,
    )
    return people


def test_the_index_lists_every_visible_agreement_by_code(client, world):
    client.force_login(world.ua_head)

    response = client.get(URL)

    assert response.status_code == 200
    assert listed(response) == ["HP-2026-101", "HP-2026-102", "HP-2026-105", "LC-2026-103"]
    assert count(response) == 4


def test_a_search_never_finds_the_other_partys_draft_nor_counts_it(client, world):
    client.force_login(world.ua_head)

    response = client.get(URL, {"q": "kamianske"})

    assert listed(response) == ["HP-2026-102", "HP-2026-105"]
    assert count(response) == 2
    assert "Russian draft" not in response.content.decode()
    # Nor does the code of the hidden draft, nor a filter on its drafting party.
    assert count(client.get(URL, {"q": "HP-2026-104"})) == 0
    # Our own draft binds Russia too; Russia's draft stays out.
    assert listed(client.get(URL, {"party": world.russia.pk, "status": "draft"})) == ["HP-2026-105"]


def test_the_other_party_finds_its_own_draft_and_not_ours(client, world):
    client.force_login(world.ru_delegate)

    response = client.get(URL, {"q": "draft", "status": "draft"})

    assert listed(response) == ["HP-2026-104"]
    assert count(response) == 1


def test_filters_by_status_kind_and_party_combine(client, world):
    client.force_login(world.secretariat)

    assert listed(client.get(URL, {"status": "agreed"})) == ["HP-2026-101", "LC-2026-103"]
    assert listed(client.get(URL, {"kind": "ceasefire"})) == ["LC-2026-103"]
    assert listed(client.get(URL, {"status": "agreed", "kind": "pause"})) == ["HP-2026-101"]
    # Party: the one that drafted it or one bound by it (the factories bind both sides).
    assert listed(client.get(URL, {"party": world.mediator.pk})) == ["HP-2026-101"]


def test_active_now_keeps_agreements_with_an_open_window(client, world):
    client.force_login(world.monitor_user)

    response = client.get(URL, {"active": "on"})

    assert listed(response) == ["HP-2026-101"]
    assert "open until" in response.content.decode()


def test_the_observer_sees_public_settled_agreements_only(client, world):
    client.force_login(world.observer_user)

    assert listed(client.get(URL)) == ["HP-2026-101"]
    assert count(client.get(URL, {"q": "Enerhodar"})) == 0


def test_a_wrong_filter_value_is_named_on_its_field_and_left_out(client, world):
    client.force_login(world.ua_head)

    response = client.get(URL, {"status": "bogus", "party": "not-a-number", "q": "Orikhiv"})

    assert response.status_code == 200
    assert listed(response) == ["HP-2026-101"]
    errors = re.findall(r'data-errors-for="(\w+)"', response.content.decode())
    assert errors == ["status", "party"]


def test_results_are_paged_and_the_filters_stay_in_the_page_links(client, world):
    for number in range(30):
        AgreementFactory(
            code=f"HP-2027-{number:03d}",
            title=f"Pause {number}",
            owner=world.mediator,
            process=world.process,
            status="agreed",
        )
    client.force_login(world.secretariat)

    first = client.get(URL, {"status": "agreed"})
    second = client.get(URL, {"status": "agreed", "page": 2})

    assert count(first) == 32
    assert len(listed(first)) == 25 and len(listed(second)) == 7
    assert 'href="?status=agreed&amp;page=2"' in first.content.decode()
    assert not set(listed(first)) & set(listed(second))
