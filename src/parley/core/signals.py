"""Account events that happen in allauth's own views (a second factor added or removed, a
password changed or reset by its owner) are audited on the user they concern, like the account
services' changes, so that the party's account administrators see them."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.db import transaction

from parley.core.services import account_audit_event


def _authenticator_event(action: str):
    def receiver(sender, request, user, authenticator=None, **kwargs):
        kind = getattr(authenticator, "type", None) or kwargs.get("type")
        with transaction.atomic():
            account_audit_event(
                actor=user, user=user, action=action, after={"type": str(kind)} if kind else None
            )

    return receiver


def _password_event(action: str):
    def receiver(sender, request, user, **kwargs):
        with transaction.atomic():
            account_audit_event(actor=user, user=user, action=action, note="by its owner")

    return receiver


_RECEIVERS = [
    (mfa_signals.authenticator_added, _authenticator_event("user.mfa_add")),
    (mfa_signals.authenticator_removed, _authenticator_event("user.mfa_remove")),
    (mfa_signals.authenticator_reset, _authenticator_event("user.mfa_reset")),
    (account_signals.password_changed, _password_event("user.password_change")),
    (account_signals.password_set, _password_event("user.password_change")),
    (account_signals.password_reset, _password_event("user.password_reset")),
]


def connect() -> None:
    for signal, receiver in _RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"parley.core.{id(signal)}")
