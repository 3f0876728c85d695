"""The one place that declares what Parley accepts as a number or a date (docs/security.md,
"Inputs: ranges, dates, uploads, exports").

Every numeric field has a named `Range`; services check input against it (naming the field,
the row and the reason), API schemas and forms take their bounds from it, and reads clamp a
stored value that lies outside it instead of failing on it. Every date lies in the supported
span `EARLIEST`..`LATEST`.

Pure Python, so the engines (which never import Django) use the same bounds as the apps.
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any


def gettext_noop(text: str) -> str:
    """Marks a unit for translation; the apps translate it when they show it."""
    return text


# The supported span of dates and times, in UTC. The engines compare instants as NumPy
# datetime64[ns], which holds 1677-09-21 to 2262-04-11; whole years inside keep the message
# simple and leave room for a window's or a deadline's arithmetic at both ends.
FIRST_YEAR, LAST_YEAR = 1678, 2261
EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LATEST = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC)  # exclusive
FIRST_DAY, LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
SPAN_TEXT = f"{FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31 (UTC)"


@dataclass(frozen=True)
class Range:
    """A closed interval `[low, high]` of a field's values, in `unit`; `integer` fields take
    whole numbers only."""

    name: str
    low: float
    high: float
    unit: str
    integer: bool = False
    why: str = ""

    def problem(self, value: Any) -> str | None:
        """None when `value` is acceptable, otherwise the reason in English."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "a whole number" if self.integer else "a number"
            return f"must be {kind} of {self.unit}, not {value!r}"
        if self.integer and not (isinstance(value, int) or float(value).is_integer()):
            return f"must be a whole number of {self.unit} ({value!r})"
        if not math.isfinite(value) or not self.low <= value <= self.high:
            return f"must be from {self.text()} ({_shown(value)})"
        return None

    def text(self) -> str:
        return f"{_shown(self.low)} to {_shown(self.high)} {self.unit}"

    def clamp(self, value: Any, default: float | None = None) -> Any:
        """A stored value brought back inside the range for reading: never trusted on read.
        A value that is not a number at all (or NaN) reads as `default`."""
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            return default
        clamped = min(max(value, self.low), self.high)
        return int(clamped) if self.integer else clamped

    def contains(self, value: Any) -> bool:
        return self.problem(value) is None


def _shown(number: float) -> str:
    if isinstance(number, float) and not math.isfinite(number):
        return str(number)
    if float(number).is_integer() and abs(number) < 1e15:
        return f"{int(number):,}".replace(",", " ")
    return f"{number:g}"


_R = Range
RANGES: dict[str, Range] = {
    r.name: r
    for r in (
        _R("lat", -90, 90, gettext_noop("degrees"), why="WGS 84 latitude"),
        _R("lon", -180, 180, gettext_noop("degrees"), why="WGS 84 longitude"),
        _R(
            "precision_m",
            0,
            100_000,
            gettext_noop("metres"),
            why="an incident's location uncertainty: ACLED's region level is 25 km; beyond "
            "100 km a report locates nothing",
        ),
        _R(
            "width_m",
            0.001,
            200_000,
            gettext_noop("metres"),
            why="a corridor's or a site's full width: wider than 200 km is not a corridor",
        ),
        _R(
            "radius_m",
            1,
            50_000,
            gettext_noop("metres"),
            integer=True,
            why="a notified site's protective radius",
        ),
        _R(
            "hazard_buffer_m",
            0,
            100_000,
            gettext_noop("metres"),
            why="a distance kept from hazards",
        ),
        _R(
            "ack_deadline_h",
            1,
            24 * 366,
            gettext_noop("hours"),
            integer=True,
            why="a year at most to acknowledge a notification",
        ),
        _R(
            "lead_time_h",
            0,
            24 * 366,
            gettext_noop("hours"),
            integer=True,
            why="a year at most between notification and departure",
        ),
        _R(
            "margin_min",
            0,
            24 * 60,
            gettext_noop("minutes"),
            integer=True,
            why="a day at most of safety margin before a window closes",
        ),
        _R(
            "max_vehicles",
            0,
            10_000,
            gettext_noop("vehicles"),
            integer=True,
            why="the largest convoy an agreement allows",
        ),
        _R("cargo_quantity", 0, 1e9, gettext_noop("units"), why="one item's quantity per movement"),
        _R("speed_kmh", 0.1, 300, gettext_noop("km/h"), why="a convoy's average speed"),
        _R(
            "group_distance_m",
            0,
            100_000,
            gettext_noop("metres"),
            integer=True,
            why="the distance within which reports are grouped into one event",
        ),
        _R(
            "group_minutes",
            0,
            7 * 24 * 60,
            gettext_noop("minutes"),
            integer=True,
            why="the time within which reports are grouped into one event",
        ),
        _R(
            "calendar_days",
            1,
            62,
            gettext_noop("days"),
            integer=True,
            why="the days one calendar page shows",
        ),
        _R(
            "area_km2",
            0,
            1_000_000,
            gettext_noop("km²"),
            why="an agreement's area: larger than a large country is refused",
        ),
    )
}


def range_of(name: str) -> Range:
    return RANGES[name]


def clamp(name: str, value: Any, default: float | None = None) -> Any:
    return RANGES[name].clamp(value, default)


def instant_problem(moment: datetime) -> str | None:
    """None when the aware `moment` lies in the supported span, otherwise the reason. Never
    converts between zones before checking, which is what overflows at year 1 and 9999."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return "has no UTC offset"
    offset = moment.utcoffset() or timedelta(0)
    naive = moment.replace(tzinfo=None)
    # Compare in naive local time shifted by the offset, within a day of the bounds, without
    # arithmetic that could leave datetime's own years 1 to 9999.
    low, high = EARLIEST.replace(tzinfo=None), LATEST.replace(tzinfo=None)
    if naive.year < FIRST_YEAR - 1 or naive.year > LAST_YEAR + 1:
        return f"is outside the supported span {SPAN_TEXT}"
    if not low <= naive - offset < high:
        return f"is outside the supported span {SPAN_TEXT}"
    return None


def in_span(moment: datetime) -> bool:
    return instant_problem(moment) is None


def day_problem(day: date) -> str | None:
    if not FIRST_DAY <= day <= LAST_DAY:
        return f"is outside the supported span {SPAN_TEXT}"
    return None


def clamp_instant(moment: datetime) -> datetime:
    """A stored instant brought inside the span for reading (arithmetic on it cannot overflow)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    problem = instant_problem(moment)
    if problem is None:
        return moment
    return EARLIEST if moment.year <= FIRST_YEAR else LATEST - timedelta(microseconds=1)


def shift(moment: datetime, delta: timedelta) -> datetime:
    """`moment + delta`, kept inside the span (a stored deadline far in the future reads as the
    end of the span instead of an OverflowError)."""
    try:
        return clamp_instant(moment + delta)
    except OverflowError:
        return EARLIEST if delta < timedelta(0) else LATEST - timedelta(microseconds=1)
