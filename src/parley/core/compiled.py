"""Reads compiled once per process and run with new values: the API's hot reads (issue 15).

The ORM compiles a query into SQL on every run. For the short reads behind the read API's
endpoints that costs more than the database takes to answer (0.2-0.5 ms a query, against tens
of microseconds), and it is the same SQL every time, only the values differ. A `CompiledRead`
keeps the SQL, the parameters and the columns' converters of a `values_list` queryset built
once, with a *slot* in the place of each value that changes between runs (a code, a key), and
runs it with the values of the moment, through the connection of the running thread, as the ORM
would (`active_token` does the same for the token's lookup).

Only a value compared for equality (`field=slot`) may be a slot: its SQL is the same whatever
the value. Every other value (a party's key in a visibility rule, a status) is part of what was
compiled, and the caller keys its cache by it.
"""

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import QuerySet

# Values no row holds, put where a run's values go: a text with a NUL (PostgreSQL refuses to
# store one) and a negative key (keys start at 1). Found by type and value among the parameters.
TEXT_SLOTS = tuple(f"\x00parley-slot-{number}" for number in range(4))
TEXT_SLOT = TEXT_SLOTS[0]
KEY_SLOT = -2_000_000_011


class CompiledRead:
    """A `values_list` queryset's SQL, compiled once, run with new values in its slots."""

    def __init__(self, queryset: QuerySet[Any], slots: Sequence[str | int] = ()) -> None:
        compiler = queryset.query.get_compiler(DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()
        self.sql: str = sql
        self.params: tuple[Any, ...] = tuple(params)
        # The parameters each slot's value goes to (one; several in a joined read).
        self.positions: list[list[int]] = []
        for slot in slots:
            found = [index for index, value in enumerate(self.params)
                     if type(value) is type(slot) and value == slot]
            if len(found) != 1:  # the slot was not compiled as one parameter
                raise ValueError(f"slot {slot!r} found {len(found)} times in {sql!r}")
            self.positions.append(found)
        self.width: int = compiler.col_count
        self.columns: list[str] = [alias for _, _, alias in compiler.select[:compiler.col_count]]
        fields = [selected[0] for selected in compiler.select[:compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())

    def left_join(self, other: "CompiledRead", *, on: tuple[str, str],
                  order_by: Sequence[str]) -> "CompiledRead":
        """One read for two: this one's rows, each with the rows of `other` whose column
        `on[1]` equals this one's `on[0]` (or NULLs where none does), in the order of the
        columns `order_by` (this read's, or else `other`'s; a leading "-" for descending).
        `other` has no slots or the same as this one, in the same order: each value then goes
        to both."""
        if other.positions and len(other.positions) != len(self.positions):
            raise ValueError("a joined read has no slots or those of the read it joins")
        quote = connection.ops.quote_name

        def column(name: str) -> str:
            for side, read in (("l", self), ("r", other)):
                if name in read.columns:
                    return f"{side}.{quote(name)}"
            raise ValueError(f"no column {name!r} in {self.columns} or {other.columns}")

        if on[0] not in self.columns or on[1] not in other.columns:
            raise ValueError(f"no column to join on: {on!r}")
        order = ", ".join(column(name.removeprefix("-"))
                          + (" DESC" if name.startswith("-") else " ASC") for name in order_by)
        joined = object.__new__(CompiledRead)
        # Both parts are SQL the ORM compiled, with their values as parameters.
        joined.sql = (f"SELECT l.*, r.* FROM ({self.sql}) l LEFT JOIN ({other.sql}) r "  # noqa: S608
                      f"ON r.{quote(on[1])} = l.{quote(on[0])} ORDER BY {order}")
        joined.params = self.params + other.params
        shift = len(self.params)
        joined.positions = [mine + [index + shift for index in theirs]
                            for mine, theirs in zip(self.positions,
                                                    other.positions or [[]] * len(self.positions),
                                                    strict=True)]
        joined.width = self.width + other.width
        joined.columns = self.columns + other.columns
        joined.converters = self.converters + [(position + self.width, converter)
                                               for position, converter in other.converters]
        return joined

    def rows(self, *values: Any) -> list[list[Any]]:
        """The rows with `values` in the slots, each converted as the ORM converts it."""
        params = list(self.params)
        for positions, value in zip(self.positions, values, strict=True):
            for position in positions:
                params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        rows = [list(row[:self.width]) for row in fetched]
        for row in rows:
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
        return rows
