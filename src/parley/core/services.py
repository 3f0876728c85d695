"""Writes about people: personal API tokens, and a party's accounts.

A token is read-only unless created with the write scope, and expires (90 days unless its owner
asks for between 1 and 365). Only the SHA-256 digest of a token is stored.
"""

from datetime import timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound, Unauthenticated
from parley.core.models import (
    API_TOKEN_DEFAULT_DAYS,
    API_TOKEN_MAX_DAYS,
    ROLES_BY_PARTY_KIND,
    ApiToken,
    Party,
    User,
)
from parley.core.selectors import active_token

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
    token = active_token(digest=ApiToken.digest_of(raw))
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


# --- Accounts: a party's own account administrators administer its people -----------------
#
# The secretariat runs the process, not the parties' accounts: it has no say over who speaks
# for a party. Superusers exist only from the command line (`parley manage createsuperuser`);
# no page creates one. Every change is audited on the user it concerns, and the party's
# account administrators see those entries on their Accounts page (`account_audit_list`).


def _account_admin_party(actor: Any) -> Party:
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.is_account_admin
        and actor.party_id is not None
    ):
        # Not an account administrator: the accounts of a party do not exist for them.
        raise NotFound("accounts")
    return actor.party


def _own_party_user(actor: Any, user: User) -> User:
    party = _account_admin_party(actor)
    if user.party_id != party.pk or user.is_superuser:
        raise NotFound("user")
    return user


def _check_role(party: Party, role: str) -> None:
    roles = ROLES_BY_PARTY_KIND.get(party.kind, ())
    if role not in roles:
        allowed = ", ".join(str(User.Role(r).label) for r in roles)
        raise ValidationError({"role": [
            _("A %(party)s account can have these roles: %(roles)s.")
            % {"party": party.get_kind_display().lower(), "roles": allowed}
        ]})


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


def _account_state(user: User) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "party": user.party_id,
        "role": user.role,
        "is_account_admin": user.is_account_admin,
        "is_active": user.is_active,
    }


def account_create(
    *,
    actor: User,
    username: str,
    role: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_account_admin: bool = False,
) -> User:
    """A new account of the actor's own party, with a role of that party and a first password
    (the administrator passes it on by a channel of the party's choosing)."""
    party = _account_admin_party(actor)
    _check_role(party, role)
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        # Usernames are one namespace for all parties; saying so reveals only that the name is
        # taken, as any sign-up form does.
        raise ValidationError({"username": [_("This username is taken; choose another.")]})
    user = User(
        username=username,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=(email or "").strip(),
        party=party,
        role=role,
        is_account_admin=is_account_admin,
        # The secretariat works in the back office (the admin site); nobody else does.
        is_staff=role == User.Role.SECRETARIAT,
    )
    _check_password(password, user)
    user.set_password(password)
    user.full_clean()
    with transaction.atomic():
        user.save()
        audit_append(actor=actor, action="user.account_create", obj=user,
                     after=_account_state(user))
    return user


def account_change(*, actor: User, user: User, role: str, is_account_admin: bool) -> User:
    """Another role of the party, or account administration given or taken."""
    party = _account_admin_party(actor)
    user = _own_party_user(actor, user)
    _check_role(party, role)
    if user.pk == actor.pk and not is_account_admin:
        raise ValidationError({"is_account_admin": [
            _("You cannot remove your own account administration; ask another administrator.")
        ]})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = _account_state(user)
        user.role, user.is_account_admin = role, is_account_admin
        user.is_staff = role == User.Role.SECRETARIAT
        after = _account_state(user)
        changed = [key for key in after if after[key] != before[key]]
        if changed:
            user.save(update_fields=["role", "is_account_admin", "is_staff"])
            audit_append(actor=actor, action="user.account_change", obj=user,
                         before={k: before[k] for k in changed},
                         after={k: after[k] for k in changed})
    return user


def account_set_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (the account can no longer sign in, its API tokens stop working) or
    reactivate. Accounts are never deleted: the audit trail names them."""
    user = _own_party_user(actor, user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            audit_append(
                actor=actor,
                action="user.account_reactivate" if active else "user.account_deactivate",
                obj=user, before={"is_active": not active}, after={"is_active": active},
            )
    return user


def account_set_password(*, actor: User, user: User, password: str) -> User:
    """A new password set by the party's account administrator (the owner forgot theirs): the
    owner's other sessions end. The password itself is never audited or logged."""
    user = _own_party_user(actor, user)
    _check_password(password, user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_append(actor=actor, action="user.password_set", obj=user,
                     note="set by an account administrator of the party")
    return user


def account_audit_event(*, actor: Any, user: User, action: str, after: dict | None = None,
                        note: str = "") -> None:
    """An account event that happened outside the account services (a second factor added or
    removed, a password changed by its owner, a change in the admin site): audited on the
    user it concerns, so that the party's account administrators see it."""
    audit_append(actor=actor, action=action, obj=user, after=after, note=note)
