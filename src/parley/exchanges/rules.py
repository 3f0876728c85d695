"""Who may see and do what with persons and exchanges.

A person's identity is seen by the two parties of the list it is on (the holding party and the
seeking party), the neutral intermediary and the secretariat: nobody else. `selectors` applies the
same rule as a query.
"""

import rules

from parley.agreements.models import Agreement
from parley.agreements.rules import can_view_agreement, is_bound_member
from parley.core.rules import (
    in_belligerent_party,
    in_intermediary_party,
    is_delegate,
    is_head_of_delegation,
    is_secretariat,
)

sees_every_list = in_intermediary_party | is_secretariat


def _party_id(user):
    return user.party_id if getattr(user, "is_authenticated", False) else None


@rules.predicate
def is_list_party(user, person_list) -> bool:
    party_id = _party_id(user)
    return party_id is not None and party_id in (person_list.party_id, person_list.counterpart_id)


@rules.predicate
def is_list_owner(user, person_list) -> bool:
    party_id = _party_id(user)
    return party_id is not None and party_id == person_list.party_id


@rules.predicate
def is_exchange(user, agreement) -> bool:
    return agreement is not None and agreement.kind == Agreement.Kind.EXCHANGE


can_view_list = sees_every_list | is_list_party
can_upload_list = is_delegate & in_belligerent_party
can_correct_list = is_delegate & is_list_owner
can_reconcile = sees_every_list
can_decide_pair = in_intermediary_party
can_view_exchange = is_exchange & (can_view_agreement | in_intermediary_party)
can_propose_exchange = is_secretariat | (is_delegate & in_belligerent_party)
can_interview = in_intermediary_party
can_record_handover = in_intermediary_party | (is_delegate & is_bound_member)
can_sign_day = in_intermediary_party | (is_head_of_delegation & is_bound_member)

rules.add_perm("exchanges.view", rules.is_authenticated)
rules.add_perm("exchanges.upload_list", can_upload_list)
rules.add_perm("exchanges.reconcile", can_reconcile)
rules.add_perm("exchanges.propose_exchange", can_propose_exchange)
