"""Findings 8, 9 and 16 of issue 8: calendar feeds and API tokens, outbound webhook requests,
and the API description. Each test reproduced its finding before the fix."""

import copy
import http.server
import io
import json
import logging
import logging.config
import socket
import threading
import typing
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from pydantic import BaseModel

from config.api import api
from parley.access import services as access_services
from parley.access import tasks
from parley.access.models import WebhookDelivery
from parley.agreements.models import CalendarFeed
from parley.agreements.services import calendar_feed_create
from parley.core.models import ApiToken
from parley.core.services import api_token_create
from parley.ops.server import gunicorn_options
from tests.factories import AgreementFactory, cast
from tests.factories.access import access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def tomorrow_window():
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    return [{"start": start.isoformat(), "end": (start + timedelta(hours=4)).isoformat()}]


# Finding 8: calendar feed URLs carried full-privilege API tokens, and the log printed them.


def test_finding_8_a_feed_made_on_the_calendar_page_opens_its_own_feed_read_only_until_revoked(
    client,
):
    people = cast()
    AgreementFactory(
        code="HP-2026-001",
        owner=people.ukraine,
        status="agreed",
        version__windows=tomorrow_window(),
    )
    client.force_login(people.ua_delegate)

    page = client.post("/calendar/feeds/", {"label": "phone", "kind": "pauses"})

    assert page.status_code == 200
    html = page.content.decode()
    feed = CalendarFeed.objects.get(user=people.ua_delegate)
    [url] = {part.split('"')[0] for part in html.split('value="http://testserver')[1:]}
    url = "http://testserver" + url
    assert f'href="webcal://testserver{url.removeprefix("http://testserver")}"' in html
    raw = url.split("feed=")[1]
    assert raw.startswith("pcf_") and feed.digest == CalendarFeed.digest_of(raw)
    assert raw not in json.dumps(list(CalendarFeed.objects.values()), default=str)
    anonymous = Client()
    answer = anonymous.get(url.removeprefix("http://testserver"))
    assert answer.status_code == 200
    assert "HP-2026-001" in answer.content.decode()
    # The secret is not an API credential, opens no other feed, and cannot write.
    assert anonymous.get("/api/agreements", headers=bearer(raw)).status_code == 401
    assert anonymous.get(f"/api/agreements?feed={raw}").status_code == 401
    assert anonymous.get(f"/api/access/windows.ics?feed={raw}").status_code == 401
    assert anonymous.get(f"/api/agreements/HP-2026-001/windows.ics?feed={raw}").status_code == 401
    assert (
        anonymous.post(
            f"/api/calendar-feeds?feed={raw}", {"label": "x"}, content_type="application/json"
        ).status_code
        == 401
    )
    # A personal API token in a URL opens nothing any more.
    _, token = api_token_create(actor=people.ua_delegate, name="old calendar")
    assert anonymous.get(f"/api/calendar.ics?token={token}").status_code == 401
    assert anonymous.get(f"/api/calendar.ics?feed={token}").status_code == 401

    revoked = client.post(f"/calendar/feeds/{feed.pk}/revoke/")

    assert revoked.status_code == 302
    assert anonymous.get(url.removeprefix("http://testserver")).status_code == 401
    listed = client.get("/calendar/").content.decode()
    assert "phone" in listed and "revoked" in listed and raw not in listed
    # Another person cannot revoke (or learn of) someone else's feed.
    other = Client()
    other.force_login(people.ru_delegate)
    assert other.post(f"/calendar/feeds/{feed.pk}/revoke/").status_code == 404


