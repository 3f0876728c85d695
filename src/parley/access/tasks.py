"""Background work of humanitarian access: thin tasks that take ids, re-fetch and re-check.

A movement's event is addressed when it happens: `address_movement_event`, called inside the
service's transaction (`services.guards._announce`), resolves who may see the movement at that
moment and stores an in-app notification for each person and a signed delivery for each webhook
of their parties, naming the version of the moment. After the commit `announce_movement` sends
exactly those: the e-mails of the stored notices, the stored deliveries — a movement amended a
second later is still announced, as version 1, to the parties addressed on version 1.
`escalate_overdue_acknowledgements` (a periodic job of the worker, see `apps.py`; also
`manage.py access_escalate`) tells them once per version and party when a bound party misses its
deadline.
`deliver_webhook` makes one HTTP POST, signed with HMAC-SHA256 over
`"<timestamp>.<body>"` (headers `X-Parley-Timestamp`, `X-Parley-Signature: sha256=<hex>`), and
records the answer. A failed attempt is tried again after 1, 5 and 30 minutes, 2 and 6 hours
(six attempts in all), through the task's `run_after` where the backend can defer a task (the
database backend can; the immediate one of the tests cannot, so there it stays failed). Each
attempt first claims the delivery while it is due, so a delivery already made is never sent
twice, and a task run twice or late finds nothing to do.
"""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation

from parley.access import outbound, rules
from parley.access.models import (
    Escalation,
    Movement,
    Notification,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from parley.access.selectors import acknowledgement_deadline, parties_yet_to_acknowledge
from parley.access.wording import EVENT_TEXTS, RECEIPT_NOT_GUARANTEE
from parley.core.models import Party, User
from parley.core.types import existing

WEBHOOK_TIMEOUT_S = 5
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                timedelta(hours=2), timedelta(hours=6))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
logger = logging.getLogger(__name__)
SPEAKING_ROLES = (User.Role.HEAD_OF_DELEGATION, User.Role.DELEGATE, User.Role.LIAISON)


def _audience(movement: Movement) -> Q:
    """Who may see the movement, as a query on users: the same rule as `can_view_movement`."""
    seen = Q(party_id=movement.organisation_id) | Q(
        role=User.Role.SECRETARIAT, party__kind=Party.Kind.MEDIATOR
    )
    if movement.status != Movement.Status.HELD:
        seen |= Q(party_id__in=rules.crossed_party_ids(movement), role__in=SPEAKING_ROLES)
    return seen


def _parties(movement: Movement) -> set[int]:
    parties = {movement.organisation_id, movement.agreement.process.mediator_id}
    if movement.status != Movement.Status.HELD:
        parties |= rules.crossed_party_ids(movement)
    return parties


