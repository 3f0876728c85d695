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
from django.utils.translation import ngettext, pgettext

from parley.engines import timewin
from parley.engines.geo import measure
from parley.ui.clock import date_text, zone_name

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
    return date_text(moment, "j M Y")


def rrule_words(spec: dict) -> str | None:
    """A recurring window object (docs/formats.md §1) in words, or None when the rule is one the
    words do not cover (then the page shows the RRULE itself)."""
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


# -- areas ---------------------------------------------------------------------------------------
# A 15 km ceasefire circle reads "circle · centre 47.12° N 35.40° E · radius 15 km", not
# "Point · width 30000". The measures are `engines.geo.measure`'s; these are the words.

def number_words(value: float, decimals: int = 0) -> str:
    """A number in the reader's locale: "1,234.5" in English, "1 234,5" in Ukrainian."""
    return formats.number_format(round(value, decimals), decimals, use_l10n=True,
                                 force_grouping=True)


def distance_words(metres: float | None) -> str:
    """"850 m", "3.2 km", "42 km": metres under a kilometre, one decimal under ten."""
    if metres is None:
        return "—"
    metres = abs(float(metres))
    if metres < 1000:
        step = 1 if metres < 100 else 10
        return _("%(n)s m") % {"n": number_words(round(metres / step) * step)}
    km = metres / 1000
    if km < 10 and round(km, 1) != round(km):
        return _("%(n)s km") % {"n": number_words(km, 1)}
    return _("%(n)s km") % {"n": number_words(round(km))}


def area_size_words(square_metres: float | None) -> str:
    """"about 120 km²" (two significant figures are all a drawn zone deserves)."""
    if square_metres is None:
        return "—"
    km2 = abs(float(square_metres)) / 1e6
    if km2 < 1:
        return _("about %(n)s km²") % {"n": number_words(km2, 2)}
    if km2 < 10:
        return _("about %(n)s km²") % {"n": number_words(km2, 1)}
    digits = len(str(int(km2))) - 2
    return _("about %(n)s km²") % {"n": number_words(round(km2, -digits))}


def coordinate_words(lon: float, lat: float) -> str:
    """"47.12° N 35.40° E" (two decimals: about a kilometre)."""
    north = pgettext("latitude", "N") if lat >= 0 else pgettext("latitude", "S")
    east = pgettext("longitude", "E") if lon >= 0 else pgettext("longitude", "W")
    return _("%(lat)s° %(ns)s %(lon)s° %(ew)s") % {
        "lat": number_words(abs(lat), 2), "ns": north, "lon": number_words(abs(lon), 2),
        "ew": east}


def shape_names() -> dict[str, str]:
    return {measure.CIRCLE: pgettext("area shape", "circle"),
            measure.CORRIDOR: pgettext("area shape", "corridor"),
            measure.ZONE: pgettext("area shape", "zone"),
            measure.POINT: pgettext("area shape", "point"),
            measure.LINE: pgettext("area shape", "line"),
            measure.OTHER: pgettext("area shape", "area")}


def compass_words(code: str) -> str:
    return {"N": _("north"), "NE": _("north-east"), "E": _("east"), "SE": _("south-east"),
            "S": _("south"), "SW": _("south-west"), "W": _("west"), "NW": _("north-west")}[code]


def measure_words(size: measure.Measure) -> str:
    """A measured area in words: its shape first, then what a person pictures it by."""
    parts = [shape_names()[size.shape]]
    if size.shape == measure.CIRCLE and size.centre:
        parts += [_("centre %(place)s") % {"place": coordinate_words(*size.centre)},
                  _("radius %(distance)s") % {"distance": distance_words(size.radius_m)}]
    elif size.shape == measure.POINT and size.centre:
        parts.append(coordinate_words(*size.centre))
    elif size.shape in (measure.CORRIDOR, measure.LINE):
        parts.append(_("%(distance)s long") % {"distance": distance_words(size.length_m)})
        if size.width_m:
            parts.append(_("%(distance)s wide") % {"distance": distance_words(size.width_m)})
    elif size.shape == measure.ZONE:
        parts.append(area_size_words(size.area_m2))
    return " · ".join(parts)


