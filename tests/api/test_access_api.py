from datetime import timedelta

import pytest

from parley.access.models import CoordinateAccessLog
from parley.core.services import api_token_create
from tests.factories import AgreementFactory
from tests.factories.access import (
    CARGO,
    PERSONNEL,
    ROUTE,
    ROUTE_OUTSIDE,
    ROUTE_UKRAINIAN_SIDE,
    SIDES,
    TRUCKS,
    access_cast,
    iso,
    notify,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"
RECEIPT = "An acknowledgement is a receipt of the notification, not a security guarantee."


def as_user(client, user):
    client.force_login(user)
    return client


def payload(c, **overrides):
    data = {
        "agreement": c.agreement.code, "purpose": "aid", "route": ROUTE,
        "depart": iso(c.start + timedelta(hours=1)), "speed_kmh": 40,
        "vehicles": TRUCKS, "personnel": PERSONNEL, "cargo": CARGO,
        "crossings": ["Vasylivka checkpoint"],
    }
    data.update(overrides)
    return data


def test_notify_acknowledge_check_in_and_complete_over_http(client):
    c = access_cast()
    api = as_user(client, c.wfp_liaison)
    created = api.post("/api/movements", data=payload(c), content_type=JSON)
    assert created.status_code == 201
    body = created.json()
    reference = body["reference"]
    assert (body["status"], body["organisation"], body["agreement"], body["version"]) == (
        "notified", "wfp", "HP-2026-101", 1)
    assert body["awaiting_acknowledgement_from"] == ["russia", "ukraine"]
    assert body["acknowledgement_note"] == RECEIPT
    assert body["current_version"]["vehicles"] == TRUCKS
    assert body["current_version"]["findings"] == []

    for user in (c.people.ua_head, c.people.ru_head):
        as_user(client, user)
        answered = client.post(f"/api/movements/{reference}/acknowledge", data={"version": 1},
                               content_type=JSON)
        assert answered.status_code == 200
    assert answered.json()["status"] == "acknowledged"
    assert [a["party"] for a in answered.json()["current_version"]["acknowledgements"]] == [
        "ukraine", "russia"]

    as_user(client, c.wfp_driver)
    checked = client.post(f"/api/movements/{reference}/check-ins",
                          data={"lon": 35.2745, "lat": 47.4373, "place": "Vasylivka checkpoint"},
                          content_type=JSON)
    assert checked.status_code == 201
    assert (checked.json()["place"], checked.json()["user"]) == ("Vasylivka checkpoint",
                                                                 "wfp-driver")
    as_user(client, c.wfp_liaison)
    done = client.post(f"/api/movements/{reference}/complete", data={"reason": "Delivered"},
                       content_type=JSON)
    assert (done.json()["status"], done.json()["reason"]) == ("completed", "Delivered")
    assert [ci["place"] for ci in done.json()["check_ins"]] == ["Vasylivka checkpoint"]
    summary = client.get("/api/access/summary").json()
    assert (summary["facilitated"], summary["open"]) == (1, 0)


def test_blocking_findings_answer_422_naming_the_field_the_reason_and_the_place(client):
    c = access_cast()
    api = as_user(client, c.wfp_liaison)
    refused = api.post("/api/movements", data=payload(c, route=ROUTE_OUTSIDE), content_type=JSON)
    assert refused.status_code == 422
    body = refused.json()
    [detail] = body["detail"]
    assert detail["field"] == "route"
    [finding] = body["findings"]
    assert detail["message"] == f"The route leaves the agreed areas: {finding['text']}"
    assert (finding["code"], finding["severity"], finding["field"], finding["title"]) == (
        "route_outside_area", "blocking", "route", "The route leaves the agreed areas")
    assert (finding["lon"], finding["lat"]) == pytest.approx((35.30705, 47.63805), abs=1e-3)
    distance = finding["params"]["distance_m"]
    assert finding["params"] == {"agreement": c.agreement.code, "distance_m": distance,
                                 "limit_m": 50}
    assert finding["text"] == (
        f"The route goes {distance:,} m outside every area of agreement {c.agreement.code} "
        f"(more than 50 m allowed), farthest at longitude {finding['lon']:.6f}, latitude "
        f"{finding['lat']:.6f}.")

    held = api.post("/api/movements",
                    data=payload(c, route=ROUTE_OUTSIDE, hold_for_secretariat=True),
                    content_type=JSON)
    assert (held.status_code, held.json()["status"]) == (201, "held")


def test_bad_input_answers_422_by_field(client):
    c = access_cast()
    api = as_user(client, c.wfp_liaison)
    bad = api.post("/api/movements", data=payload(
        c, depart=None, speed_kmh=None,
        times=["2026-12-01T10:00:00", "2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z"]),
        content_type=JSON)
    assert bad.status_code == 422
    assert bad.json()["detail"] == [{
        "field": "times[0]",
        "message": "is a local time without a time zone: add an offset or a zone "
                   "(2026-12-01T10:00:00)",
    }]


def test_amend_with_a_stale_version_is_refused_and_a_good_one_makes_version_2(client):
    c = access_cast()
    movement = notify(c)
    api = as_user(client, c.wfp_liaison)
    stale = api.post(f"/api/movements/{movement.reference}/amend",
                     data={"version": 3, "personnel": ["Driver 1"]}, content_type=JSON)
    assert (stale.status_code, stale.json()) == (422, {"detail": [
        {"field": "version", "message": "The notification changed, review version 1."}]})
    amended = api.post(f"/api/movements/{movement.reference}/amend",
                       data={"version": 1, "personnel": ["Driver 1"]}, content_type=JSON)
    assert (amended.status_code, amended.json()["version"]) == (200, 2)
    assert amended.json()["current_version"]["personnel"] == ["Driver 1"]


def test_a_party_not_crossed_and_another_organisation_get_404_and_empty_lists(client):
    c = access_cast()
    movement = notify(c)
    for user in (c.third_delegate, c.people.icrc_liaison, c.people.monitor_user):
        as_user(client, user)
        assert client.get("/api/movements").json()["items"] == []
        for path in ("", "/route.geojson", "/coordinate-views"):
            answer = client.get(f"/api/movements/{movement.reference}{path}")
            assert (answer.status_code, answer.json()) == (404, {"detail": "Not found."})
        acknowledged = client.post(f"/api/movements/{movement.reference}/acknowledge",
                                   data={"version": 1}, content_type=JSON)
        assert acknowledged.status_code == 404
    assert CoordinateAccessLog.objects.count() == 0


def test_a_route_on_the_ukrainian_side_is_404_for_russia_and_shown_to_ukraine(client):
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE_UKRAINIAN_SIDE)
    as_user(client, c.people.ru_delegate)
    assert client.get("/api/movements").json()["items"] == []
    for path in ("", "/route.geojson", "/route.kml", "/coordinate-views"):
        answer = client.get(f"/api/movements/{movement.reference}{path}")
        assert (answer.status_code, answer.json()) == (404, {"detail": "Not found."})
    acknowledged = client.post(f"/api/movements/{movement.reference}/acknowledge",
                               data={"version": 1}, content_type=JSON)
    assert acknowledged.status_code == 404
    as_user(client, c.people.ua_head)
    listed = client.get("/api/movements").json()["items"]
    assert [m["reference"] for m in listed] == [movement.reference]
    assert client.get(f"/api/movements/{movement.reference}/route.geojson").status_code == 200
    assert [(v.party.slug, v.via) for v in CoordinateAccessLog.objects.all()] == [
        ("ukraine", "api")]


