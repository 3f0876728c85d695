import copy
import datetime

import pytest
from django.core.exceptions import ValidationError

from parley.agreements.models import Agreement
from parley.agreements.selectors import (
    AreaChange,
    ConditionChange,
    agreement_areas_geojson,
    agreement_audit_trail,
    agreement_list,
    agreement_windows,
    agreements_awaiting_consent,
    calendar_entries,
    version_diff,
)
from parley.agreements.services import (
    agreement_consent,
    agreement_counter,
    agreement_create_draft,
    agreement_propose,
)
from parley.core.errors import NotFound
from parley.engines.timewin import Window
from tests.factories import CORRIDOR, WINDOW, AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def utc(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


def test_awaiting_consent_lists_what_my_party_has_not_yet_consented_to():
    people = cast()
    waiting = AgreementFactory(code="HP-2026-001", owner=people.ukraine, status="proposed")
    done = AgreementFactory(code="HP-2026-002", owner=people.ukraine, status="proposed")
    AgreementFactory(code="HP-2026-003", owner=people.ukraine, status="agreed")
    AgreementFactory(code="HP-2026-004", owner=people.ukraine)
    AgreementFactory(
        code="HP-2026-005", owner=people.mediator, status="proposed", bound_parties=[people.russia]
    )
    agreement_consent(actor=people.ua_head, agreement=done, version=1)

    assert agreements_awaiting_consent(actor=people.ua_delegate) == [waiting]
    assert [a.code for a in agreements_awaiting_consent(actor=people.ru_head)] == [
        "HP-2026-001",
        "HP-2026-002",
        "HP-2026-005",
    ]
    assert agreements_awaiting_consent(actor=people.secretariat) == []
    assert agreements_awaiting_consent(actor=people.icrc_liaison) == []


def test_calendar_entries_are_sorted_and_limited_to_what_the_actor_sees():
    people = cast()
    daily = AgreementFactory(
        code="HP-2026-010",
        owner=people.ukraine,
        status="agreed",
        version__windows=[
            {"rrule": "FREQ=DAILY;COUNT=3", "dtstart": "2026-03-28T10:00:00",
             "tz": "Europe/Kyiv", "duration": "PT4H"}
        ],
    )
    once = AgreementFactory(
        code="HP-2026-011",
        owner=people.russia,
        status="agreed",
        version__windows=[{"start": "2026-03-29T07:30:00Z", "end": "2026-03-29T08:30:00Z"}],
    )
    AgreementFactory(
        code="HP-2026-012",
        owner=people.russia,
        version__windows=[{"start": "2026-03-29T07:30:00Z", "end": "2026-03-29T08:30:00Z"}],
    )

    entries = calendar_entries(
        actor=people.icrc_liaison, start=utc("2026-03-28T00:00"), end=utc("2026-03-30T00:00")
    )

    assert entries == [
        (daily, Window(utc("2026-03-28T08:00"), utc("2026-03-28T12:00"))),
        (daily, Window(utc("2026-03-29T07:00"), utc("2026-03-29T11:00"))),
        (once, Window(utc("2026-03-29T07:30"), utc("2026-03-29T08:30"))),
    ]
    assert calendar_entries(
        actor=people.observer_user, start=utc("2026-03-28T00:00"), end=utc("2026-03-30T00:00")
    ) == []


def test_windows_expand_in_kyiv_wall_time_across_the_spring_change():
    people = cast()
    agreement = AgreementFactory(
        owner=people.ukraine,
        version__windows=[
            {"rrule": "FREQ=DAILY;COUNT=3", "dtstart": "2026-03-28T10:00:00",
             "tz": "Europe/Kyiv", "duration": "PT4H"}
        ],
    )

    assert [(w.start, w.end) for w in agreement_windows(agreement)] == [
        (utc("2026-03-28T08:00"), utc("2026-03-28T12:00")),
        (utc("2026-03-29T07:00"), utc("2026-03-29T11:00")),
        (utc("2026-03-30T07:00"), utc("2026-03-30T11:00")),
    ]


def test_list_by_phase_uses_the_clock():
    people = cast()
    AgreementFactory(
        code="HP-2026-001", owner=people.ukraine, status="agreed",
        version__windows=[{"start": "2026-03-01T08:00:00Z", "end": "2026-03-01T10:00:00Z"}],
    )
    AgreementFactory(
        code="HP-2026-002", owner=people.ukraine, status="agreed",
        version__windows=[{"start": "2026-03-05T08:00:00Z", "end": "2026-03-05T10:00:00Z"}],
    )
    AgreementFactory(code="HP-2026-003", owner=people.ukraine, status="proposed")
    now = utc("2026-03-01T09:00")

    def codes(phase):
        return [a.code for a in agreement_list(actor=people.ua_head, phase=phase, now=now)]

    assert codes("active") == ["HP-2026-001"]
    assert codes("agreed") == ["HP-2026-002"]
    assert codes("proposed") == ["HP-2026-003"]
    assert codes("completed") == []


def test_areas_geojson_carries_the_agreement_in_each_feature():
    people = cast()
    agreement = AgreementFactory(code="HP-2026-004", owner=people.ukraine, status="agreed")

    assert agreement_areas_geojson(agreement) == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "C1",
                "geometry": CORRIDOR["features"][0]["geometry"],
                "properties": {
                    "width_m": 2000,
                    "agreement": "HP-2026-004",
                    "kind": "pause",
                    "status": "agreed",
                    "windows": [WINDOW],
                    "lead_time_h": 24,
                    "margin_min": 30,
                },
            }
        ],
    }


