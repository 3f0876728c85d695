"""Clocks and zones: a window or an instant read on every party's clock, zone names, zone lists.

Formatting only: the times come from the engines (`parley.engines.timewin`) and the callers.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import babel
from babel import dates as babel_dates
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from parley.engines import timewin

ZONE_NAMES = {
    "UTC": "UTC",
    "Europe/Kyiv": _("Kyiv"),
    "Europe/Moscow": _("Moscow"),
    "Europe/Zurich": _("Zurich"),
    "Europe/Simferopol": _("Simferopol"),
    "Europe/Geneva": _("Geneva"),
}

# A zone list offered in the windows form: the parties' clocks come first, then these.
COMMON_ZONES = ["UTC", "Europe/Kyiv", "Europe/Moscow", "Europe/Zurich", "Europe/Simferopol"]


def zone_name(zone: str) -> str:
    """`Europe/Kyiv` → "Kyiv" ("Київ", "Киев") in the reader's language: the parties' zones from
    Parley's catalogue, every other zone's city from the Unicode CLDR (through Babel)."""
    named = ZONE_NAMES.get(zone)
    if named is not None:
        return str(named)
    return _cldr_city(zone, translation.get_language() or "en")


@lru_cache(maxsize=4096)
def _cldr_city(zone: str, language: str) -> str:
    fallback = zone.rsplit("/", 1)[-1].replace("_", " ")
    try:
        city = babel_dates.get_timezone_location(zone, locale=language.split("-")[0],
                                                 return_city=True)
    except (LookupError, ValueError, babel.UnknownLocaleError):
        return fallback
    return str(city) or fallback


def zone_choices() -> list[str]:
    """Every IANA zone, the common ones first (the datalist of a zone field)."""
    return [*COMMON_ZONES, *sorted(available_timezones() - set(COMMON_ZONES))]


def west_to_east(zones, moment: datetime | None = None) -> list[str]:
    """UTC first, then the other zones by their offset at `moment` (now by default)."""
    moment = moment or timezone.now()
    others = {zone for zone in zones if zone != "UTC"}
    return ["UTC", *sorted(others, key=lambda zone: (
        moment.astimezone(ZoneInfo(zone)).utcoffset(), zone_name(zone)))]


@dataclass(frozen=True)
class ClockReading:
    """One window read on one clock: "10:00–14:00 Kyiv (EET)"."""

    zone: str
    label: str
    abbrev: str
    start: str
    end: str
    start_date: str
    end_date: str
    offset: str

    @property
    def text(self) -> str:
        start = f"{self.start_date} {self.start}" if self.start_date else self.start
        end = f"{self.end_date} {self.end}" if self.end_date else self.end
        suffix = "" if self.abbrev in ("", self.label) else f" ({self.abbrev})"
        return f"{start}–{end} {self.label}{suffix}"


@dataclass(frozen=True)
class WindowReading:
    window: timewin.Window
    utc_date: str
    readings: list[ClockReading]

    @property
    def text(self) -> str:
        return " · ".join(reading.text for reading in self.readings)


def date_text(moment: date | datetime, fmt: str) -> str:
    """Django's `date_format`, with the month abbreviation ("M") as the reader's language writes
    it: Django capitalises its three-letter months ("4 Гру 2026"), while Ukrainian and Russian
    write them in lower case ("4 груд. 2026", "4 дек. 2026"; CLDR's abbreviations, through
    Babel). English reads as before ("4 Dec 2026")."""
    text = formats.date_format(moment, fmt)
    if "M" not in fmt:
        return text
    language = (translation.get_language() or "en").split("-")[0]
    try:
        month = babel_dates.format_date(moment, "MMM", locale=language)
    except (LookupError, ValueError, babel.UnknownLocaleError):
        return text
    return text.replace(formats.date_format(moment, "M"), month, 1)


def _day(moment: datetime) -> str:
    return date_text(moment, "D j M Y")


def _reading(local: timewin.LocalWindow, utc_day: date) -> ClockReading:
    start, end = local.start_local, local.end_local
    return ClockReading(
        zone=local.zone,
        label=zone_name(local.zone),
        abbrev=local.abbrev,
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
        start_date=date_text(start, "j M") if start.date() != utc_day else "",
        end_date=date_text(end, "j M") if end.date() != start.date() else "",
        offset=local.utc_offset_start,
    )


def read_window(window: timewin.Window, zones: list[str]) -> WindowReading:
    """The window in UTC first, then in each zone of `zones` from west to east."""
    utc_day = window.start.astimezone(UTC).date()
    return WindowReading(
        window=window,
        utc_date=_day(window.start.astimezone(UTC)),
        readings=[
            _reading(local, utc_day)
            for local in timewin.render(window, west_to_east(zones, window.start))
        ],
    )


def read_instant(moment: datetime, zones: list[str]) -> str:
    """"26 Nov 2026 08:00 UTC · 10:00 Kyiv (EET) · 11:00 Moscow (MSK)"."""
    utc = moment.astimezone(UTC)
    parts = [f"{date_text(utc, 'j M Y')} {utc:%H:%M} UTC"]
    for zone in west_to_east(zones, utc)[1:]:
        local = utc.astimezone(ZoneInfo(zone))
        prefix = f"{date_text(local, 'j M')} " if local.date() != utc.date() else ""
        parts.append(f"{prefix}{local:%H:%M} {zone_name(zone)} ({local.tzname()})")
    return " · ".join(parts)


def describe_spec(spec: dict) -> str:
    """A stored window object (docs/formats.md §1) in one line, as it was entered."""
    if "rrule" in spec:
        return f"{spec['rrule']} · {spec['dtstart']} {spec['tz']} · {spec['duration']}"
    zone = f" {spec['tz']}" if spec.get("tz") else ""
    return f"{spec['start']} – {spec['end']}{zone}"


def local_days(first: date | None, last: date | None, zone: str
               ) -> tuple[datetime | None, datetime | None]:
    """Days read on one clock as UTC instants: from the start of `first` to the end of `last`
    (both included) in `zone`, a clock change inside the range counted as that zone counts it."""
    tz = ZoneInfo(zone)
    since = datetime(first.year, first.month, first.day, tzinfo=tz).astimezone(UTC) \
        if first else None
    until = None
    if last is not None:
        after = date.fromordinal(last.toordinal() + 1)
        until = datetime(after.year, after.month, after.day, tzinfo=tz).astimezone(UTC)
    return since, until
