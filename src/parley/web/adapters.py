"""ADAPTER (web only, until `parley.agreements.selectors` offers it): which buttons to show.

The permission is the agreements app's named predicate; the statuses are its own constants. The
service still decides: a button shown here that the service refuses only yields its message.
"""

from parley.agreements import rules, selectors
from parley.agreements.models import Agreement

_ACTIONS = {
    "propose": (rules.can_propose_agreement, {Agreement.Status.DRAFT}),
    "counter": (rules.can_counter_agreement, rules.UNDER_NEGOTIATION),
    "consent": (rules.can_consent_agreement, rules.UNDER_NEGOTIATION),
    "suspend": (rules.can_suspend_agreement, {Agreement.Status.AGREED}),
    "resume": (rules.can_resume_agreement, {Agreement.Status.SUSPENDED}),
    "terminate": (
        rules.can_terminate_agreement,
        rules.UNDER_NEGOTIATION | {Agreement.Status.AGREED, Agreement.Status.SUSPENDED},
    ),
}


def available_actions(actor, agreement: Agreement) -> dict[str, bool]:
    actions = {
        name: agreement.status in statuses and predicate(actor, agreement)
        for name, (predicate, statuses) in _ACTIONS.items()
    }
    if actions["consent"]:
        version = agreement.current_version
        actions["consent"] = actor.party_id not in selectors.consenting_party_ids(version)
    return actions
