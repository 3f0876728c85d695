"""Every write to humanitarian access: one function per transition.

held* -> notified -> acknowledged (a receipt from each party whose areas the route crosses,
computed with every version: `MovementVersion.crossed_parties`) -> under way
(check-ins) -> completed, or impeded / denied / cancelled with a reason, or withdrawn by the
organisation before departure. *A notification whose automatic checks find a blocking problem
is refused unless the organisation asks the secretariat to decide: it is then held, seen by
nobody else, until the secretariat overrides the findings with a reason or it is amended clean.

Each function checks visibility (404) and its named predicate (403), validates, locks the
movement row, saves in one transaction and appends exactly one audit entry.

Split by concern; callers import `parley.access.services` and find every public name here."""

from parley.access.services.bulk import (
    MAX_BULK_MOVEMENTS,
    BulkOutcome,
    movements_acknowledge_bulk,
)
from parley.access.services.common import (
    CHECK_IN_CLOCK_SLACK,
    MAX_SITE_RADIUS_M,
)
from parley.access.services.hazards import (
    hazard_clear,
    hazard_report,
)
from parley.access.services.movements import (
    coordinate_view_log,
    movement_acknowledge,
    movement_amend,
    movement_cancel,
    movement_check,
    movement_check_in,
    movement_complete,
    movement_deny,
    movement_impede,
    movement_notify,
    movement_object,
    movement_override,
    movement_withdraw,
)
from parley.access.services.sites import (
    site_amend,
    site_notify,
    site_withdraw,
)
from parley.access.services.terms import (
    access_terms_set,
)
from parley.access.services.webhooks import (
    webhook_create,
)

__all__ = [
    "MAX_BULK_MOVEMENTS",
    "BulkOutcome",
    "movements_acknowledge_bulk",
    "CHECK_IN_CLOCK_SLACK",
    "MAX_SITE_RADIUS_M",
    "access_terms_set",
    "coordinate_view_log",
    "hazard_clear",
    "hazard_report",
    "movement_acknowledge",
    "movement_amend",
    "movement_cancel",
    "movement_check",
    "movement_check_in",
    "movement_complete",
    "movement_deny",
    "movement_impede",
    "movement_notify",
    "movement_object",
    "movement_override",
    "movement_withdraw",
    "site_amend",
    "site_notify",
    "site_withdraw",
    "webhook_create",
]
