"""Every read of monitoring data. Each takes the actor and returns only what the actor may see.

Events follow the agreements they fall in: a party sees an event when it can see an agreement
in whose area, while a window was open, one of the event's reports lies. Monitors and the
secretariat see every incident, event and import. Party accounts: see `rules.can_read_account`.

Split by concern; callers import `parley.monitoring.selectors` and find every public name here."""

from parley.monitoring.selectors.dashboard import (
    AgreementTally,
    Dashboard,
    DayTally,
    grouping_rule,
    monitoring_dashboard,
)
from parley.monitoring.selectors.events import (
    HXL_COLUMNS,
    OPEN_STATUSES,
    Placement,
    event_accounts,
    event_audit_trail,
    event_get,
    event_list,
    event_placement_list,
    event_placements,
    event_reports,
    event_summary_list,
    event_verifications,
    evidence_get,
    import_run_get,
    import_runs,
    incident_list,
    site_alerts,
    visible_events,
    visible_incidents,
)
from parley.monitoring.selectors.exports import (
    EventRow,
    event_rows,
    events_csv,
    events_geojson,
)
from parley.monitoring.selectors.panel import (
    MonitoringPanel,
    PauseViolations,
    monitoring_panel,
)
from parley.monitoring.selectors.search import EventQuery, event_search

__all__ = [
    "EventQuery",
    "event_search",
    "grouping_rule",
    "AgreementTally",
    "Dashboard",
    "DayTally",
    "EventRow",
    "HXL_COLUMNS",
    "MonitoringPanel",
    "OPEN_STATUSES",
    "PauseViolations",
    "Placement",
    "event_accounts",
    "event_audit_trail",
    "event_get",
    "event_list",
    "event_placement_list",
    "event_placements",
    "event_summary_list",
    "event_reports",
    "event_rows",
    "event_verifications",
    "events_csv",
    "events_geojson",
    "evidence_get",
    "import_run_get",
    "import_runs",
    "incident_list",
    "monitoring_dashboard",
    "monitoring_panel",
    "site_alerts",
    "visible_events",
    "visible_incidents",
]
