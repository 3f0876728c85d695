"""The read cache (parley.core.readcache): an answer kept for one party is never sent to another,
a change is read at once, and a kept answer costs one query (the token's, which reads the data
generation too).

These tests commit (transaction=True): inside a transaction the cache is not used at all, which
is what keeps the query counts of tests/api/test_api_query_counts.py those of a computed answer.
"""

import datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from parley.agreements.models import Agreement
from parley.agreements.services import agreement_update_draft
from parley.core import readcache
from parley.core.services import api_token_create
from tests.factories import AgreementFactory, AgreementVersionFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    readcache.store.clear()
    people = cast()
    people.ua_draft = AgreementFactory(code="HP-2026-101", owner=people.ukraine,
                                       process=people.process, title="Ukraine's own draft")
    people.shared = AgreementFactory(code="HP-2026-102", owner=people.ukraine,
                                     process=people.process, status=Agreement.Status.PROPOSED,
                                     title="Proposed to both")
    yield people
    readcache.store.clear()


def reader(user) -> Client:
    _, raw = api_token_create(actor=user, name="reader")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def queries(client, path, **headers):
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path, headers=headers)
    return response, len(seen)


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_an_answer_kept_for_one_party_is_never_sent_to_another(people):
    ua, ru = reader(people.ua_head), reader(people.ru_head)
    first = ua.get("/api/agreements")
    again = ua.get("/api/agreements")
    assert first["X-Parley-Cache"] == "miss" and again["X-Parley-Cache"] == "hit"
    assert codes(again) == codes(first) == ["HP-2026-101", "HP-2026-102"]

    theirs = ru.get("/api/agreements")
    assert theirs["X-Parley-Cache"] == "miss"
    assert codes(theirs) == ["HP-2026-102"]
    assert codes(ru.get("/api/agreements")) == ["HP-2026-102"]

    assert ua.get("/api/agreements/HP-2026-101").status_code == 200
    assert ua.get("/api/agreements/HP-2026-101")["X-Parley-Cache"] == "hit"
    assert ru.get("/api/agreements/HP-2026-101").status_code == 404
    assert ru.get("/api/agreements/HP-2026-101/areas.geojson").status_code == 404
    ua.get("/api/agreements/HP-2026-101/areas.geojson")
    assert ru.get("/api/agreements/HP-2026-101/areas.geojson").status_code == 404


def test_another_role_of_the_same_party_gets_its_own_answer(people):
    head, delegate = reader(people.ua_head), reader(people.ua_delegate)
    head.get("/api/agreements")
    assert head.get("/api/agreements")["X-Parley-Cache"] == "hit"
    assert delegate.get("/api/agreements")["X-Parley-Cache"] == "miss"
    monitor = reader(people.monitor_user)
    assert monitor.get("/api/monitoring/events")["X-Parley-Cache"] == "miss"
    assert head.get("/api/monitoring/events")["X-Parley-Cache"] == "miss"


def test_a_change_through_a_service_is_read_at_once(people):
    ua, ru = reader(people.ua_head), reader(people.ru_head)
    ua.get("/api/agreements/HP-2026-101")
    assert ua.get("/api/agreements/HP-2026-101")["X-Parley-Cache"] == "hit"
    ru.get("/api/agreements")
    agreement_update_draft(actor=people.ua_head, agreement=people.ua_draft,
                           title="Renamed draft", public=True)
    fresh = ua.get("/api/agreements/HP-2026-101")
    assert fresh["X-Parley-Cache"] == "miss"
    assert fresh.json()["title"] == "Renamed draft"
    # Still a draft: public or not, the other party does not see it.
    assert codes(ru.get("/api/agreements")) == ["HP-2026-102"]


