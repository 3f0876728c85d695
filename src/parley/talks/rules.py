"""Who may do what in the talks. The secretariat runs the process; each party's delegates speak
for it; visibility of a position or a comment is the party's own choice."""

import rules
from django.db.models import Q

from parley.core.models import Party
from parley.core.rules import (
    has_party,
    in_belligerent_party,
    in_mediator_party,
    is_delegate,
    is_head_of_delegation,
    is_secretariat,
)
from parley.talks.models import Visibility


@rules.predicate
def in_monitor_party(user) -> bool:
    return has_party(user) and user.party.kind == Party.Kind.MONITOR


can_view_talks = has_party
can_manage_talks = is_secretariat
# The parties at the table: the belligerents and the mediator. They see the negotiating texts,
# the commitments and the full pulse; observers see what is published and the aggregates.
at_the_table = in_belligerent_party | in_mediator_party
can_take_position = is_delegate & in_belligerent_party
can_read_mediator_notes = is_secretariat
can_view_texts = at_the_table
can_propose_wording = (is_delegate & in_belligerent_party) | is_secretariat
can_comment = (is_delegate & in_belligerent_party) | is_secretariat
can_resolve_brackets = is_secretariat
can_sign_texts = is_head_of_delegation & in_belligerent_party
can_view_commitments = at_the_table | in_monitor_party
can_manage_commitments = is_secretariat
can_answer_commitment = is_delegate & in_belligerent_party
can_view_full_pulse = at_the_table | in_monitor_party


def may_read(user, *, party_id: int, visibility: str) -> bool:
    """The rule for every party-owned statement in the talks (positions, comments)."""
    if not has_party(user):
        return False
    if user.party_id == party_id:
        return True
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.PARTIES:
        return bool(at_the_table(user))
    if visibility == Visibility.MEDIATOR:
        return bool(in_mediator_party(user))
    return False


def visibility_filter(user):
    """`may_read` as a query filter over models with `party` and `visibility`."""
    if not has_party(user):
        return Q(pk__in=[])
    shown = Q(party_id=user.party_id) | Q(visibility=Visibility.PUBLIC)
    if at_the_table(user):
        shown |= Q(visibility=Visibility.PARTIES)
    if in_mediator_party(user):
        shown |= Q(visibility=Visibility.MEDIATOR)
    return shown


# The admin is the secretariat's back office: Django's model permissions, granted by role. The
# parties' positions, comments and the mediator's notes stay out of it (need-to-know).
rules.add_perm("talks", can_manage_talks)
for model in ("process", "round", "delegation", "session", "agendaitem", "communique"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"talks.{action}_{model}", can_manage_talks)
rules.add_perm("talks.take_position", can_take_position)
rules.add_perm("talks.manage_talks", can_manage_talks)
