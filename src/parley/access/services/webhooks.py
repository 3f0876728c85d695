"""Webhooks of an organisation."""

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.access import rules
from parley.access.models import (
    Webhook,
)
from parley.access.wording import EVENT_TEXTS
from parley.audit.services import audit_append
from parley.core.errors import Forbidden
from parley.core.models import User
from parley.core.types import party_of
from parley.core.validation import add_error, raise_if


def webhook_create(*, actor: User, url: str, events: Iterable[str] = ()) -> tuple[Webhook, str]:
    """A webhook for the actor's party; the secret is returned once, to give to the receiver."""
    if not rules.can_manage_webhooks(actor):
        raise Forbidden(_("Only a party's delegation, its liaison or the secretariat adds "
                          "webhooks."))
    errors: dict = {}
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        add_error(errors, "url", _("Give an http or https URL."))
    unknown = sorted(set(events) - set(EVENT_TEXTS))
    if unknown:
        add_error(errors, "events", gettext("Unknown events: %(events)s") % {
            "events": ", ".join(unknown)})
    raise_if(errors)
    secret = secrets.token_hex(32)
    with transaction.atomic():
        webhook = Webhook.objects.create(party=party_of(actor), url=url, secret=secret,
                                         events=list(events), created_by=actor)
        audit_append(actor=actor, action="webhook.create", obj=webhook, before=None,
                     after={"url": url, "events": list(events)})
    return webhook, secret
