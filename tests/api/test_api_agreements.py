import copy

import pytest

from parley.agreements.models import Agreement
from parley.audit.models import AuditEntry
from parley.talks.services import delegation_set
from tests.factories import CORRIDOR, WINDOW, AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"


def as_user(client, user):
    client.force_login(user)
    return client


def create_payload(people, **overrides):
    payload = {
        "process": people.process.pk,
        "round": people.day1.pk,
        "kind": "pause",
        "title": "Vasylivka evacuation corridor",
        "purpose": "evacuation",
        "bound_parties": ["ukraine", "russia"],
        "areas": CORRIDOR,
        "windows": [WINDOW],
        "lead_time_h": 24,
        "margin_min": 30,
        "who_may_move": "Civilians in marked buses",
    }
    payload.update(overrides)
    return payload


def test_the_whole_lifecycle_over_http(client):
    people = cast()
    api = as_user(client, people.secretariat)

    created = api.post("/api/agreements", data=create_payload(people), content_type=JSON)
    assert created.status_code == 201
    code = created.json()["code"]
    assert (created.json()["status"], created.json()["owner"], created.json()["version"]) == (
        "draft",
        "switzerland",
        1,
    )

    proposed = api.post(f"/api/agreements/{code}/propose", data={}, content_type=JSON)
    assert proposed.json()["awaiting_consent_from"] == ["russia", "ukraine"]

    as_user(client, people.ru_delegate)
    wider = copy.deepcopy(CORRIDOR)
    wider["features"][0]["properties"]["width_m"] = 3000
    countered = client.post(
        f"/api/agreements/{code}/counter",
        data={"version": 1, "areas": wider, "note": "Wider for buses"},
        content_type=JSON,
    )
    assert countered.status_code == 200
    assert (countered.json()["status"], countered.json()["version"]) == ("countered", 2)

    as_user(client, people.ua_head)
    stale = client.post(f"/api/agreements/{code}/consent", data={"version": 1}, content_type=JSON)
    assert stale.status_code == 422
    assert stale.json() == {
        "detail": [{"field": "version", "message": "The text changed, review version 2."}]
    }
    client.post(f"/api/agreements/{code}/consent", data={"version": 2}, content_type=JSON)
    as_user(client, people.ru_head)
    agreed = client.post(f"/api/agreements/{code}/consent", data={"version": 2}, content_type=JSON)

    body = agreed.json()
    assert body["status"] == "agreed"
    assert body["awaiting_consent_from"] == []
    assert [(c["party"], c["user"]) for c in body["current_version"]["consents"]] == [
        ("ukraine", "ua-head"),
        ("russia", "ru-head"),
    ]
    assert [v["number"] for v in body["versions"]] == [1, 2]
    trail = client.get(f"/api/agreements/{code}/audit").json()["items"]
    assert [entry["action"] for entry in trail] == [
        "agreement.create_draft",
        "agreement.propose",
        "agreement.counter",
        "agreement.consent",
        "agreement.consent",
    ]


def test_another_partys_draft_is_404_by_api_with_data_present_that_could_leak(client):
    people = cast()
    AgreementFactory(code="HP-2026-001", owner=people.ukraine, title="Ukrainian draft")
    AgreementFactory(code="HP-2026-002", owner=people.russia, title="Russian draft")
    api = as_user(client, people.ru_delegate)

    listed = api.get("/api/agreements").json()["items"]
    assert [item["code"] for item in listed] == ["HP-2026-002"]
    for path in (
        "/api/agreements/HP-2026-001",
        "/api/agreements/HP-2026-001/areas.geojson",
        "/api/agreements/HP-2026-001/windows.ics",
        "/api/agreements/HP-2026-001/audit",
    ):
        response = api.get(path)
        assert (path, response.status_code) == (path, 404)
        assert b"Ukrainian draft" not in response.content
    proposed = api.post("/api/agreements/HP-2026-001/propose", data={}, content_type=JSON)
    assert proposed.status_code == 404
    assert api.get("/api/agreements/HP-2099-999").json() == {"detail": "Not found."}
    assert api.get("/api/agreements/HP-2026-001%00").status_code == 404
    assert b"HP-2026-001" not in api.get("/api/calendar.ics").content


def test_acting_without_the_right_is_403(client):
    people = cast()
    AgreementFactory(code="HP-2026-001", owner=people.ukraine, status="proposed")
    api = as_user(client, people.ua_delegate)

    response = api.post(
        "/api/agreements/HP-2026-001/consent", data={"version": 1}, content_type=JSON
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the head of delegation of a bound belligerent party consents."
    }
    assert AuditEntry.objects.count() == 0


