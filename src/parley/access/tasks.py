"""Background work of humanitarian access: thin tasks that take ids, re-fetch and re-check.

`announce_movement` tells the people and systems who may see a movement what happened to it: an
in-app notification and an e-mail to each person, and a signed delivery to each webhook of their
parties. `escalate_overdue_acknowledgements` (run by `manage.py access_escalate`, e.g. from cron
every few minutes) tells them once per version and party when a bound party misses its deadline.
`deliver_webhook` makes one HTTP POST, signed with HMAC-SHA256 over
`"<timestamp>.<body>"` (headers `X-Parley-Timestamp`, `X-Parley-Signature: sha256=<hex>`), and
records the answer; a delivery already made is never sent twice.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext

from parley.access import rules
from parley.access.models import (
    Escalation,
    Movement,
    Notification,
    Webhook,
    WebhookDelivery,
)
from parley.access.selectors import acknowledgement_deadline, parties_yet_to_acknowledge
from parley.access.wording import EVENT_TEXTS, RECEIPT_NOT_GUARANTEE
from parley.core.models import Party, User

WEBHOOK_TIMEOUT_S = 5
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


@task
def announce_movement(event: str, movement_id: int, actor_id: int | None, detail: str = ""):
    movement = (Movement.objects.select_related("organisation", "agreement__process")
                .filter(pk=movement_id).first())
    if movement is None:
        return
    version = movement.current_version
    text = gettext(EVENT_TEXTS[event]) % {
        "reference": movement.reference, "organisation": movement.organisation.name_en,
        "agreement": movement.agreement.code, "version": version.number,
        "status": movement.get_status_display().lower(), "detail": detail,
    }
    if event == "movement.notified":
        text = f"{text} {gettext(RECEIPT_NOT_GUARANTEE)}"
    people = list(User.objects.filter(_audience(movement), is_active=True)
                  .exclude(pk=actor_id).distinct())
    Notification.objects.bulk_create(
        [Notification(user=user, movement=movement, event=event, text=text) for user in people]
    )
    subject = f"[Parley] {movement.reference}: {event.removeprefix('movement.')}"
    try:
        send_mass_mail([(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
                        for user in people if user.email])
    except OSError:
        # A mail server that is down must not undo what happened; the in-app notices stand.
        logger.exception("e-mail about %s not sent", movement.reference)
    body = json.dumps({
        "event": event, "movement": movement.reference, "agreement": movement.agreement.code,
        "organisation": movement.organisation.slug, "status": movement.status,
        "version": version.number, "at": timezone.now().isoformat(),
    }, sort_keys=True)
    hooks = Webhook.objects.filter(active=True, party_id__in=_parties(movement))
    for hook in hooks:
        if hook.events and event not in hook.events:
            continue
        delivery = WebhookDelivery.objects.create(webhook=hook, event=event, body=body)
        transaction.on_commit(lambda pk=delivery.pk: deliver_webhook.enqueue(pk))


@task
def deliver_webhook(delivery_id: int):
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == WebhookDelivery.Status.DELIVERED:
        return
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the service accepts only http(s) URLs
        delivery.webhook.url, data=delivery.body.encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Parley-Event": delivery.event,
                 "X-Parley-Timestamp": timestamp,
                 "X-Parley-Signature": signature(delivery.webhook.secret, timestamp,
                                                 delivery.body)},
    )
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_S) as response:  # noqa: S310
            delivery.response_code = response.status
    except urllib.error.HTTPError as error:
        delivery.response_code = error.code
        delivery.error = str(error.reason)
    except (urllib.error.URLError, OSError) as error:
        delivery.error = str(getattr(error, "reason", error))
    if delivery.response_code is not None and 200 <= delivery.response_code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.error = ""
    else:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save(update_fields=["status", "attempts", "response_code", "error",
                                 "delivered_at"])


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
                    transaction.on_commit(
                        lambda m=movement.pk, name=party.name_en: announce_movement.enqueue(
                            "movement.overdue", m, None, name))
    return escalated
