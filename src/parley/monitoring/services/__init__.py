"""Every write to monitoring: imports, reports, classification, grouping, verification, accounts.

Incidents never go row by row through the ORM: a feed is read by the monitor engine into arrays,
inserted with `bulk_create` in batches (idempotent by source and id), and classified by the geo
engine in chunks of arrays. An import is all or nothing; a rejected one leaves its report.

Parley never attributes responsibility: a candidate violation is an incident in an area while a
window is open; only a monitor confirms a violation, and nothing here names who caused it.

Split by concern; callers import `parley.monitoring.services` and find every public name here."""

from parley.monitoring.services.bulk import (
    BULK_STEPS,
    MAX_BULK_EVENTS,
    BulkOutcome,
    events_verify_bulk,
)
from parley.monitoring.services.classification import (
    reclassify_agreement,
    reclassify_sites,
    reclassify_stale,
    reclassify_stale_agreements,
    reclassify_stale_sites,
)
from parley.monitoring.services.common import (
    BATCH_SIZE,
    CLASSIFY_CHUNK,
    FEED_KINDS,
    IMPORT_BATCH_ROWS,
    LOOKUP_CHUNK,
    MAX_EVIDENCE_BYTES,
    NOT_KEPT,
    REPORT_TYPES,
    SOURCE_NAMES,
    TRANSITIONS,
    monitoring_settings,
    source_for,
)
from parley.monitoring.services.imports import (
    import_process,
    import_queue,
    import_run,
    incidents_import,
)
from parley.monitoring.services.reports import (
    incidents_ingest,
    monitor_report,
)
from parley.monitoring.services.settings import (
    monitoring_settings_update,
)
from parley.monitoring.services.verification import (
    event_confirm,
    event_dismiss,
    event_mark_unverifiable,
    event_start_review,
    party_account_attach,
)

__all__ = [
    "BULK_STEPS",
    "MAX_BULK_EVENTS",
    "BulkOutcome",
    "events_verify_bulk",
    "BATCH_SIZE",
    "CLASSIFY_CHUNK",
    "FEED_KINDS",
    "IMPORT_BATCH_ROWS",
    "LOOKUP_CHUNK",
    "MAX_EVIDENCE_BYTES",
    "NOT_KEPT",
    "REPORT_TYPES",
    "SOURCE_NAMES",
    "TRANSITIONS",
    "event_confirm",
    "event_dismiss",
    "event_mark_unverifiable",
    "event_start_review",
    "import_process",
    "import_queue",
    "import_run",
    "incidents_import",
    "incidents_ingest",
    "monitor_report",
    "monitoring_settings",
    "monitoring_settings_update",
    "party_account_attach",
    "reclassify_agreement",
    "reclassify_sites",
    "reclassify_stale",
    "reclassify_stale_agreements",
    "reclassify_stale_sites",
    "source_for",
]
