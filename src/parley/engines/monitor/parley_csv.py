"""Parley's own incident CSV (docs/formats.md §3): `id, lat, lon, time, precision_m`, UTF-8, header
required, extra columns kept as attributes.

Fast path: whole Arrow columns. Exact path: columns are converted whole to arrays; a cell-by-cell
pass runs only to name the bad cells of a column that failed, and for the times, which Python
parses faster than NumPy can with offsets.
"""

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parley.engines import bounds

from . import columns as col
from .incidents import IncidentError, Incidents, TextColumn
from .tabular import Feed, parse_text, read_exact

COLUMNS = ("id", "lat", "lon", "time", "precision_m")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PRECISION = bounds.RANGES["precision_m"]


def read_parley_csv(path: str | Path) -> Incidents:
    """Read and validate a whole file; raises `IncidentValidationError` naming every bad row."""
    return read_exact(Path(path), PARLEY)


def parse_parley_csv(text: str) -> Incidents:
    return parse_text(text, PARLEY)


def _fast(columns: dict[str, pa.Array], header: list[str]) -> Incidents | None:
    ids = pc.utf8_trim_whitespace(col.texts(columns["id"]))
    lat = col.floats(columns["lat"])
    lon = col.floats(columns["lon"])
    t_ns = col.instants_ns(columns["time"])
    precision = _fast_precisions(columns["precision_m"])
    extra = [name for name in header if name not in COLUMNS]
    if (
        col.any_empty(ids)
        or not col.within(lat, 90.0)
        or not col.within(lon, 180.0)
        or t_ns is None
        or precision is None
        or any(col.any_leading_space(columns[name]) for name in extra)
    ):
        return None
    return Incidents(
        ids=TextColumn(ids),
        lon=lon,
        lat=lat,
        t_ns=t_ns,
        precision_m=precision,
        attributes={name: TextColumn(col.texts(columns[name])) for name in extra},
    )


def _fast_precisions(column: pa.Array) -> np.ndarray | None:
    if pa.types.is_string(column.type):
        column = pc.if_else(pc.equal(column, ""), "0", column)
    values = col.floats(column)
    if values is None or not bool(np.all((values >= 0) & (values <= _PRECISION.high))):
        return None
    return values


def _exact(
    cells: dict[str, list[str]], lines: np.ndarray, unit: str
) -> tuple[Incidents | None, list[IncidentError]]:
    extra = [name for name in cells if name not in COLUMNS]
    ids = [value.strip() for value in cells["id"]]
    # Repeated ids are found by the reader across the whole file (`Feed.id_column`).
    errors = [IncidentError(int(line), "id", "is empty", unit)
              for identifier, line in zip(ids, lines.tolist(), strict=True) if not identifier]
    lat, lat_errors = _coordinates(cells["lat"], lines, "lat", 90.0, unit)
    lon, lon_errors = _coordinates(cells["lon"], lines, "lon", 180.0, unit)
    t_ns, time_errors = _instants(cells["time"], lines, unit)
    precision, precision_errors = _precisions(cells["precision_m"], lines, unit)
    errors += lat_errors + lon_errors + time_errors + precision_errors
    if errors:
        return None, errors
    incidents = Incidents(
        ids=ids,
        lon=lon,
        lat=lat,
        t_ns=t_ns,
        precision_m=precision,
        attributes={name: cells[name] for name in extra},
    )
    return incidents, []


PARLEY = Feed(
    name="parley",
    columns=COLUMNS,
    header_line=f"the header line {','.join(COLUMNS)}",
    header_hint=f"a Parley incident file starts with the header line {','.join(COLUMNS)}",
    fast=_fast,
    exact=_exact,
    id_column="id",
)


def _floats(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The values as floats (NaN where a cell is empty or not a number) and which cells were
    not numbers at all."""
    try:
        numbers = np.array(values, dtype=np.float64).reshape(len(values))
        return numbers, np.zeros(len(values), dtype=bool)
    except ValueError:
        numbers = np.full(len(values), np.nan)
        unreadable = np.zeros(len(values), dtype=bool)
        for index, value in enumerate(values):
            try:
                numbers[index] = float(value) if value.strip() else np.nan
            except ValueError:
                unreadable[index] = True
        return numbers, unreadable


def _coordinates(
    values: list[str], lines: np.ndarray, name: str, limit: float, unit: str
) -> tuple[np.ndarray, list[IncidentError]]:
    numbers, unreadable = _floats(values)
    errors = []
    for index in np.flatnonzero(unreadable | ~(np.abs(numbers) <= limit)).tolist():
        value = values[index].strip()
        if not value:
            reason = "is empty"
        elif unreadable[index] or not np.isfinite(numbers[index]):
            reason = f"{value!r} is not a number"
        else:
            reason = (
                f"{value} is outside ±{limit:g} (are lat and lon swapped? lat is the "
                "latitude, -90 to 90; lon the longitude, -180 to 180)"
            )
        errors.append(IncidentError(int(lines[index]), name, reason, unit))
    return numbers, errors


def _precisions(
    values: list[str], lines: np.ndarray, unit: str
) -> tuple[np.ndarray, list[IncidentError]]:
    numbers, unreadable = _floats(values)
    empty = np.array([not value.strip() for value in values], dtype=bool)
    numbers[empty] = 0.0
    errors = []
    bad = unreadable | ~(numbers >= 0) | ~(numbers <= _PRECISION.high)
    for index in np.flatnonzero(bad).tolist():
        value = values[index].strip()
        if unreadable[index] or not np.isfinite(numbers[index]):
            reason = f"{value!r} is not a number of metres"
        elif numbers[index] > _PRECISION.high:
            reason = f"must be from {_PRECISION.text()} ({value}): {_PRECISION.why}"
        else:
            reason = f"must not be negative ({value}); 0 or empty means an exact location"
        errors.append(IncidentError(int(lines[index]), "precision_m", reason, unit))
    return numbers, errors


def _instants(
    values: list[str], lines: np.ndarray, unit: str
) -> tuple[np.ndarray, list[IncidentError]]:
    t_ns = np.zeros(len(values), dtype=np.int64)
    errors = []
    for index, value in enumerate(values):
        text = value.strip()
        line = int(lines[index])
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            reason = "is empty" if not text else f"{text!r} is not an ISO 8601 date and time"
            errors.append(IncidentError(line, "time", reason, unit))
            continue
        if moment.tzinfo is None or moment.utcoffset() is None:
            errors.append(
                IncidentError(
                    line,
                    "time",
                    f"{text!r} has no UTC offset: write it with its offset (such as +02:00) or "
                    "Z; a time without one is not guessed",
                    unit,
                )
            )
            continue
        # Checked before any arithmetic: 9999-12-31T23:00:00-01:00 is past datetime's own end
        # in UTC, and converting it would overflow (issue 8, finding 11).
        if bounds.instant_problem(moment) is not None:
            errors.append(
                IncidentError(
                    line, "time", f"{text!r} is outside {bounds.SPAN_TEXT}", unit
                )
            )
            continue
        elapsed = moment - _EPOCH
        t_ns[index] = (
            (elapsed.days * 86_400 + elapsed.seconds) * 1_000_000_000
            + elapsed.microseconds * 1_000
        )
    return t_ns, errors
