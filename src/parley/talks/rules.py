"""Who may shape the frame of the talks: the secretariat alone."""

import rules

from parley.core.rules import has_party, is_secretariat

can_view_talks = has_party
can_manage_talks = is_secretariat

rules.add_perm("talks.view_process", can_view_talks)
rules.add_perm("talks.manage", can_manage_talks)
