"""Who may shape the frame of the talks: the secretariat alone."""

import rules

from parley.core.rules import has_party, is_secretariat

can_view_talks = has_party
can_manage_talks = is_secretariat

# The admin is the secretariat's back office: Django's model permissions, granted by role.
rules.add_perm("talks", can_manage_talks)
for model in ("process", "round", "delegation"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"talks.{action}_{model}", can_manage_talks)
