import re
from datetime import UTC, datetime, timedelta
from typing import Any

from .errors import WindowError, gettext_noop, sibling_field
from .model import EARLIEST, LATEST, OUT_OF_RANGE, Recurrence, Window, check_range
from .rules import compile_rule, count_bounded
from .zones import load_zone, localise

_DURATION = re.compile(
    r"P(?:(?P<weeks>\d+)W"
    r"|(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?)",
    re.ASCII,
)
_ONE_OFF_KEYS = frozenset({"start", "end", "tz"})
_RECURRING_KEYS = frozenset({"rrule", "dtstart", "tz", "duration"})


def parse_instant(value: str | datetime, tz: str | None = None, *, field: str = "time") -> datetime:
    """An ISO 8601 instant in UTC. An offset or `Z` in the text wins over `tz`."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise WindowError(
                field, gettext_noop("is not an ISO 8601 date and time"), value
            ) from exc
    else:
        raise WindowError(field, gettext_noop("is not an ISO 8601 date and time"))
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        return check_range(moment, field)
    if tz is None:
        raise WindowError(
            field, gettext_noop("is a local time without a time zone: add an offset or a zone")
        )
    if not EARLIEST.year < moment.year < LATEST.year:
        raise WindowError(field, OUT_OF_RANGE)
    return check_range(localise(moment, load_zone(tz, sibling_field(field, "tz"))), field)


def parse_duration(value: object, *, field: str = "duration") -> timedelta:
    """An ISO 8601 duration of fixed elapsed time: `PnW` or `PnDTnHnMnS`, longer than zero."""
    if not isinstance(value, str):
        raise WindowError(field, gettext_noop("must be an ISO 8601 duration such as PT4H"))
    text = value.strip().upper()
    if text.startswith("-"):
        raise WindowError(field, gettext_noop("must be longer than zero"), value)
    date_part = text.partition("T")[0]
    if text.startswith("P") and ("Y" in date_part or "M" in date_part):
        raise WindowError(
            field,
            gettext_noop("must not use years or months, which are not a fixed length of time"),
            value,
        )
    match = _DURATION.fullmatch(text)
    if match is None or text in ("P", "PT"):
        raise WindowError(field, gettext_noop("must be an ISO 8601 duration such as PT4H"), value)
    parts = {
        name: float(amount.replace(",", "."))
        for name, amount in match.groupdict().items()
        if amount is not None
    }
    try:
        duration = timedelta(**parts)
    except OverflowError as exc:
        raise WindowError(field, gettext_noop("is too long"), value) from exc
    if duration <= timedelta(0):
        raise WindowError(field, gettext_noop("must be longer than zero"), value)
    return duration


def format_duration(duration: timedelta) -> str:
    """The shortest `PnDTnHnMnS` text `parse_duration` reads back as `duration`."""
    days = duration.days
    hours, rest = divmod(duration.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    time_part = "".join(
        f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M")) if amount
    )
    if seconds or duration.microseconds:
        fraction = f".{duration.microseconds:06d}".rstrip("0") if duration.microseconds else ""
        time_part += f"{seconds}{fraction}S"
    return "P" + (f"{days}D" if days else "") + (f"T{time_part}" if time_part else "")


def parse_window_spec(spec: object, *, field: str = "window") -> Window | Recurrence:
    """One window object of docs/formats.md §1: one-off `{start, end[, tz]}` or recurring."""
    if not isinstance(spec, dict):
        raise WindowError(field, gettext_noop("must be an object"))
    if "rrule" in spec:
        return _parse_recurrence(spec, field)
    if "start" in spec or "end" in spec:
        return _parse_one_off(spec, field)
    raise WindowError(
        field, gettext_noop("must have start and end, or rrule, dtstart, tz and duration")
    )


def _check_keys(
    spec: dict[str, Any], allowed: frozenset[str], required: tuple[str, ...], field: str
) -> None:
    for key in spec:
        if key not in allowed:
            raise WindowError(f"{field}.{key}", gettext_noop("is not a known window field"))
    for key in required:
        if key not in spec:
            raise WindowError(f"{field}.{key}", gettext_noop("is missing"))


def _parse_one_off(spec: dict[str, Any], field: str) -> Window:
    _check_keys(spec, _ONE_OFF_KEYS, ("start", "end"), field)
    tz = spec.get("tz")
    if tz is not None:
        load_zone(tz, f"{field}.tz")
    start = parse_instant(spec["start"], tz, field=f"{field}.start")
    end = parse_instant(spec["end"], tz, field=f"{field}.end")
    if not start < end:
        raise WindowError(f"{field}.end", gettext_noop("must be later than start"))
    return Window(start, end)


def _parse_recurrence(spec: dict[str, Any], field: str) -> Recurrence:
    _check_keys(spec, _RECURRING_KEYS, ("rrule", "dtstart", "tz", "duration"), field)
    load_zone(spec["tz"], f"{field}.tz")
    dtstart = _parse_local(spec["dtstart"], f"{field}.dtstart")
    duration = parse_duration(spec["duration"], field=f"{field}.duration")
    recurrence = Recurrence(spec["rrule"], dtstart, spec["tz"], duration)
    count_bounded(compile_rule(recurrence, field=f"{field}.rrule"))
    return recurrence


def _parse_local(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        raise WindowError(field, gettext_noop("is not an ISO 8601 date and time"))
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise WindowError(field, gettext_noop("is not an ISO 8601 date and time"), value) from exc
    if moment.tzinfo is not None:
        raise WindowError(
            field,
            gettext_noop("must be a local time without offset: the zone is given by tz"),
            value,
        )
    if not EARLIEST.year < moment.year < LATEST.year:
        raise WindowError(field, OUT_OF_RANGE)
    return moment


def spec_to_json(spec: Window | Recurrence) -> dict[str, str]:
    """The JSON object `parse_window_spec` reads back as `spec`."""
    if isinstance(spec, Window):
        return {"start": _utc_text(spec.start), "end": _utc_text(spec.end)}
    return {
        "rrule": spec.rrule,
        "dtstart": spec.dtstart.isoformat(),
        "tz": spec.tz,
        "duration": format_duration(spec.duration),
    }


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
