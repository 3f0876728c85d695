"""Reference numbers are handed out once each (`parley.core.references.next_reference`).

Party slugs stand in for references here: any model and field can be numbered.
"""

import threading

import pytest
from django.db import connection, transaction

from parley.core.models import Party
from parley.core.references import next_reference

pytestmark = [pytest.mark.integration]


def take(prefix: str) -> str:
    return next_reference(prefix=prefix, width=3, model=Party, field="slug")


@pytest.mark.django_db
def test_a_prefix_met_first_continues_after_the_highest_stored_reference():
    Party.objects.create(slug="ref-007", kind=Party.Kind.OBSERVER, name_en="Seven",
                         time_zones=["UTC"])
    assert [take("ref-"), take("ref-"), take("other-")] == ["ref-008", "ref-009", "other-001"]


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert take("ev-") == "ev-001"
        raise RuntimeError("the save failed")
    assert take("ev-") == "ev-001"


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_get_two_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (a write locks the whole file); run on PostgreSQL")
    assert take("race-") == "race-001"  # the counter row exists from here on
    first_has_its_number, second_is_asking = threading.Event(), threading.Event()
    results: dict[str, str] = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = take("race-")
                first_has_its_number.set()
                # Still inside the transaction: the second request now waits for this commit.
                second_is_asking.wait(timeout=10)
                threading.Event().wait(0.5)
        finally:
            first_has_its_number.set()
            connection.close()

    def second():
        try:
            first_has_its_number.wait(timeout=10)
            second_is_asking.set()
            results["second"] = take("race-")
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results == {"first": "race-002", "second": "race-003"}
