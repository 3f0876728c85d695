"""The page of a counter-proposal: what it changed in words, and both versions on one map."""

import json
import re

import pytest
from django.urls import reverse

from parley.agreements.models import Agreement
from parley.agreements.services import agreement_counter, agreement_create_draft, agreement_propose
from tests.factories import CORRIDOR, WINDOW, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

CIRCLE = {"type": "Feature", "id": "S1",
          "geometry": {"type": "Point", "coordinates": [35.40, 47.12]},
          "properties": {"width_m": 30000, "name": "Enerhodar"}}
# The same circle about 3.2 km to the north-east, with a 20 km radius.
MOVED = {**CIRCLE, "geometry": {"type": "Point", "coordinates": [35.43, 47.14]},
         "properties": {"width_m": 40000, "name": "Enerhodar"}}
DAILY = {"rrule": "FREQ=DAILY;COUNT=5", "dtstart": "2026-12-02T10:00:00", "tz": "Europe/Kyiv",
         "duration": "PT4H"}


def _countered(people):
    agreement = agreement_create_draft(
        actor=people.secretariat, process=people.process, round=people.day1,
        kind=Agreement.Kind.PAUSE, title="Vasylivka corridor", purpose=Agreement.Purpose.EVACUATION,
        bound_parties=[people.ukraine, people.russia],
        areas={"type": "FeatureCollection", "features": [*CORRIDOR["features"], CIRCLE]},
        windows=[WINDOW], lead_time_h=48, margin_min=30, who_may_move="Civilians")
    agreement_propose(actor=people.secretariat, agreement=agreement)
    wider = {**CORRIDOR["features"][0], "properties": {"width_m": 4000}}
    agreement_counter(actor=people.ru_delegate, agreement=agreement, version=1,
                      areas={"type": "FeatureCollection", "features": [wider, MOVED]},
                      windows=[DAILY], lead_time_h=24, note="Wider and daily")
    return agreement


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_compare_page_words_each_change_and_maps_both_versions(client):
    people = cast()
    agreement = _countered(people)
    client.force_login(people.ua_head)
    url = reverse("agreements:agreement_version", kwargs={"code": agreement.code, "number": 2})
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    changes = _text(html.split('id="changes"')[1].split("</ul>")[0])
    assert "C1 corridor widened from 2 km to 4 km" in changes
    assert "S1 circle enlarged: radius 15 km → 20 km" in changes
    assert "S1 circle moved 3.2 km north-east" in changes
    assert "window added: every day 10:00–14:00 Kyiv time from 2 Dec 2026 until 6 Dec 2026" \
        in changes
    assert "window removed: 1 Mar 2026 06:00–12:00 UTC" in changes
    assert "notification lead time: 48 h → 24 h" in changes
    assert "T08:00" not in changes and "width_m" not in changes
    areas = _text(html.split('id="version-areas"')[1].split("</ul>")[0])
    assert "S1 Enerhodar · circle · centre 47.14° N 35.43° E · radius 20 km" in areas
    collection = json.loads(html.split('id="compare-map" type="application/json">')[1]
                            .split("</script>")[0])
    phases = [(f["id"], f["properties"]["phase"]) for f in collection["features"]]
    assert phases == [("C1", "terminated"), ("S1", "terminated"), ("C1", "active"),
                      ("S1", "active")]
    first = collection["features"][0]["properties"]
    assert first["agreement"] == agreement.code and first["phase_label"].startswith("version 1")
    legend = _text(html.split('id="compare-legend"')[1].split("</div>")[0])
    assert "before: version 1" in legend and "after: version 2" in legend


def test_the_detail_page_lists_the_changes_in_words_and_links_the_map(client):
    people = cast()
    agreement = _countered(people)
    client.force_login(people.ru_head)
    html = client.get(reverse("agreements:agreement_detail",
                              kwargs={"code": agreement.code})).content.decode()
    text = _text(html)
    assert "C1 corridor widened from 2 km to 4 km" in text
    assert "corridor · 46 km long · 4 km wide" in text
    assert reverse("agreements:agreement_version",
                   kwargs={"code": agreement.code, "number": 2}) in html
    assert "Point" not in text.split("Areas")[1].split("Conditions")[0]


def test_the_compare_page_in_ukrainian_formats_numbers_for_the_reader(client):
    people = cast()
    agreement = _countered(people)
    client.force_login(people.ua_head)
    url = reverse("agreements:agreement_version", kwargs={"code": agreement.code, "number": 2})
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "47,14°" in html


def test_a_version_that_does_not_exist_or_a_hidden_agreement_is_not_found(client):
    people = cast()
    agreement = _countered(people)
    client.force_login(people.ua_head)
    missing = reverse("agreements:agreement_version", kwargs={"code": agreement.code,
                                                             "number": 9})
    assert client.get(missing).status_code == 404
    client.force_login(people.observer_user)
    hidden = reverse("agreements:agreement_version", kwargs={"code": agreement.code, "number": 2})
    assert client.get(hidden).status_code == 404
