"""The main dashboard's monitoring panel, per role: the violations of the last seven days of
each pause the viewer sees, events under review for monitors, site alerts for an organisation
(its own sites only); with a second party's pause and a second organisation's site present that
must not show."""

from datetime import UTC, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parley.access.models import Site
from parley.agreements.models import Agreement
from parley.core.models import Party, User
from parley.monitoring import services
from parley.monitoring.models import Event, Incident
from tests.factories import AgreementFactory, PartyFactory, UserFactory, cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

# A corridor far east of the factories' C1, for the pause that binds Russia only.
EAST = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "id": "D1", "properties": {"width_m": 2000},
    "geometry": {"type": "LineString", "coordinates": [[37.50, 48.40], [37.70, 48.60]]}}]}


def on_c1(t: float) -> tuple[float, float]:
    """A point a fraction `t` along the factories' corridor C1 (lat, lon)."""
    return 47.4373 + t * (47.8388 - 47.4373), 35.2745 + t * (35.1396 - 35.2745)


def iso(moment) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture
def world(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    people = cast()
    now = timezone.now()
    windows = [{"start": iso(now - timedelta(days=12)), "end": iso(now - timedelta(days=9))},
               {"start": iso(now - timedelta(days=3)), "end": iso(now + timedelta(days=1))}]
    AgreementFactory(code="HP-2026-010", title="Orikhiv pause", owner=people.mediator,
                     process=people.process, status=Agreement.Status.AGREED,
                     bound_parties=[people.ukraine], version__windows=windows)
    AgreementFactory(code="HP-2026-020", title="Eastern pause", owner=people.mediator,
                     process=people.process, status=Agreement.Status.AGREED,
                     bound_parties=[people.russia], version__windows=windows,
                     version__areas=EAST)
    msf = PartyFactory(slug="msf", kind=Party.Kind.HUMANITARIAN, name_en="MSF")
    people.msf_liaison = UserFactory(username="msf-liaison", party=msf, role=User.Role.LIAISON)
    Site.objects.create(reference="SITE-1", organisation=people.icrc, name="Orikhiv hospital",
                        kind=Site.Kind.HOSPITAL, lon=35.7853, lat=47.5679, radius_m=500,
                        created_by=people.icrc_liaison)
    Site.objects.create(reference="SITE-9", organisation=msf, name="Field clinic",
                        kind=Site.Kind.HOSPITAL, lon=36.5, lat=48.2, radius_m=500,
                        created_by=people.msf_liaison)

    def report(identifier, lat, lon, days_ago):
        return {"id": identifier, "lat": lat, "lon": lon, "precision_m": 0, "type": "impact",
                "time": iso(now - timedelta(days=days_ago))}

    services.incidents_ingest(actor=people.monitor_user, source_name="Field system", items=[
        report("ua-confirmed", *on_c1(0.5), 1),
        report("ua-candidate", *on_c1(0.25), 2),
        # In the earlier window, ten days ago: older than the panel's seven days.
        report("ua-old", *on_c1(0.75), 10),
        report("ru-review", 48.50, 37.60, 1),
        report("near-icrc", 47.5690, 35.7853, 1),
        report("near-msf", 48.2005, 36.5, 1),
    ])

    def event_of(identifier) -> Event:
        return Incident.objects.get(external_id=identifier).event

    confirmed, people.under_review = event_of("ua-confirmed"), event_of("ru-review")
    services.event_start_review(actor=people.monitor_user, event=confirmed)
    services.event_confirm(actor=people.monitor_user, event=confirmed, reasoning="Crater seen.")
    services.event_start_review(actor=people.monitor_user, event=people.under_review)
    return people


def panel(client, user):
    client.force_login(user)
    page = client.get(reverse("ui:dashboard"))
    assert page.status_code == 200
    section = page.context["monitoring"]
    if section is None:
        return None
    return ([(row["code"], row["candidates"], row["confirmed"]) for row in section["pauses"]],
            [row["reference"] for row in section["under_review"]],
            [(row["site"], row["incident"]) for row in section["site_alerts"]])


def test_a_belligerent_party_sees_only_the_pause_that_binds_it(client, world):
    # Ukraine's pause has three events; the one of ten days ago is not counted.
    assert sorted(Event.objects.values_list("status", flat=True)) == [
        "candidate", "candidate", "confirmed", "under_review"]
    assert panel(client, world.ua_head) == ([("HP-2026-010", 1, 1)], [], [])
    # Under review is not concluded yet: it counts among the candidates.
    assert panel(client, world.ru_delegate) == ([("HP-2026-020", 1, 0)], [], [])


def test_a_monitor_sees_every_pause_the_events_under_review_and_every_site_alert(
        client, world):
    assert panel(client, world.monitor_user) == (
        [("HP-2026-010", 1, 1), ("HP-2026-020", 1, 0)], [world.under_review.reference],
        [("SITE-1", "Field system:near-icrc"), ("SITE-9", "Field system:near-msf")])


def test_an_organisation_sees_the_agreed_pauses_and_the_alerts_of_its_own_sites(client, world):
    pauses = [("HP-2026-010", 1, 1), ("HP-2026-020", 1, 0)]
    assert panel(client, world.icrc_liaison) == (
        pauses, [], [("SITE-1", "Field system:near-icrc")])
    assert panel(client, world.msf_liaison) == (
        pauses, [], [("SITE-9", "Field system:near-msf")])


def test_the_secretariat_sees_every_pause_and_alert_but_verifies_nothing(client, world):
    assert panel(client, world.secretariat) == (
        [("HP-2026-010", 1, 1), ("HP-2026-020", 1, 0)], [],
        [("SITE-1", "Field system:near-icrc"), ("SITE-9", "Field system:near-msf")])


def test_an_observer_of_no_pause_gets_no_panel(client, world):
    assert panel(client, world.observer_user) is None
    assert 'id="monitoring-panel"' not in client.get(reverse("ui:dashboard")).content.decode()


def test_the_panel_links_each_pause_and_event(client, world):
    client.force_login(world.monitor_user)
    html = client.get(reverse("ui:dashboard")).content.decode()
    assert html.count('<li data-pause="') == 2
    assert ('<li data-pause="HP-2026-010"><a href="/monitoring/events/?agreement=HP-2026-010">'
            '<strong>HP-2026-010</strong></a>') in html
    assert (f'<a href="/monitoring/events/{world.under_review.reference}/">'
            f'<strong>{world.under_review.reference}</strong></a>') in html
