"""Monitoring: incident feeds read into arrays, and their classification against agreement
areas (docs/formats.md §3–4)."""

from .acled import ACLED
from .classify import HEADER, classify_incidents, rows_to_csv, write_classified
from .feeds import FEEDS
from .firms import FIRMS
from .incidents import IncidentError, Incidents, IncidentValidationError, TextColumn
from .parley_csv import COLUMNS, PARLEY, parse_parley_csv, read_parley_csv
from .tabular import BATCH_ROWS, Feed, NeedsExactReading, exact_batches, fast_batches, read_exact

__all__ = [
    "ACLED",
    "BATCH_ROWS",
    "COLUMNS",
    "FEEDS",
    "FIRMS",
    "HEADER",
    "PARLEY",
    "Feed",
    "IncidentError",
    "IncidentValidationError",
    "Incidents",
    "NeedsExactReading",
    "TextColumn",
    "classify_incidents",
    "exact_batches",
    "fast_batches",
    "parse_parley_csv",
    "read_exact",
    "read_parley_csv",
    "rows_to_csv",
    "write_classified",
]
