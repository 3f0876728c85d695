"""The monitoring API: ingest from another system (idempotent, all or nothing, 422 naming the
item), incidents and events filtered by what the caller may see, verification and accounts."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.agreements.models import Agreement
from parley.core.services import api_token_create
from parley.monitoring.models import Event, Evidence, Incident
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"
ON_CORRIDOR = {"lat": 47.6380, "lon": 35.2070, "time": "2026-03-01T11:00:00+02:00",
               "precision_m": 0, "type": "impact"}


@pytest.fixture
def people(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    AgreementFactory(code="HP-2026-010", owner=people.mediator, process=people.process,
                     status=Agreement.Status.AGREED, bound_parties=[people.ukraine])
    return people


def bearer(user) -> dict:
    _token, raw = api_token_create(actor=user, name="feeder", scope="write")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def ingest(client, user, incidents, source="Field system"):
    return client.post("/api/monitoring/incidents", {"source": source, "incidents": incidents},
                       content_type=JSON, **bearer(user))


def test_ingest_is_idempotent_and_classified(client, people):
    items = [{"id": "fs-1", **ON_CORRIDOR}, {"id": "fs-2", **ON_CORRIDOR, "lat": 48.9}]

    first = ingest(client, people.monitor_user, items)
    again = ingest(client, people.monitor_user, items)

    assert first.status_code == 201
    body = first.json()
    assert (body["source"], body["status"], body["rows_read"], body["created"],
            body["candidates"]) == ("Field system", "succeeded", 2, 2, 1)
    assert (again.json()["created"], again.json()["duplicates"]) == (0, 2)
    assert Incident.objects.count() == 2


def test_ingest_names_every_bad_item_and_adds_nothing(client, people):
    items = [{"id": "ok", **ON_CORRIDOR}, {"id": "bad", **ON_CORRIDOR, "lat": 147.6},
             {"id": "naive", **ON_CORRIDOR, "time": "2026-03-01T11:00:00"}]
    response = ingest(client, people.monitor_user, items)

    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["items[1].lat", "items[2].time"]
    assert Incident.objects.count() == 0


def test_parties_may_not_ingest(client, people):
    assert ingest(client, people.ua_head, [{"id": "x", **ON_CORRIDOR}]).status_code == 403


def test_file_import_over_http_is_queued_then_names_the_rejected_lines(
        client, people, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("bad.csv", b"id,lat,lon,time,precision_m\n"
                                b"a,47.6,35.2,2026-03-01T09:00:00,0\n")
    monitor = bearer(people.monitor_user)
    with django_capture_on_commit_callbacks() as queued_tasks:
        response = client.post("/api/monitoring/imports", {"source": "parley", "file": upload},
                               **monitor)
    assert response.status_code == 202
    queued = response.json()
    assert (queued["status"], queued["size"], queued["rows_expected"]) == ("queued", 62, 1)

    for run_task in queued_tasks:
        run_task()
    done = client.get(f"/api/monitoring/imports/{queued['id']}", **monitor).json()
    assert (done["status"], done["rows_read"]) == ("rejected", 0)
    assert [(row["line"], row["field"]) for row in done["rejected_rows"]] == [(2, "time")]
    assert client.get(f"/api/monitoring/imports/{queued['id']}",
                      **bearer(people.ua_head)).status_code == 404


def test_evidence_files_of_a_verification_step_are_stored_with_their_sha256(client, people):
    ingest(client, people.monitor_user, [{"id": "fs-1", **ON_CORRIDOR}])
    reference = Event.objects.get().reference
    monitor = bearer(people.monitor_user)
    photo, note = b"\xff\xd8\xff crater", b"Crater 3 m wide, fresh soil."

    response = client.post(
        f"/api/monitoring/events/{reference}/review",
        {"reasoning": "Two photos from the patrol.",
         "files": [SimpleUploadedFile("crater.jpg", photo, content_type="image/jpeg"),
                   SimpleUploadedFile("note.txt", note, content_type="text/plain")]},
        **monitor)

    assert response.status_code == 200
    step = response.json()["verifications"][0]
    assert (step["to_status"], step["reasoning"]) == ("under_review", "Two photos from the patrol.")
    assert step["evidence"] == [
        {"name": "crater.jpg", "sha256": hashlib.sha256(photo).hexdigest(), "size": len(photo)},
        {"name": "note.txt", "sha256": hashlib.sha256(note).hexdigest(), "size": len(note)}]
    stored = Evidence.objects.get(name="crater.jpg")
    assert (stored.content_type, stored.file.read()) == ("image/jpeg", photo)
    refused = client.post(f"/api/monitoring/events/{reference}/confirm",
                          {"reasoning": "", "files": [SimpleUploadedFile("x.txt", b"x")]},
                          **monitor)
    assert refused.status_code == 422
    assert Evidence.objects.count() == 2
    assert client.post(f"/api/monitoring/events/{reference}/confirm",
                       {"reasoning": "Seen.", "files": [SimpleUploadedFile("x.txt", b"x")]},
                       **bearer(people.ua_head)).status_code == 403
    assert Evidence.objects.count() == 2


def test_verification_and_accounts_over_http(client, people):
    ingest(client, people.monitor_user, [{"id": "fs-1", **ON_CORRIDOR}])
    reference = Event.objects.get().reference
    monitor, ua, ru = (bearer(people.monitor_user), bearer(people.ua_head),
                       bearer(people.ru_head))

    listed = client.get("/api/monitoring/events?status=candidate", **ua).json()["items"]
    assert [(e["reference"], e["placements"]) for e in listed] == [(reference, [
        {"agreement": "HP-2026-010", "feature_id": "C1", "relation": "inside",
         "in_window": True}])]
    assert client.get("/api/monitoring/events", **ru).json()["items"] == []
    assert client.get(f"/api/monitoring/events/{reference}", **ru).status_code == 404
    assert client.get("/api/monitoring/incidents", **ru).json()["items"] == []

    assert client.post(f"/api/monitoring/events/{reference}/review", {},
                       **ua).status_code == 403
    assert client.post(f"/api/monitoring/events/{reference}/review", {},
                       **monitor).json()["status"] == "under_review"
    refused = client.post(f"/api/monitoring/events/{reference}/confirm", {"reasoning": ""},
                          **monitor)
    assert refused.status_code == 422
    assert refused.json() == {"detail": [{"field": "reasoning",
                                          "message": "Give the reasoning for the conclusion."}]}
    confirmed = client.post(f"/api/monitoring/events/{reference}/confirm",
                            {"reasoning": "Impact crater seen."}, **monitor)
    assert [(v["from_status"], v["to_status"]) for v in confirmed.json()["verifications"]] == [
        ("candidate", "under_review"), ("under_review", "confirmed")]

    account = client.post(f"/api/monitoring/events/{reference}/accounts",
                          {"text": "Our account.", "shared": False}, content_type=JSON, **ua)
    assert account.status_code == 201
    assert client.post(f"/api/monitoring/events/{reference}/accounts", {"text": "x"},
                       content_type=JSON, **ru).status_code == 404
    detail = client.get(f"/api/monitoring/events/{reference}", **monitor).json()
    assert [(a["party"], a["text"], a["shared"]) for a in detail["accounts"]] == [
        ("ukraine", "Our account.", False)]
    assert [r["id"] for r in detail["reports"]] == ["fs-1"]


def test_exports_over_http_with_a_token(client, people):
    ingest(client, people.monitor_user, [{"id": "fs-1", **ON_CORRIDOR}])
    reference = Event.objects.get().reference
    ua, ru = bearer(people.ua_delegate), bearer(people.ru_delegate)

    geojson = client.get("/api/monitoring/events.geojson?status=candidate", **ua)
    assert geojson["Content-Type"] == "application/geo+json"
    assert [f["id"] for f in geojson.json()["features"]] == [reference]
    lines = client.get("/api/monitoring/events.csv", **ua).content.decode().splitlines()
    assert lines[1].split(",")[:6] == ["#event+id", "#status", "#date+start", "#date+end",
                                       "#date+start+utc", "#date+end+utc"]
    assert lines[2].startswith(f"{reference},candidate,2026-03-01,2026-03-01,"
                               "2026-03-01 09:00:00,")
    assert client.get("/api/monitoring/events.csv", **ru).content.decode().count("\n") == 2


def test_site_alerts_over_http(client, people):
    from parley.access.models import Site

    Site.objects.create(reference="SITE-1", organisation=people.icrc, name="Orikhiv hospital",
                        kind=Site.Kind.HOSPITAL, lon=35.7853, lat=47.5679, radius_m=500,
                        created_by=people.icrc_liaison)
    ingest(client, people.monitor_user, [{"id": "near", **ON_CORRIDOR, "lat": 47.5690,
                                          "lon": 35.7853}])

    alerts = client.get("/api/monitoring/site-alerts",
                        **bearer(people.icrc_liaison)).json()["items"]
    assert [(a["site"], a["relation"], a["incident"]["id"]) for a in alerts] == [
        ("SITE-1", "inside", "near")]
    assert client.get("/api/monitoring/site-alerts", **bearer(people.ua_head)).json()["items"] == []


def test_a_source_name_with_a_nul_is_a_422_naming_the_source(client, people):
    response = ingest(client, people.monitor_user, [], source="feed\x00")
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["detail"]] == ["source"]


cells = st.one_of(st.text(max_size=20), st.sampled_from(
    ["2026-03-01T09:00:00Z", "2026-03-01T09:00:00", "2026-03-01T09:00:00+25:00", "x\ny"]))
numbers = st.one_of(st.integers(min_value=-10**6, max_value=10**6),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=5))
items = st.lists(st.fixed_dictionaries(
    {"id": cells, "lat": numbers, "lon": numbers, "time": cells, "precision_m": numbers,
     "type": cells}), max_size=4)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=items, source=cells)
def test_whatever_a_system_sends_is_201_or_422(client, people, batch, source):
    response = ingest(client, people.monitor_user, batch, source=source)
    assert response.status_code in (201, 422), response.content
    if response.status_code == 422:
        assert all(set(d) == {"field", "message"} for d in response.json()["detail"])
