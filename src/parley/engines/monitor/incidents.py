"""Incidents as parallel arrays, whatever feed they came from, and the errors of reading them."""

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
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


# A value quoted in a reason ('abc', "x"), or a number: left out when problems are counted by
# reason, so that a million rows with the same fault count as one reason; so is the line a
# repeated id was first used on.
_VALUES_IN_REASON = re.compile(
    r"'[^']*'|\"[^\"]*\"|^[-+]?\d[\d.,eE+-]*|\([-+]?\d[\d.,eE+-]*\)|(?<=line )\d+|(?<=row )\d+"
)
# Distinct (field, reason) pairs counted at most; further ones are counted together per field
# under OTHER_REASONS.
REASONS_COUNTED = 50
OTHER_REASONS = "other reasons"


def reason_kind(reason: str) -> str:
    """The reason without the values it quotes: what problems are counted by."""
    return _VALUES_IN_REASON.sub("…", reason)


def count_by_reason(
    errors: Iterable[IncidentError], counts: "Counter[tuple[str | None, str]] | None" = None
) -> "Counter[tuple[str | None, str]]":
    """Add the errors to `counts` by (field, reason without its values), at most
    `REASONS_COUNTED` distinct pairs (the others under (field, OTHER_REASONS))."""
    counts = Counter() if counts is None else counts
    for error in errors:
        key = (error.field, reason_kind(error.reason))
        if key not in counts and len(counts) >= REASONS_COUNTED:
            key = (error.field, OTHER_REASONS)
        counts[key] += 1
    return counts


class IncidentValidationError(ValueError):
    """The problems found in an incident file; an import is all or nothing.

    `errors` are the first problems in the file's order (by line, then column), at most as many
    as the reader was asked to keep; `total` counts every problem and `counts` counts them by
    (field, reason without its values), so that a file of a million bad rows costs a few
    hundred error objects, not a million (issue 8, finding 12)."""

    def __init__(
        self,
        errors: list[IncidentError],
        total: int | None = None,
        counts: "Counter[tuple[str | None, str]] | None" = None,
    ) -> None:
        self.errors = list(errors)
        self.total = len(self.errors) if total is None else total
        self.counts = count_by_reason(self.errors) if counts is None else counts
        # The text of every error is made only when asked for.
        super().__init__(f"{self.total} problems")

    @property
    def more(self) -> int:
        """How many problems are counted but not kept."""
        return self.total - len(self.errors)

    def __str__(self) -> str:
        lines = [str(error) for error in self.errors]
        if self.more:
            lines.append(f"... and {self.more} more problems ({self.total} in all)")
        return "\n".join(lines)


def concatenate(batches: list[Incidents]) -> Incidents:
    """One `Incidents` of batches read in turn (the exact reader's chunks)."""
    if len(batches) == 1:
        return batches[0]
    first = batches[0]
    ends = [batch.t_end_ns for batch in batches]
    notes = dict.fromkeys(note for batch in batches for note in batch.notes)
    return Incidents(
        ids=_texts([batch.ids for batch in batches]),
        lon=np.concatenate([batch.lon for batch in batches]),
        lat=np.concatenate([batch.lat for batch in batches]),
        t_ns=np.concatenate([batch.t_ns for batch in batches]),
        precision_m=np.concatenate([batch.precision_m for batch in batches]),
        attributes={name: _texts([batch.attributes[name] for batch in batches])
                    for name in first.attributes},
        t_end_ns=None if any(end is None for end in ends)
        else np.concatenate([end for end in ends if end is not None]),
        notes=tuple(notes),
    )


def _texts(parts: list[Sequence[str]]) -> Sequence[str]:
    if all(isinstance(part, TextColumn) for part in parts):
        arrays = [cast(TextColumn, part).arrow for part in parts]
        chunks = [chunk for array in arrays
                  for chunk in (array.chunks if isinstance(array, pa.ChunkedArray) else [array])]
        return TextColumn(pa.concat_arrays([chunk.cast(pa.string()) for chunk in chunks])
                          if chunks else pa.array([], type=pa.string()))
    joined = getattr(type(parts[0]), "concatenate", None)
    if joined is not None and all(type(part) is type(parts[0]) for part in parts):
        return cast(Sequence[str], joined(parts))
    return [text for part in parts for text in part]
