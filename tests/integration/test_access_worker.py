"""Background work through the database queue, as `parley worker` runs it: notices wait for the
worker, missed deadlines escalate on its round, and a webhook that fails is tried again with
backoff against a receiving server on 127.0.0.1 until it answers."""

import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db.models import F
from django_tasks_db.models import DBTaskResult

from parley.access import services
from parley.access.models import Notification, WebhookDelivery
from parley.access.tasks import RETRY_DELAYS, deliver_webhook
from parley.cli import main
from tests.factories.access import access_cast, notify

# Transactions really commit here, so that tasks are queued on commit as in production.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _receiver_on_this_machine(settings):
    # The receiving server of these tests listens on 127.0.0.1, which webhooks may not reach
    # unless the setting allows it (parley.access.outbound).
    settings.PARLEY_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def flaky_receiver():
    """An HTTP server on 127.0.0.1 that answers 503 to the first POST and 204 to the others."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            received.append(self.rfile.read(int(self.headers["Content-Length"])).decode())
            self.send_response(503 if len(received) == 1 else 204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/parley", received
    server.shutdown()


def worker_once(capsys) -> str:
    """What `parley worker --once` prints, without other apps' periodic jobs (monitoring's
    reclassification reports the agreements these tests create; the record's, its log)."""
    assert main(["worker", "--once"]) == 0
    return "".join(line for line in capsys.readouterr().out.splitlines(keepends=True)
                   if not line.startswith(("monitoring.", "record.")))


def let_time_pass(delta: timedelta) -> None:
    """Move what is scheduled back by `delta`, as if that much time had gone by."""
    DBTaskResult.objects.filter(status="READY").update(run_after=F("run_after") - delta)
    WebhookDelivery.objects.exclude(next_attempt_at=None).update(
        next_attempt_at=F("next_attempt_at") - delta)


def test_notices_wait_in_the_queue_for_the_worker(capsys):
    c = access_cast()
    movement = notify(c)
    # The notices are addressed with the event; the e-mails wait for the worker.
    assert Notification.objects.filter(mailed_at=None).count() == 7
    [queued] = DBTaskResult.objects.all()
    assert (queued.status, queued.task_path) == (
        "READY", "parley.access.tasks.announce_movement")
    assert worker_once(capsys) == "access.escalate: 0\ntasks run: 1\n"
    assert sorted(Notification.objects.filter(movement=movement)
                  .values_list("user__username", flat=True)) == [
        "ru-delegate", "ru-head", "ru-liaison", "secretariat", "ua-delegate", "ua-head",
        "wfp-driver"]
    assert worker_once(capsys) == "access.escalate: 0\ntasks run: 0\n"


def test_the_worker_round_escalates_a_missed_deadline_once(capsys):
    c = access_cast()
    movement = notify(c)
    services.movement_acknowledge(actor=c.people.ua_head, movement=movement, version=1)
    version = movement.current_version
    version.released_at -= timedelta(hours=25)
    version.save()
    # The notices of the notification and of Ukraine's acknowledgement, then the escalation
    # of Russia's missed deadline and its notice.
    assert worker_once(capsys) == "access.escalate: 1\ntasks run: 3\n"
    assert Notification.objects.filter(event="movement.overdue").count() == 8
    assert worker_once(capsys) == "access.escalate: 0\ntasks run: 0\n"


def test_a_failed_webhook_is_tried_again_after_a_minute_and_only_until_delivered(
    flaky_receiver, capsys, client
):
    url, received = flaky_receiver
    c = access_cast()
    webhook, _secret = services.webhook_create(actor=c.people.ru_delegate, url=url,
                                               events=["movement.notified"])
    notify(c)
    # The notice, then the first attempt, which the receiver refuses with 503.
    assert worker_once(capsys) == "access.escalate: 0\ntasks run: 2\n"
    [delivery] = WebhookDelivery.objects.all()
    [first] = delivery.attempt_log.all()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 1, 503)
    assert (first.number, first.response_code, first.error) == (1, 503, "HTTP 503")
    assert delivery.next_attempt_at == first.at + timedelta(minutes=1)
    [retry] = DBTaskResult.objects.filter(status="READY")
    assert (retry.task_path, retry.args_kwargs, retry.run_after) == (
        "parley.access.tasks.deliver_webhook", {"args": [delivery.pk], "kwargs": {}},
        delivery.next_attempt_at)
    client.force_login(c.people.ru_delegate)
    [listed] = client.get(f"/api/webhooks/{webhook.pk}/deliveries").json()["items"]
    due = delivery.next_attempt_at
    # The API gives milliseconds.
    assert (listed["status"], listed["attempts"], datetime.fromisoformat(
        listed["next_attempt_at"])) == (
        "failed", 1, due.replace(microsecond=due.microsecond // 1000 * 1000))
    # Not yet due: nothing runs.
    assert worker_once(capsys) == "access.escalate: 0\ntasks run: 0\n"
    let_time_pass(timedelta(minutes=1))
    assert worker_once(capsys) == "access.escalate: 0\ntasks run: 1\n"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code, delivery.error,
            delivery.next_attempt_at) == ("delivered", 2, 204, "", None)
    assert list(delivery.attempt_log.values_list("number", "response_code", "error")) == [
        (1, 503, "HTTP 503"), (2, 204, "")]
    assert len(received) == 2
    assert received[0] == received[1]
    # A task for a delivery already made finds nothing to do: never sent twice.
    deliver_webhook.enqueue(delivery.pk)
    assert worker_once(capsys) == "access.escalate: 0\ntasks run: 1\n"
    assert len(received) == 2
    assert delivery.attempt_log.count() == 2


def test_a_webhook_that_never_answers_is_given_up_after_six_attempts_with_backoff(capsys):
    c = access_cast()
    services.webhook_create(actor=c.people.ru_delegate, url="http://127.0.0.1:9/closed")
    notify(c)
    waits = []
    for _ in range(6):
        worker_once(capsys)
        delivery = WebhookDelivery.objects.get()
        if delivery.next_attempt_at is not None:
            waits.append(delivery.next_attempt_at - delivery.attempt_log.last().at)
            let_time_pass(waits[-1])
    assert waits == list(RETRY_DELAYS)
    assert waits == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                     timedelta(hours=2), timedelta(hours=6)]
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 6, None)
    assert list(delivery.attempt_log.values_list("number", "error")) == [
        (number, "no answer") for number in range(1, 7)]
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_a_delivery_whose_webhook_was_turned_off_is_not_tried_again(capsys):
    c = access_cast()
    webhook, _secret = services.webhook_create(actor=c.people.ru_delegate,
                                               url="http://127.0.0.1:9/closed")
    notify(c)
    worker_once(capsys)
    webhook.active = False
    webhook.save()
    let_time_pass(timedelta(minutes=1))
    assert worker_once(capsys) == "access.escalate: 0\ntasks run: 1\n"
    assert WebhookDelivery.objects.get().attempts == 1
