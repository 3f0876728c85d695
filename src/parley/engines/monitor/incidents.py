"""Incidents as parallel arrays, whatever feed they came from, and the errors of reading them."""

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class Incidents:
    """Point incidents in input order: `t_ns` is the UTC instant in int64 nanoseconds since the
    epoch, `precision_m` the radius of location uncertainty (0 = exact), `attributes` the extra
    columns of the feed, each a list parallel to `ids`."""

    ids: list[str]
    lon: np.ndarray
    lat: np.ndarray
    t_ns: np.ndarray
    precision_m: np.ndarray
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def times(self) -> np.ndarray:
        return self.t_ns.view("datetime64[ns]")


class IncidentError(ValueError):
    """One problem in an incident file: `line` is the line number in the file (1 = the header),
    `None` for the file as a whole; `field` the column, or `None`."""

    def __init__(self, line: int | None, field: str | None, reason: str) -> None:
        self.line = line
        self.field = field
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class IncidentValidationError(ValueError):
    """Every problem found in an incident file; an import is all or nothing."""

    def __init__(self, errors: list[IncidentError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))
