"""Standards syntax read out in words: RRULEs, ISO 8601 durations, window objects.

Negotiators read "every day 10:00–14:00 Kyiv time from 2 Dec 2026 until 11 Apr 2027", not
"FREQ=DAILY;COUNT=131 · 2026-12-02T10:00:00 Europe/Kyiv · PT4H". The standards text stays in the
stored window objects, the API and on demand on the pages. Pure functions of their arguments and
the active language.
"""

from datetime import datetime, timedelta
from math import floor
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parley.engines import timewin
from parley.ui.clock import zone_name

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")


def weekday_names() -> dict[str, str]:
    return {"MO": _("Monday"), "TU": _("Tuesday"), "WE": _("Wednesday"), "TH": _("Thursday"),
            "FR": _("Friday"), "SA": _("Saturday"), "SU": _("Sunday")}


def duration_words(value: timedelta | float | None, *, seconds: bool = False) -> str:
    """"4 h 00 min", "3 h 05 min", "45 min"; "under 1 min" rather than "0 h 00 min". The size
    only: the sentence around it says whether it is before or after.

    With `seconds`, whole seconds are kept (rounded down, so notice one second short of a lead
    time never reads as the lead time) and fractions of a second are never shown.
    """
    if value is None:
        return "—"
    total = value.total_seconds() if isinstance(value, timedelta) else float(value)
    total = abs(total)
    whole = floor(total) if seconds else round(total / 60) * 60
    hours, rest = divmod(int(whole), 3600)
    minutes, secs = divmod(rest, 60)
    values = {"hours": formats.number_format(hours, force_grouping=True),
              "minutes": f"{minutes:02d}", "seconds": secs}
    if hours:
        text = (_("%(hours)s h %(minutes)s min %(seconds)s s") if secs
                else _("%(hours)s h %(minutes)s min"))
    elif minutes:
        values["minutes"] = minutes
        text = _("%(minutes)s min %(seconds)s s") if secs else _("%(minutes)s min")
    elif secs:
        text = _("%(seconds)s s")
    else:
        return _("under 1 s") if seconds else _("under 1 min")
    return text % values


def _rule_parts(text: str) -> dict[str, str] | None:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:"):]
    parts = {}
    for item in body.split(";"):
        key, sep, value = item.partition("=")
        if not sep:
            return None
        parts[key.strip().upper()] = value.strip().upper()
    return parts


def _short_date(moment: datetime) -> str:
    return formats.date_format(moment, "j M Y")


def rrule_words(spec: dict) -> str | None:
    """A recurring window object (FORMATS §1) in words, or None when the rule is one the words
    do not cover (then the page shows the RRULE itself)."""
    parts = _rule_parts(spec.get("rrule", ""))
    if not parts or not set(parts) <= {"FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL", "WKST"}:
        return None
    try:
        recurrence = timewin.parse_window_spec(spec)
        occurrences = timewin.expand([recurrence])
    except timewin.WindowError:
        return None
    assert isinstance(recurrence, timewin.Recurrence)  # the spec has an rrule (parts above)
    if not occurrences:
        return None
    interval = int(parts.get("INTERVAL", "1") or 1)
    days = [day for day in parts.get("BYDAY", "").split(",") if day]
    if any(day not in WEEKDAY_CODES for day in days):
        return None
    frequency = parts.get("FREQ")
    if frequency == "DAILY" and not days:
        pattern = (_("every day") if interval == 1 else
                   ngettext("every %(n)s day", "every %(n)s days", interval) % {"n": interval})
    elif frequency in ("DAILY", "WEEKLY") and interval == 1:
        if frequency == "WEEKLY" and not days:
            days = [WEEKDAY_CODES[recurrence.dtstart.weekday()]]
        if sorted(days, key=WEEKDAY_CODES.index) == list(WEEKDAYS):
            pattern = _("every weekday")
        elif len(days) == 7:
            pattern = _("every day")
        else:
            names = weekday_names()
            pattern = _("every %(days)s") % {
                "days": ", ".join(names[day] for day in sorted(days, key=WEEKDAY_CODES.index))}
    else:
        return None
    start = recurrence.dtstart
    end = start + recurrence.duration
    if recurrence.duration < timedelta(days=1):
        hours = _("%(start)s–%(end)s") % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
        if end.date() != start.date():
            hours = _("%(hours)s (ending the next day)") % {"hours": hours}
    else:
        hours = _("from %(start)s for %(duration)s") % {
            "start": f"{start:%H:%M}", "duration": duration_words(recurrence.duration)}
    zone = recurrence.tz
    first = occurrences[0].start.astimezone(ZoneInfo(zone))
    last = occurrences[-1].start.astimezone(ZoneInfo(zone))
    bounded = "COUNT" in parts or "UNTIL" in parts
    values = {"pattern": pattern, "hours": hours, "clock": clock_words(zone),
              "first": _short_date(first), "last": _short_date(last)}
    if not bounded:
        return _("%(pattern)s %(hours)s %(clock)s from %(first)s") % values
    if first.date() == last.date():
        return _("%(hours)s %(clock)s on %(first)s") % values
    return _("%(pattern)s %(hours)s %(clock)s from %(first)s until %(last)s") % values


def window_words(spec: dict) -> str:
    """Any stored window object in words; the RRULE itself when words do not cover it."""
    if "rrule" in spec:
        return rrule_words(spec) or rrule_text(spec)
    zone = spec.get("tz") or "UTC"
    try:
        window = timewin.parse_window_spec(spec)
    except timewin.WindowError:
        return rrule_text(spec)
    assert isinstance(window, timewin.Window)  # a spec without an rrule is one-off
    local = timewin.render(window, [zone])[0]
    start, end = local.start_local, local.end_local
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{_short_date(end)} {end:%H:%M}"
    return _("%(start)s–%(end)s %(clock)s") % {
        "start": f"{_short_date(start)} {start:%H:%M}", "end": end_text, "clock": clock_words(zone)}


def clock_words(zone: str) -> str:
    """"Kyiv time"; UTC is UTC."""
    return "UTC" if zone == "UTC" else _("%(zone)s time") % {"zone": zone_name(zone)}


def rrule_text(spec: dict) -> str:
    """The window object as entered, in standards syntax (shown on demand)."""
    if "rrule" in spec:
        return f"{spec['rrule']} · {spec['dtstart']} {spec['tz']} · {spec['duration']}"
    zone = f" {spec['tz']}" if spec.get("tz") else ""
    return f"{spec['start']} – {spec['end']}{zone}"
