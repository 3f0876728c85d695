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
        self.positions: list[int] = []
        for slot in slots:
            found = [index for index, value in enumerate(self.params)
                     if type(value) is type(slot) and value == slot]
            if len(found) != 1:  # the slot was not compiled as one parameter
                raise ValueError(f"slot {slot!r} found {len(found)} times in {sql!r}")
            self.positions.append(found[0])
        self.width: int = compiler.col_count
        fields = [selected[0] for selected in compiler.select[:compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())

    def rows(self, *values: Any) -> list[list[Any]]:
        """The rows with `values` in the slots, each converted as the ORM converts it."""
        params = list(self.params)
        for position, value in zip(self.positions, values, strict=True):
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
