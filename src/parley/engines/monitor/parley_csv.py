"""Parley's own incident CSV (FORMATS §3): `id, lat, lon, time, precision_m`, UTF-8, header
required, extra columns kept as attributes.

Columns are converted whole to arrays; a cell-by-cell pass runs only to name the bad cells of a
column that failed, and for the times, which Python parses faster than NumPy can with offsets.
"""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .incidents import IncidentError, Incidents, IncidentValidationError

COLUMNS = ("id", "lat", "lon", "time", "precision_m")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# datetime64[ns] covers 1677-09-21 to 2262-04-11; whole years inside keep the message simple.
_FIRST_YEAR, _LAST_YEAR = 1678, 2261


def read_parley_csv(path: str | Path) -> Incidents:
    """Read and validate a whole file; raises `IncidentValidationError` naming every bad row."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw[: problem.start].count(b"\n") + 1
        raise IncidentValidationError(
            [IncidentError(line, None, f"is not UTF-8 text (byte 0x{raw[problem.start]:02x})")]
        ) from None
    return parse_parley_csv(text)


def parse_parley_csv(text: str) -> Incidents:
    header, rows, lines, errors = _split(text.removeprefix("\ufeff"))
    if header is None:
        raise IncidentValidationError(errors)
    column_of = {name: index for index, name in enumerate(header)}
    extra = [name for name in header if name not in COLUMNS]

    cells = {name: [row[column_of[name]] for row in rows] for name in header}
    ids = [value.strip() for value in cells["id"]]
    errors += _id_errors(ids, lines)
    lat, lat_errors = _coordinates(cells["lat"], lines, "lat", 90.0)
    lon, lon_errors = _coordinates(cells["lon"], lines, "lon", 180.0)
    t_ns, time_errors = _instants(cells["time"], lines)
    precision, precision_errors = _precisions(cells["precision_m"], lines)
    errors += lat_errors + lon_errors + time_errors + precision_errors
    if errors:
        order = {name: rank for rank, name in enumerate((None, *COLUMNS))}
        errors.sort(key=lambda e: (e.line or 0, order.get(e.field, len(order))))
        raise IncidentValidationError(errors)
    return Incidents(
        ids=ids,
        lon=lon,
        lat=lat,
        t_ns=t_ns,
        precision_m=precision,
        attributes={name: cells[name] for name in extra},
    )


def _split(
    text: str,
) -> tuple[list[str] | None, list[list[str]], np.ndarray, list[IncidentError]]:
    """The header, the data rows of the header's width with their line numbers, and the
    errors of the file's shape (no header, missing columns, rows of the wrong width)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, skipinitialspace=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    errors: list[IncidentError] = []
    try:
        for record in reader:
            if not record or record == [""]:
                continue
            if header is None:
                header = [_column_name(name) for name in record]
                errors += _header_errors(header, reader.line_num)
                if errors:
                    return None, [], np.zeros(0, int), errors
                continue
            if len(record) != len(header):
                errors.append(
                    IncidentError(
                        reader.line_num,
                        None,
                        f"has {len(record)} fields but the header has {len(header)} "
                        f"({', '.join(header)})",
                    )
                )
                continue
            rows.append(record)
            lines.append(reader.line_num)
    except csv.Error as problem:
        errors.append(IncidentError(reader.line_num, None, f"is not valid CSV: {problem}"))
        return None, [], np.zeros(0, int), errors
    if header is None:
        errors.append(
            IncidentError(None, None, f"is empty: the header line {','.join(COLUMNS)} is required")
        )
    return header, rows, np.array(lines, dtype=int), errors


def _column_name(name: str) -> str:
    """Header names are matched without surrounding spaces, and the five of the format
    whatever their case (`ID`, `Lat`), which spreadsheets like to change."""
    name = name.strip()
    return name.lower() if name.lower() in COLUMNS else name


def _header_errors(header: list[str], line: int) -> list[IncidentError]:
    missing = [name for name in COLUMNS if name not in header]
    twice = sorted({name for name in header if header.count(name) > 1})
    errors = []
    if missing:
        errors.append(
            IncidentError(
                line,
                None,
                f"the header lacks the column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}; a Parley incident file starts with the header line "
                f"{','.join(COLUMNS)}",
            )
        )
    if twice:
        errors.append(IncidentError(line, None, f"the header repeats {', '.join(twice)}"))
    return errors


def _id_errors(ids: list[str], lines: np.ndarray) -> list[IncidentError]:
    errors = []
    first_line: dict[str, int] = {}
    for identifier, line in zip(ids, lines.tolist(), strict=True):
        if not identifier:
            errors.append(IncidentError(line, "id", "is empty"))
        elif identifier in first_line:
            errors.append(
                IncidentError(
                    line, "id", f"{identifier!r} is used twice: line {first_line[identifier]} "
                    "has the same id"
                )
            )
        else:
            first_line[identifier] = line
    return errors


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
    values: list[str], lines: np.ndarray, name: str, limit: float
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
        errors.append(IncidentError(int(lines[index]), name, reason))
    return numbers, errors


def _precisions(values: list[str], lines: np.ndarray) -> tuple[np.ndarray, list[IncidentError]]:
    numbers, unreadable = _floats(values)
    empty = np.array([not value.strip() for value in values], dtype=bool)
    numbers[empty] = 0.0
    errors = []
    for index in np.flatnonzero(unreadable | ~(numbers >= 0) | np.isinf(numbers)).tolist():
        value = values[index].strip()
        if unreadable[index] or not np.isfinite(numbers[index]):
            reason = f"{value!r} is not a number of metres"
        else:
            reason = f"must not be negative ({value}); 0 or empty means an exact location"
        errors.append(IncidentError(int(lines[index]), "precision_m", reason))
    return numbers, errors


def _instants(values: list[str], lines: np.ndarray) -> tuple[np.ndarray, list[IncidentError]]:
    t_ns = np.zeros(len(values), dtype=np.int64)
    errors = []
    for index, value in enumerate(values):
        text = value.strip()
        line = int(lines[index])
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            reason = "is empty" if not text else f"{text!r} is not an ISO 8601 date and time"
            errors.append(IncidentError(line, "time", reason))
            continue
        if moment.tzinfo is None or moment.utcoffset() is None:
            errors.append(
                IncidentError(
                    line,
                    "time",
                    f"{text!r} has no UTC offset: write it with its offset (such as +02:00) or "
                    "Z; a time without one is not guessed",
                )
            )
            continue
        if not _FIRST_YEAR <= moment.astimezone(UTC).year <= _LAST_YEAR:
            errors.append(
                IncidentError(line, "time", f"{text!r} is outside {_FIRST_YEAR}–{_LAST_YEAR}")
            )
            continue
        elapsed = moment - _EPOCH
        t_ns[index] = (
            (elapsed.days * 86_400 + elapsed.seconds) * 1_000_000_000
            + elapsed.microseconds * 1_000
        )
    return t_ns, errors
