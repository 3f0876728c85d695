"""Turn engine values into what the templates print; formatting only, no decisions."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from parley.access import selectors as access_selectors
from parley.agreements import selectors
from parley.engines import timewin
from parley.web.wording import COMMON_ZONES, PHASE_NAMES, zone_name


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


def _day(moment: datetime) -> str:
    return formats.date_format(moment, "D j M Y")


def _reading(local: timewin.LocalWindow, utc_day) -> ClockReading:
    start, end = local.start_local, local.end_local
    return ClockReading(
        zone=local.zone,
        label=zone_name(local.zone),
        abbrev=local.abbrev,
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
        start_date=formats.date_format(start, "j M") if start.date() != utc_day else "",
        end_date=formats.date_format(end, "j M") if end.date() != start.date() else "",
        offset=local.utc_offset_start,
    )


def read_window(window: timewin.Window, zones: list[str]) -> WindowReading:
    """The window in UTC first, then in each zone of `zones` from west to east."""
    others = {zone for zone in zones if zone != "UTC"}
    ordered = ["UTC", *sorted(others, key=lambda zone: (
        window.start.astimezone(ZoneInfo(zone)).utcoffset(), zone_name(zone)))]
    utc_day = window.start.astimezone(UTC).date()
    return WindowReading(
        window=window,
        utc_date=_day(window.start.astimezone(UTC)),
        readings=[_reading(local, utc_day) for local in timewin.render(window, ordered)],
    )


def read_instant(moment: datetime, zones: list[str]) -> str:
    """"26 Nov 2026 08:00 UTC · 10:00 Kyiv (EET) · 11:00 Moscow (MSK)"."""
    utc = moment.astimezone(UTC)
    parts = [f"{formats.date_format(utc, 'j M Y')} {utc:%H:%M} UTC"]
    others = {zone for zone in zones if zone != "UTC"}
    for zone in sorted(others, key=lambda zone: (utc.astimezone(ZoneInfo(zone)).utcoffset(),
                                                 zone_name(zone))):
        local = utc.astimezone(ZoneInfo(zone))
        prefix = f"{formats.date_format(local, 'j M')} " if local.date() != utc.date() else ""
        parts.append(f"{prefix}{local:%H:%M} {zone_name(zone)} ({local.tzname()})")
    return " · ".join(parts)


# -- pages -----------------------------------------------------------------------------------

MAX_WINDOWS_LISTED = 14


def agreement_zones(agreement) -> list[str]:
    """Every clock of every party bound by the agreement."""
    return list(dict.fromkeys(
        zone for party in agreement.bound_parties.all() for zone in party.time_zones
    ))


def describe_spec(spec: dict) -> str:
    """A stored window object in one line, as it was entered."""
    if "rrule" in spec:
        return f"{spec['rrule']} · {spec['dtstart']} {spec['tz']} · {spec['duration']}"
    zone = f" {spec['tz']}" if spec.get("tz") else ""
    return f"{spec['start']} – {spec['end']}{zone}"


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


def access_sections(panel, *, zone: str) -> list[dict]:
    """The cards of the dashboard's access panel for the actor's part in it
    (`access.selectors.access_panel`); times in UTC and on the viewer's clock."""
    if panel is None:
        return []

    def row(movement, detail: str, when_label, when: datetime | None) -> dict:
        return {"reference": movement.reference, "detail": detail, "when_label": when_label,
                "when": read_instant(when, [zone]) if when is not None else ""}

    def about(movement) -> str:
        return (f"{movement.organisation.name} · {movement.get_purpose_display()} · "
                f"{movement.agreement.code}")

    if panel.part == access_selectors.AccessPanel.PARTY:
        return [{
            "id": "access-awaiting", "title": _("Awaiting my party's acknowledgement"),
            "empty": _("Nothing awaits your party's acknowledgement."),
            "rows": [row(m, about(m), _("acknowledge by"),
                         access_selectors.acknowledgement_deadline(m)) for m in panel.awaiting],
        }]
    if panel.part == access_selectors.AccessPanel.SECRETARIAT:
        return [{
            "id": "access-overdue", "title": _("Overdue acknowledgements"),
            "empty": _("No acknowledgement is overdue."),
            "rows": [row(item.movement, f"{item.party.name} · {about(item.movement)}",
                         _("deadline"), item.deadline) for item in panel.overdue],
        }, {
            "id": "access-held", "title": _("Held for the secretariat's decision"),
            "empty": _("No notification is held."),
            "rows": [row(m, about(m), _("notified"), m.current_version.notified_at)
                     for m in panel.held],
        }]
    return [{
        "id": "access-open", "title": _("My organisation's open movements"),
        "empty": _("No open movement."),
        "rows": [row(m, f"{m.get_status_display()} · {about(m)}", _("starts"),
                     m.current_version.starts_at) for m in panel.open],
    }]


def monitoring_section(panel, *, zone: str) -> dict | None:
    """The dashboard's monitoring panel (`monitoring.selectors.monitoring_panel`): per pause
    the violations of the last days, events under review, site alerts; times on two clocks."""
    if not panel:
        return None
    return {
        "pauses": [{"code": row.agreement.code, "title": row.agreement.title,
                    "candidates": row.candidates, "confirmed": row.confirmed}
                   for row in panel.pauses],
        "under_review": [{"reference": event.reference,
                          "when": read_instant(event.time_start, [zone])}
                         for event in panel.under_review],
        "site_alerts": [{"site": alert.site.reference, "name": alert.site.name,
                         "incident": f"{alert.incident.source.name}:{alert.incident.external_id}",
                         "relation": alert.get_relation_display(),
                         "when": read_instant(alert.incident.time_start, [zone])}
                        for alert in panel.site_alerts],
    }


def dashboard(*, actor, now, active, upcoming, awaiting, negotiating, drafts, access, monitoring,
              limit) -> dict:
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
        "awaiting": awaiting,
        "negotiating": sorted(negotiating, key=lambda agreement: agreement.code),
        "drafts": drafts,
        "access_sections": access_sections(access, zone=actor.zone),
        "monitoring": monitoring_section(monitoring, zone=actor.zone),
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
    url = reverse("web:agreement_detail", kwargs={"code": agreement.code})
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
        "specs": [describe_spec(spec) for spec in (current.windows if current else [])],
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
        "zones": [*COMMON_ZONES, *sorted(available_timezones() - set(COMMON_ZONES))],
    }
