"""Errors of the matcher, each naming the row, the field and the reason (plain English)."""


class PersonListError(ValueError):
    """Every bad row of a person list, not just the first: `rows` holds (row_number, field,
    reason) with row_number as a spreadsheet shows it (the header is row 1; 0 for a problem
    with the file as a whole) and field the column name, or None."""

    def __init__(self, rows: list[tuple[int, str | None, str]]) -> None:
        self.rows = list(rows)
        super().__init__("\n".join(self.describe(row) for row in self.rows))

    @staticmethod
    def describe(row: tuple[int, str | None, str]) -> str:
        number, field, reason = row
        where = [f"row {number}"] if number else []
        if field:
            where.append(field)
        return f"{', '.join(where)}: {reason}" if where else reason
