"""Suspension, resumption and termination of an agreement in force."""

from collections.abc import Collection

from django.utils.translation import gettext_lazy as _

from parley.agreements import rules
from parley.agreements.models import Agreement
from parley.agreements.services.guards import (
    STATUS_REFUSED,
    _require,
    _require_reason,
    _state,
)
from parley.core.models import User
from parley.core.transitions import transition
from parley.core.types import Predicate, StrOrPromise


def _set_status(
    *, actor: User, agreement: Agreement, predicate: Predicate, message: StrOrPromise,
    allowed: Collection[str], status: str, reason: str, action: str,
) -> Agreement:
    reason = _require_reason(reason)
    return transition(
        actor=actor, obj=agreement, to=status, allowed=allowed, action=action,
        refused=STATUS_REFUSED, state=_state, fields={"status_reason": reason}, note=reason,
        related=("process",), check=lambda locked: _require(actor, locked, predicate, message),
    )


def agreement_suspend(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    return _set_status(
        actor=actor, agreement=agreement, predicate=rules.can_suspend_agreement,
        message=_("Only the secretariat suspends an agreement."),
        allowed={Agreement.Status.AGREED}, status=Agreement.Status.SUSPENDED, reason=reason,
        action="agreement.suspend",
    )


def agreement_resume(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    return _set_status(
        actor=actor, agreement=agreement, predicate=rules.can_resume_agreement,
        message=_("Only the secretariat resumes an agreement."),
        allowed={Agreement.Status.SUSPENDED}, status=Agreement.Status.AGREED, reason=reason,
        action="agreement.resume",
    )


def agreement_terminate(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    return _set_status(
        actor=actor, agreement=agreement, predicate=rules.can_terminate_agreement,
        message=_("Only the secretariat or the head of a bound belligerent delegation "
                  "terminates an agreement."),
        allowed=rules.UNDER_NEGOTIATION | {Agreement.Status.AGREED, Agreement.Status.SUSPENDED},
        status=Agreement.Status.TERMINATED, reason=reason, action="agreement.terminate",
    )
