"""The demo's exchanges: lists of a few hundred persons per side, an exchange of 50 for 50 in
execution with three refusals, and an N-for-M proposal; loading twice changes nothing."""

import io

import pytest

from parley import demo
from parley.agreements.models import Agreement
from parley.core.models import User
from parley.exchanges.models import (
    DaySignoff,
    ExchangeEntry,
    Outcome,
    Pair,
    PersonList,
    PersonStatus,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_demo_holds_lists_an_exchange_in_execution_and_a_proposal(settings, tmp_path):
    settings.IDENTITY_KEYS = []
    settings.IDENTITY_KEY_FILE = tmp_path / "identity.keys"
    demo.load(stdout=io.StringIO())
    counts = {(pl.party.slug, pl.side): pl.persons.count() for pl in PersonList.objects.all()}
    pairs = Pair.objects.count()

    demo.load(stdout=io.StringIO())

    assert settings.IDENTITY_KEY_FILE.read_text().strip() != ""
    assert counts == {("russia", "held"): 320, ("ukraine", "sought"): 354,
                      ("ukraine", "held"): 260, ("russia", "sought"): 220}
    assert Pair.objects.count() == pairs
    assert Pair.objects.filter(state=Pair.State.UNCERTAIN).exists()
    execution, proposal = Agreement.objects.filter(kind="exchange").order_by("code")
    releases = execution.current_version.terms["releases"]
    assert (execution.status, len(releases["russia"]), len(releases["ukraine"])) == (
        "agreed", 50, 50)
    assert ExchangeEntry.objects.filter(agreement=execution,
                                        wishes_repatriation=False).count() == 3
    assert ExchangeEntry.objects.filter(agreement=execution,
                                        outcome=Outcome.RECEIVED).count() > 0
    assert DaySignoff.objects.filter(day__agreement=execution).count() == 3
    assert PersonList.objects.get(party__slug="russia", side="held").persons.filter(
        status=PersonStatus.REFUSED).count() == 1
    proposal_releases = proposal.current_version.terms["releases"]
    assert (proposal.status, len(proposal_releases["ukraine"]),
            len(proposal_releases["russia"])) == ("proposed", 25, 40)


def test_the_public_pulse_counts_the_persons_handed_over(demo_scenario, client):
    execution = Agreement.objects.filter(kind="exchange").order_by("code").first()
    handed_over = ExchangeEntry.objects.filter(agreement=execution,
                                               outcome=Outcome.HANDED_OVER).count()

    client.force_login(User.objects.get(username="observer"))
    page = client.get(f"/talks/processes/{execution.process_id}/pulse/").content.decode()

    assert handed_over > 0
    assert (f'data-figure="persons_exchanged"><span class="value">{handed_over}</span>'
            '<span class="label">Persons exchanged</span>') in page
