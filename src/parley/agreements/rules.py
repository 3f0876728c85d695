"""Who may see and who may move an agreement, as named predicates over (user, agreement)."""

import rules

from parley.agreements.models import Agreement
from parley.core.models import Party
from parley.core.rules import (
    in_belligerent_party,
    is_delegate,
    is_head_of_delegation,
    is_secretariat,
)

# Statuses in which the parties have stopped negotiating and the pause calendar matters to the
# agencies who move through it and the monitors who watch it.
SETTLED = frozenset(
    {Agreement.Status.AGREED, Agreement.Status.SUSPENDED, Agreement.Status.TERMINATED}
)
UNDER_NEGOTIATION = frozenset({Agreement.Status.PROPOSED, Agreement.Status.COUNTERED})


def bound_party_ids(agreement: Agreement) -> set[int]:
    return {party.pk for party in agreement.bound_parties.all()}


def _party_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return user.party_id


@rules.predicate
def is_owner_member(user, agreement) -> bool:
    if agreement is None:
        return False
    party_id = _party_id(user)
    return party_id is not None and party_id == agreement.owner_id


@rules.predicate
def is_bound_member(user, agreement) -> bool:
    if agreement is None:
        return False
    party_id = _party_id(user)
    return party_id is not None and party_id in bound_party_ids(agreement)


@rules.predicate
def is_mediator_member(user, agreement) -> bool:
    if agreement is None:
        return False
    party_id = _party_id(user)
    return party_id is not None and party_id == agreement.process.mediator_id


@rules.predicate
def can_view_agreement(user, agreement) -> bool:
    """Need to know; `selectors.visible_agreements` is the same rule as a query."""
    party_id = _party_id(user)
    if party_id is None or agreement is None:
        return False
    if is_owner_member(user, agreement):
        return True
    if agreement.status == Agreement.Status.DRAFT:
        return False
    if is_bound_member(user, agreement) or is_mediator_member(user, agreement):
        return True
    if agreement.status not in SETTLED:
        return False
    if user.party.kind in (Party.Kind.HUMANITARIAN, Party.Kind.MONITOR):
        return True
    return agreement.public


can_create_agreement = is_secretariat | (is_delegate & in_belligerent_party)
# The contact line shown on every map is the secretariat's to import (every signed-in person
# sees it).
can_import_contact_line = is_secretariat
can_update_draft = (is_delegate | is_secretariat) & is_owner_member
can_propose_agreement = (is_delegate & is_owner_member) | is_secretariat
can_counter_agreement = (is_delegate & (is_bound_member | is_owner_member)) | is_secretariat
can_consent_agreement = is_head_of_delegation & in_belligerent_party & is_bound_member
can_suspend_agreement = is_secretariat
can_resume_agreement = is_secretariat
can_terminate_agreement = is_secretariat | can_consent_agreement


@rules.predicate
def without_object(user, obj) -> bool:
    return obj is None


# The admin asks for "view" without an object before listing; its list is then the secretariat's
# own `visible_agreements`.
rules.add_perm("agreements", is_secretariat)
rules.add_perm("agreements.view_agreement", (is_secretariat & without_object) | can_view_agreement)
rules.add_perm("agreements.add_agreement", can_create_agreement)
rules.add_perm("agreements.update_draft", can_update_draft)
rules.add_perm("agreements.propose_agreement", can_propose_agreement)
rules.add_perm("agreements.counter_agreement", can_counter_agreement)
rules.add_perm("agreements.consent_agreement", can_consent_agreement)
rules.add_perm("agreements.suspend_agreement", can_suspend_agreement)
rules.add_perm("agreements.resume_agreement", can_resume_agreement)
rules.add_perm("agreements.terminate_agreement", can_terminate_agreement)
