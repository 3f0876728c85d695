"""Monitoring services: imports (all or nothing, idempotent), classification, grouping,
verification and party accounts, against the database."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parley.agreements.models import Agreement
from parley.audit.models import AuditEntry
from parley.core.errors import Forbidden, NotFound
from parley.monitoring import selectors, services
from parley.monitoring.models import Classification, Event, ImportRun, Incident
from tests.factories import AgreementFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HEADER = "id,lat,lon,time,precision_m,type\n"
# On the corridor C1 (midpoint), inside the window 06:00–12:00Z of 1 March 2026.
IN_PAUSE = "in-1,47.6380,35.2070,2026-03-01T09:00:00Z,0,shelling\n"
# 300 m further along and five minutes later: the same event from another report.
SAME_EVENT = "in-2,47.6405,35.2060,2026-03-01T09:05:00Z,0,explosion\n"
# Inside the corridor, but after the window closed.
AFTER_WINDOW = "late-1,47.6380,35.2070,2026-03-01T13:00:00Z,0,shelling\n"
# Far from every area.
FAR = "far-1,48.5000,37.7000,2026-03-01T09:00:00Z,0,shelling\n"


@pytest.fixture
def people(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return cast()


@pytest.fixture
def pause(people):
    return AgreementFactory(code="HP-2026-010", owner=people.mediator, process=people.process,
                            status=Agreement.Status.AGREED)


def _file(tmp_path, text, name="incidents.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_classifies_groups_and_is_idempotent(people, pause, tmp_path):
    path = _file(tmp_path, HEADER + IN_PAUSE + SAME_EVENT + AFTER_WINDOW + FAR)

    run = services.incidents_import(actor=people.monitor_user, kind="parley", path=path)

    assert (run.status, run.rows_read, run.created, run.duplicates, run.candidates) == (
        "succeeded", 4, 4, 0, 2)
    rows = sorted(Classification.objects.values_list(
        "incident__external_id", "feature_id", "relation", "in_window"))
    assert rows == [("in-1", "C1", "inside", True), ("in-2", "C1", "inside", True),
                    ("late-1", "C1", "inside", False)]
    events = list(Event.objects.all())
    assert len(events) == 1
    assert sorted(events[0].incidents.values_list("external_id", flat=True)) == ["in-1", "in-2"]
    assert events[0].status == "candidate"

    again = services.incidents_import(actor=people.monitor_user, kind="parley", path=path)
    assert (again.created, again.duplicates, again.candidates) == (0, 4, 0)
    assert Incident.objects.count() == 4
    assert Event.objects.count() == 1
    assert AuditEntry.objects.filter(action="monitoring.import").count() == 2


def test_acled_day_and_firms_detection_are_candidates_without_actors(people, pause, tmp_path):
    acled = _file(tmp_path, "event_id_cnty,event_date,country,latitude,longitude,geo_precision,"
                  "event_type,sub_event_type,actor1,fatalities\n"
                  "UKR1001,2026-03-01,Ukraine,47.6380,35.2070,1,Explosions/Remote violence,"
                  "Shelling/artillery/missile attack,Someone,0\n", "acled.csv")
    firms = _file(tmp_path, "latitude,longitude,brightness,acq_date,acq_time,satellite,"
                  "confidence,frp\n47.6390,35.2065,330,2026-03-01,0905,Terra,77,5.1\n",
                  "firms.csv")

    first = services.incidents_import(actor=people.monitor_user, kind="acled", path=acled)
    second = services.incidents_import(actor=people.monitor_user, kind="firms", path=firms)

    assert (first.created, first.candidates, second.created, second.candidates) == (1, 1, 1, 1)
    day = Incident.objects.get(source__kind="acled")
    assert (day.time_start.isoformat(), day.time_end.isoformat()) == (
        "2026-02-28T22:00:00+00:00", "2026-03-01T22:00:00+00:00")
    assert day.type == "Shelling/artillery/missile attack"
    assert day.attributes == {"country": "Ukraine", "event_type": "Explosions/Remote violence",
                              "sub_event_type": "Shelling/artillery/missile attack",
                              "fatalities": "0"}
    fire = Incident.objects.get(source__kind="firms")
    assert (fire.time_start.isoformat(), fire.precision_m, fire.type) == (
        "2026-03-01T09:05:00+00:00", 1000.0, "fire detection")
    assert Event.objects.count() == 1
    assert again_is_nothing(people, acled, "acled") == (0, 1)


def again_is_nothing(people, path, kind):
    run = services.incidents_import(actor=people.monitor_user, kind=kind, path=path)
    return run.created, run.duplicates


def test_rejected_file_adds_nothing_and_names_every_bad_row(people, pause, tmp_path):
    path = _file(tmp_path, HEADER + IN_PAUSE + "bad-1,147.6,35.2,2026-03-01T09:00:00Z,0,x\n"
                 + "bad-2,47.6,35.2,2026-03-01T09:00:00,0,x\n")

    run = services.incidents_import(actor=people.monitor_user, kind="parley", path=path)

    assert run.status == ImportRun.Status.REJECTED
    assert [(row["line"], row["field"]) for row in run.rejected_rows] == [(3, "lat"), (4, "time")]
    assert Incident.objects.count() == 0


def test_only_monitors_and_secretariat_import(people, pause, tmp_path):
    path = _file(tmp_path, HEADER + IN_PAUSE)
    with pytest.raises(Forbidden):
        services.incidents_import(actor=people.ua_head, kind="parley", path=path)
    assert services.incidents_import(actor=people.secretariat, kind="parley",
                                     path=path).created == 1


def test_reclassify_agreement_after_its_windows_change(people, pause, tmp_path):
    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + AFTER_WINDOW))
    assert Event.objects.count() == 0
    version = pause.current_version
    version.windows = [{"start": "2026-03-01T06:00:00Z", "end": "2026-03-01T14:00:00Z"}]
    version.save()

    run = services.reclassify_agreement(pause.pk)

    assert (run.rows, run.candidates) == (1, 1)
    assert list(Classification.objects.values_list("in_window", flat=True)) == [True]
    assert Event.objects.count() == 1


def test_verification_path_is_audited_and_refuses_skipping(people, pause, tmp_path):
    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + IN_PAUSE))
    event = Event.objects.get()
    with pytest.raises(ValidationError) as skipped:
        services.event_confirm(actor=people.monitor_user, event=event, reasoning="Seen.")
    assert list(skipped.value.message_dict) == ["status"]
    with pytest.raises(Forbidden):
        services.event_start_review(actor=people.secretariat, event=event)

    services.event_start_review(actor=people.monitor_user, event=event)
    with pytest.raises(ValidationError) as bare:
        services.event_confirm(actor=people.monitor_user, event=event, reasoning=" ")
    assert bare.value.message_dict == {"reasoning": ["Give the reasoning for the conclusion."]}
    photo = SimpleUploadedFile("crater.jpg", b"\xff\xd8 crater", content_type="image/jpeg")
    event = services.event_confirm(actor=people.monitor_user, event=event,
                                   reasoning="Crater seen by the patrol at 10:30.",
                                   files=[photo])

    assert event.status == "confirmed"
    steps = selectors.event_verifications(actor=people.secretariat, event=event)
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("candidate", "under_review"), ("under_review", "confirmed")]
    evidence = steps[1].evidence.get()
    assert evidence.sha256 == hashlib.sha256(b"\xff\xd8 crater").hexdigest()
    assert evidence.file.read() == b"\xff\xd8 crater"
    assert list(AuditEntry.objects.filter(object_type="monitoring.event")
                .values_list("action", flat=True)) == ["event.start_review", "event.confirm"]


def test_party_accounts_visible_to_own_party_monitors_and_when_shared(people, pause, tmp_path):
    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + IN_PAUSE))
    event = Event.objects.get()
    private = services.party_account_attach(actor=people.ua_head, event=event,
                                            text="Our position was not firing.")
    shared = services.party_account_attach(actor=people.ru_delegate, event=event,
                                           text="We observed an impact at 09:00.", shared=True)

    def seen(user):
        return [a.pk for a in selectors.event_accounts(actor=user, event=event)]

    assert seen(people.ua_delegate) == [private.pk, shared.pk]
    assert seen(people.ru_head) == [shared.pk]
    assert seen(people.monitor_user) == [private.pk, shared.pk]
    assert seen(people.secretariat) == [private.pk, shared.pk]
    with pytest.raises(Forbidden):
        services.party_account_attach(actor=people.monitor_user, event=event, text="x")


def test_events_of_an_agreement_a_party_cannot_see_are_not_found(people, tmp_path):
    # A pause bound only to Ukraine and not public: Russia's delegates and observers do not see it.
    AgreementFactory(code="HP-2026-011", owner=people.ukraine, process=people.process,
                     status=Agreement.Status.AGREED, bound_parties=[people.ukraine])
    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + IN_PAUSE))
    event = Event.objects.get()

    assert [e.reference for e in selectors.event_list(actor=people.ua_delegate)] == [
        event.reference]
    assert selectors.event_list(actor=people.ru_delegate) == []
    assert selectors.event_list(actor=people.observer_user) == []
    for outsider in (people.ru_delegate, people.observer_user):
        with pytest.raises(NotFound):
            selectors.event_get(actor=outsider, reference=event.reference)
        with pytest.raises(NotFound):
            services.party_account_attach(actor=outsider, event=event, text="x")
    assert selectors.incident_list(actor=people.ru_delegate) == []
    assert len(selectors.incident_list(actor=people.monitor_user)) == 1


def test_monitor_report_in_local_time_is_classified(people, pause):
    photo = SimpleUploadedFile("impact.jpg", b"photo bytes", content_type="image/jpeg")
    incident = services.monitor_report(
        actor=people.monitor_user, lon=35.2070, lat=47.6380, time="2026-03-01T11:00:00",
        zone="Europe/Kyiv", type="impact", description="Two impacts south of the road.",
        files=[photo],
    )

    assert incident.time_start.isoformat() == "2026-03-01T09:00:00+00:00"
    assert incident.event is not None
    assert incident.evidence.get().sha256 == hashlib.sha256(b"photo bytes").hexdigest()
    with pytest.raises(ValidationError) as bad:
        services.monitor_report(actor=people.monitor_user, lon=35.2, lat=147.6,
                                time="2026-03-01T11:00:00", type="rumour")
    assert sorted(bad.value.message_dict) == ["lat", "time", "type"]
    with pytest.raises(Forbidden):
        services.monitor_report(actor=people.ua_head, lon=35.2, lat=47.6,
                                time="2026-03-01T11:00:00Z", type="impact")


def test_grouping_follows_the_secretariats_rule(people, pause, tmp_path):
    services.monitoring_settings_update(actor=people.secretariat, group_distance_m=100,
                                        group_minutes=30)
    with pytest.raises(Forbidden):
        services.monitoring_settings_update(actor=people.monitor_user, group_distance_m=1,
                                            group_minutes=1)
    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + IN_PAUSE + SAME_EVENT))
    # 300 m apart: two events under a 100 m rule.
    assert Event.objects.count() == 2


def test_dashboard_counts_and_share_of_pause_hours(people, pause, tmp_path):
    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + IN_PAUSE))
    event = Event.objects.get()
    services.event_start_review(actor=people.monitor_user, event=event)
    services.event_confirm(actor=people.monitor_user, event=event, reasoning="Seen.")

    board = selectors.monitoring_dashboard(
        actor=people.ua_delegate, now=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC), days=3)

    (tally,) = board.agreements
    assert (tally.agreement.code, tally.open, tally.confirmed, tally.areas) == (
        "HP-2026-010", 0, 1, {"C1": 1})
    # The window 06:00–12:00Z is six pause hours; the confirmed violation falls in one.
    assert (tally.pause_hours, tally.hours_with_confirmed) == (6, 1)
    assert board.share_without_confirmed == 5 / 6
    assert [(d.day.isoformat(), d.confirmed, d.open) for d in board.days] == [
        ("2026-02-28", 0, 0), ("2026-03-01", 1, 0), ("2026-03-02", 0, 0)]
    assert selectors.monitoring_dashboard(actor=people.observer_user).agreements == []


def test_incident_near_a_notified_site_raises_an_alert_without_any_pause(people, tmp_path):
    from parley.access.models import Site

    Site.objects.create(reference="SITE-1", organisation=people.icrc, name="Orikhiv hospital",
                        kind=Site.Kind.HOSPITAL, lon=35.7853, lat=47.5679, radius_m=500,
                        created_by=people.icrc_liaison)
    Site.objects.create(reference="SITE-2", organisation=people.icrc, name="Old depot",
                        kind=Site.Kind.WAREHOUSE, lon=35.7853, lat=47.5679, radius_m=500,
                        status=Site.Status.WITHDRAWN, created_by=people.icrc_liaison)
    services.incidents_import(actor=people.monitor_user, kind="parley", path=_file(
        tmp_path, HEADER + "near-1,47.5690,35.7853,2026-03-01T09:00:00Z,0,impact\n"
        "near-2,47.5760,35.7853,2026-03-01T09:00:00Z,500,impact\n" + FAR))

    def alerts(user):
        return [(a.site.reference, a.incident.external_id, a.relation)
                for a in selectors.site_alerts(actor=user)]

    # near-1 is 120 m from the hospital; near-2 900 m, within 500 m plus its 500 m precision.
    assert sorted(alerts(people.icrc_liaison)) == [("SITE-1", "near-1", "inside"),
                                                   ("SITE-1", "near-2", "near")]
    assert sorted(alerts(people.monitor_user)) == sorted(alerts(people.icrc_liaison))
    assert alerts(people.ua_head) == []
    assert Event.objects.count() == 0


def test_an_agreement_agreed_after_the_incidents_is_caught_up_on_the_next_import(
    people, tmp_path
):
    proposed = AgreementFactory(code="HP-2026-012", owner=people.mediator,
                                process=people.process, status=Agreement.Status.PROPOSED)
    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + IN_PAUSE))
    assert Classification.objects.count() == 0
    proposed.status = Agreement.Status.AGREED
    proposed.save(update_fields=["status", "updated_at"])

    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + FAR, "far.csv"))

    assert list(Classification.objects.values_list("incident__external_id", "in_window")) == [
        ("in-1", True)]
    assert Event.objects.count() == 1
    assert services.reclassify_stale_agreements() == []


def test_a_site_notified_after_the_incidents_is_caught_up_on_the_next_import(people, tmp_path):
    from parley.access.models import Site

    near = "near-1,47.5690,35.7853,2026-03-01T09:00:00Z,0,impact\n"
    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + near))
    Site.objects.create(reference="SITE-1", organisation=people.icrc, name="Orikhiv hospital",
                        kind=Site.Kind.HOSPITAL, lon=35.7853, lat=47.5679, radius_m=500,
                        created_by=people.icrc_liaison)

    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + FAR, "far.csv"))

    assert [(a.site.reference, a.incident.external_id)
            for a in selectors.site_alerts(actor=people.icrc_liaison)] == [("SITE-1", "near-1")]
    assert services.reclassify_stale_sites() is False


def test_nul_characters_of_a_feed_are_dropped(people, pause, tmp_path):
    services.incidents_ingest(actor=people.monitor_user, source_name="Field system", items=[
        {"id": "a\x00b", "lat": 47.638, "lon": 35.207, "time": "2026-03-01T09:00:00Z",
         "precision_m": 0, "type": "im\x00pact"}])
    assert list(Incident.objects.values_list("external_id", "type")) == [("ab", "impact")]


def test_the_worker_classifies_an_agreement_agreed_after_the_incidents(people, tmp_path, capsys):
    from parley.cli import main

    proposed = AgreementFactory(code="HP-2026-013", owner=people.mediator,
                                process=people.process, status=Agreement.Status.PROPOSED)
    services.incidents_import(actor=people.monitor_user, kind="parley",
                              path=_file(tmp_path, HEADER + IN_PAUSE + AFTER_WINDOW))
    proposed.status = Agreement.Status.AGREED
    proposed.save(update_fields=["status", "updated_at"])

    assert main(["worker", "--once"]) == 0

    assert sorted(Classification.objects.values_list("incident__external_id", "in_window")) == [
        ("in-1", True), ("late-1", False)]
    assert "monitoring.reclassify" in capsys.readouterr().out
    assert services.reclassify_stale() == {"agreements": [], "sites": False}
