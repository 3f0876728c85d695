"""Incidents against agreement areas: the rows of docs/formats.md §4, and their CSV."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parley.engines import geo

from .incidents import Incidents, take_arrow, take_texts

HEADER = ("incident_id", "feature_id", "agreement", "relation", "in_window")
_NEEDS_QUOTES = frozenset(',"\n')


def classify_incidents(areas: Sequence[geo.Area], incidents: Incidents) -> list[geo.ClassRow]:
    """One row per related (incident, feature) pair, in incident input order, then in the
    order of the features in their file."""
    prepared = geo.prepare_areas(areas)
    incident_idx, feature_idx, relation, in_window = _classify(prepared, incidents)
    ids = take_texts(incidents.ids, incident_idx)
    return [
        geo.ClassRow(
            incident_id=identifier,
            feature_id=areas[f].id,
            agreement=areas[f].agreement,
            relation=geo.RELATIONS[code],
            in_window=active,
        )
        for identifier, f, code, active in zip(
            ids, feature_idx.tolist(), relation.tolist(), in_window.tolist(), strict=True
        )
    ]


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


@dataclass
class StreamCounts:
    incidents: int = 0
    pairs: int = 0
    candidates: int = 0


def write_classified(
    prepared: Sequence[geo.PreparedArea], batches: Iterable[Incidents], out: BinaryIO
) -> StreamCounts:
    """Classify batch after batch and append their rows to `out` (the header first) as UTF-8:
    the same bytes as `rows_to_csv(classify_incidents(...))` of all the incidents at once, in
    memory bounded by one batch and its rows. The lines are made by Arrow, column-wise."""
    out.write((",".join(HEADER) + "\n").encode())
    # One line ending per (feature, relation, in_window): every row is an id plus one of them.
    endings = pa.array([
        ",".join((_field(p.area.id), _field(p.area.agreement), geo.RELATIONS[code],
                  "true" if active else "false")) + "\n"
        for p in prepared for code in (geo.INSIDE, geo.NEAR) for active in (False, True)
    ])
    counts = StreamCounts()
    for incidents in batches:
        incident_idx, feature_idx, relation, in_window = _classify(prepared, incidents)
        ending = (feature_idx * 2 + (relation.astype(np.int64) - geo.INSIDE)) * 2 + in_window
        lines = pc.binary_join_element_wise(
            _fields(take_arrow(incidents.ids, incident_idx)), endings.take(ending), ","
        )
        out.write(_concatenated(lines))
        counts.incidents += len(incidents)
        counts.pairs += len(incident_idx)
        counts.candidates += int(np.count_nonzero(in_window))
    return counts


def _fields(texts: pa.Array) -> pa.Array:
    """The texts as `_field` writes them, column-wise."""
    needs_quotes = pc.match_substring_regex(texts, '[,"\n]')
    if not pc.any(needs_quotes).as_py():
        return texts
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(texts, '"', '""'), '"', "")
    return pc.if_else(needs_quotes, quoted, texts)


def _concatenated(lines: pa.Array) -> bytes:
    """The UTF-8 bytes of all the texts one after another: Arrow keeps them so already."""
    lines = lines.cast(pa.large_string())
    if len(lines) == 0:
        return b""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[
        lines.offset : lines.offset + len(lines) + 1
    ]
    return cast(bytes, lines.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]])


def _classify(
    prepared: Sequence[geo.PreparedArea], incidents: Incidents
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return geo.classify_arrays(
        prepared, incidents.lon, incidents.lat, incidents.t_ns, incidents.precision_m,
        t_end_ns=incidents.t_end_ns,
    )


def _field(text: str) -> str:
    """The text as Python's csv writer (minimal quoting, `\\n` line ends) writes it: quoted
    when it holds a comma, a quote or a line feed (a lone carriage return is left bare)."""
    if _NEEDS_QUOTES.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'