def signature(secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def address_movement_event(event: str, movement: Movement, actor_id: int | None,
                           detail: str = "") -> tuple[list[int], list[int]]:
    """Store the notices and webhook deliveries of one event, addressed now: to the people
    and parties who may see the movement as it stands in this transaction, naming its current
    version. Call inside the event's transaction; returns the ids to send after the commit."""
    movement = (Movement.objects.select_related("organisation", "agreement__process")
                .get(pk=movement.pk))
    version = existing(movement.versions.order_by("-number").first(),
                       f"version of {movement.reference}")
    now = timezone.now()
    # The texts are those of the site's language, whoever's request caused the event.
    with translation.override(settings.LANGUAGE_CODE):
        text = str(EVENT_TEXTS[event]) % {
            "reference": movement.reference, "organisation": movement.organisation.name_en,
            "agreement": movement.agreement.code, "version": version.number,
            "status": movement.get_status_display().lower(), "detail": detail,
        }
        if event == "movement.notified":
            text = f"{text} {RECEIPT_NOT_GUARANTEE}"
    people = list(User.objects.filter(_audience(movement), is_active=True)
                  .exclude(pk__in=[] if actor_id is None else [actor_id]).distinct())
    notices = Notification.objects.bulk_create(
        [Notification(user=user, movement=movement, event=event, text=text,
                      version=version.number) for user in people]
    )
    body = json.dumps({
        "event": event, "movement": movement.reference, "agreement": movement.agreement.code,
        "organisation": movement.organisation.slug, "status": movement.status,
        "version": version.number, "at": now.isoformat(),
    }, sort_keys=True)
    deliveries = [
        WebhookDelivery.objects.create(webhook=hook, event=event, body=body,
                                       version=version.number, next_attempt_at=now)
        for hook in Webhook.objects.filter(active=True, party_id__in=_parties(movement))
        if not hook.events or event in hook.events
    ]
    return [notice.pk for notice in notices], [delivery.pk for delivery in deliveries]


def announce_on_commit(event: str, movement: Movement, actor_id: int | None,
                       detail: str = "") -> None:
    """Address the event now (inside the caller's transaction); send it once it commits."""
    notices, deliveries = address_movement_event(event, movement, actor_id, detail)
    if notices or deliveries:
        transaction.on_commit(lambda: announce_movement.enqueue(notices, deliveries))


@task
def announce_movement(notification_ids: list[int], delivery_ids: list[int]):
    """Send what the event stored: the e-mails of its notices (each once) and its webhook
    deliveries, exactly as addressed when it happened."""
    with transaction.atomic():
        notices = list(Notification.objects.select_for_update(of=("self",))
                       .select_related("user", "movement")
                       .filter(pk__in=notification_ids, mailed_at__isnull=True))
        Notification.objects.filter(pk__in=[notice.pk for notice in notices]).update(
            mailed_at=timezone.now())
    mails = [
        (f"[Parley] {existing(notice.movement, 'movement of a notice').reference}: "
         f"{notice.event.removeprefix('movement.')}",
         notice.text, settings.DEFAULT_FROM_EMAIL, [notice.user.email])
        for notice in notices if notice.user.email and notice.user.is_active
    ]
    try:
        send_mass_mail(mails)
    except OSError:
        # A mail server that is down must not undo what happened; the in-app notices stand.
        logger.exception("e-mail about notices %s not sent", notification_ids)
    for pk in delivery_ids:
        deliver_webhook.enqueue(pk)


def _claim_attempt(delivery_id: int) -> WebhookAttempt | None:
    """The next attempt at the delivery if it is due and its webhook still active; it is no
    longer due once claimed, so a second worker or a repeated task finds nothing."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(of=("self",))
                    .select_related("webhook")
                    .filter(pk=delivery_id, webhook__active=True,
                            next_attempt_at__lte=timezone.now())
                    .first())
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        return WebhookAttempt.objects.create(delivery=delivery, number=delivery.attempts,
                                             at=timezone.now())


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the signed body to a public address only (`parley.access.outbound`); the answer's
    status code (None if there was none) and an error free of network detail."""
    timestamp = str(int(time.time()))
    return outbound.post(
        delivery.webhook.url, delivery.body.encode(),
        headers={"Content-Type": "application/json", "X-Parley-Event": delivery.event,
                 "X-Parley-Timestamp": timestamp,
                 "X-Parley-Signature": signature(delivery.webhook.secret, timestamp,
                                                 delivery.body)},
        timeout=WEBHOOK_TIMEOUT_S,
    )


@task
def deliver_webhook(delivery_id: int):
    attempt = _claim_attempt(delivery_id)
    if attempt is None:
        return
    delivery = attempt.delivery
    attempt.response_code, attempt.error = _post(delivery)
    delivery.response_code, delivery.error = attempt.response_code, attempt.error
    with transaction.atomic():
        attempt.save(update_fields=["response_code", "error"])
        if delivery.response_code is not None and 200 <= delivery.response_code < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
        else:
            delivery.status = WebhookDelivery.Status.FAILED
            if delivery.attempts < MAX_ATTEMPTS and deliver_webhook.get_backend().supports_defer:
                delivery.next_attempt_at = attempt.at + RETRY_DELAYS[delivery.attempts - 1]
                transaction.on_commit(lambda: deliver_webhook.using(
                    run_after=delivery.next_attempt_at).enqueue(delivery.pk))
        delivery.save(update_fields=["status", "response_code", "error", "delivered_at",
                                     "next_attempt_at"])


@task
def escalate_overdue_acknowledgements() -> int:
    """Escalate every missed deadline not escalated before; returns how many were new."""
    now = timezone.now()
    escalated = 0
    for movement in Movement.objects.filter(status=Movement.Status.NOTIFIED).select_related(
        "agreement"
    ):
        deadline = acknowledgement_deadline(movement)
        if deadline is None or deadline > now:
            continue
        for party in parties_yet_to_acknowledge(movement):
            with transaction.atomic():
                _escalation, created = Escalation.objects.get_or_create(
                    version=movement.current_version, party=party)
                if created:
                    escalated += 1
                    announce_on_commit("movement.overdue", movement, None, party.name_en)
    return escalated
