"""Named permission predicates about people and parties, composed with ``|`` and ``&``."""

import rules

from parley.core.models import Party, User


def _party_kind(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or user.party_id is None:
        return None
    return user.party.kind


@rules.predicate
def has_party(user) -> bool:
    return _party_kind(user) is not None


@rules.predicate
def in_mediator_party(user) -> bool:
    return _party_kind(user) == Party.Kind.MEDIATOR


@rules.predicate
def in_belligerent_party(user) -> bool:
    return _party_kind(user) == Party.Kind.BELLIGERENT


@rules.predicate
def in_humanitarian_or_monitor_party(user) -> bool:
    return _party_kind(user) in (Party.Kind.HUMANITARIAN, Party.Kind.MONITOR)


@rules.predicate
def in_intermediary_party(user) -> bool:
    """A member of the neutral intermediary of prisoner exchanges (the ICRC)."""
    return _party_kind(user) is not None and user.party.is_intermediary


@rules.predicate
def has_role_secretariat(user) -> bool:
    return getattr(user, "role", None) == User.Role.SECRETARIAT


@rules.predicate
def is_head_of_delegation(user) -> bool:
    return has_party(user) and user.role == User.Role.HEAD_OF_DELEGATION


@rules.predicate
def is_delegate(user) -> bool:
    """Speaks for the party at the table: its head of delegation or a delegate."""
    return has_party(user) and user.role in (User.Role.HEAD_OF_DELEGATION, User.Role.DELEGATE)


@rules.predicate
def is_member_of(user, party) -> bool:
    return has_party(user) and party is not None and user.party_id == party.pk


is_secretariat = in_mediator_party & has_role_secretariat

# The admin is the secretariat's back office: Django's model permissions, granted by role.
for permission in (
    "core",
    "core.view_party",
    "core.add_party",
    "core.change_party",
    # Accounts are seen, not changed, by the secretariat: each party administers its own.
    "core.view_user",
    "core.view_apitoken",
    # The audit log: `parley.audit` sits below core and imports nothing of it, so its
    # permissions are granted here.
    "audit",
    "audit.view_auditentry",
):
    rules.add_perm(permission, is_secretariat)
