"""Monitoring: incident feeds read into arrays, and their classification against agreement
areas (FORMATS §3–4)."""

from .classify import HEADER, classify_incidents, rows_to_csv
from .incidents import IncidentError, Incidents, IncidentValidationError
from .parley_csv import COLUMNS, parse_parley_csv, read_parley_csv

__all__ = [
    "COLUMNS",
    "HEADER",
    "IncidentError",
    "IncidentValidationError",
    "Incidents",
    "classify_incidents",
    "parse_parley_csv",
    "read_parley_csv",
    "rows_to_csv",
]
