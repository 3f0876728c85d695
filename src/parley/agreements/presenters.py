"""Turn engine values into what the templates print; formatting only, no decisions."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from parley.agreements import selectors
from parley.agreements.wording import PHASE_NAMES
from parley.core.validation import area_warnings
from parley.engines import timewin
from parley.ui.clock import (
    WindowReading,
    date_text,
    describe_spec,
    read_instant,
    read_window,
    zone_choices,
    zone_name,
)
from parley.ui.words import area_change_words, area_words, duration_words, window_words

# -- pages -----------------------------------------------------------------------------------

MAX_WINDOWS_LISTED = 14


def agreement_zones(agreement) -> list[str]:
    """Every clock of every party bound by the agreement."""
    return list(dict.fromkeys(
        zone for party in agreement.bound_parties.all() for zone in party.time_zones
    ))


@dataclass(frozen=True)
class Entry:
    """One window of one agreement, ready to print."""

    agreement: object
    phase: str
    reading: WindowReading


def entry(agreement, window, now) -> Entry:
    return Entry(
        agreement=agreement,
        phase=selectors.agreement_phase(agreement, now),
        reading=read_window(window, agreement_zones(agreement)),
    )


def open_window(agreement, now):
    return next(
        (w for w in selectors.agreement_windows(agreement) if w.start <= now < w.end), None
    )


def dashboard_windows(*, now, active, upcoming, limit) -> dict:
    """The windows open now and the next opening of each agreement."""
    # The next opening of each agreement, so that a daily pause does not fill the list.
    first: dict[int, tuple] = {}
    for agreement, window in upcoming:
        if window.start > now:
            first.setdefault(agreement.pk, (agreement, window))
    upcoming = list(first.values())[:limit]
    return {
        "now": now,
        "active": [
            entry(agreement, window, now)
            for agreement in active
            if (window := open_window(agreement, now)) is not None
        ],
        "upcoming": [entry(agreement, window, now) for agreement, window in upcoming],
    }


def dashboard_negotiation(*, negotiating, drafts, secretariat: bool = False) -> dict:
    """Proposals on the table, each with the parties whose consent it still needs, and drafts
    (the secretariat's or the reader's party's)."""
    return {
        "negotiating": [
            {"agreement": agreement, "waiting_for": selectors.parties_yet_to_consent(agreement)}
            for agreement in sorted(negotiating, key=lambda agreement: agreement.code)
        ],
        "drafts": drafts,
        "secretariat": secretariat,
    }


# The figures of the dashboard: (status filter of the index, or "active" for "a window is open
# now"), in the order printed.
FIGURES = ("active", "agreed", "proposed", "countered", "suspended", "terminated", "draft")


def dashboard_figures(agreements, now) -> dict | None:
    """How many agreements the reader may see, by phase, each a link to the index filtered."""
    if not agreements:
        return None
    counts = dict.fromkeys(FIGURES, 0)
    for agreement in agreements:
        counts[agreement.status] += 1
        if selectors.agreement_phase(agreement, now) == "active":
            counts["active"] += 1
    index = reverse("agreements:agreement_list")
    return {
        "total": len(agreements),
        "figures": [
            {"phase": name, "count": counts[name],
             "url": f"{index}?active=on" if name == "active" else f"{index}?status={name}"}
            for name in FIGURES if counts[name]
        ],
    }


# Hours between two ticks of the calendar's axis, by the number of days shown.
def _tick_hours(days: int) -> int:
    return 1 if days <= 1 else 3 if days <= 3 else 6 if days <= 7 else 12 if days <= 14 else 24


def _percent(moment, start, span) -> float:
    return round((moment - start) / span * 100, 3)


def _hm(moment, zone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%H:%M}"


def _bar(agreement, window, *, start, end, span, zone, phase) -> dict:
    left = max(window.start, start)
    right = min(window.end, end)
    local_start = window.start.astimezone(ZoneInfo(zone))
    return {
        "phase": phase,
        "left": _percent(left, start, span),
        "width": max(_percent(start + (right - left), start, span), 0.15),
        "title": (f"{agreement.code} · {date_text(local_start, 'j M')} "
                  f"{_hm(window.start, zone)}–{_hm(window.end, zone)} {zone_name(zone)} · "
                  f"{_hm(window.start, 'UTC')}–{_hm(window.end, 'UTC')} UTC"),
    }


def _hours(length: timedelta) -> str:
    """A day's length in hours: "23", "25", "24.5"."""
    hours = length / timedelta(hours=1)
    return f"{hours:g}"


def _clock_change(change, *, start, span) -> dict:
    words = (gettext("%(zone)s: clocks go forward from %(before)s to %(after)s (%(old)s → "
                     "%(new)s); the day is %(hours)s h long.") if change.forward else
             gettext("%(zone)s: clocks go back from %(before)s to %(after)s (%(old)s → "
                     "%(new)s); the day is %(hours)s h long."))
    zone = ZoneInfo(change.zone)
    return {
        "zone": change.zone,
        "zone_label": zone_name(change.zone),
        "at": change.at,
        "left": _percent(change.at, start, span),
        "hours": _hours(change.day_length),
        "day": date_text(change.local_after, "D j M Y"),
        "utc": f"{change.at:%H:%M} UTC",
        "text": words % {
            "zone": zone_name(change.zone),
            "before": f"{change.local_before:%H:%M}", "after": f"{change.local_after:%H:%M}",
            "old": (change.at - timedelta(seconds=1)).astimezone(zone).tzname(),
            "new": change.at.astimezone(zone).tzname(),
            "hours": _hours(change.day_length),
        },
    }


def calendar(*, entries, start, end, days, now, zone: str) -> dict:
    """The calendar of `days` days on the reader's clock `zone` from `start` to `end` (UTC
    instants of its midnights): an axis in that zone with UTC beside it, one lane per agreement,
    the clock changes of the reader's zone and of the bound parties' zones, and the windows
    listed day by day."""
    tz = ZoneInfo(zone)
    span = end - start
    first_day = start.astimezone(tz).date()
    step = _tick_hours(days)
    # The axis on the reader's clock: one cell per local day (23 or 25 hours on a change day).
    axis, ticks = [], []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        day_start = datetime.combine(day, time(0), tz).astimezone(UTC)
        after = day + timedelta(days=1)
        day_end = datetime.combine(after, time(0), tz).astimezone(UTC)
        axis.append({
            "day": day,
            "left": _percent(day_start, start, span),
            "width": _percent(start + (day_end - day_start), start, span),
            "hours": _hours(day_end - day_start) if day_end - day_start != timedelta(days=1)
            else None,
        })
        for hour in range(step, 24, step):
            # An hour the clocks skip has no tick; an hour they repeat has two.
            instants = dict.fromkeys(
                datetime.combine(day, time(hour, fold=fold), tz).astimezone(UTC)
                for fold in (0, 1))
            ticks += [{"left": _percent(moment, start, span), "label": f"{hour:02d}"}
                      for moment in instants if moment.astimezone(tz).hour == hour]
    # UTC beside it: a tick every `step` hours of UTC, the date at UTC midnight.
    utc_ticks = []
    # Fewer UTC ticks than local ones: the row also names each UTC date at its midnight.
    utc_step = 3 if days <= 1 else step if days <= 3 else 12 if days <= 14 else 24
    moment = start.replace(minute=0, second=0, microsecond=0)
    while moment < end:
        if moment >= start and moment.hour % utc_step == 0:
            utc_ticks.append({
                "left": _percent(moment, start, span),
                "start": moment == start,
                "label": (date_text(moment, "j M") if moment.hour == 0
                          else f"{moment:%H}"),
                "midnight": moment.hour == 0,
            })
        moment += timedelta(hours=1)
    # One lane per agreement, in code order.
    lanes: dict = {}
    for agreement, window in entries:
        lane = lanes.get(agreement.pk)
        if lane is None:
            phase = selectors.agreement_phase(agreement, now)
            lane = lanes[agreement.pk] = {"agreement": agreement, "phase": phase, "bars": []}
        lane["bars"].append(_bar(agreement, window, start=start, end=end, span=span, zone=zone,
                                 phase=lane["phase"]))
    # Clock changes: the reader's zone, then every other zone of the parties bound.
    zones = [zone]
    for lane in lanes.values():
        zones += [z for z in agreement_zones(lane["agreement"]) if z not in zones]
    changes = [
        _clock_change(change, start=start, span=span)
        for name in zones for change in timewin.clock_changes(name, start, end)
    ]
    changes.sort(key=lambda change: (change["at"], change["zone"]))
    # The windows listed day by day on the reader's clock (a window begun before the first
    # day is listed under the first day).
    listed: dict = {}
    for agreement, window in entries:
        day = max(window.start, start).astimezone(tz).date()
        listed.setdefault(day, []).append(entry(agreement, window, now))
    now_left = _percent(now, start, span) if start <= now < end else None
    return {
        "zone": zone,
        "zone_label": zone_name(zone),
        "zone_abbrev": start.astimezone(tz).tzname(),
        "axis": axis,
        "ticks": ticks,
        "utc_ticks": utc_ticks,
        "lanes": sorted(lanes.values(), key=lambda lane: lane["agreement"].code),
        "changes": changes,
        "listed": [{"day": day, "entries": listed[day]} for day in sorted(listed)],
        "now_left": now_left,
        "start": start,
        "days": days,
        "previous_start": first_day - timedelta(days=days),
        "next_start": first_day + timedelta(days=days),
        "count": len(entries),
    }


def _areas_for_map(agreement, now) -> list[dict]:
    phase = selectors.agreement_phase(agreement, now)
    features = selectors.agreement_areas_geojson(agreement)["features"]
    url = reverse("agreements:agreement_detail", kwargs={"code": agreement.code})
    return [
        {**feature, "properties": {
            **{k: v for k, v in feature["properties"].items() if k != "windows"},
            "phase": phase,
            "phase_label": f"{PHASE_NAMES.get(phase, phase)} · {area_words(feature)}",
            "title": agreement.title, "url": url,
        }}
        for feature in features
    ]


def area_map(agreements, now) -> dict:
    features = [feature for agreement in agreements for feature in _areas_for_map(agreement, now)]
    phases = list(dict.fromkeys(feature["properties"]["phase"] for feature in features))
    return {
        "areas": {"type": "FeatureCollection", "features": features},
        "phases": phases,
        "listed": [
            {"agreement": agreement, "phase": selectors.agreement_phase(agreement, now)}
            for agreement in agreements
        ],
    }


def _area_rows(version) -> list[dict]:
    return [
        {
            "id": feature.get("id"),
            "words": area_words(feature),
            "name": (feature.get("properties") or {}).get("name", ""),
        }
        for feature in version.areas.get("features", [])
    ]


# -- what a version changed, in words and on a map -------------------------------------------

def _features_by_id(version) -> dict[str, dict]:
    return {str(feature.get("id")): feature for feature in version.areas.get("features", [])}


def _lead_hours(value) -> str:
    """Whole hours as negotiated: "48 h" (not "48 h 00 min")."""
    return "—" if value is None else gettext("%(hours)s h") % {"hours": value}


def _minutes(value) -> str:
    return "—" if value is None else duration_words(timedelta(minutes=value))


def _quoted(value) -> str:
    return f"“{value}”" if value else "—"


def _terms_lines(before: dict, after: dict, parties: dict[str, str]) -> list[str]:
    """An exchange's terms (the exchanges app's `terms`): persons released by each party,
    counted, and the place, days and formula as they read."""
    before, after = before or {}, after or {}
    lines = []
    releases_before = before.get("releases") or {}
    releases_after = after.get("releases") or {}
    for slug in sorted(releases_before.keys() | releases_after.keys()):
        old, new = len(releases_before.get(slug) or []), len(releases_after.get(slug) or [])
        if old != new or releases_before.get(slug) != releases_after.get(slug):
            lines.append(gettext("persons released by %(party)s: %(before)s → %(after)s") % {
                "party": parties.get(slug, slug), "before": old, "after": new})
    labels = {"place": gettext("place of handover"), "days": gettext("days of handover"),
              "formula": gettext("formula"), "category": gettext("category"),
              "pause": gettext("under the pause")}
    for key, label in labels.items():
        if before.get(key) != after.get(key):
            was, now = before.get(key), after.get(key)
            if isinstance(was, list) or isinstance(now, list):
                was, now = ", ".join(map(str, was or [])), ", ".join(map(str, now or []))
            lines.append(f"{label}: {_quoted(was)} → {_quoted(now)}")
    return lines


def version_change_lines(diff, *, old, new, parties: dict[str, str]) -> list[dict]:
    """What `new` changed from `old` (`selectors.version_diff`), one sentence a line, each
    with how it reads (added, removed, changed)."""
    before, after = _features_by_id(old), _features_by_id(new)
    lines = []
    for area_id in diff.areas_added:
        lines += [{"kind": "added", "text": text}
                  for text in area_change_words(area_id, None, after.get(area_id))]
    for area_id in diff.areas_removed:
        lines += [{"kind": "removed", "text": text}
                  for text in area_change_words(area_id, before.get(area_id), None)]
    for change in diff.areas_changed:
        lines += [{"kind": "changed", "text": text} for text in
                  area_change_words(change.id, before.get(change.id), after.get(change.id))]
    lines += [{"kind": "added", "text": gettext("window added: %(window)s")
               % {"window": window_words(spec)}} for spec in diff.windows_added]
    lines += [{"kind": "removed", "text": gettext("window removed: %(window)s")
               % {"window": window_words(spec)}} for spec in diff.windows_removed]
    for change in diff.conditions_changed:
        if change.field == "lead_time_h":
            text = gettext("notification lead time: %(before)s → %(after)s") % {
                "before": _lead_hours(change.before), "after": _lead_hours(change.after)}
        elif change.field == "margin_min":
            text = gettext("safety margin before a window closes: %(before)s → %(after)s") % {
                "before": _minutes(change.before), "after": _minutes(change.after)}
        elif change.field == "who_may_move":
            text = gettext("who may move: %(before)s → %(after)s") % {
                "before": _quoted(change.before), "after": _quoted(change.after)}
        else:
            lines += [{"kind": "changed", "text": text}
                      for text in _terms_lines(change.before, change.after, parties)]
            continue
        lines.append({"kind": "changed", "text": text})
    return lines


def _party_names(agreement) -> dict[str, str]:
    return {party.slug: party.name for party in agreement.bound_parties.all()}


def compare_map(agreement, *, old, new) -> dict:  # old is None for a first version
    """The areas of two versions on one map: the older grey, the newer green (map.js's
    `terminated` and `active` phase colours); the legend is the page's."""
    features = []
    for version, phase in ((old, "terminated"), (new, "active")):
        if version is None:
            continue
        label = gettext("version %(number)d") % {"number": version.number}
        for feature in version.areas.get("features", []):
            properties = feature.get("properties") or {}
            features.append({
                "type": "Feature", "id": feature.get("id"), "geometry": feature.get("geometry"),
                "properties": {"width_m": properties.get("width_m"), "phase": phase,
                               "title": properties.get("name") or agreement.title,
                               "agreement": agreement.code,
                               "phase_label": f"{label} · {area_words(feature)}"},
            })
    return {"type": "FeatureCollection", "features": features}


def version_compare(agreement, *, versions, number: int) -> dict | None:
    """The page of one version against the one before it; None when there is no such
    version."""
    by_number = {version.number: version for version in versions}
    new = by_number.get(number)
    if new is None:
        return None
    old = max((v for v in versions if v.number < number), key=lambda v: v.number, default=None)
    diff = selectors.version_diff(old, new) if old else None
    return {
        "agreement": agreement,
        "version": new,
        "previous": old,
        "changes": version_change_lines(diff, old=old, new=new,
                                        parties=_party_names(agreement)) if diff else [],
        "map": compare_map(agreement, old=old, new=new),
        "areas": [{"id": feature.get("id"), "words": area_words(feature),
                   "name": (feature.get("properties") or {}).get("name", "")}
                  for feature in new.areas.get("features", [])],
        "numbers": sorted(by_number),
    }


def agreement_detail(agreement, *, versions, audit, actions, now) -> dict:
    zones = agreement_zones(agreement)
    current = versions[-1] if versions else None
    windows = selectors.version_windows(current)
    # A long daily pause would bury today under months of closed windows: list what is ahead.
    ahead = [window for window in windows if window.end > now]
    consented = {consent.party_id: consent for consent in selectors.consents_of(current)}
    history = []
    parties = _party_names(agreement)
    for index, version in enumerate(versions):
        previous = versions[index - 1] if index else None
        history.append({
            "version": version,
            "changes": version_change_lines(
                selectors.version_diff(previous, version), old=previous, new=version,
                parties=parties) if previous else None,
            "consents": selectors.consents_of(version),
        })
    history.reverse()
    return {
        "agreement": agreement,
        "phase": selectors.agreement_phase(agreement, now),
        "zones": zones,
        "current": current,
        "areas": {"type": "FeatureCollection", "features": _areas_for_map(agreement, now)},
        "area_rows": _area_rows(current) if current else [],
        "area_warnings": area_warnings(current.areas) if current else [],
        "specs": [{"words": window_words(spec), "standard": describe_spec(spec)}
                  for spec in (current.windows if current else [])],
        "windows": [
            {"reading": read_window(window, zones), "open": window.start <= now}
            for window in ahead[:MAX_WINDOWS_LISTED]
        ],
        "windows_hidden": max(0, len(ahead) - MAX_WINDOWS_LISTED),
        "windows_past": len(windows) - len(ahead),
        "consents": [
            {"party": party, "consent": consented.get(party.pk)}
            for party in agreement.bound_parties.all()
            if party.is_belligerent
        ],
        "history": history,
        "audit": [
            {"entry": item, "when": read_instant(item.at, zones)} for item in audit
        ],
        "actions": actions,
    }


def agreement_form(*, form, windows, agreement, around=(), now=None) -> dict:
    """The propose or counter-propose page; its area editor draws, beneath what is drawn, the
    current version's areas (a counter-proposal) and `around` (the sites and hazards nearby)."""
    current = []
    if agreement is not None and agreement.current_version is not None:
        label = gettext("Version %(number)d, on the table now") % {
            "number": agreement.current_version.number}
        current = [{**feature, "properties": {**feature["properties"], "phase_label": label}}
                   for feature in _areas_for_map(agreement, now or timezone.now())]
    return {
        "form": form,
        "windows": windows,
        "agreement": agreement,
        "zones": zone_choices(),
        "editor_context": {"areas": {"type": "FeatureCollection",
                                     "features": [*current, *around]}},
    }


def _next_window_text(agreement, now, zone: str) -> str:
    """The open window's end or the next window's start on the reader's clock, one line."""
    windows = selectors.agreement_windows(agreement)
    current = next((w for w in windows if w.start <= now < w.end), None)
    if current is not None:
        return gettext("open until %(when)s") % {"when": short_instant(current.end, zone)}
    upcoming = next((w for w in windows if w.start > now), None)
    if upcoming is not None:
        return gettext("opens %(when)s") % {"when": short_instant(upcoming.start, zone)}
    return ""


def short_instant(moment, zone: str) -> str:
    """"2 Dec 2026 10:00 Kyiv": an instant on one clock, named."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{date_text(local, 'j M Y')} {local:%H:%M} {zone_name(zone)}"


def agreement_index(*, form, listing, now, zone: str) -> dict:
    """The agreements index: the filter form, the page of results and their count, and the
    areas of the page's agreements for the "area on a map" filter."""
    rows = []
    for agreement in listing.object_list:
        phase = selectors.agreement_phase(agreement, now)
        windowed = phase in ("agreed", "active", "in_force", "suspended")
        rows.append({
            "agreement": agreement,
            "phase": phase,
            "parties": [party.name for party in agreement.bound_parties.all()],
            "next": _next_window_text(agreement, now, zone) if windowed else "",
        })
    return {
        "form": form,
        "rows": rows,
        "listing": listing,
        "count": listing.paginator.count,
        "filtered": any(value for key, value in form.data.items() if key != "page"),
        "map_areas": {"type": "FeatureCollection", "features": [
            feature for agreement in listing.object_list
            for feature in _areas_for_map(agreement, now)]},
        "bbox": (form.cleaned_data.get("bbox") if hasattr(form, "cleaned_data") else None),
    }


def contact_line_feature(line) -> dict | None:
    """The contact line as a GeoJSON Feature for the maps, labelled with its date of validity
    in the reader's language; None when there is no line."""
    if line is None:
        return None
    label = gettext("Contact line as of %(date)s") % {
        "date": date_text(line.valid_on, "j M Y")}
    return {"type": "Feature", "geometry": line.geometry,
            "properties": {"kind": "contact_line", "valid_on": line.valid_on.isoformat(),
                           "label": label, "source": line.source}}


def contact_line_page(line) -> dict:
    return {"line": line, "feature": contact_line_feature(line),
            "areas": {"type": "FeatureCollection", "features": []}}


FEED_PATHS = {
    "pauses": "/api/calendar.ics",
    "movement_windows": "/api/access/windows.ics",
}


def calendar_feed_links(*, base_url: str, feed, raw: str) -> dict[str, str]:
    """The subscription links of a feed: its address on this site (https:// when served over
    TLS, as in production) and the same as webcal://, which calendar applications open
    directly. `base_url` is the site's root, e.g. `https://parley.example/`."""
    path = FEED_PATHS.get(feed.kind) or f"/api/agreements/{feed.agreement_code}/windows.ics"
    url = f"{base_url.rstrip('/')}{path}?feed={raw}"
    return {"url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}
