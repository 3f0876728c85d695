"""CSV exports that a spreadsheet opens without running what a cell says (CSV injection).

OWASP's recommendation: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return is prefixed with a single quote, so that Excel, LibreOffice and Google Sheets show it as
text instead of evaluating `=HYPERLINK(...)`. Numbers stay numbers: an int or a float, and a
text that is a plain number (`-35.2`, `+4`, `1e-3`), is written as it is, so the negative
longitudes of a numeric column are not turned into text.

Every CSV export of Parley writes through `writer` (or `safe_row`); the readers of Parley's own
formats are unchanged, since they read files that other systems made.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The cell as a spreadsheet should receive it: numbers unchanged, a text that a
    spreadsheet would take for a formula prefixed with `'`."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """`csv.writer` whose every row goes through `safe_row`."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: _Writable, **options: Any) -> SafeWriter:
    return SafeWriter(stream, **options)
