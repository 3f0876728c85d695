"""Suspension, resumption and termination of an agreement in force."""


from django.db import transaction
from django.utils.translation import gettext_lazy as _

from parley.agreements import rules
from parley.agreements.models import Agreement
from parley.agreements.services.guards import (
    _locked,
    _require,
    _require_reason,
    _require_status,
    _state,
)
from parley.audit.services import audit_append
from parley.core.models import User


def _set_status(
    *, actor: User, agreement: Agreement, predicate, message, allowed, status: str, reason: str,
    action: str,
) -> Agreement:
    reason = _require_reason(reason)
    with transaction.atomic():
        agreement = _locked(agreement)
        _require(actor, agreement, predicate, message)
        _require_status(agreement, allowed)
        before = _state(agreement)
        agreement.status = status
        agreement.status_reason = reason
        agreement.save(update_fields=["status", "status_reason", "updated_at"])
        audit_append(
            actor=actor, action=action, obj=agreement, before=before, after=_state(agreement),
            note=reason,
        )
    return agreement


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
