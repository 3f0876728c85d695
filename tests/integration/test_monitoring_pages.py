"""Monitoring pages: every role sees the overview, monitors verify, parties attach accounts,
imports show their rejected rows, exports carry HXL tags, and nothing leaks to a party that
cannot see the agreement."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parley.agreements.models import Agreement
from parley.monitoring import services
from parley.monitoring.models import Event, Incident, PartyAccount
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ROLES = ("ua_head", "ua_delegate", "ru_head", "ru_delegate", "secretariat", "icrc_liaison",
         "monitor_user", "observer_user")
HEADER = "id,lat,lon,time,precision_m,type\n"
IN_PAUSE = "in-1,47.6380,35.2070,2026-03-01T09:00:00Z,0,shelling\n"


@pytest.fixture
def world(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    # Bound to Ukraine only and not public: Russia and the observer must not see its events.
    AgreementFactory(code="HP-2026-010", title="Orikhiv pause", owner=people.mediator,
                     process=people.process, status=Agreement.Status.AGREED,
                     bound_parties=[people.ukraine])
    path = tmp_path / "in.csv"
    path.write_text(HEADER + IN_PAUSE, encoding="utf-8")
    services.incidents_import(actor=people.monitor_user, kind="parley", path=path)
    people.event = Event.objects.get()
    return people


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.mark.parametrize("role", ROLES)
def test_overview_and_lists_render_for_every_role(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("monitoring:dashboard")).status_code == 200
    response = client.get(reverse("monitoring:event_list"))
    assert response.status_code == 200
    seen = world.event.reference in response.content.decode()
    assert seen == (role in ("ua_head", "ua_delegate", "secretariat", "icrc_liaison",
                             "monitor_user"))


@pytest.mark.parametrize("role", ("ru_head", "ru_delegate", "observer_user"))
def test_event_of_an_agreement_out_of_sight_is_404(client, world, role):
    client.force_login(getattr(world, role))
    url = reverse("monitoring:event_detail", kwargs={"reference": world.event.reference})
    assert client.get(url).status_code == 404
    account = reverse("monitoring:event_account", kwargs={"reference": world.event.reference})
    assert client.post(account, {"text": "x"}).status_code == 404
    assert PartyAccount.objects.count() == 0


def test_monitor_reviews_and_confirms_with_evidence(client, world):
    client.force_login(world.monitor_user)
    verify = reverse("monitoring:event_verify", kwargs={"reference": world.event.reference})
    assert client.post(verify, {"to": "under_review"}).status_code == 302
    missing = client.post(verify, {"to": "confirmed", "reasoning": ""})
    assert missing.status_code == 422
    assert "Give the reasoning for the conclusion." in text_of(missing)
    photo = SimpleUploadedFile("crater.jpg", b"crater", content_type="image/jpeg")
    response = client.post(verify, {"to": "confirmed", "reasoning": "Crater on the road.",
                                    "files": [photo]}, follow=True)
    assert response.status_code == 200
    world.event.refresh_from_db()
    assert world.event.status == "confirmed"
    assert (f"{world.event.reference} is confirmed as a violation of the pause."
            in text_of(response))
    evidence = response.context["steps"][-1]["step"].evidence.get()
    download = client.get(reverse("monitoring:evidence", kwargs={"pk": evidence.pk}))
    assert b"".join(download.streaming_content) == b"crater"


def test_party_cannot_verify_but_attaches_its_account(client, world):
    client.force_login(world.ua_head)
    verify = reverse("monitoring:event_verify", kwargs={"reference": world.event.reference})
    assert client.post(verify, {"to": "under_review"}).status_code == 403
    account = reverse("monitoring:event_account", kwargs={"reference": world.event.reference})
    response = client.post(account, {"text": "No fire from our positions.", "shared": "on"},
                           follow=True)
    assert response.status_code == 200
    assert list(PartyAccount.objects.values_list("party__slug", "text", "shared")) == [
        ("ukraine", "No fire from our positions.", True)]


def test_import_page_reports_every_rejected_row(client, world,
                                                django_capture_on_commit_callbacks):
    client.force_login(world.monitor_user)
    upload = SimpleUploadedFile(
        "bad.csv", (HEADER + "x-1,47.6,35.2,2026-03-01T09:00:00,0,\n"
                    + "x-2,99,35.2,2026-03-01T09:00:00Z,0,\n").encode())
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(reverse("monitoring:import"), {"source": "parley", "file": upload})
    response = client.get(queued["Location"])
    assert response.status_code == 200
    rows = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td>", response.content.decode())
    assert rows == [("2", "time"), ("3", "lat")]
    assert Incident.objects.count() == 1
    client.force_login(world.ua_head)
    assert client.get(reverse("monitoring:import")).status_code == 404


def test_exports_geojson_and_csv_with_hxl_row(client, world):
    client.force_login(world.ua_delegate)
    geojson = client.get(reverse("monitoring:events_geojson")).json()
    assert [f["id"] for f in geojson["features"]] == [world.event.reference]
    assert geojson["features"][0]["geometry"] == {"type": "Point",
                                                  "coordinates": [35.207, 47.638]}
    lines = client.get(reverse("monitoring:events_csv")).content.decode().splitlines()
    assert lines[0] == ("reference,status,date_start,date_end,time_start_utc,time_end_utc,lat,"
                        "lon,types,sources,reports,agreements,places,areas")
    assert lines[1] == ("#event+id,#status,#date+start,#date+end,#date+start+utc,#date+end+utc,"
                        "#geo+lat,#geo+lon,#event+type,#meta+source,#meta+count,#activity+code,"
                        "#loc+name,#loc+code")
    assert lines[2] == (f"{world.event.reference},candidate,2026-03-01,2026-03-01,"
                        "2026-03-01 09:00:00,2026-03-01 09:00:00,47.638,35.207,shelling,"
                        "Parley CSV,1,HP-2026-010,Orikhiv pause,HP-2026-010/C1")
    client.force_login(world.ru_delegate)
    assert client.get(reverse("monitoring:events_geojson")).json()["features"] == []


def test_monitor_report_form_files_a_report(client, world):
    client.force_login(world.monitor_user)
    assert client.get(reverse("monitoring:report")).status_code == 200
    response = client.post(reverse("monitoring:report"), {
        "lat": "47.6390", "lon": "35.2065", "time": "2026-03-01T11:10", "zone": "Europe/Kyiv",
        "type": "explosion", "precision_m": "50", "description": "One explosion.",
    })
    incident = Incident.objects.get(source__kind="monitor_report")
    assert incident.time_start == datetime.datetime(2026, 3, 1, 9, 10, tzinfo=datetime.UTC)
    assert incident.event == world.event
    assert response.status_code == 302
    client.force_login(world.ua_head)
    assert client.get(reverse("monitoring:report")).status_code == 404


def test_event_page_shows_times_in_utc_and_the_parties_clocks(client, world):
    client.force_login(world.monitor_user)
    response = client.get(reverse("monitoring:event_detail",
                                  kwargs={"reference": world.event.reference}))
    assert "1 Mar 2026 09:00 UTC · 11:00 Kyiv (EET) · 12:00 Moscow (MSK)" in text_of(response)


def test_secretariat_sets_the_grouping_rule(client, world):
    client.force_login(world.secretariat)
    assert 'id="settings-form"' in client.get(reverse("monitoring:dashboard")).content.decode()
    response = client.post(reverse("monitoring:settings"),
                           {"group_distance_m": "500", "group_minutes": "15"}, follow=True)
    assert ("Reports within 500 m and 15 minutes of each other are now grouped as one event."
            in text_of(response))
    assert (services.monitoring_settings().group_distance_m,
            services.monitoring_settings().group_minutes) == (500, 15)
    client.force_login(world.monitor_user)
    assert client.post(reverse("monitoring:settings"),
                       {"group_distance_m": "1", "group_minutes": "1"}).status_code == 404
    assert 'id="settings-form"' not in client.get(
        reverse("monitoring:dashboard")).content.decode()


def test_the_admin_lists_monitoring_read_only_for_the_secretariat(client, world):
    for user in (world.secretariat, world.monitor_user):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client.force_login(world.secretariat)
    listing = client.get("/admin/monitoring/event/")
    assert listing.status_code == 200
    assert world.event.reference in listing.content.decode()
    assert client.get("/admin/monitoring/incident/").status_code == 200
    assert client.get("/admin/monitoring/event/add/").status_code == 403
    client.force_login(world.monitor_user)
    assert client.get("/admin/monitoring/event/").status_code == 403
