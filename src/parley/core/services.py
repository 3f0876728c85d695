"""Writes about people: personal API tokens."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parley.audit.services import audit_append
from parley.core.errors import NotFound
from parley.core.models import ApiToken, User

TOKEN_USE_RECORDED_EVERY = timedelta(minutes=1)


def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Return the token and its raw value; the raw value is shown once and never stored."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound("user")
    name = (name or "").strip()
    if not name or "\x00" in name:
        raise ValidationError({"name": [_("Give the token a name.")]})
    raw = ApiToken.new_raw()
    with transaction.atomic():
        token = ApiToken(user=actor, name=name, digest=ApiToken.digest_of(raw))
        token.full_clean()
        token.save()
        audit_append(actor=actor, action="api_token.create", obj=token, after={"name": name})
    return token, raw


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != getattr(actor, "pk", None):
        raise NotFound("token")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_append(
                actor=actor,
                action="api_token.revoke",
                obj=token,
                before={"revoked": False},
                after={"revoked": True},
            )
    return token


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user a raw token belongs to, or None; records when the token was last used."""
    if not raw or not raw.startswith("prl_"):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__party")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # A write on every read would serialise the API on the database; the minute is enough to
    # tell a token in use from a forgotten one.
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
