"""Who may feed, see and verify monitoring data, as named predicates.

Visibility of events follows the agreements they fall in (`selectors.visible_events`); these
predicates decide who may act.
"""

import rules

from parley.core.models import Party, User
from parley.core.rules import in_belligerent_party, is_delegate, is_secretariat


@rules.predicate
def is_monitor(user) -> bool:
    """A monitor of a monitoring mission: verifies events and files reports from the field."""
    return (
        getattr(user, "is_authenticated", False)
        and user.party_id is not None
        and user.party.kind == Party.Kind.MONITOR
        and user.role == User.Role.MONITOR
    )


@rules.predicate
def sees_all_incidents(user) -> bool:
    return is_monitor(user) or is_secretariat(user)


@rules.predicate
def is_account_of_own_party(user, account) -> bool:
    return account is not None and user.party_id is not None and account.party_id == user.party_id


can_import_incidents = is_monitor | is_secretariat
can_report_incident = is_monitor
can_verify_event = is_monitor
can_change_monitoring_settings = is_secretariat
# Each belligerent party may give its own account of an event it can see; a delegate or the
# head of delegation speaks for the party.
can_attach_account = is_delegate & in_belligerent_party
can_read_account = sees_all_incidents | is_account_of_own_party

rules.add_perm("monitoring.import_incidents", can_import_incidents)
rules.add_perm("monitoring.report_incident", can_report_incident)
rules.add_perm("monitoring.verify_event", can_verify_event)
rules.add_perm("monitoring.attach_account", can_attach_account)
rules.add_perm("monitoring.change_settings", can_change_monitoring_settings)
# The admin: the secretariat looks up sources, imports, incidents and events (read-only there).
rules.add_perm("monitoring", is_secretariat)
for model in ("source", "importrun", "incident", "event"):
    rules.add_perm(f"monitoring.view_{model}", is_secretariat)