def area_words(feature: dict) -> str:
    """A stored area feature (docs/formats.md §2) in words."""
    return measure_words(measure.measure_feature(feature))


# Below this a centre "did not move": rounding of a redrawn shape, not a negotiated change.
MOVED_AT_LEAST_M = 50


def area_change_words(area_id: str, before: dict | None, after: dict | None) -> list[str]:
    """What a new version did to one area, in sentences: "A2 corridor widened from 2 km to
    4 km", "A3 circle moved 3.2 km north-east", "A4 added: zone · about 120 km²"."""
    if before is None and after is None:
        return []
    if before is None:
        return [_("%(id)s added: %(words)s") % {"id": area_id, "words": area_words(after or {})}]
    if after is None:
        return [_("%(id)s removed: %(words)s") % {"id": area_id, "words": area_words(before)}]
    old, new = measure.measure_feature(before), measure.measure_feature(after)
    names = shape_names()
    values = {"id": area_id, "shape": names[new.shape]}
    if old.shape != new.shape:
        return [_("%(id)s changed from %(old)s to %(new)s") % {
            "id": area_id, "old": measure_words(old), "new": measure_words(new)}]
    lines = []
    if new.shape == measure.CORRIDOR and old.width_m != new.width_m:
        text = (_("%(id)s %(shape)s widened from %(before)s to %(after)s")
                if (new.width_m or 0) > (old.width_m or 0)
                else _("%(id)s %(shape)s narrowed from %(before)s to %(after)s"))
        lines.append(text % {**values, "before": distance_words(old.width_m),
                             "after": distance_words(new.width_m)})
    if new.shape == measure.CIRCLE and old.radius_m != new.radius_m:
        text = (_("%(id)s %(shape)s enlarged: radius %(before)s → %(after)s")
                if (new.radius_m or 0) > (old.radius_m or 0)
                else _("%(id)s %(shape)s reduced: radius %(before)s → %(after)s"))
        lines.append(text % {**values, "before": distance_words(old.radius_m),
                             "after": distance_words(new.radius_m)})
    geometry_changed = (before.get("geometry") != after.get("geometry"))
    if geometry_changed and old.centre and new.centre:
        distance, direction = measure.displacement(old.centre, new.centre)
        if distance >= MOVED_AT_LEAST_M:
            lines.append(_("%(id)s %(shape)s moved %(distance)s %(direction)s") % {
                **values, "distance": distance_words(distance),
                "direction": compass_words(direction)})
    if geometry_changed and new.shape in (measure.CORRIDOR, measure.LINE) \
            and old.length_m is not None and new.length_m is not None \
            and abs(new.length_m - old.length_m) >= MOVED_AT_LEAST_M:
        lines.append(_("%(id)s %(shape)s redrawn: %(before)s → %(after)s long") % {
            **values, "before": distance_words(old.length_m),
            "after": distance_words(new.length_m)})
    if geometry_changed and new.shape == measure.ZONE and old.area_m2 != new.area_m2 \
            and area_size_words(old.area_m2) != area_size_words(new.area_m2):
        lines.append(_("%(id)s %(shape)s redrawn: %(before)s → %(after)s") % {
            **values, "before": area_size_words(old.area_m2),
            "after": area_size_words(new.area_m2)})
    if geometry_changed and not lines:
        lines.append(_("%(id)s %(shape)s redrawn in the same place") % values)
    before_name = (before.get("properties") or {}).get("name") or ""
    after_name = (after.get("properties") or {}).get("name") or ""
    if before_name != after_name:
        lines.append(_("%(id)s renamed: “%(before)s” → “%(after)s”") % {
            "id": area_id, "before": before_name or "—", "after": after_name or "—"})
    return lines