def test_finding_8_a_feed_shows_what_its_owner_may_see_when_it_is_read(client):
    people = cast()
    hidden = AgreementFactory(
        code="HP-2026-002", owner=people.russia, version__windows=tomorrow_window()
    )
    _, raw = calendar_feed_create(actor=people.ua_delegate, label="laptop")

    before = client.get(f"/api/calendar.ics?feed={raw}").content.decode()
    hidden.status = "agreed"
    hidden.save()
    hidden.bound_parties.add(people.ukraine)
    after = client.get(f"/api/calendar.ics?feed={raw}").content.decode()
    people.ua_delegate.is_active = False
    people.ua_delegate.save()

    assert "HP-2026-002" not in before
    assert "HP-2026-002" in after
    assert client.get(f"/api/calendar.ics?feed={raw}").status_code == 401


def test_finding_8_a_feed_of_one_agreement_needs_an_agreement_its_owner_may_see(client):
    people = cast()
    AgreementFactory(
        code="HP-2026-003",
        owner=people.ukraine,
        status="agreed",
        version__windows=tomorrow_window(),
    )
    AgreementFactory(code="HP-2026-004", owner=people.russia)  # Russia's draft
    client.force_login(people.ua_delegate)

    hidden = client.post(
        "/api/calendar-feeds",
        {"label": "x", "kind": "agreement", "agreement_code": "HP-2026-004"},
        content_type="application/json",
    )
    missing = client.post(
        "/api/calendar-feeds",
        {"label": "x", "kind": "agreement", "agreement_code": "HP-2026-999"},
        content_type="application/json",
    )
    created = client.post(
        "/api/calendar-feeds",
        {"label": "x", "kind": "agreement", "agreement_code": "HP-2026-003"},
        content_type="application/json",
    )

    assert hidden.status_code == missing.status_code == 422
    assert hidden.json() == missing.json()
    assert created.status_code == 201
    url = created.json()["url"].removeprefix("http://testserver")
    assert url.startswith("/api/agreements/HP-2026-003/windows.ics?feed=pcf_")
    assert created.json()["webcal_url"] == "webcal://testserver" + url
    raw = url.split("feed=")[1]
    anonymous = Client()
    assert anonymous.get(url).status_code == 200
    assert anonymous.get(f"/api/calendar.ics?feed={raw}").status_code == 401


def test_finding_8_a_token_reads_unless_created_with_the_write_scope(client):
    people = cast()
    _, reader = api_token_create(actor=people.ua_delegate, name="dashboard")
    _, writer = api_token_create(actor=people.ua_delegate, name="script", scope="write")
    body = {"name": "another"}

    refused = client.post(
        "/api/tokens", body, content_type="application/json", headers=bearer(reader)
    )
    allowed = client.post(
        "/api/tokens", body, content_type="application/json", headers=bearer(writer)
    )

    assert client.get("/api/tokens", headers=bearer(reader)).status_code == 200
    assert refused.status_code == 403
    assert "only read" in refused.json()["detail"]
    assert allowed.status_code == 201
    assert allowed.json()["scope"] == "read"  # the default of a new token
    assert ApiToken.objects.get(name="script").scope == "write"


def test_finding_8_tokens_expire_after_90_days_by_default_and_then_answer_a_json_401(client):
    people = cast()
    token, raw = api_token_create(actor=people.ua_delegate, name="laptop")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    answer = client.get("/api/agreements", headers=bearer(raw))

    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    assert "expired" in answer.json()["detail"]
    too_long = client.post(
        "/api/tokens",
        {"name": "x", "expires_in_days": 366},
        content_type="application/json",
        headers=bearer(api_token_create(actor=people.ua_delegate, name="w", scope="write")[1]),
    )
    assert too_long.status_code == 422
    assert too_long.json()["detail"][0]["field"] == "expires_in_days"


@pytest.fixture
def captured_log():
    """The server's own log configuration (settings.LOGGING and gunicorn's), writing into a
    buffer: what would reach the log files."""
    buffer = io.StringIO()
    config = copy.deepcopy(django_settings.LOGGING)
    config["handlers"]["console"]["stream"] = buffer
    config["loggers"]["django.server"] = {"level": "INFO"}
    config["loggers"]["django.request"] = {"level": "INFO"}
    gunicorn = copy.deepcopy(
        gunicorn_options(host="127.0.0.1", port=1, workers=1, threads=1)["logconfig_dict"]
    )
    gunicorn["handlers"]["console"]["stream"] = buffer
    logging.config.dictConfig(gunicorn)
    logging.config.dictConfig(config)
    yield buffer
    logging.config.dictConfig(django_settings.LOGGING)


