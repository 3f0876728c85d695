"""The demo's monitoring: a few hundred incidents from the three feeds and the monitors' own
reports, some inside the pause active now, one event confirmed, one under review and a fresh
candidate to put under review."""

import io
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from parley import demo
from parley.agreements.selectors import agreement_list
from parley.core.models import User
from parley.monitoring.models import Classification, Event, Incident

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_demo_has_incidents_of_every_source_and_verified_events(demo_scenario, client):
    counts = dict(Incident.objects.values_list("source__kind").order_by().annotate(
        n=Count("pk")))

    assert counts == {"parley": 120, "acled": 100, "firms": 120, "monitor_report": 3}
    active = agreement_list(actor=User.objects.get(username="secretariat"), phase="active",
                            now=timezone.now())
    in_active = Classification.objects.filter(in_window=True,
                                              agreement__in=[a.pk for a in active])
    assert in_active.values("incident__source__kind").distinct().count() == 4
    assert sorted(Event.objects.values_list("status", flat=True)) == [
        "candidate", "confirmed", "under_review"]
    # The README's tour puts it under review: a candidate of the last day, as the monitor's queue
    # shows it, reported by the monitor minutes before the demo's clock.
    fresh = Event.objects.get(status="candidate")
    assert timezone.now() - timedelta(days=1) < fresh.time_start < timezone.now()
    assert list(fresh.incidents.values_list("source__kind", flat=True)) == ["monitor_report"]
    client.force_login(User.objects.get(username="monitor"))
    queue = client.get("/").content.decode().split('id="queue-panel"', 1)[1].split("</section>")[0]
    assert f'data-event="{fresh.reference}"' in queue

    demo.load(stdout=io.StringIO())
    assert Incident.objects.count() == 343
    assert Event.objects.filter(status="candidate").count() == 1
