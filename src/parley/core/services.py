"""Writes about people: personal API tokens.

A token is read-only unless created with the write scope, and expires (90 days unless its owner
asks for between 1 and 365). Only the SHA-256 digest of a token is stored.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound, Unauthenticated
from parley.core.models import API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, ApiToken, User

TOKEN_USE_RECORDED_EVERY = timedelta(minutes=1)


def api_token_create(
    *, actor: User, name: str, scope: str = ApiToken.Scope.READ,
    expires_in_days: int = API_TOKEN_DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """Return the token and its raw value; the raw value is shown once and never stored."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound("user")
    name = (name or "").strip()
    errors: dict[str, list] = {}
    if not name or "\x00" in name:
        errors["name"] = [_("Give the token a name.")]
    if scope not in ApiToken.Scope.values:
        errors["scope"] = [_("The scope is read or write.")]
    if (isinstance(expires_in_days, bool) or not isinstance(expires_in_days, int)
            or not 1 <= expires_in_days <= API_TOKEN_MAX_DAYS):
        errors["expires_in_days"] = [
            _("A token lives between 1 and %(max)d days.") % {"max": API_TOKEN_MAX_DAYS}]
    if errors:
        raise ValidationError(errors)
    raw = ApiToken.new_raw()
    with transaction.atomic():
        token = ApiToken(user=actor, name=name, digest=ApiToken.digest_of(raw), scope=scope,
                         expires_at=timezone.now() + timedelta(days=expires_in_days))
        token.full_clean()
        token.save()
        audit_append(actor=actor, action="api_token.create", obj=token,
                     after={"name": name, "scope": scope,
                            "expires_at": token.expires_at.isoformat()})
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


def api_token_authenticate(*, raw: str, write: bool = False) -> User | None:
    """The active user a raw token belongs to, or None for a token that is unknown or revoked;
    records when the token was last used.

    Raises `Unauthenticated` for an expired token (the client is told why) and `Forbidden` when
    a read-only token is used to write.
    """
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
    if token.expires_at <= now:
        raise Unauthenticated(_("This token expired at %(when)s UTC; create a new one.") % {
            "when": token.expires_at.strftime("%Y-%m-%d %H:%M")})
    if write and token.scope != ApiToken.Scope.WRITE:
        raise Forbidden(_("This token may only read. Create a token with the write scope to "
                          "change anything."))
    # A write on every read would serialise the API on the database; the minute is enough to
    # tell a token in use from a forgotten one.
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