def test_bad_geojson_is_422_naming_the_feature_and_the_reason(client):
    people = cast()
    swapped = {
        "type": "Feature",
        "id": "C7",
        "geometry": {"type": "LineString", "coordinates": [[47.8, 35.1], [147.9, 95.4]]},
        "properties": {"width_m": 2000},
    }
    api = as_user(client, people.ua_delegate)

    response = api.post(
        "/api/agreements",
        data=create_payload(people, areas={"type": "FeatureCollection", "features": [swapped]}),
        content_type=JSON,
    )

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [(d["field"], d["message"].split(":")[0]) for d in detail] == [
        ("areas", "Feature C7, geometry.coordinates[1]")
    ]
    assert "latitude" in detail[0]["message"]
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"areas": "not json"}, "areas"),
        ({"windows": [{"start": "tomorrow", "end": "2026-03-01T10:00:00Z"}]}, "windows[0].start"),
        ({"bound_parties": ["atlantis"]}, "bound_parties"),
        ({"kind": "truce"}, "kind"),
        ({"lead_time_h": -3}, "lead_time_h"),
        ({"areas": {"type": "FeatureCollection", "features": [{"type": "Feature"}]}}, "areas"),
        ({"areas": {"type": "FeatureCollection", "features": [17]}}, "areas"),
        ({"windows": "daily"}, "windows"),
        ({"windows": [5]}, "windows[0]"),
        ({"windows": [{}]}, "windows[0]"),
        ({"round": 99999}, "round"),
        ({"process": 99999}, "process"),
        ({"lead_time_h": 10**30}, "lead_time_h"),
        ({"code": "hp 2026/1"}, "code"),
        ({"title": "Corridor\u0000"}, "title"),
        ({"who_may_move": "Buses\u0000"}, "who_may_move"),
        ({"areas": {**CORRIDOR, "name\u0000": 1}}, "areas"),
        ({"bound_parties": ["ukraine\u0000"]}, "bound_parties"),
        (
            {"areas": {"type": "Feature", "geometry": {"type": "GeometryCollection",
                                                       "geometries": []}}},
            "areas",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field_never_500(client, overrides, field):
    people = cast()
    api = as_user(client, people.ua_delegate)

    response = api.post(
        "/api/agreements", data=create_payload(people, **overrides), content_type=JSON
    )

    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]][:1] == [field]


def test_a_body_that_is_not_json_is_refused_not_crashed(client):
    people = cast()
    api = as_user(client, people.ua_delegate)

    response = api.post("/api/agreements", data="{not json", content_type=JSON)

    assert response.status_code in (400, 422)


def test_areas_geojson_is_served_as_geojson(client):
    people = cast()
    AgreementFactory(code="HP-2026-001", owner=people.ukraine, status="agreed")
    api = as_user(client, people.icrc_liaison)

    response = api.get("/api/agreements/HP-2026-001/areas.geojson")

    assert response["Content-Type"] == "application/geo+json"
    feature = response.json()["features"][0]
    assert (feature["id"], feature["properties"]["agreement"], feature["properties"]["status"]) == (
        "C1",
        "HP-2026-001",
        "agreed",
    )


def test_draft_updates_change_only_what_is_sent(client):
    people = cast()
    AgreementFactory(code="HP-2026-001", owner=people.ukraine, title="Old title")
    api = as_user(client, people.ua_delegate)

    response = api.patch(
        "/api/agreements/HP-2026-001",
        data={"title": "New title", "lead_time_h": 12},
        content_type=JSON,
    )

    body = response.json()
    assert (body["title"], body["current_version"]["lead_time_h"]) == ("New title", 12)
    assert body["current_version"]["margin_min"] == 30
    assert body["current_version"]["windows"] == [WINDOW]


def test_parties_processes_and_rounds_are_listed(client):
    people = cast()
    api = as_user(client, people.observer_user)

    assert [p["slug"] for p in api.get("/api/parties").json()["items"]] == [
        "russia",
        "ukraine",
        "icrc",
        "switzerland",
        "monitor",
        "observer",
    ]
    processes = api.get("/api/processes").json()["items"]
    assert [(p["name"], p["mediator"]) for p in processes] == [
        ("Geneva Peace Talks", "switzerland")
    ]
    delegation_set(
        actor=people.secretariat, round=people.day1, party=people.ukraine, head=people.ua_head,
        members=[people.ua_delegate],
    )
    rounds = api.get(f"/api/rounds?process={people.process.pk}").json()["items"]
    assert [(r["name"], r["format"], r["date"], r["delegations"]) for r in rounds] == [
        (
            "Day 1",
            "plenary",
            "2026-02-23",
            [{"party": "ukraine", "head": "ua-head", "members": ["ua-delegate", "ua-head"]}],
        )
    ]


def test_listing_by_an_unknown_phase_is_422(client):
    people = cast()
    api = as_user(client, people.ua_delegate)

    response = api.get("/api/agreements?phase=sleeping")

    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["phase"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"public": None}, "public"),
        ({"title": None}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kind": None}, "kind"),
        ({"bound_parties": None}, "bound_parties"),
        ({"areas": None}, "areas"),
    ],
)
def test_a_draft_update_with_nulls_is_422_not_500(client, change, field):
    people = cast()
    AgreementFactory(code="HP-2026-001", owner=people.ukraine)
    api = as_user(client, people.ua_delegate)

    response = api.patch("/api/agreements/HP-2026-001", data=change, content_type=JSON)

    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == [field]


def test_clearing_who_may_move_with_null_leaves_it_empty(client):
    people = cast()
    AgreementFactory(code="HP-2026-001", owner=people.ukraine, status="proposed")
    api = as_user(client, people.ru_delegate)

    response = api.post(
        "/api/agreements/HP-2026-001/counter",
        data={"version": 1, "who_may_move": None},
        content_type=JSON,
    )

    assert response.status_code == 200
    assert response.json()["current_version"]["who_may_move"] == ""


def test_versions_come_with_what_each_changed(client):
    people = cast()
    AgreementFactory(code="HP-2026-001", owner=people.ukraine, status="proposed")
    api = as_user(client, people.ru_delegate)
    later = {"start": "2026-03-02T08:00:00+02:00", "end": "2026-03-02T14:00:00+02:00"}
    api.post(
        "/api/agreements/HP-2026-001/counter",
        data={"version": 1, "windows": [later], "margin_min": 60},
        content_type=JSON,
    )

    versions = api.get("/api/agreements/HP-2026-001/versions").json()["items"]

    assert [(v["version"]["number"], v["changes"]) for v in versions] == [
        (1, None),
        (
            2,
            {
                "areas_added": [],
                "areas_removed": [],
                "areas_changed": [],
                "windows_added": [later],
                "windows_removed": [WINDOW],
                "conditions_changed": [{"field": "margin_min", "before": 30, "after": 60}],
            },
        ),
    ]