def test_finding_8_no_secret_reaches_the_log_of_a_feed_request(client, captured_log):
    people = cast()
    _, feed = calendar_feed_create(actor=people.icrc_liaison, label="phone")
    _, token = api_token_create(actor=people.icrc_liaison, name="script")

    client.get(f"/api/calendar.ics?feed={feed}&token={token}")
    client.get(f"/api/agreements/HP-0000-404/windows.ics?feed={feed}")
    client.get("/api/agreements", headers=bearer(token))
    client.get("/no-such-page/", {"feed": feed}, headers=bearer(token))
    # The request lines of the development server and of gunicorn's access log, had they
    # been turned on, quote the whole URL and the headers.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /api/calendar.ics?feed={feed} HTTP/1.1", 200, 512
    )
    logging.getLogger("gunicorn.access").info(
        "%s", f'GET /api/calendar.ics?feed={feed} Authorization: "Bearer {token}"'
    )
    logging.getLogger("parley").warning("refused %s", {"HTTP_AUTHORIZATION": f"Bearer {token}"})

    text = captured_log.getvalue()
    lines = text.splitlines()
    assert len(lines) >= 7
    assert '"path": "/api/calendar.ics"' in text
    assert feed not in text and token not in text
    assert feed[4:20] not in text and token[4:20] not in text
    assert "feed=[redacted]" in text


# Finding 9: a webhook could point at loopback, link-local or private addresses, and the
# delivery error told a closed port from an open one.

REFUSED_URLS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:8000/",
    "http://localhost/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "https://2130706433/",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_finding_9_webhooks_to_private_addresses_are_refused_when_saved(client, url):
    c = access_cast()
    client.force_login(c.people.ru_delegate)

    answer = client.post("/api/webhooks", {"url": url}, content_type="application/json")

    assert answer.status_code == 422
    [error] = answer.json()["detail"]
    assert error["field"] == "url"
    assert c.people.russia.webhooks.count() == 0


class Receiver:
    """An HTTP server on 127.0.0.1 that records POSTs and answers `status`."""

    def __init__(self, status=204):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                received.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_finding_9_a_name_that_later_resolves_to_a_private_address_is_refused_at_delivery(
    monkeypatch, django_capture_on_commit_callbacks
):
    c = access_cast()
    receiver = Receiver()
    answers = {"hooks.example.org": "93.184.216.34"}
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    services = access_services
    services.webhook_create(
        actor=c.people.ru_delegate, url=f"http://hooks.example.org:{receiver.port}/parley"
    )
    answers["hooks.example.org"] = "127.0.0.1"  # DNS rebinding after the check at saving
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify(c)
    finally:
        receiver.close()

    [delivery] = WebhookDelivery.objects.all()
    assert receiver.received == []
    assert (delivery.status, delivery.response_code, delivery.error) == (
        "failed",
        None,
        "address not allowed",
    )