def test_a_change_outside_the_services_is_read_at_once_too(people):
    """The generation is bumped by the database: a bulk update or the admin cannot leave a
    cached answer behind."""
    ua = reader(people.ua_head)
    ua.get("/api/agreements/HP-2026-102")
    before = readcache.generation()
    Agreement.objects.filter(code="HP-2026-102").update(title="Changed in bulk")
    assert readcache.generation() != before
    assert ua.get("/api/agreements/HP-2026-102").json()["title"] == "Changed in bulk"
    # A party that the agreement stops binding stops seeing it at once.
    ru = reader(people.ru_head)
    assert ru.get("/api/agreements/HP-2026-102").status_code == 200
    people.shared.bound_parties.remove(people.russia)
    assert ru.get("/api/agreements/HP-2026-102").status_code == 404


def test_a_rolled_back_change_leaves_the_generation(people):
    before = readcache.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        Agreement.objects.filter(code="HP-2026-102").update(title="Never")
        raise RuntimeError
    assert readcache.generation() == before


def test_a_kept_answer_costs_one_query(people):
    """The token's, which reads the data generation in the same statement."""
    ua = reader(people.ua_head)
    for path in ("/api/agreements", "/api/agreements/HP-2026-102",
                 "/api/agreements/HP-2026-102/areas.geojson", "/api/monitoring/events"):
        computed, computing = queries(ua, path)
        kept, keeping = queries(ua, path)
        assert (computed["X-Parley-Cache"], kept["X-Parley-Cache"]) == ("miss", "hit")
        assert kept.content == computed.content
        assert kept["Content-Type"] == computed["Content-Type"]
        assert keeping == 1, path
        assert computing > keeping


def test_if_none_match_is_answered_304(people):
    ua = reader(people.ua_head)
    first = ua.get("/api/agreements/HP-2026-102")
    etag = first["ETag"]
    not_modified = ua.get("/api/agreements/HP-2026-102", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    agreement_update_draft(actor=people.ua_head, agreement=people.ua_draft, title="Another")
    # Another agreement changed: the answer is computed again, and is the same bytes.
    assert ua.get("/api/agreements/HP-2026-102",
                  headers={"If-None-Match": etag}).status_code == 304
    changed = ua.get("/api/agreements/HP-2026-101", headers={"If-None-Match": etag})
    assert changed.status_code == 200


def test_an_answer_that_depends_on_the_clock_ends_at_the_next_window(people):
    now = timezone.now()
    start = (now + datetime.timedelta(hours=2)).replace(microsecond=0)
    agreed = AgreementFactory(code="HP-2026-103", owner=people.ukraine, process=people.process,
                              status=Agreement.Status.AGREED, version=None)
    AgreementVersionFactory(agreement=agreed, windows=[{
        "start": start.isoformat(), "end": (start + datetime.timedelta(hours=3)).isoformat()}])
    ua = reader(people.ua_head)
    assert ua.get("/api/agreements/HP-2026-103").json()["phase"] == "agreed"
    (kept,) = [answer for key, answer in readcache.store._answers.items()
               if key[0] == "/api/agreements/HP-2026-103"]
    assert kept.until == start


def test_every_table_but_the_unwatched_is_watched(people):
    assert readcache.install_triggers() == 0  # migrate installed them all
    tables = set(connection.introspection.table_names(include_views=False))
    assert "agreements_agreement" in tables - readcache.UNWATCHED_TABLES
    ua = reader(people.ua_head)
    before = readcache.generation()
    ua.get("/api/agreements")  # the token's first use is written: an unwatched table
    assert readcache.generation() == before


def test_a_session_reader_is_kept_apart_too(people, client):
    client.force_login(people.ru_delegate)
    assert client.get("/api/agreements/HP-2026-101").status_code == 404
    ua = reader(people.ua_head)
    ua.get("/api/agreements/HP-2026-101")
    assert ua.get("/api/agreements/HP-2026-101")["X-Parley-Cache"] == "hit"
    assert client.get("/api/agreements/HP-2026-101").status_code == 404
    assert codes(client.get("/api/agreements")) == ["HP-2026-102"]
    assert client.get("/api/agreements")["X-Parley-Cache"] == "hit"
    assert codes(client.get("/api/agreements")) == ["HP-2026-102"]
