"""Health, readiness, metrics and the request log of a production server."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from parley.agreements.services import calendar_feed_create
from parley.core import worker
from parley.core.services import api_token_create
from parley.ops.logs import JsonFormatter
from parley.ops.models import WorkerBeat
from tests.factories import cast

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_healthz_answers_without_a_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


# The database queue's worker closes the connection after its batch: no test transaction.
@pytest.mark.django_db(transaction=True)
def test_readyz_is_unavailable_until_a_worker_ran_a_round(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    before = client.get("/readyz")
    worker.run_round()
    after = client.get("/readyz")

    assert before.status_code == 503
    assert before.json() == {"status": "unavailable", "database": "ok", "worker": "no round yet"}
    assert after.status_code == 200
    assert after.json()["worker"] == "ok"
    assert after.json()["worker_last_round_s_ago"] <= 5


def test_readyz_reports_a_worker_that_stopped(client, settings):
    settings.PARLEY_WORKER_STALE_AFTER_S = 120
    WorkerBeat.objects.create(name="web-1", last_round_at=timezone.now() - timedelta(minutes=5))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    assert response.json()["worker_last_round_s_ago"] >= 299


def test_metrics_are_hidden_without_a_configured_token(client, settings):
    settings.PARLEY_METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_metrics_answer_only_the_configured_bearer_token(client, settings):
    settings.PARLEY_METRICS_TOKEN = "scrape-me-0123456789"
    client.get("/healthz")

    wrong = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-wrong"})
    right = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"})

    assert wrong.status_code == 404
    assert right.status_code == 200
    assert "django_http_requests_total_by_method_total" in right.content.decode()


def test_every_response_carries_a_request_id_and_reuses_a_well_formed_one(client):
    fresh = client.get("/healthz")
    given = client.get("/healthz", headers={"X-Request-ID": "proxy-id-0001"})
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" injected\nline'})

    assert len(fresh["X-Request-ID"]) == 32
    assert given["X-Request-ID"] == "proxy-id-0001"
    assert forged["X-Request-ID"] != 'x" injected\nline'
    assert len(forged["X-Request-ID"]) == 32


def test_the_access_log_is_json_with_the_request_id_and_without_secrets(client, caplog):
    people = cast()
    _, raw = api_token_create(actor=people.icrc_liaison, name="calendar app")
    _, feed = calendar_feed_create(actor=people.icrc_liaison, label="calendar app")
    caplog.set_level(logging.INFO, logger="parley.http")

    client.get(f"/api/calendar.ics?feed={feed}", headers={"X-Request-ID": "feed-request-42"})
    client.get("/api/agreements", headers={"Authorization": f"Bearer {raw}"})

    lines = [JsonFormatter().format(record) for record in caplog.records
             if record.name == "parley.http"]
    entries = [json.loads(line) for line in lines]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/api/calendar.ics", 200),
        ("GET", "/api/agreements", 200),
    ]
    assert entries[0]["request_id"] == "feed-request-42"
    assert entries[1]["user_id"] == people.icrc_liaison.pk
    assert all(raw not in line and "token=" not in line for line in lines)
