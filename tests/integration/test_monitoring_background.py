"""Monitoring's background work: a queued import read in batches with its progress visible
(and the page polling it), the task safe to run twice, imports out of sight of the parties; a
site alert told once to the site's organisation and to no other."""

import io
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parley.access.models import Notification, Site
from parley.agreements.models import Agreement
from parley.audit.models import AuditEntry
from parley.cli import main
from parley.core.models import Party, User
from parley.monitoring import services, tasks
from parley.monitoring.models import ImportRun, Incident, SiteAlert
from tests.factories import AgreementFactory, PartyFactory, UserFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = "id,lat,lon,time,precision_m,type\n"
# Five reports on the corridor C1 inside the window 06:00–12:00Z of 1 March 2026, a kilometre
# and more apart along it.
ROWS = [f"in-{n},{47.60 + n / 100:.4f},35.2070,2026-03-01T09:0{n}:00Z,0,shelling\n"
        for n in range(1, 6)]
HOSPITAL = (35.7853, 47.5679)
NEAR_HOSPITAL = "near-1,47.5690,35.7853,2026-03-01T09:00:00Z,0,impact\n"


@pytest.fixture
def people(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MONITORING_IMPORT_BATCH_ROWS = 2
    people = cast()
    AgreementFactory(code="HP-2026-010", owner=people.mediator, process=people.process,
                     status=Agreement.Status.AGREED, bound_parties=[people.ukraine])
    return people


def upload(text: str, name: str = "jmm.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def parquet(text: str) -> SimpleUploadedFile:
    """The CSV as a Parquet file: read in batches of exactly the batch size, where a CSV file
    this small is one block of the reader whatever the batch size."""
    header, *rows = [line.split(",") for line in text.splitlines()]
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(header)})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return SimpleUploadedFile("jmm.parquet", buffer.getvalue())


def queue(people, django_capture_on_commit_callbacks, file) -> tuple[ImportRun, list]:
    """Queue the file as the page does; the task is returned, not run."""
    with django_capture_on_commit_callbacks() as callbacks:
        run = services.import_queue(actor=people.monitor_user, kind="parley", upload=file)
    return run, callbacks


def state(run: ImportRun) -> tuple:
    return ImportRun.objects.filter(pk=run.pk).values_list(
        "status", "phase", "rows_read").get()


def test_a_queued_import_is_read_in_batches_with_its_progress_saved(
        people, django_capture_on_commit_callbacks, tmp_path):
    file = parquet(HEADER + "".join(ROWS))
    run, callbacks = queue(people, django_capture_on_commit_callbacks, file)
    stored = tmp_path / "imports" / run.upload

    assert (run.status, run.size, run.rows_expected, len(callbacks)) == (
        "queued", file.size, 5, 1)
    assert stored.suffix == ".parquet"
    assert stored.read_bytes() == file.open().read()
    seen = []

    services.import_process(import_run_id=run.pk,
                            progress=lambda rows: seen.append((rows, state(run))))

    # Three batches of at most two rows, each saved before the next is read.
    assert seen == [(2, ("running", "reading", 2)), (4, ("running", "reading", 4)),
                    (5, ("running", "reading", 5))]
    run.refresh_from_db()
    assert (run.status, run.phase, run.rows_read, run.created, run.candidates, run.upload) == (
        "succeeded", "", 5, 5, 5, "")
    assert not stored.exists()
    assert Incident.objects.filter(import_run=run).count() == 5


def test_a_bad_file_is_rejected_by_the_worker_with_every_row_named(
        people, django_capture_on_commit_callbacks):
    bad = HEADER + ROWS[0] + "x-2,99,35.2,2026-03-01T09:00:00Z,0,\n" + ROWS[2] + \
        "x-4,47.6,35.2,2026-03-01T09:00:00,0,\n"
    run, callbacks = queue(people, django_capture_on_commit_callbacks, upload(bad))

    callbacks[0]()

    run.refresh_from_db()
    assert (run.status, run.phase) == ("rejected", "")
    assert [(row["line"], row["field"]) for row in run.rejected_rows] == [(3, "lat"), (5, "time")]
    assert Incident.objects.count() == 0


def test_an_unforeseen_failure_ends_the_run_so_the_page_stops_waiting(
        people, django_capture_on_commit_callbacks, monkeypatch):
    run, _callbacks = queue(people, django_capture_on_commit_callbacks,
                            upload(HEADER + "".join(ROWS)))

    def out_of_memory(*_args):
        raise MemoryError("no memory left for the batch")

    monkeypatch.setattr(services.imports, "_insert", out_of_memory)
    with pytest.raises(MemoryError):
        services.import_process(import_run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.phase, run.upload) == ("rejected", "", "")
    assert run.rejected_rows == [{"line": None, "field": None, "reason":
                                  "The import stopped on an unexpected error; nothing was saved."}]
    assert Incident.objects.count() == 0


def test_the_import_task_run_twice_reads_the_file_once(
        people, django_capture_on_commit_callbacks):
    run, callbacks = queue(people, django_capture_on_commit_callbacks,
                           upload(HEADER + "".join(ROWS)))

    callbacks[0]()
    services.import_run.enqueue(run.pk)

    assert state(run) == ("succeeded", "", 5)
    assert Incident.objects.count() == 5
    assert list(AuditEntry.objects.filter(action__startswith="monitoring.import")
                .order_by("pk").values_list("action", flat=True)) == [
        "monitoring.import_queued", "monitoring.import"]


