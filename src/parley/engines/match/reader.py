"""Reading a person list (docs/formats.md §6; details in docs/matching.md) from CSV or XLSX.

All or nothing: every row is checked and every problem is reported together.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path

from .errors import PersonListError
from .normalise import DateError, parse_date

COLUMNS = (
    "record_id", "family_name", "given_name", "patronymic", "date_of_birth", "place_of_birth",
    "military_unit", "service_number", "rank", "category", "sex", "date_of_capture",
    "place_of_capture", "health",
)
DATE_COLUMNS = ("date_of_birth", "date_of_capture")
NAME_COLUMNS = ("family_name", "given_name")


def read_person_list(source: str | Path | bytes, *, filename: str) -> list[dict[str, str]]:
    """The rows of a person list as dicts of text (values stripped; every column of the file is
    kept, the docs/formats.md §6 ones and any other). `filename` decides the format: *.xlsx is read
    as a workbook (its first sheet), anything else as UTF-8 CSV. Raises PersonListError with every
    bad row: no record_id column, an empty or repeated record_id, a row without a family or a given
    name, a date that cannot be read."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        table = _workbook_rows(data)
    else:
        table = _csv_rows(data)
    return _validated(table)


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        raise PersonListError([(line, None, "is not UTF-8 text")]) from None
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as problem:
        raise PersonListError([(0, None, f"is not CSV: {problem}")]) from None


def _workbook_rows(data: bytes) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as problem:  # calamine raises its own error kinds for broken files
        raise PersonListError([(0, None, f"is not a readable workbook: {problem}")]) from None
    return [[_cell_text(cell) for cell in row] for row in rows]


def _cell_text(cell: object) -> str:
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)


def _validated(table: Iterable[list[str]]) -> list[dict[str, str]]:
    rows = iter(table)
    header = [name.strip() for name in next(rows, [])]
    problems: list[tuple[int, str | None, str]] = []
    if "record_id" not in header:
        raise PersonListError([(1, "record_id", "the header has no record_id column")])
    repeated = {name for name in header if name and header.count(name) > 1}
    for name in sorted(repeated):
        problems.append((1, name, "the column appears more than once"))
    if not any(name in header for name in NAME_COLUMNS):
        problems.append((1, None, "the header has neither family_name nor given_name"))
    records: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            problems.append((number, None, f"has {len(row)} cells, the header {len(header)}"))
        record = {name: (row[i].strip() if i < len(row) else "")
                  for i, name in enumerate(header) if name}
        identifier = record["record_id"]
        if not identifier:
            problems.append((number, "record_id", "is empty"))
        elif identifier in seen:
            problems.append(
                (number, "record_id", f"{identifier!r} is already row {seen[identifier]}"))
        else:
            seen[identifier] = number
        if not any(record.get(name) for name in NAME_COLUMNS):
            problems.append((number, "family_name", "neither a family name nor a given name"))
        for name in DATE_COLUMNS:
            if record.get(name):
                try:
                    parse_date(record[name])
                except DateError as problem:
                    problems.append((number, name, str(problem)))
        records.append(record)
    if problems:
        raise PersonListError(problems)
    return records
