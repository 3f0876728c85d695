"""Every list and detail endpoint of the API reads in a fixed number of queries.

Each list is read by two people who see different numbers of items (the secretariat and a head
of delegation), and the count must be the same for both and equal to the figure here: a query
per item (N+1) would make them differ. The figures include the token's lookup.
"""

import pytest
from django.test import Client

from parley.access.models import Movement, Site
from parley.core.models import User
from parley.core.services import api_token_create
from parley.monitoring.models import Event, ImportRun
from parley.talks.models import AgendaItem, Process, Round

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

LISTS = {
    "/api/agreements": 2,
    "/api/agreements/HP-2026-001/versions": 5,
    "/api/agreements/HP-2026-001/audit": 8,
    "/api/movements": 9,
    "/api/access/latency": 5,
    "/api/sites": 2,
    "/api/notifications": 3,
    "/api/webhooks": 2,
    "/api/hazards": 2,
    "/api/parties": 3,
    "/api/tokens": 3,
    "/api/monitoring/incidents": 3,
    "/api/monitoring/events": 2,
    "/api/processes": 3,
    "/api/rounds?process={process}": 6,
    "/api/rounds/{round}/sessions": 7,
    "/api/rounds/{round}/agenda": 8,
    "/api/agenda-items/{item}/positions": 5,
    "/api/commitments": 4,
}
# Lists whose length depends on the reader; the secretariat's and a head's differ.
DIFFERING = {"/api/agreements", "/api/movements", "/api/tokens",
             "/api/monitoring/incidents"}
# Answered to a head of delegation with its own party's row only (one item, not a list that
# differs by count in a meaningful way); measured for both readers all the same.
SECRETARIAT_ONLY: set[str] = set()
DETAILS = {
    "/api/agreements/HP-2026-001": 2,
    "/api/agreements/HP-2026-001/access-terms": 6,
    "/api/agreements/HP-2026-001/areas.geojson": 2,
    "/api/movements/{movement}": 10,  # +1: the agreement's areas, for the route's warnings
    "/api/movements/{movement}/route.geojson": 7,
    "/api/movements/{movement}/coordinate-views": 7,
    "/api/access/overdue": 9,
    "/api/sites/{site}": 2,
    "/api/sites.geojson": 2,
    "/api/hazards.geojson": 2,
    "/api/monitoring/events/{event}": 11,
    "/api/monitoring/events.geojson": 9,
    "/api/monitoring/site-alerts": 3,  # the event of each alert joined, not one query each
    "/api/monitoring/imports/{run}": 2,
    "/api/processes/{process}": 2,
}


@pytest.fixture
def scenario(demo_scenario):
    return {
        "movement": Movement.objects.order_by("pk").first().reference,
        "site": Site.objects.order_by("pk").first().reference,
        "event": Event.objects.order_by("pk").first().reference,
        "run": ImportRun.objects.order_by("pk").first().pk,
        "process": Process.objects.get().pk,
        "round": Round.objects.order_by("pk").first().pk,
        "item": AgendaItem.objects.order_by("pk").first().pk,
    }


def _reader(username):
    _, raw = api_token_create(actor=User.objects.get(username=username), name="count")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _measure(reader, path, expected, django_assert_num_queries):
    reader.get(path)  # the token's first use is written once a minute, not on every read
    with django_assert_num_queries(expected):
        response = reader.get(path)
    assert response.status_code == 200, path
    return response.json()


def test_every_list_reads_in_a_fixed_number_of_queries(
    scenario, django_assert_num_queries
):
    secretariat = _reader("secretariat")
    head = _reader("ua-head")
    _reader("ua-head")  # a second token, so that the two lists of tokens differ

    for template, expected in LISTS.items():
        path = template.format(**scenario)
        many = _measure(secretariat, path, expected, django_assert_num_queries)
        if template in SECRETARIAT_ONLY:
            continue
        other = _measure(head, path, expected, django_assert_num_queries)
        assert set(many) == {"items", "count"}, path
        if template in DIFFERING:
            assert many["count"] != other["count"], path
            assert max(many["count"], other["count"]) >= 2, path


def test_every_detail_reads_in_a_fixed_number_of_queries(
    scenario, django_assert_num_queries
):
    secretariat = _reader("secretariat")

    for template, expected in DETAILS.items():
        _measure(secretariat, template.format(**scenario), expected, django_assert_num_queries)


def test_a_page_is_the_part_of_the_list_asked_for(scenario):
    monitor = _reader("monitor")

    whole = monitor.get("/api/monitoring/incidents?limit=1000").json()
    page = monitor.get("/api/monitoring/incidents?limit=10&offset=20").json()
    first = monitor.get("/api/monitoring/incidents").json()

    assert whole["count"] == page["count"] == first["count"] > 120
    assert page["items"] == whole["items"][20:30]
    assert len(first["items"]) == 100
