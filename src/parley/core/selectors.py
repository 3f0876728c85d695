"""Reads about parties and people. Parties are known to everyone who takes part in the talks;
a party's accounts and their audit trail only to its account administrators."""

import functools
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from parley.audit.models import AuditEntry
from parley.core import readcache
from parley.core.models import ApiToken, Party, User
from parley.core.rules import has_party
from parley.core.types import Actor


def party_list(*, actor: Actor | AnonymousUser) -> QuerySet[Party]:
    if not has_party(actor):
        return Party.objects.none()
    return Party.objects.all()


@functools.cache
def _token_query(vendor: str) -> tuple[str, tuple]:
    """The SQL of `active_token` and, per model, its fields and their converters: built once per
    process (the ORM would compile the same three-table join on every request)."""
    quote = connection.ops.quote_name
    parts = []
    columns = []
    for model, alias in ((ApiToken, "t"), (User, "u"), (Party, "p")):
        fields = list(model._meta.concrete_fields)
        converters = []
        for field in fields:
            expression = field.get_col(alias)
            converters.append((expression, [*connection.ops.get_db_converters(expression),
                                            *field.get_db_converters(connection)]))
        parts.append((model, [field.attname for field in fields], converters))
        columns += [f"{alias}.{quote(str(field.column))}" for field in fields]
    # The read cache's data generation in the same statement: a cached answer then costs this
    # one query (parley.core.readcache).
    columns.append(f"(SELECT epoch || ':' || n FROM {readcache.GENERATION_TABLE} "  # noqa: S608
                   "WHERE id = 1)")
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(ApiToken._meta.db_table)} t "  # noqa: S608
        f"JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = t.{quote('user_id')} "
        f"LEFT JOIN {quote(Party._meta.db_table)} p ON p.{quote('id')} = u.{quote('party_id')} "
        f"WHERE t.{quote('digest')} = %s AND t.{quote('revoked_at')} IS NULL "
        f"AND u.{quote('is_active')} = %s"
    )
    return sql, tuple(parts)


def active_token(*, digest: str) -> ApiToken | None:
    """The unrevoked token of an active user with this digest, its user and the user's party
    loaded: one query, as `select_related("user", "user__party")` would make, without the ORM
    compiling it on every request (the token is read on every API request). The same query
    reads the data generation the read cache needs."""
    sql, parts = _token_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest, True])
        row = cursor.fetchone()
    if row is None:
        return None
    instances: list[Any] = []
    start = 0
    for model, attnames, converters in parts:
        values = list(row[start:start + len(attnames)])
        start += len(attnames)
        if model is Party and values[0] is None:
            instances.append(None)
            continue
        for index, (expression, field_converters) in enumerate(converters):
            for converter in field_converters:
                values[index] = converter(values[index], expression, connection)
        instances.append(model.from_db(connection.alias, attnames, values))
    token, user, party = instances
    readcache.note_generation(user, row[-1])
    user._state.fields_cache["party"] = party
    token._state.fields_cache["user"] = user
    return token


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    if not getattr(actor, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def clock_zones(*, actor: Actor | AnonymousUser) -> list[str]:
    """The clocks a reader sees: the belligerent parties' main zones and the reader's own
    (unordered; `parley.ui.clock.west_to_east` orders them, UTC first)."""
    zones = {party.main_zone for party in party_list(actor=actor).filter(kind="belligerent")}
    if isinstance(actor, User) and actor.is_authenticated:
        zones.add(actor.zone)
    zones.discard("UTC")
    return sorted(zones)


def _administered_party_id(actor: Any) -> int | None:
    if (
        isinstance(actor, User)
        and actor.is_authenticated
        and actor.is_active
        and actor.is_account_admin
        and actor.party_id is not None
    ):
        return actor.party_id
    return None


def account_list(*, actor: Actor) -> QuerySet[User]:
    """The accounts of the party the actor administers (none for anyone else)."""
    party_id = _administered_party_id(actor)
    if party_id is None:
        return User.objects.none()
    return (
        User.objects.filter(party_id=party_id, is_superuser=False)
        .annotate(has_mfa=Exists(Authenticator.objects.filter(user=OuterRef("pk"))))
        .order_by("-is_active", "username")
    )


def account_audit_list(*, actor: Actor, limit: int = 200) -> QuerySet[AuditEntry]:
    """The audit entries about the accounts of the actor's party, newest first: what was done
    to them, by whom. Another party's account administrators never see them."""
    party_id = _administered_party_id(actor)
    if party_id is None:
        return AuditEntry.objects.none()
    member_ids = [str(pk) for pk in User.objects.filter(party_id=party_id).values_list(
        "pk", flat=True)]
    return (
        AuditEntry.objects.filter(object_type=User._meta.label_lower, object_id__in=member_ids)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def audited_user_ids(actor: Actor) -> list[int]:
    """Whose account audit entries a reader of the audit log sees: their own party's (the
    operator, a superuser, sees all). Another party's account changes are that party's."""
    if getattr(actor, "is_superuser", False):
        return list(User.objects.values_list("pk", flat=True))
    if not isinstance(actor, User) or actor.party_id is None:
        return [actor.pk] if getattr(actor, "pk", None) else []
    return list(User.objects.filter(party_id=actor.party_id).values_list("pk", flat=True))
