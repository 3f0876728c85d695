"""Two writers append to the record at once (PostgreSQL). A module of its own: a test that
commits cannot share a module with the demo that tests/integration/test_record_log.py loads once
and holds in an open transaction."""

import pytest
from django.db import connection

from parley.audit.models import LogEntry
from parley.audit.services import audit_append
from parley.core.models import Party

pytestmark = [pytest.mark.integration]


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_get_distinct_consecutive_numbers():
    """Two writers at once: each append takes the next number under the head row's lock, so no
    number is given twice or skipped (PostgreSQL; SQLite has one writer at a time anyway)."""
    import threading

    from django.db import connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's case")
    party = Party.objects.create(slug="racers", kind=Party.Kind.OBSERVER, name_en="Racers",
                                 time_zones=["UTC"])
    start = threading.Barrier(2)
    errors = []

    def writer(label: str) -> None:
        try:
            start.wait()
            for number in range(25):
                with transaction.atomic():
                    audit_append(actor=None, action="race.append", obj=party,
                                 note=f"{label} {number}")
        except Exception as exc:  # reported below: a thread's exception would vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(label,)) for label in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(LogEntry.objects.values_list("seq", flat=True))
    assert seqs == list(range(50))
