"""Incidents as parallel arrays, whatever feed they came from, and the errors of reading them."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pyarrow as pa


class TextColumn(Sequence[str]):
    """A column of text kept as one Arrow array, so that a million incidents are not a million
    Python strings; a string is made only for the rows that are looked at (`take`, `[i]`)."""

    def __init__(self, values: pa.Array | pa.ChunkedArray) -> None:
        self.arrow = values

    def __len__(self) -> int:
        return len(self.arrow)

    def __getitem__(self, index: int | slice) -> Any:  # int -> str, slice -> list[str]
        if isinstance(index, slice):
            return self.arrow[index].to_pylist()
        return self.arrow[index].as_py()

    def __iter__(self) -> Iterator[str]:
        return iter(self.arrow.to_pylist())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextColumn):
            return cast(bool, self.arrow.equals(other.arrow))
        if isinstance(other, list):
            return cast(bool, self.arrow.to_pylist() == other)
        return NotImplemented

    # No `__hash__`: a class that defines `__eq__` gets `__hash__ = None` from Python, so a
    # TextColumn, like a list, is not hashable.

    def __repr__(self) -> str:
        return f"TextColumn({self.arrow.to_pylist()[:5]!r}{'...' if len(self) > 5 else ''})"

    def take(self, indices: np.ndarray) -> list[str]:
        return cast(list[str], self.arrow.take(pa.array(indices, type=pa.int64())).to_pylist())


def take_texts(values: Sequence[str], indices: np.ndarray) -> list[str]:
    """The texts at `indices`, from a list or a `TextColumn` alike."""
    take = getattr(values, "take", None)
    if take is not None:
        return cast(list[str], take(indices))
    return [values[index] for index in indices.tolist()]


def take_arrow(values: Sequence[str], indices: np.ndarray) -> pa.Array:
    """The texts at `indices` as an Arrow array, without a Python string each when the
    texts are Arrow's already."""
    arrow = getattr(values, "arrow", None)
    if arrow is not None:
        return arrow.take(pa.array(indices, type=pa.int64()))
    return pa.array(take_texts(values, indices), type=pa.string())


@dataclass(frozen=True, eq=False)
class Incidents:
    """Point incidents in input order: `t_ns` is the UTC instant in int64 nanoseconds since the
    epoch, `precision_m` the radius of location uncertainty (0 = exact), `attributes` the extra
    columns of the feed, each a sequence of texts parallel to `ids`.

    An incident known only to the day (ACLED) lasts from `t_ns` to `t_end_ns` (exclusive);
    `t_end_ns` is None when every incident is an instant. `notes` are statements the reader
    makes about choices it had to take (such as a day read in UTC for want of a known zone).
    """

    ids: Sequence[str]
    lon: np.ndarray
    lat: np.ndarray
    t_ns: np.ndarray
    precision_m: np.ndarray
    attributes: dict[str, Sequence[str]] = field(default_factory=dict)
    t_end_ns: np.ndarray | None = None
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def times(self) -> np.ndarray:
        return self.t_ns.view("datetime64[ns]")


class IncidentError(ValueError):
    """One problem in an incident file: `line` is the line number in the file (1 = the header),
    or for a Parquet file the row number (1 = the first row, `unit` "row"); `None` for the file
    as a whole; `field` the column, or `None`."""

    def __init__(
        self, line: int | None, field: str | None, reason: str, unit: str = "line"
    ) -> None:
        self.line = line
        self.field = field
        self.reason = reason
        self.unit = unit
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"{self.unit} {self.line}"] if self.line is not None else []
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class IncidentValidationError(ValueError):
    """Every problem found in an incident file; an import is all or nothing."""

    def __init__(self, errors: list[IncidentError]) -> None:
        self.errors = list(errors)
        # The text of every error is made only when asked for: a file of a million bad rows
        # should not hold a second copy of them all as one string.
        super().__init__(f"{len(self.errors)} problems")

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)