def test_version_diff_names_areas_windows_and_conditions():
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine, status="proposed")
    moved = copy.deepcopy(CORRIDOR["features"][0])
    moved["geometry"]["coordinates"][1] = [35.15, 47.84]
    moved["properties"]["width_m"] = 3000
    site = {
        "type": "Feature",
        "id": "S1",
        "geometry": {"type": "Point", "coordinates": [35.18, 47.5]},
        "properties": {"kind": "site", "width_m": 500},
    }
    later = {"start": "2026-03-02T08:00:00+02:00", "end": "2026-03-02T14:00:00+02:00"}

    new = agreement_counter(
        actor=people.ru_delegate,
        agreement=agreement,
        version=1,
        areas={"type": "FeatureCollection", "features": [moved, site]},
        windows=[later],
        lead_time_h=48,
    )
    diff = version_diff(agreement.versions.get(number=1), new)

    assert diff.areas_added == ["S1"]
    assert diff.areas_removed == []
    assert diff.areas_changed == [AreaChange("C1", True, 2000, 3000)]
    assert diff.windows_added == [later]
    assert diff.windows_removed == [WINDOW]
    assert diff.conditions_changed == [ConditionChange("lead_time_h", 24, 48)]


def test_bad_areas_are_refused_naming_every_feature_and_the_reason():
    people = cast()
    swapped = {
        "type": "Feature",
        "id": "C7",
        "geometry": {"type": "LineString", "coordinates": [[47.8, 35.1], [147.9, 95.4]]},
        "properties": {"width_m": 2000},
    }
    no_width = {
        "type": "Feature",
        "id": "C8",
        "geometry": {"type": "LineString", "coordinates": [[35.1, 47.8], [35.4, 47.9]]},
        "properties": {},
    }

    with pytest.raises(ValidationError) as error:
        agreement_create_draft(
            actor=people.ua_delegate,
            process=people.process,
            kind=Agreement.Kind.PAUSE,
            title="Bad",
            purpose=Agreement.Purpose.AID,
            bound_parties=[people.ukraine, people.russia],
            areas={"type": "FeatureCollection", "features": [swapped, no_width]},
            windows=[{"start": "2026-03-01T08:00:00", "end": "2026-03-01T10:00:00Z"}],
        )

    messages = error.value.message_dict
    assert sorted(messages) == ["areas", "windows[0].start"]
    assert [m.split(":")[0] for m in messages["areas"]] == [
        "Feature C7, geometry.coordinates[1]",
        "Feature C8, width_m",
    ]
    assert Agreement.objects.count() == 0


def test_a_pasted_formats_collection_brings_its_windows():
    people = cast()
    pasted = copy.deepcopy(CORRIDOR)
    pasted["features"][0]["properties"].update(
        {"agreement": "HP-2026-004", "kind": "pause", "windows": [WINDOW]}
    )

    agreement = agreement_create_draft(
        actor=people.secretariat,
        process=people.process,
        kind=Agreement.Kind.PAUSE,
        title="Pasted",
        purpose=Agreement.Purpose.AID,
        bound_parties=[people.ukraine, people.russia],
        areas=pasted,
    )

    assert agreement.current_version.windows == [WINDOW]
    assert agreement.current_version.areas == CORRIDOR
    agreement_propose(actor=people.secretariat, agreement=agreement)


def test_the_audit_trail_is_shown_only_to_those_who_see_the_agreement():
    people = cast()
    agreement = AgreementFactory(owner=people.ukraine, status="proposed")
    agreement_consent(actor=people.ru_head, agreement=agreement, version=1)

    trail = agreement_audit_trail(actor=people.secretariat, agreement=agreement)

    assert [(e.action, e.actor) for e in trail] == [("agreement.consent", people.ru_head)]
    with pytest.raises(NotFound):
        agreement_audit_trail(actor=people.icrc_liaison, agreement=agreement)


def test_areas_without_ids_are_numbered_around_the_ids_given():
    people = cast()
    line = CORRIDOR["features"][0]
    unnamed = {k: v for k, v in line.items() if k != "id"}

    agreement = agreement_create_draft(
        actor=people.ua_delegate,
        process=people.process,
        kind=Agreement.Kind.PAUSE,
        title="Three corridors",
        purpose=Agreement.Purpose.AID,
        bound_parties=[people.ukraine, people.russia],
        areas={"type": "FeatureCollection", "features": [unnamed, {**line, "id": "A1"}, unnamed]},
        windows=[WINDOW],
    )

    ids = [f["id"] for f in agreement.current_version.areas["features"]]
    assert ids == ["A2", "A1", "A3"]


def test_an_id_given_twice_is_reported_once():
    people = cast()
    line = CORRIDOR["features"][0]

    with pytest.raises(ValidationError) as error:
        agreement_create_draft(
            actor=people.ua_delegate,
            process=people.process,
            kind=Agreement.Kind.PAUSE,
            title="Twice",
            purpose=Agreement.Purpose.AID,
            bound_parties=[people.ukraine],
            areas={"type": "FeatureCollection", "features": [line, line]},
            windows=[WINDOW],
        )

    assert error.value.message_dict == {
        "areas": ["Feature C1, id: is used twice: feature #0 has the same id"]
    }
