"""Who may see and who may act on a movement or a site, as named predicates.

Need to know: a movement's route, plates and personnel are for the notifying organisation, the
parties whose areas the route crosses (the bound belligerent parties in control of the areas of
its agreement that the current version's route passes through or within 50 m of; all of them
when the areas carry no `party`) and the secretariat. `selectors.visible_movements` is the same
rule as a query.
"""

import rules

from parley.access.models import Movement, Site
from parley.core.models import Party, User
from parley.core.rules import has_party, in_belligerent_party, is_secretariat

# Movements the parties have been told about and that have not ended.
OPEN = frozenset({Movement.Status.NOTIFIED, Movement.Status.ACKNOWLEDGED,
                  Movement.Status.UNDER_WAY})
# Not yet moving: the notification can still be amended or withdrawn.
BEFORE_DEPARTURE = frozenset({Movement.Status.HELD, Movement.Status.NOTIFIED,
                              Movement.Status.ACKNOWLEDGED})
ENDED = frozenset({Movement.Status.COMPLETED, Movement.Status.IMPEDED, Movement.Status.DENIED,
                   Movement.Status.CANCELLED, Movement.Status.WITHDRAWN})


def _party_id(user) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return user.party_id


def crossed_party_ids(movement: Movement) -> set[int]:
    """The parties whose areas the current version's route crosses, as computed when it was
    notified or amended (`services._check`)."""
    version = movement.current_version
    return set() if version is None else {party.pk for party in version.crossed_parties.all()}


@rules.predicate
def in_humanitarian_party(user) -> bool:
    return has_party(user) and user.party.kind == Party.Kind.HUMANITARIAN


@rules.predicate
def speaks_for_party(user) -> bool:
    """Heads of delegation, delegates and liaison officers act in their party's name."""
    return has_party(user) and user.role in (
        User.Role.HEAD_OF_DELEGATION, User.Role.DELEGATE, User.Role.LIAISON
    )


@rules.predicate
def is_organisation_member(user, obj) -> bool:
    party_id = _party_id(user)
    return obj is not None and party_id is not None and party_id == obj.organisation_id


@rules.predicate
def is_crossed_party_member(user, movement) -> bool:
    party_id = _party_id(user)
    return movement is not None and party_id is not None and party_id in crossed_party_ids(movement)


@rules.predicate
def is_held(user, movement) -> bool:
    return movement is not None and movement.status == Movement.Status.HELD


can_view_movement = is_organisation_member | is_secretariat | (
    is_crossed_party_member & ~is_held
)
can_notify_movement = in_humanitarian_party & speaks_for_party
can_amend_movement = is_organisation_member & speaks_for_party
can_withdraw_movement = can_amend_movement
can_override_movement = is_secretariat
can_acknowledge_movement = (
    is_crossed_party_member & in_belligerent_party & speaks_for_party & ~is_held
)
can_object_movement = can_acknowledge_movement
can_check_in_movement = is_organisation_member
can_complete_movement = is_organisation_member | is_secretariat
can_impede_movement = is_organisation_member | is_secretariat
can_deny_movement = can_acknowledge_movement | is_secretariat
can_cancel_movement = can_amend_movement | is_secretariat
can_see_coordinate_log = is_organisation_member | is_secretariat


@rules.predicate
def can_view_site(user, site) -> bool:
    """Protection needs publicity: every party at the table sees notified sites."""
    if site is None or not has_party(user):
        return False
    if site.status == Site.Status.ACTIVE:
        return True
    return is_organisation_member(user, site) or is_secretariat(user)


can_notify_site = in_humanitarian_party & speaks_for_party
can_amend_site = is_organisation_member & speaks_for_party
can_withdraw_site = can_amend_site | is_secretariat
can_set_access_terms = is_secretariat


@rules.predicate
def in_monitor_party(user) -> bool:
    return has_party(user) and user.party.kind == Party.Kind.MONITOR


can_report_hazard = in_monitor_party | is_secretariat
can_see_access_statistics = is_secretariat
can_manage_webhooks = speaks_for_party | is_secretariat

# The admin is the secretariat's read-only back office over the same selectors.
rules.add_perm("access", is_secretariat)
for model in ("movement", "site", "webhookdelivery", "webhookattempt"):
    rules.add_perm(f"access.view_{model}", is_secretariat)