def test_a_route_across_the_line_is_shown_to_both_sides(client):
    c = access_cast(areas=SIDES)
    movement = notify(c, route=ROUTE)
    for user in (c.people.ua_head, c.people.ru_delegate):
        as_user(client, user)
        answer = client.get(f"/api/movements/{movement.reference}")
        assert (answer.status_code, answer.json()["reference"]) == (200, movement.reference)


def test_views_of_coordinates_over_the_api_are_logged_and_shown_to_the_organisation(client):
    c = access_cast()
    movement = notify(c)
    _, raw = api_token_create(actor=c.people.ru_delegate, name="ops room")
    seen = client.get(f"/api/movements/{movement.reference}/route.geojson",
                      HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert seen.status_code == 200
    assert seen["Content-Type"] == "application/geo+json"
    feature = seen.json()
    assert (feature["geometry"], feature["properties"]["id"],
            feature["properties"]["vehicles"]) == (ROUTE, movement.reference, TRUCKS)
    as_user(client, c.wfp_liaison)
    client.get(f"/api/movements/{movement.reference}")
    log = client.get(f"/api/movements/{movement.reference}/coordinate-views").json()["items"]
    assert [(entry["user"], entry["party"], entry["via"]) for entry in log] == [
        ("ru-delegate", "russia", "api")]
    as_user(client, c.people.ru_delegate)
    assert client.get(f"/api/movements/{movement.reference}/coordinate-views").json()["items"] == []


def test_objection_deny_and_access_terms(client):
    c = access_cast()
    movement = notify(c)
    as_user(client, c.people.ru_head)
    objected = client.post(f"/api/movements/{movement.reference}/object",
                           data={"version": 1, "reason": "Mines reported at km 12"},
                           content_type=JSON)
    assert objected.json()["current_version"]["acknowledgements"][0]["objection"] == (
        "Mines reported at km 12")
    denied = client.post(f"/api/movements/{movement.reference}/deny", data={"reason": ""},
                         content_type=JSON)
    assert (denied.status_code, denied.json()) == (
        422, {"detail": [{"field": "reason", "message": "Give the reason."}]})
    forbidden = client.put(f"/api/agreements/{c.agreement.code}/access-terms",
                           data={"ack_deadline_h": 6}, content_type=JSON)
    assert forbidden.status_code == 403
    as_user(client, c.people.secretariat)
    terms = client.put(f"/api/agreements/{c.agreement.code}/access-terms",
                       data={"ack_deadline_h": 6, "max_vehicles": 4,
                             "cargo_limits": {"fuel": 2000}}, content_type=JSON)
    assert terms.json() == {"agreement": "HP-2026-101", "ack_deadline_h": 6, "max_vehicles": 4,
                            "cargo_limits": {"fuel": 2000.0}}


def test_sites_over_http(client):
    c = access_cast()
    api = as_user(client, c.wfp_liaison)
    created = api.post("/api/sites", data={"name": "Orikhiv hospital", "kind": "hospital",
                                           "lon": 35.7853, "lat": 47.5679, "radius_m": 300},
                       content_type=JSON)
    assert created.status_code == 201
    reference = created.json()["reference"]
    bad = api.patch(f"/api/sites/{reference}", data={"kind": "castle"}, content_type=JSON)
    assert bad.json() == {"detail": [
        {"field": "kind", "message": "Choose a hospital, warehouse, shelter or water station."}]}
    as_user(client, c.third_delegate)
    areas = client.get("/api/sites.geojson").json()
    assert [(f["id"], f["properties"]["kind"], f["properties"]["width_m"])
            for f in areas["features"]] == [(reference, "site", 600)]


def test_an_unknown_or_invisible_agreement_is_named(client):
    c = access_cast()
    draft = AgreementFactory(code="HP-2026-200", process=c.people.process)  # Ukraine's draft
    api = as_user(client, c.wfp_liaison)
    for code in ("HP-1999-999", draft.code):
        answer = api.post("/api/movements", data=payload(c, agreement=code), content_type=JSON)
        assert (answer.status_code, answer.json()) == (422, {"detail": [
            {"field": "agreement", "message": f"Unknown agreement: {code}"}]})


def test_an_answer_to_a_transition_carries_the_route_and_is_logged_too(client):
    c = access_cast()
    movement = notify(c)
    as_user(client, c.people.ru_head)
    client.post(f"/api/movements/{movement.reference}/acknowledge", data={"version": 1},
                content_type=JSON)
    assert list(CoordinateAccessLog.objects.values_list("user__username", "via")) == [
        ("ru-head", "api")]


def test_the_route_for_gps_units_is_a_kml_track_with_the_times_and_is_logged(client):
    c = access_cast()
    movement = notify(c)
    as_user(client, c.people.ru_delegate)
    answer = client.get(f"/api/movements/{movement.reference}/route.kml")
    assert answer["Content-Type"] == "application/vnd.google-earth.kml+xml"
    assert answer["Content-Disposition"] == f'attachment; filename="{movement.reference}.kml"'
    text = answer.content.decode()
    version = movement.current_version
    assert text.count("<when>") == 3
    assert f"<when>{iso(version.starts_at)}</when>" in text
    assert "<gx:coord>35.2745 47.4373 0</gx:coord>" in text
    assert list(CoordinateAccessLog.objects.values_list("user__username", flat=True)) == [
        "ru-delegate"]
