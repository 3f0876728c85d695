"""Calendar feeds: one secret per subscription, for one feed, read-only, revocable.

Calendar applications cannot send headers, so the secret travels in the feed's URL (`?feed=`).
It opens that one feed and nothing else (never the API), is stored only as its SHA-256 digest,
and shows what its owner may see at the time it is read.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parley.agreements.models import CalendarFeed
from parley.agreements.selectors import visible_agreements
from parley.audit.services import audit_append
from parley.core.errors import NotFound
from parley.core.models import User
from parley.core.services import TOKEN_USE_RECORDED_EVERY

LABEL_MAX_LENGTH = 100


def calendar_feed_create(
    *, actor: User, label: str, kind: str = CalendarFeed.Kind.PAUSES, agreement_code: str = ""
) -> tuple[CalendarFeed, str]:
    """The feed and its secret; the secret is shown once and never stored."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound("user")
    label = (label or "").strip() if isinstance(label, str) else ""
    agreement_code = (agreement_code or "").strip() if isinstance(agreement_code, str) else ""
    errors: dict[str, list] = {}
    if not label or "\x00" in label or len(label) > LABEL_MAX_LENGTH:
        errors["label"] = [_("Give the feed a label of at most 100 characters.")]
    if kind not in CalendarFeed.Kind.values:
        errors["kind"] = [_("Choose one of the feeds offered.")]
    elif kind == CalendarFeed.Kind.AGREEMENT:
        # The same answer for a code that does not exist and one the actor may not see.
        if (
            "\x00" in agreement_code
            or len(agreement_code) > 40
            or not visible_agreements(actor=actor).filter(code=agreement_code).exists()
        ):
            errors["agreement_code"] = [_("No agreement you may see has this code.")]
    elif agreement_code:
        errors["agreement_code"] = [_("Only the feed of one agreement takes a code.")]
    if errors:
        raise ValidationError(errors)
    raw = CalendarFeed.new_raw()
    with transaction.atomic():
        feed = CalendarFeed.objects.create(
            user=actor,
            label=label,
            kind=kind,
            agreement_code=agreement_code,
            digest=CalendarFeed.digest_of(raw),
        )
        audit_append(
            actor=actor,
            action="calendar_feed.create",
            obj=feed,
            before=None,
            after={"label": label, "kind": kind, "agreement": agreement_code},
        )
    return feed, raw


def calendar_feed_revoke(*, actor: User, feed_id: int) -> CalendarFeed:
    """Revoke one of the actor's own feeds (404 for anyone else's)."""
    if not getattr(actor, "is_authenticated", False) or actor.pk is None:
        raise NotFound("calendar feed")
    with transaction.atomic():
        feed = (
            CalendarFeed.objects.select_for_update().filter(pk=feed_id, user_id=actor.pk).first()
        )
        if feed is None:
            raise NotFound("feed")
        if feed.revoked_at is None:
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
            audit_append(
                actor=actor,
                action="calendar_feed.revoke",
                obj=feed,
                before={"revoked": False},
                after={"revoked": True},
            )
    return feed


def calendar_feed_authenticate(*, raw: str, kind: str, agreement_code: str = "") -> User | None:
    """The owner of a live feed secret for exactly this feed, or None."""
    if not isinstance(raw, str) or not raw.startswith(CalendarFeed.PREFIX) or "\x00" in raw:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "user__party")
        .filter(
            digest=CalendarFeed.digest_of(raw),
            revoked_at__isnull=True,
            user__is_active=True,
            kind=kind,
        )
        .first()
    )
    if feed is None or (
        kind == CalendarFeed.Kind.AGREEMENT and feed.agreement_code != agreement_code
    ):
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= TOKEN_USE_RECORDED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user