def test_finding_9_delivery_errors_do_not_tell_a_closed_port_from_a_silent_one(
    settings, monkeypatch, client, django_capture_on_commit_callbacks
):
    settings.PARLEY_WEBHOOK_ALLOW_PRIVATE = True
    monkeypatch.setattr(tasks, "WEBHOOK_TIMEOUT_S", 0.5)
    c = access_cast()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound but not listening: connection refused
    forbidding = Receiver(status=403)
    hooks = {
        "closed": f"http://127.0.0.1:{closed.getsockname()[1]}/",
        "silent": f"http://127.0.0.1:{silent.getsockname()[1]}/",
        "forbidding": f"http://127.0.0.1:{forbidding.port}/",
    }
    for url in hooks.values():
        access_services.webhook_create(actor=c.people.ru_delegate, url=url)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify(c)
    finally:
        forbidding.close()
        silent.close()
        closed.close()

    client.force_login(c.people.ru_delegate)
    shown = {}
    for hook in c.people.russia.webhooks.all():
        [delivery] = client.get(f"/api/webhooks/{hook.pk}/deliveries").json()["items"]
        shown[hook.url] = (delivery["response_code"], delivery["error"])
    assert shown == {
        hooks["closed"]: (None, "no answer"),
        hooks["silent"]: (None, "no answer"),
        hooks["forbidding"]: (403, "HTTP 403"),
    }


def test_finding_9_the_setting_lets_a_demo_reach_a_receiver_on_this_machine(settings):
    c = access_cast()
    settings.PARLEY_WEBHOOK_ALLOW_PRIVATE = True

    webhook, _secret = access_services.webhook_create(
        actor=c.people.ru_delegate, url="http://127.0.0.1:9/hook"
    )

    assert webhook.url == "http://127.0.0.1:9/hook"


# Finding 16: two schemas named VersionSummaryOut; undocumented errors; HTML 400 for an
# oversize body.


def _models_in(annotation, found):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models_in(argument, found)


def test_finding_16_no_two_different_schemas_share_a_name():
    api.get_openapi_schema()  # binds every router's operations
    found: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    if isinstance(model, type) and issubclass(model, BaseModel):
                        _models_in(model.model_fields["response"].annotation, found)
                # Django-ninja's per-operation parameter containers (PathParams, BodyParams)
                # are flattened into each operation; the schemas inside them are named.
                for container in operation.models:
                    for field in container.model_fields.values():
                        _models_in(field.annotation, found)
    by_name: dict[str, set[type]] = {}
    for model in found:
        by_name.setdefault(model.model_config.get("title") or model.__name__, set()).add(model)

    shared = {
        name: sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
        for name, models in by_name.items()
        if len(models) > 1
    }
    assert shared == {}
    assert len(found) > 100
    assert {"AgreementVersionSummaryOut", "MovementVersionSummaryOut"} <= set(by_name)


def test_finding_16_every_operation_documents_its_errors_with_one_schema(client):
    schema = client.get("/api/openapi.json").json()

    undocumented = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "404", "413", "422"):
                answer = operation["responses"].get(status)
                ref = json.dumps(answer) if answer else ""
                if not ref.endswith('"#/components/schemas/ErrorOut"}}}}') and not (
                    status == "422" and "FindingsErrorOut" in ref
                ):
                    undocumented.append(f"{method.upper()} {path} {status}")
    assert undocumented == []
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]


def test_finding_16_an_oversize_body_gets_a_json_413_on_the_api(client, settings):
    people = cast()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    _, raw = api_token_create(actor=people.ua_delegate, name="script", scope="write")
    body = json.dumps({"name": "x" * 20_000})

    answer = client.post("/api/tokens", body, content_type="application/json", headers=bearer(raw))
    form = client.post("/api/tokens", {"name": "x" * 20_000}, headers=bearer(raw))

    assert answer.status_code == 413
    assert answer["Content-Type"].startswith("application/json")
    # Refused by its length before anything reads it (core.middleware), in one sentence.
    assert "is larger than" in answer.json()["detail"]
    assert form.status_code == 413
    assert form["Content-Type"].startswith("application/json")


def test_finding_16_a_request_django_refuses_before_any_view_gets_json_on_the_api(client):
    api_answer = client.get("/api/parties", headers={"Host": "evil.example"})
    page_answer = client.get("/calendar/", headers={"Host": "evil.example"})

    assert api_answer.status_code == 400
    assert api_answer.json() == {"detail": "Bad request."}
    assert page_answer.status_code == 400
    assert not page_answer["Content-Type"].startswith("application/json")
