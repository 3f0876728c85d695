"""`parley demo --reset` (and `make demo-reset`) restore the starting scenario after a tour
changed it: the database emptied and reloaded through the services, and the files the scenario
keeps under the var directory removed first."""

import io

import pytest

from parley import demo
from parley.access.models import Movement
from parley.agreements.models import Agreement
from parley.audit.models import AuditEntry
from parley.cli import build_parser
from parley.core.models import User
from parley.monitoring import services as monitoring_services
from parley.monitoring.models import Event

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _scenario() -> dict:
    return {
        "agreements": dict(Agreement.objects.values_list("code", "status")),
        "movements": sorted(Movement.objects.values_list("reference", "status")),
        "events": sorted(Event.objects.values_list("status", flat=True)),
        "users": sorted(User.objects.values_list("username", flat=True)),
        "audit": AuditEntry.objects.count(),
    }


def test_reset_restores_the_starting_scenario_after_the_tour(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.RECORD_KEY_DIR = tmp_path / "record"
    settings.RECORD_LOG_KEY = tmp_path / "record" / "log.key"
    settings.RECORD_WITNESS_KEYS = tmp_path / "record" / "witnesses"
    settings.RECORD_LOCAL_WITNESSES = tmp_path / "record" / "local-witnesses"
    demo.load(stdout=io.StringIO())
    start = _scenario()
    assert start["events"] == ["candidate", "confirmed", "under_review"]

    monitor = User.objects.get(username="monitor")
    reviewed = Event.objects.get(status=Event.Status.UNDER_REVIEW)
    monitoring_services.event_dismiss(actor=monitor, event=reviewed, reasoning="On the tour.")
    fresh = Event.objects.get(status=Event.Status.CANDIDATE)
    monitoring_services.event_start_review(actor=monitor, event=fresh, reasoning="On the tour.")
    User.objects.create_user(username="visitor", password="x")
    leftover = tmp_path / "imports" / "half-read.csv"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_text("id,lat,lon\n")
    keys_before = {path.name: path.read_bytes()
                   for path in (tmp_path / "demo-keys").glob("*.pem")}
    assert _scenario() != start

    out = io.StringIO()
    demo.reset(stdout=out)
    assert User.objects.count() == 0
    assert not leftover.exists() and not (tmp_path / "demo-keys").exists()
    assert not (tmp_path / "record").exists()
    demo.load(stdout=out)

    assert _scenario() == start
    assert Event.objects.get(status=Event.Status.UNDER_REVIEW).reference == reviewed.reference
    assert Event.objects.get(status=Event.Status.CANDIDATE).reference == fresh.reference
    keys_after = {path.name: path.read_bytes() for path in (tmp_path / "demo-keys").glob("*.pem")}
    assert keys_after.keys() == keys_before.keys()
    assert keys_after != keys_before
    assert "Demo reset" in out.getvalue()


def test_the_reset_flag_of_parley_demo():
    assert build_parser().parse_args(["demo", "--reset", "--no-serve"]).reset is True
    assert build_parser().parse_args(["demo"]).reset is False
