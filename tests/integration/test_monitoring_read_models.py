"""The API reads events as columns (`event_summary_list`), pages as models (`event_list` with
`event_placements`): for every demo user and every filter the two say the same."""

import pytest
from django.utils import timezone

from parley.core.models import User
from parley.monitoring.models import Classification, Event
from parley.monitoring.selectors import event_list, event_placements, event_summary_list
from parley.monitoring.selectors.events import PlacementSummary

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

USERS = ("secretariat", "ua-head", "ua-delegate", "ru-head", "ru-delegate", "icrc", "wfp",
         "monitor", "observer")


def _filters() -> list[dict]:
    placed = Classification.objects.filter(in_window=True).select_related("agreement").first()
    return [
        {},
        {"status": "confirmed"},
        {"status": "candidate"},
        {"agreement": placed.agreement.code},
        {"agreement": placed.agreement.code, "area": placed.feature_id},
        {"area": placed.feature_id},
        {"day": timezone.now().date()},
        {"agreement": "HP-2099-999"},
    ]


def test_the_events_read_model_says_what_the_loaded_events_say(demo_scenario):
    assert Event.objects.count() >= 3
    seen = set()
    for username in USERS:
        actor = User.objects.select_related("party").get(username=username)
        for filters in _filters():
            loaded = event_list(actor=actor, **filters)
            placements = event_placements(actor=actor, events=loaded)
            summaries = event_summary_list(actor=actor, **filters)
            assert [(s.reference, s.status, s.lat, s.lon, s.time_start, s.time_end)
                    for s in summaries] == [
                (e.reference, e.status, e.lat, e.lon, e.time_start, e.time_end)
                for e in loaded], (username, filters)
            assert [s.placements for s in summaries] == [
                [PlacementSummary(p.agreement.code, p.feature_id, p.relation, p.in_window)
                 for p in placements.get(e.pk, [])] for e in loaded], (username, filters)
            seen.add((username, len(summaries)))
    # Some readers see events and some see none: the comparison is not of empty lists only.
    assert {count for _, count in seen} != {0}
    assert any(count == 0 for _, count in seen)
