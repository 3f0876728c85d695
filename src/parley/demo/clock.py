"""Dates the demo scenario is built around."""

from datetime import date, timedelta


def _last_sunday_of_march(year: int) -> date:
    last_day = date(year, 3, 31)
    return last_day - timedelta(days=(last_day.weekday() + 1) % 7)


def next_spring_dst_change(today: date) -> date:
    """The last Sunday of March (EU clocks go forward; 28 March in 2027) after `today`."""
    change = _last_sunday_of_march(today.year)
    return change if change > today else _last_sunday_of_march(today.year + 1)
