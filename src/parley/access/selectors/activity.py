"""What the pages offer an actor on a movement, audit trails, notifications, webhooks."""



from django.db.models import QuerySet

from parley.access import rules
from parley.access.models import (
    Movement,
    Notification,
    Site,
    Webhook,
    WebhookDelivery,
)
from parley.access.selectors.acknowledgements import acknowledging_party_ids
from parley.audit import history
from parley.audit.models import AuditEntry
from parley.core.errors import NotFound
from parley.core.types import Actor

_ACTIONS = {
    "amend": (rules.can_amend_movement, rules.BEFORE_DEPARTURE),
    "withdraw": (rules.can_withdraw_movement, rules.BEFORE_DEPARTURE),
    "override": (rules.can_override_movement, {Movement.Status.HELD}),
    "acknowledge": (rules.can_acknowledge_movement, {Movement.Status.NOTIFIED}),
    "check_in": (rules.can_check_in_movement, rules.OPEN),
    "complete": (rules.can_complete_movement, rules.OPEN),
    "impede": (rules.can_impede_movement, rules.OPEN),
    "deny": (rules.can_deny_movement, {Movement.Status.NOTIFIED, Movement.Status.ACKNOWLEDGED}),
    "cancel": (rules.can_cancel_movement, rules.OPEN | {Movement.Status.HELD}),
}


def available_actions(actor: Actor, movement: Movement) -> dict[str, bool]:
    """Which buttons to show; the services still decide, with the same predicates."""
    actions = {
        name: movement.status in statuses and bool(predicate(actor, movement))
        for name, (predicate, statuses) in _ACTIONS.items()
    }
    if actions["acknowledge"]:
        actions["acknowledge"] = actor.party_id not in acknowledging_party_ids(
            movement.current_version)
    return actions


def movement_audit_trail(*, actor: Actor, movement: Movement) -> list[AuditEntry]:
    """The history the actor may see (`access.history`): the versions it was addressed on."""
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    return history.audit_trail_for(obj=movement, user=actor)


def site_audit_trail(*, actor: Actor, site: Site) -> list[AuditEntry]:
    if not rules.can_view_site(actor, site):
        raise NotFound(site.reference)
    return history.audit_trail_for(obj=site, user=actor)


def notifications_of(
    *, actor: Actor, limit: int | None = 10
) -> QuerySet[Notification] | list[Notification]:
    """The actor's own latest notifications, newest first; all as a query when `limit` is
    None (the API pages it)."""
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    notifications = (Notification.objects.filter(user=actor).select_related("movement", "site")
                     .order_by("-created_at", "-id"))
    return notifications if limit is None else list(notifications[:limit])


def webhook_list(*, actor: Actor) -> list[Webhook]:
    """Webhooks of the actor's own party."""
    if not getattr(actor, "is_authenticated", False) or actor.party_id is None:
        return []
    return list(Webhook.objects.filter(party_id=actor.party_id).order_by("created_at"))


def webhook_deliveries(*, actor: Actor, webhook_id: int, limit: int = 50) -> list[WebhookDelivery]:
    webhook = Webhook.objects.filter(pk=webhook_id, party_id=actor.party_id).first() \
        if getattr(actor, "is_authenticated", False) and actor.party_id else None
    if webhook is None:
        raise NotFound(str(webhook_id))
    return list(webhook.deliveries.order_by("-created_at", "-id")[:limit])
