"""Turn engine values into what the templates print; formatting only, no decisions."""

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext

from parley.agreements import selectors
from parley.agreements.wording import PHASE_NAMES
from parley.core.validation import area_warnings
from parley.ui.clock import (
    WindowReading,
    describe_spec,
    read_instant,
    read_window,
    zone_choices,
    zone_name,
)
from parley.ui.words import window_words

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
    first = {}
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


def calendar(*, entries, start, days, now) -> dict:
    day_starts = [start + timedelta(days=offset) for offset in range(days)]
    timeline = []
    for day in day_starts:
        day_end = day + timedelta(days=1)
        bars, listed = [], []
        for agreement, window in entries:
            if window.start >= day_end or window.end <= day:
                continue
            left = max(window.start, day) - day
            right = min(window.end, day_end) - day
            bars.append({
                "code": agreement.code,
                "phase": selectors.agreement_phase(agreement, now),
                "left": round(left / timedelta(days=1) * 100, 3),
                "width": round((right - left) / timedelta(days=1) * 100, 3),
            })
            if day <= window.start < day_end or (day == start and window.start < start):
                listed.append(entry(agreement, window, now))
        now_left = round((now - day) / timedelta(days=1) * 100, 3) if day <= now < day_end else None
        timeline.append({"day": day, "bars": bars, "entries": listed, "now_left": now_left})
    return {
        "timeline": timeline,
        "start": start,
        "days": days,
        "previous_start": (start - timedelta(days=days)).date(),
        "next_start": (start + timedelta(days=days)).date(),
        "count": len(entries),
    }


def _areas_for_map(agreement, now) -> list[dict]:
    phase = selectors.agreement_phase(agreement, now)
    features = selectors.agreement_areas_geojson(agreement)["features"]
    url = reverse("agreements:agreement_detail", kwargs={"code": agreement.code})
    return [
        {**feature, "properties": {
            **{k: v for k, v in feature["properties"].items() if k != "windows"},
            "phase": phase, "phase_label": str(PHASE_NAMES.get(phase, phase)),
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
            "type": (feature.get("geometry") or {}).get("type"),
            "width_m": (feature.get("properties") or {}).get("width_m"),
            "name": (feature.get("properties") or {}).get("name", ""),
        }
        for feature in version.areas.get("features", [])
    ]


def agreement_detail(agreement, *, versions, audit, actions, now) -> dict:
    zones = agreement_zones(agreement)
    current = versions[-1] if versions else None
    windows = selectors.version_windows(current)
    # A long daily pause would bury today under months of closed windows: list what is ahead.
    ahead = [window for window in windows if window.end > now]
    consented = {consent.party_id: consent for consent in selectors.consents_of(current)}
    history = []
    for index, version in enumerate(versions):
        previous = versions[index - 1] if index else None
        history.append({
            "version": version,
            "diff": selectors.version_diff(previous, version) if previous else None,
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


def agreement_form(*, form, windows, agreement) -> dict:
    return {
        "form": form,
        "windows": windows,
        "agreement": agreement,
        "zones": zone_choices(),
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
    return f"{formats.date_format(local, 'j M Y')} {local:%H:%M} {zone_name(zone)}"


def agreement_index(*, form, listing, now, zone: str) -> dict:
    """The agreements index: the filter form, the page of results and their count."""
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
    }
