"""Windows as read on the clocks of each party (docs/formats.md §1: shown in UTC and every
party's zone)."""

from datetime import datetime, timedelta

from .errors import WindowError, gettext_noop
from .model import LocalWindow, Window
from .zones import load_zone


def format_offset(offset: timedelta | None) -> str:
    """`+02:00`, `-05:00`, `+05:45`; seconds only in the rare zones that have them."""
    total = int((offset or timedelta(0)).total_seconds())
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return f"{text}:{seconds:02d}" if seconds else text


def render(window: Window, zones: list[str]) -> list[LocalWindow]:
    rendered = []
    for index, name in enumerate(zones):
        zone = load_zone(name, f"zones[{index}]")
        start = window.start.astimezone(zone)
        end = window.end.astimezone(zone)
        rendered.append(
            LocalWindow(
                zone=name,
                start_local=start,
                end_local=end,
                utc_offset_start=format_offset(start.utcoffset()),
                utc_offset_end=format_offset(end.utcoffset()),
                abbrev=start.tzname() or "",
                abbrev_end=end.tzname() or "",
            )
        )
    return rendered


def format_local(dt: datetime, zone: str) -> str:
    """`2026-03-25 10:00 EET (+02:00)`; seconds appear only when they are not zero."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise WindowError("dt", gettext_noop("is a local time without a time zone"))
    local = dt.astimezone(load_zone(zone, "zone"))
    clock = "%Y-%m-%d %H:%M:%S" if local.second or local.microsecond else "%Y-%m-%d %H:%M"
    return f"{local.strftime(clock)} {local.tzname()} ({format_offset(local.utcoffset())})"
