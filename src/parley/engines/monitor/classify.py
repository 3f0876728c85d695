"""Incidents against agreement areas: the rows of FORMATS §4, and their CSV."""

import csv
import io
from collections.abc import Sequence

from parley.engines import geo

from .incidents import Incidents

HEADER = ("incident_id", "feature_id", "agreement", "relation", "in_window")


def classify_incidents(areas: Sequence[geo.Area], incidents: Incidents) -> list[geo.ClassRow]:
    """One row per related (incident, feature) pair, in incident input order, then in the
    order of the features in their file."""
    return geo.classify_points(
        areas, incidents.ids, incidents.lon, incidents.lat, incidents.times,
        incidents.precision_m,
    )


def rows_to_csv(rows: Sequence[geo.ClassRow]) -> str:
    """The CSV text: a header line, then one line per row, `\\n` line ends, UTF-8 safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(
        (row.incident_id, row.feature_id, row.agreement, row.relation,
         "true" if row.in_window else "false")
        for row in rows
    )
    return buffer.getvalue()
