"""Every read of humanitarian access. Each takes the actor and returns only what the actor may
see; "may not see" and "does not exist" are the same `NotFound`.

Split by concern; callers import `parley.access.selectors` and find every public name here."""

from parley.access.selectors.acknowledgements import (
    AccessPanel,
    Latency,
    MissionSummary,
    Overdue,
    access_panel,
    acknowledgement_deadline,
    acknowledgement_latency,
    acknowledgements_of,
    acknowledging_party_ids,
    awaiting_my_acknowledgement,
    crossed_parties,
    held_movements,
    mission_summary,
    open_movements_of_my_organisation,
    overdue_acknowledgements,
    parties_yet_to_acknowledge,
)
from parley.access.selectors.activity import (
    available_actions,
    movement_audit_trail,
    notifications_of,
    site_audit_trail,
    webhook_deliveries,
    webhook_list,
)
from parley.access.selectors.hazards import (
    hazard_get,
    hazard_list,
    hazards_geojson,
)
from parley.access.selectors.movements import (
    access_terms_list,
    access_terms_of,
    agreements_for_movements,
    check_ins_of,
    coordinate_views,
    movement_get,
    movement_list,
    movement_versions,
    visible_movements,
)
from parley.access.selectors.search import MovementQuery, movement_search
from parley.access.selectors.sites import (
    site_get,
    site_list,
    sites_geojson,
    visible_sites,
)
from parley.access.selectors.versions import (
    FieldChange,
    movement_geojson,
    movement_version_diff,
)

__all__ = [
    "MovementQuery",
    "movement_search",
    "access_terms_list",
    "AccessPanel",
    "FieldChange",
    "Latency",
    "MissionSummary",
    "Overdue",
    "access_panel",
    "access_terms_of",
    "acknowledgement_deadline",
    "acknowledgement_latency",
    "acknowledgements_of",
    "acknowledging_party_ids",
    "agreements_for_movements",
    "available_actions",
    "awaiting_my_acknowledgement",
    "check_ins_of",
    "coordinate_views",
    "crossed_parties",
    "hazard_get",
    "hazard_list",
    "hazards_geojson",
    "held_movements",
    "mission_summary",
    "movement_audit_trail",
    "movement_geojson",
    "movement_get",
    "movement_list",
    "movement_version_diff",
    "movement_versions",
    "notifications_of",
    "open_movements_of_my_organisation",
    "overdue_acknowledgements",
    "parties_yet_to_acknowledge",
    "site_audit_trail",
    "site_get",
    "site_list",
    "sites_geojson",
    "visible_movements",
    "visible_sites",
    "webhook_deliveries",
    "webhook_list",
]
