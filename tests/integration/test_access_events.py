"""Notifications in-app and by e-mail, and HMAC-signed webhooks delivered to a receiving server
on 127.0.0.1, all sent only once the transaction commits."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from parley.access import selectors, services
from parley.access.models import Notification, WebhookDelivery
from parley.access.tasks import signature
from tests.factories.access import ROUTE_OUTSIDE, access_cast, notify

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _receiver_on_this_machine(settings):
    # The receiving server of these tests listens on 127.0.0.1, which webhooks may not reach
    # unless the setting allows it (parley.access.outbound).
    settings.PARLEY_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    """An HTTP server on 127.0.0.1 that records every POST and answers 204."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            received.append({"headers": dict(self.headers), "body": body})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/parley", received
    server.shutdown()


def test_the_crossed_parties_and_the_secretariat_are_told_on_commit(
    django_capture_on_commit_callbacks
):
    # pytest-django keeps e-mail in Django's locmem outbox.
    c = access_cast()
    c.people.ru_head.email = "ru-head@example.org"
    c.people.ru_head.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        movement = notify(c)
    # Addressed in the notification's own transaction (who, which version); nothing is sent
    # before the commit.
    assert set(Notification.objects.values_list("version", "mailed_at")) == {(1, None)}
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    told = sorted(Notification.objects.filter(movement=movement)
                  .values_list("user__username", flat=True))
    # Not the third party, not ICRC, not the observer; not WFP's liaison, who notified it.
    assert told == ["ru-delegate", "ru-head", "ru-liaison", "secretariat", "ua-delegate",
                    "ua-head", "wfp-driver"]
    [message] = mail.outbox
    assert message.to == ["ru-head@example.org"]
    assert message.subject == f"[Parley] {movement.reference}: notified"
    assert message.body == (
        f"WFP notified movement {movement.reference} under HP-2026-101 (version 1); please "
        "acknowledge receipt. An acknowledgement is a receipt of the notification, not a "
        "security guarantee.")
    [latest] = selectors.notifications_of(actor=c.people.ru_head)
    assert latest.event == "movement.notified"


def test_a_held_notification_tells_only_the_organisation_and_the_secretariat(
    django_capture_on_commit_callbacks
):
    c = access_cast()
    with django_capture_on_commit_callbacks(execute=True):
        notify(c, route=ROUTE_OUTSIDE, hold_for_secretariat=True)
    assert sorted(Notification.objects.values_list("user__username", "event")) == [
        ("secretariat", "movement.held"), ("wfp-driver", "movement.held")]


def test_webhooks_are_signed_and_delivered_to_the_receiving_server(
    receiver, django_capture_on_commit_callbacks
):
    url, received = receiver
    c = access_cast()
    webhook, secret = services.webhook_create(actor=c.people.ru_delegate, url=url,
                                              events=["movement.notified"])
    icrc_hook, _ = services.webhook_create(actor=c.people.icrc_liaison, url=url)
    with django_capture_on_commit_callbacks(execute=True):
        movement = notify(c)
    with django_capture_on_commit_callbacks(execute=True):
        services.movement_acknowledge(actor=c.people.ua_head, movement=movement, version=1)
    # Russia subscribed to notifications only; ICRC does not see WFP's movement at all.
    [request] = received
    body = request["body"]
    assert json.loads(body)["event"] == "movement.notified"
    assert json.loads(body)["movement"] == movement.reference
    assert "AP 1201 KC" not in body
    timestamp = request["headers"]["X-Parley-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(),
                        hashlib.sha256).hexdigest()
    assert request["headers"]["X-Parley-Signature"] == f"sha256={expected}"
    assert signature(secret, timestamp, body) == f"sha256={expected}"
    [delivery] = WebhookDelivery.objects.all()
    assert (delivery.webhook, delivery.status, delivery.response_code, delivery.attempts) == (
        webhook, "delivered", 204, 1)
    assert icrc_hook.deliveries.count() == 0


def test_a_failed_delivery_is_recorded(django_capture_on_commit_callbacks):
    c = access_cast()
    services.webhook_create(actor=c.people.ru_delegate, url="http://127.0.0.1:9/closed")
    with django_capture_on_commit_callbacks(execute=True):
        notify(c)
    [delivery] = WebhookDelivery.objects.all()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 1, None)
    assert delivery.error == "no answer"


def test_webhook_input_is_checked():
    c = access_cast()
    with pytest.raises(ValidationError) as caught:
        services.webhook_create(actor=c.people.ru_delegate, url="ftp://example.org",
                                events=["movement.exploded"])
    assert caught.value.message_dict == {"url": ["Give an http or https URL."],
                                         "events": ["Unknown events: movement.exploded"]}


def test_a_missed_deadline_is_escalated_once(django_capture_on_commit_callbacks):
    c = access_cast()
    movement = notify(c)
    services.movement_acknowledge(actor=c.people.ua_head, movement=movement, version=1)
    version = movement.current_version
    version.released_at -= timedelta(hours=25)
    version.save()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("access_escalate", stdout=out)
    assert out.getvalue() == "1 missed deadlines escalated\n"
    notices = Notification.objects.filter(event="movement.overdue")
    assert sorted(notices.values_list("user__username", flat=True)) == [
        "ru-delegate", "ru-head", "ru-liaison", "secretariat", "ua-delegate", "ua-head",
        "wfp", "wfp-driver"]
    assert notices.first().text == (
        f"Russian Federation has not acknowledged {movement.reference} by its deadline; the "
        "secretariat follows it up.")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("access_escalate", stdout=out)
    assert notices.count() == 8
