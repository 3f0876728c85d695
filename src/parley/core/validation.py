"""What every service uses to collect validation errors and report them all at once.

Errors are gathered per field (``"areas"``, ``"windows[2].dtstart"``) and raised together as one
Django ``ValidationError``, so that a person fixes every problem of a submission in one go.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from ninja import Field

from parley.engines import bounds
from parley.engines.bounds import RANGES, Range, clamp

__all__ = [
    "RANGES",
    "UNSET",
    "Range",
    "Unset",
    "add_error",
    "check_instant",
    "check_range",
    "clamp",
    "form_bounds",
    "instant_message",
    "raise_if",
    "range_message",
    "schema_bounds",
]


class _Unset:
    """Marks a keyword the caller did not pass, where None is a meaningful value."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()

# The type of a keyword that may be left out ("no change"): `title: str | Unset = UNSET`.
Unset = _Unset


def add_error(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# Ranges and the supported span of dates: declared once in `parley.engines.bounds` (pure, so
# the engines share them); what follows turns them into named errors, schema and form bounds.


def range_message(name: str, value) -> str:
    """The reason a value is refused, translated: the range and the value given."""
    limits = RANGES[name]
    shown = value if isinstance(value, int | float) and not isinstance(value, bool) else repr(value)
    if limits.integer:
        return gettext("Give a whole number from %(low)s to %(high)s %(unit)s (not %(value)s).") % {
            "low": bounds._shown(limits.low),
            "high": bounds._shown(limits.high),
            "unit": gettext(limits.unit),
            "value": shown,
        }
    return gettext("Give a number from %(low)s to %(high)s %(unit)s (not %(value)s).") % {
        "low": bounds._shown(limits.low),
        "high": bounds._shown(limits.high),
        "unit": gettext(limits.unit),
        "value": shown,
    }


def check_range(errors: dict, field: str, name: str, value, *, optional: bool = False) -> bool:
    """Add a named error (field — which names the row, as in `vehicles[2].quantity` — and the
    reason) when `value` is outside the range `name`; True when it is acceptable."""
    if optional and value is None:
        return True
    if RANGES[name].problem(value) is None:
        return True
    add_error(errors, field, range_message(name, value))
    return False


def schema_bounds(name: str) -> dict:
    """`Field(**schema_bounds("precision_m"))`: the range as pydantic's ge/le, so the API refuses
    (422) what lies outside and the OpenAPI description states it."""
    limits = RANGES[name]
    low, high = limits.low, limits.high
    if limits.integer:
        low, high = int(low), int(high)
    return {"ge": low, "le": high}


def bounded_field(default: Any, name: str, **kwargs: Any) -> Any:
    """`Field(default, **schema_bounds(name), **kwargs)` for a schema's attribute: a call of
    pydantic's `Field` with keywords unpacked is one the type checker cannot read."""
    return Field(default, **schema_bounds(name), **kwargs)


def form_bounds(name: str) -> dict:
    """`forms.IntegerField(**form_bounds("ack_deadline_h"))`: the range as the form's limits."""
    limits = RANGES[name]
    low, high = limits.low, limits.high
    if limits.integer:
        low, high = int(low), int(high)
    return {"min_value": low, "max_value": high}


def instant_message(moment) -> str | None:
    """The translated reason an aware datetime lies outside the supported span, or None."""
    if bounds.instant_problem(moment) is None:
        return None
    return gettext("Give a date from %(span)s.") % {"span": bounds.SPAN_TEXT}


def check_instant(errors: dict, field: str, moment, *, optional: bool = True) -> bool:
    if moment is None and optional:
        return True
    message = instant_message(moment)
    if message is None:
        return True
    add_error(errors, field, message)
    return False


def check_query_span(**values) -> None:
    """Refuse (ValidationError naming each field) a date or time filter outside the supported
    span, before it reaches datetime arithmetic or the database (`?day=9999-12-31`)."""
    import datetime as _dt

    errors: dict = {}
    for field, value in values.items():
        if value is None:
            continue
        if isinstance(value, _dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_dt.UTC)
            problem = bounds.instant_problem(value)
        else:
            problem = bounds.day_problem(value)
        if problem is not None:
            add_error(errors, field, gettext("Give a date from %(span)s.")
                      % {"span": bounds.SPAN_TEXT})
    raise_if(errors)


def area_warnings(areas) -> list[dict]:
    """Warnings (not refusals) about an agreement's areas, each naming its likely cause: an
    area larger than an oblast, a point far outside Ukraine's and Russia's region, swapped
    latitude and longitude (parley.engines.geo.sanity)."""
    from parley.engines.geo import sanity

    try:
        warnings, _refusals = sanity.check_areas(areas)
    except (ValueError, TypeError):
        return []
    return [_warning_out(warning) for warning in warnings]


def point_warnings(points, *, field: str = "", near_areas=None, what: str = "") -> list[dict]:
    """Warnings about positions (lon, lat): far outside the region, or, given the agreement's
    areas, far from them; swapped latitude and longitude named when that is the likely cause."""
    from parley.engines.geo import sanity

    near = sanity.positions_of(near_areas) if near_areas else None
    try:
        warnings = sanity.check_points(points, field=field, near=near or None, what=what)
    except (ValueError, TypeError):
        return []
    return [_warning_out(warning) for warning in warnings]


def _warning_out(warning) -> dict:
    return {"code": warning.code, "field": warning.field or None, "message": warning.message}