def test_the_import_page_polls_the_run_until_its_counts(
        client, people, django_capture_on_commit_callbacks):
    client.force_login(people.monitor_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("monitoring:import"),
                               {"source": "parley", "file": parquet(HEADER + "".join(ROWS))})
    run = ImportRun.objects.get()
    url = reverse("monitoring:import_detail", kwargs={"pk": run.pk})
    assert response["Location"] == url
    htmx = {"HTTP_HX_REQUEST": "true"}

    queued = client.get(url, **htmx).content.decode().strip()
    assert queued.startswith('<div id="import-run" data-status="queued" hx-get="' + url)
    assert 'hx-trigger="every 1s"' in queued
    assert "<html" not in queued
    bars = []
    services.import_process(import_run_id=run.pk, progress=lambda _rows: bars.append(
        re.findall(r'<progress max="100" value="(\d+)">', client.get(url, **htmx)
                   .content.decode())))
    assert callbacks  # the page queued the task; it was run above instead

    # 2, 4 and 5 rows of 5 expected; the bar stops at 99 % until the rows are saved.
    assert bars == [["40"], ["80"], ["99"]]
    done = client.get(url, **htmx).content.decode().strip()
    assert "hx-trigger" not in done
    assert re.findall(r"<li>([^<]+)</li>", done) == [
        "5 rows read", "5 incidents added", "0 already known", "5 candidate violations"]


@pytest.mark.parametrize("role", ("ua_head", "ru_head", "icrc_liaison", "observer_user"))
def test_an_import_is_out_of_sight_of_the_parties(
        client, people, django_capture_on_commit_callbacks, role):
    run, _callbacks = queue(people, django_capture_on_commit_callbacks,
                            upload(HEADER + ROWS[0]))
    client.force_login(getattr(people, role))
    url = reverse("monitoring:import_detail", kwargs={"pk": run.pk})

    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(reverse("monitoring:import"),
                       {"source": "parley", "file": upload(HEADER)}).status_code == 404
    assert ImportRun.objects.count() == 1


@pytest.fixture
def hospital(people):
    return Site.objects.create(
        reference="SITE-1", organisation=people.icrc, name="Orikhiv hospital",
        kind=Site.Kind.HOSPITAL, lon=HOSPITAL[0], lat=HOSPITAL[1], radius_m=500,
        created_by=people.icrc_liaison)


@pytest.fixture
def other_organisation():
    """A second humanitarian organisation with its own site far away: it must not be told."""
    msf = PartyFactory(slug="msf", kind=Party.Kind.HUMANITARIAN, name_en="MSF")
    user = UserFactory(username="msf-liaison", party=msf, role=User.Role.LIAISON,
                       email="liaison@msf.example")
    Site.objects.create(reference="SITE-9", organisation=msf, name="Field clinic",
                        kind=Site.Kind.HOSPITAL, lon=36.5, lat=48.2, radius_m=500,
                        created_by=user)
    return user


def test_a_site_alert_is_told_once_to_the_sites_organisation(
        people, hospital, other_organisation, tmp_path, django_capture_on_commit_callbacks):
    people.icrc_liaison.email = "liaison@icrc.example"
    people.icrc_liaison.save(update_fields=["email"])
    path = tmp_path / "near.csv"
    path.write_text(HEADER + NEAR_HOSPITAL, encoding="utf-8")

    with django_capture_on_commit_callbacks(execute=True):
        services.incidents_import(actor=people.monitor_user, kind="parley", path=path)

    alert = SiteAlert.objects.get()
    assert list(Notification.objects.values_list("user__username", "site__reference", "movement",
                                                 "event")) == [
        ("icrc-liaison", "SITE-1", None, "site.alert")]
    assert Notification.objects.get().text == (
        "Incident Parley CSV:near-1 reported inside the protective radius of your site SITE-1 "
        "Orikhiv hospital, 2026-03-01 09:00 UTC.")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["liaison@icrc.example"], "[Parley] SITE-1: incident near your site")]
    assert alert.notified_at is not None

    # The organisation moves its other site: every alert is recomputed, none told again.
    Site.objects.filter(reference="SITE-9").update(radius_m=600)
    with django_capture_on_commit_callbacks(execute=True):
        services.reclassify_sites()
        tasks.announce_site_alerts.enqueue(SiteAlert.objects.get().run_id)

    assert SiteAlert.objects.get().notified_at == alert.notified_at
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_notice_of_a_site_alert_shows_in_the_organisations_list_over_the_api(
        client, people, hospital, other_organisation, tmp_path,
        django_capture_on_commit_callbacks):
    from parley.core.services import api_token_create

    path = tmp_path / "near.csv"
    path.write_text(HEADER + NEAR_HOSPITAL, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        services.incidents_import(actor=people.monitor_user, kind="parley", path=path)

    def notices(user):
        _token, raw = api_token_create(actor=user, name="reader")
        return [(n["movement"], n["site"], n["event"]) for n in client.get(
            "/api/notifications", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["items"]]

    assert notices(people.icrc_liaison) == [(None, "SITE-1", "site.alert")]
    assert notices(other_organisation) == []
    client.force_login(people.icrc_liaison)
    assert 'href="/monitoring/#site-alerts"' in client.get(reverse("access:dashboard")
                                                           ).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_reads_a_queued_import_from_the_database_queue(people, settings, capsys):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run = services.import_queue(actor=people.monitor_user, kind="parley",
                                upload=upload(HEADER + "".join(ROWS)))
    assert state(run) == ("queued", "", 0)

    assert main(["worker", "--once"]) == 0

    assert state(run) == ("succeeded", "", 5)
    assert capsys.readouterr().out.splitlines()[-1] == "tasks run: 1"
