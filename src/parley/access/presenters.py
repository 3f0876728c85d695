"""Turn access data into what the templates print; formatting only, no decisions."""

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import shapely
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.access import rules, selectors
from parley.access.models import Movement
from parley.access.wording import (
    RECEIPT_NOT_GUARANTEE,
    SEVERITY_NAMES,
    cargo_unit_name,
    finding_text,
    finding_title,
)
from parley.agreements.selectors import (
    agreement_areas_geojson,
    agreement_phase,
    agreement_windows,
)
from parley.agreements.wording import PHASE_NAMES
from parley.audit.wording import action_name as audit_action_name
from parley.core.types import existing
from parley.engines import timewin
from parley.engines.geo import measure, metric
from parley.ui.clock import date_text, read_instant
from parley.ui.words import (
    MOVED_AT_LEAST_M,
    area_words,
    clock_words,
    distance_words,
    duration_words,
)

# Movement statuses drawn with the colours the pages already use for agreement phases.
STATUS_BADGE: dict[str, str] = {
    Movement.Status.HELD: "countered",
    Movement.Status.NOTIFIED: "proposed",
    Movement.Status.ACKNOWLEDGED: "agreed",
    Movement.Status.UNDER_WAY: "active",
    Movement.Status.COMPLETED: "completed",
    Movement.Status.IMPEDED: "suspended",
    Movement.Status.DENIED: "suspended",
    Movement.Status.CANCELLED: "terminated",
    Movement.Status.WITHDRAWN: "terminated",
}
# Sizes of the markers on the map, as diameters in metres (the map draws points as circles).
FINDING_MARK_M = 800
CHECK_IN_MARK_M = 300
HAZARD_MARK_M = 400
METRES_PER_DEGREE = 111_195  # along a meridian, and along the equator


def movement_zones(movement: Movement) -> list[str]:
    """The clocks of the parties bound by the agreement and of the notifying organisation."""
    parties = [*movement.agreement.bound_parties.all(), movement.organisation]
    return list(dict.fromkeys(zone for party in parties for zone in party.time_zones))


def reader_zones_of(actor) -> list[str]:
    """The reader's clock (their party's main zone): findings give instants in UTC and in it."""
    return [actor.zone] if getattr(actor, "is_authenticated", False) else []


def blocking_messages(findings: list[dict], zones=()) -> dict[str, list[str]]:
    """The blocking findings by the input they concern, in the reader's language: what the
    form shows next to its fields and the API answers in `detail`."""
    messages: dict[str, list[str]] = {}
    for finding in findings:
        if finding["severity"] == "blocking":
            messages.setdefault(finding["field"] or "route", []).append(
                f"{finding_title(finding['code'])}: {finding_text(finding, zones)}")
    return messages


def finding_rows(findings: list[dict], zones=()) -> list[dict]:
    """Findings as the pages list them, worded for the reader (instants also in `zones`)."""
    return [{**finding, "title": finding_title(finding["code"]),
             "text": finding_text(finding, zones),
             "severity_name": str(SEVERITY_NAMES.get(finding["severity"], finding["severity"]))}
            for finding in findings]


def check_map(*, agreement, route: dict | None, findings: list[dict], check_ins=(),
              status: str = Movement.Status.NOTIFIED, title: str = "") -> dict:
    """The agreement's areas, the route, and the places of findings and check-ins, in the
    shape map.js draws (a point is a circle of `width_m`, colours by `phase`)."""
    features = agreement_features(agreement)
    if route and route.get("type") == "LineString":
        features.append({"type": "Feature", "id": "route", "geometry": route,
                         "properties": {"phase": STATUS_BADGE.get(status, "proposed"),
                                        "title": title or gettext("Route")}})
    for index, finding in enumerate(findings, start=1):
        features.append({
            "type": "Feature", "id": f"finding-{index}",
            "geometry": {"type": "Point", "coordinates": [finding["lon"], finding["lat"]]},
            "properties": {"phase": "suspended" if finding["severity"] == "blocking"
                           else "countered", "width_m": FINDING_MARK_M,
                           "title": f"{finding_title(finding['code'])}: "
                                    f"{finding_text(finding)}"},
        })
    for check_in in check_ins:
        features.append({
            "type": "Feature", "id": f"check-in-{check_in.pk}",
            "geometry": {"type": "Point", "coordinates": [check_in.lon, check_in.lat]},
            "properties": {"phase": "active", "width_m": CHECK_IN_MARK_M,
                           "title": f"{check_in.place or gettext('Check-in')} "
                                    f"{check_in.at:%Y-%m-%d %H:%M} UTC"},
        })
    return {"type": "FeatureCollection", "features": features}


def agreement_features(agreement) -> list[dict]:
    """The agreement's areas as map.js draws them: coloured by phase, with a popup naming the
    agreement (its code in `agreement`, which the route editor filters on)."""
    phase = agreement_phase(agreement)
    url = reverse("agreements:agreement_detail", kwargs={"code": agreement.code})
    return [
        {**feature, "properties": {"phase": phase, "title": agreement.title, "url": url,
                                   "agreement": agreement.code,
                                   "phase_label": f"{PHASE_NAMES.get(phase, phase)} · "
                                                  f"{area_words(feature)}",
                                   "width_m": feature["properties"].get("width_m")}}
        for feature in agreement_areas_geojson(agreement)["features"]
    ]


def route_context(*, agreements, sites, hazards, findings=(), route=None, zones=()) -> dict:
    """What the route editor draws beneath the route (json_script "route-context"): the areas
    of the agreements the movement is or may be notified under, the sites and active hazards
    the reader may see (the callers pass what the selectors gave), and the findings of the
    last check, numbered as the list above the form numbers them, each placed on the route."""
    features = [feature for agreement in agreements for feature in agreement_features(agreement)]
    features += sites_map(sites, hazards)["features"]
    return {"areas": {"type": "FeatureCollection", "features": features},
            "findings": finding_marks(findings, route, zones)}


def finding_marks(findings, route=None, zones=()) -> list[dict]:
    """Each finding where the route editor puts it: its place, severity, words, and which
    point or stretch of the route it concerns."""
    marks = []
    for number, finding in enumerate(findings, start=1):
        if finding.get("lon") is None or finding.get("lat") is None:
            continue
        marks.append({
            "number": number, "lon": finding["lon"], "lat": finding["lat"],
            "severity": finding["severity"], "code": finding["code"],
            "title": str(finding_title(finding["code"])), "text": finding_text(finding, zones),
            "where": where_on_route(route, finding["lon"], finding["lat"]),
        })
    return marks


# Closer than this to a point of the route, a finding is "at" that point.
AT_VERTEX_M = 50


def where_on_route(route, lon: float, lat: float) -> str:
    """"at point 3 of the route", "between points 2 and 3 of the route", or "" without a
    route: the vertex or segment nearest to (lon, lat), in plane metres around it."""
    coordinates = (route or {}).get("coordinates") if isinstance(route, dict) else None
    if not coordinates or (route.get("type") != "LineString"):
        return ""
    k = math.cos(math.radians(lat))

    def xy(point) -> tuple[float, float]:
        return ((point[0] - lon) * k * METRES_PER_DEGREE, (point[1] - lat) * METRES_PER_DEGREE)

    points = [xy(point) for point in coordinates]
    distances = [math.hypot(x, y) for x, y in points]
    nearest = min(range(len(points)), key=distances.__getitem__)
    best_segment, best_distance = None, distances[nearest]
    for index in range(len(points) - 1):
        (ax, ay), (bx, by) = points[index], points[index + 1]
        length2 = (bx - ax) ** 2 + (by - ay) ** 2
        u = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * (bx - ax) + ay * (by - ay))
                                                  / length2))
        distance = math.hypot(ax + u * (bx - ax), ay + u * (by - ay))
        if distance < best_distance - 1e-6 and 0 < u < 1:
            best_segment, best_distance = index, distance
    if best_segment is None or distances[nearest] <= AT_VERTEX_M:
        return gettext("at point %(number)d of the route") % {"number": nearest + 1}
    return gettext("between points %(first)d and %(second)d of the route") % {
        "first": best_segment + 1, "second": best_segment + 2}


FIELD_NAMES = {
    "route": _("route"), "times": _("times"), "depart": _("departure"),
    "speed_kmh": _("speed (km/h)"), "crossings": _("crossing points"), "vehicles": _("vehicles"),
    "personnel": _("personnel"), "cargo": _("cargo"), "note": _("note"),
}


def _item_text(field: str, item) -> str:
    if field == "vehicles":
        return f"{item.get('type', '')} {item.get('plate', '')}".strip()
    if field == "cargo":
        return cargo_line_text(item)
    return str(item)


def cargo_line_text(line: dict) -> str:
    """"wheat flour, 40 tonnes (t)" with the quantity in the reader's locale."""
    return (f"{line.get('item', '')}, {_quantity(line.get('quantity'))} "
            f"{cargo_unit_name(str(line.get('unit', '')))}")


def cargo_rows(cargo: list[dict]) -> list[dict]:
    """The manifest as the movement page's table prints it."""
    return [{"item": line.get("item", ""), "quantity": _quantity(line.get("quantity")),
             "unit": cargo_unit_name(str(line.get("unit", "")))} for line in cargo]


def _quantity(value) -> str:
    if not isinstance(value, int | float):
        return str(value)
    return formats.number_format(value, decimal_pos=None if float(value) % 1 else 0,
                                 use_l10n=True, force_grouping=True)


def _value_text(value) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _span(start: datetime, end: datetime, zone: str) -> str:
    """"3 Dec 2026 10:00–14:00 Kyiv time" (the end's date when it is another day)."""
    tz = ZoneInfo(zone)
    first, last = start.astimezone(tz), end.astimezone(tz)
    end_text = (f"{last:%H:%M}" if last.date() == first.date()
                else f"{date_text(last, 'j M Y')} {last:%H:%M}")
    return f"{date_text(first, 'j M Y')} {first:%H:%M}–{end_text} {clock_words(zone)}"


def _route_text(before: dict | None, after: dict | None) -> str:
    """"3.4 km longer (46 km → 49 km)", or where it now starts and ends when the length held."""
    old = measure.measure_feature({"geometry": before or {}})
    new = measure.measure_feature({"geometry": after or {}})
    if old.length_m is None or new.length_m is None:
        return gettext("the route changed")
    difference = new.length_m - old.length_m
    values = {"difference": distance_words(difference), "before": distance_words(old.length_m),
              "after": distance_words(new.length_m)}
    if abs(difference) >= MOVED_AT_LEAST_M:
        return (gettext("%(difference)s longer (%(before)s → %(after)s)") if difference > 0
                else gettext("%(difference)s shorter (%(before)s → %(after)s)")) % values
    return gettext("redrawn, the same length (%(after)s)") % values


SCHEDULE_FIELDS = ("times", "depart", "speed_kmh")


def describe_changes(previous, version, changes, zone: str) -> list[dict]:
    """What an amendment changed, in words: the route by its length, the schedule on the
    reader's clock, list items added and removed."""
    lines = []
    schedule_done = False
    for change in changes:
        label = str(FIELD_NAMES.get(change.field, change.field))
        if change.field in SCHEDULE_FIELDS:
            if schedule_done:
                continue
            schedule_done = True
            text = f"{_span(previous.starts_at, previous.ends_at, zone)} → " \
                   f"{_span(version.starts_at, version.ends_at, zone)}"
            if previous.speed_kmh != version.speed_kmh and version.speed_kmh is not None:
                text += " · " + gettext("average speed %(before)s → %(after)s km/h") % {
                    "before": _value_text(previous.speed_kmh),
                    "after": _value_text(version.speed_kmh)}
            lines.append({"field": "schedule", "label": gettext("schedule"), "text": text})
        elif change.field == "route":
            lines.append({"field": "route", "label": label,
                          "text": _route_text(change.before, change.after)})
        elif change.field in ("vehicles", "personnel", "crossings", "cargo"):
            before = [_item_text(change.field, item) for item in change.before or []]
            after = [_item_text(change.field, item) for item in change.after or []]
            parts = [gettext("added: %(item)s") % {"item": item}
                     for item in after if item not in before]
            parts += [gettext("removed: %(item)s") % {"item": item}
                      for item in before if item not in after]
            lines.append({"field": change.field, "label": label, "text": "; ".join(parts)})
        else:
            lines.append({"field": change.field, "label": label,
                          "text": f"{_value_text(change.before)} → {_value_text(change.after)}"})
    return lines


def movement_detail(movement: Movement, *, actor, versions, check_ins, coordinate_views, audit,
                    actions) -> dict:
    zones = movement_zones(movement)
    reader_zones = reader_zones_of(actor)
    current = versions[-1]
    acks = {ack.party_id: ack for ack in selectors.acknowledgements_of(current)}
    history = []
    for index, version in enumerate(versions):
        previous = versions[index - 1] if index else None
        history.append({
            "version": version,
            "changes": describe_changes(previous, version,
                                        selectors.movement_version_diff(previous, version),
                                        actor.zone) if previous else [],
            "acknowledgements": selectors.acknowledgements_of(version),
            "findings": finding_rows(version.findings, reader_zones),
        })
    history.reverse()
    deadline = selectors.acknowledgement_deadline(movement)
    return {
        "movement": movement,
        "badge": STATUS_BADGE[movement.status],
        "current": current,
        "zones": zones,
        "starts": read_instant(current.starts_at, zones),
        "ends": read_instant(current.ends_at, zones),
        "notified": read_instant(current.notified_at, zones),
        "deadline": read_instant(deadline, zones) if deadline else "",
        "receipt_note": RECEIPT_NOT_GUARANTEE,
        "findings": finding_rows(current.findings, reader_zones),
        "map": check_map(agreement=movement.agreement, route=current.route,
                         findings=current.findings, check_ins=check_ins, status=movement.status,
                         title=movement.reference),
        "acknowledgements": [
            {"party": party, "ack": acks.get(party.pk)}
            for party in selectors.crossed_parties(movement)
        ],
        "check_ins": [{"check_in": c, "when": read_instant(c.at, zones)} for c in check_ins],
        "coordinate_views": [{"entry": v, "when": read_instant(v.at, zones)}
                             for v in coordinate_views],
        "show_coordinate_log": movement.organisation_id == actor.party_id
        or bool(coordinate_views),
        "history": history,
        "cargo": cargo_rows(current.cargo),
        "audit": [{"entry": entry, "when": read_instant(entry.at, zones),
                   "action": audit_action_name(entry.action)}
                  for entry in audit],
        "actions": actions,
    }


def movement_row(movement: Movement) -> dict:
    version = existing(movement.current_version, f"version of {movement.reference}")
    zones = movement_zones(movement)
    return {"movement": movement, "badge": STATUS_BADGE[movement.status],
            "starts": read_instant(version.starts_at, zones)}


def check_in_page(movement: Movement, check_ins: list, warnings: list[str]) -> dict:
    return {"movement": movement, "badge": STATUS_BADGE[movement.status],
            "check_ins": check_in_rows(check_ins[-3:], movement_zones(movement)),
            "warnings": warnings}


def dashboard(*, actor, movements, awaiting, held, overdue, latency, summary, sites,
              notifications, hazards, terms) -> dict:
    return {
        "terms": terms,
        "can_notify": rules.can_notify_movement(actor),
        "can_report_hazard": rules.can_report_hazard(actor),
        "can_notify_site": rules.can_notify_site(actor),
        "movements": [movement_row(m) for m in movements],
        "awaiting": [movement_row(m) for m in awaiting],
        "held": [movement_row(m) for m in held],
        "overdue": [{"item": item, "deadline": read_instant(
            item.deadline, movement_zones(item.movement))} for item in overdue],
        "latency": [{"party": row.party, "acknowledged": row.acknowledged, "missed": row.missed,
                     "median": hours(row.median), "p90": hours(row.p90)} for row in latency],
        "summary": summary,
        "sites": [{"site": site, "amend": bool(rules.can_amend_site(actor, site)),
                   "withdraw": bool(rules.can_withdraw_site(actor, site))}
                  for site in sites],
        "sites_map": sites_map(sites, hazards),
        "hazards": hazards,
        "notifications": notifications,
        "receipt_note": RECEIPT_NOT_GUARANTEE,
    }


def hours(delta) -> str:
    """A duration as hours and minutes: "3 h 05 min", "under 1 min" (never "0 h 00 min")."""
    return duration_words(delta)


def sites_map(sites, hazards=()) -> dict:
    """Protected sites as map.js draws areas (circles of the protective diameter), and the
    reported hazards in the colour of a suspended agreement."""
    collection = selectors.sites_geojson(sites)
    for feature, site in zip(collection["features"], sites, strict=True):
        feature["properties"].update({
            "phase": "active" if site.status == "active" else "terminated",
            "mark": "site",
            "title": f"{site.reference} {site.name}",
            "phase_label": site.get_kind_display(),
        })
    for hazard in hazards:
        collection["features"].append({
            "type": "Feature", "id": hazard.reference, "geometry": hazard.geometry,
            "properties": {"phase": "suspended", "width_m": HAZARD_MARK_M, "mark": "hazard",
                           "title": f"{hazard.reference} {hazard.get_kind_display()}",
                           "phase_label": hazard.note},
        })
    return collection


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

    if panel.part == selectors.AccessPanel.PARTY:
        return [{
            "id": "access-awaiting", "title": _("Awaiting my party's acknowledgement"),
            "empty": _("Nothing awaits your party's acknowledgement."),
            "rows": [row(m, about(m), _("acknowledge by"),
                         selectors.acknowledgement_deadline(m)) for m in panel.awaiting],
        }]
    if panel.part == selectors.AccessPanel.SECRETARIAT:
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


def amended_message(version) -> str:
    return gettext("Version %(number)d of %(reference)s is notified; the parties acknowledge it "
                   "afresh.") % {"number": version.number, "reference": version.movement.reference}


FAR_FROM_ROUTE_M = 5_000
FAR_FROM_SCHEDULE = timedelta(hours=2)


def check_in_warnings(movement: Movement, *, at: datetime, lon: float | None = None,
                      lat: float | None = None) -> list[str]:
    """What a field officer should know before checking in at `at` (and at the position given):
    outside every window of the agreement, a party yet to acknowledge, far from the route, far
    from the scheduled time. Warnings only: the check-in stays the officer's call."""
    warnings = []
    zones = movement_zones(movement)
    windows = agreement_windows(movement.agreement)
    if not timewin.contains(windows, at):
        upcoming = timewin.next_change(windows, at)
        warnings.append(
            gettext("Now is outside every window of agreement %(agreement)s; the next opens "
                    "%(next)s.") % {"agreement": movement.agreement.code,
                                    "next": read_instant(upcoming, zones)}
            if upcoming else
            gettext("Now is outside every window of agreement %(agreement)s.")
            % {"agreement": movement.agreement.code})
    waiting = selectors.parties_yet_to_acknowledge(movement)
    if waiting:
        warnings.append(gettext("Not yet acknowledged by %(parties)s.") % {
            "parties": ", ".join(party.name for party in waiting)})
    version = movement.current_version
    if version is not None:
        if at < version.starts_at - FAR_FROM_SCHEDULE:
            warnings.append(gettext("%(duration)s before the scheduled start (%(start)s).") % {
                "duration": duration_words(version.starts_at - at),
                "start": read_instant(version.starts_at, zones)})
        elif at > version.ends_at + FAR_FROM_SCHEDULE:
            warnings.append(gettext("%(duration)s after the scheduled end (%(end)s).") % {
                "duration": duration_words(at - version.ends_at),
                "end": read_instant(version.ends_at, zones)})
        if lon is not None and lat is not None:
            distance = _distance_to_route_m(version.route, lon, lat)
            if distance > FAR_FROM_ROUTE_M:
                warnings.append(gettext("This position is %(km)s km from the notified route.") % {
                    "km": formats.number_format(round(distance / 1000, 1), use_l10n=True)})
    return warnings


def _distance_to_route_m(route: dict, lon: float, lat: float) -> float:
    to_metres = metric.local_projection(lon, lat)
    lons, lats = zip(*route["coordinates"], strict=True)
    xs, ys = to_metres.transform(lons, lats)
    return shapely.LineString(list(zip(xs, ys, strict=True))).distance(shapely.Point(0, 0))


def check_in_rows(check_ins, zones) -> list[dict]:
    """Last check-ins with their time on every clock, their position and note."""
    return [{"when": read_instant(check_in.at, zones), "place": check_in.place,
             "position": f"{check_in.lat:.5f}, {check_in.lon:.5f}", "note": check_in.note,
             "by": check_in.user.get_full_name() or check_in.user.username}
            for check_in in check_ins]


def movement_rows(movements, *, zone: str, awaiting: set[int]) -> list[dict]:
    """The movements list: one row per movement, the planned start on the reader's clock and
    whether the reader's party may acknowledge it from the list (`awaiting`)."""
    rows = []
    for movement in movements:
        version = movement.current_version
        rows.append({
            "movement": movement,
            "badge": STATUS_BADGE[movement.status],
            "version": version.number if version else 0,
            "starts": read_instant(version.starts_at, [zone]) if version else "",
            "selectable": movement.pk in awaiting and version is not None,
        })
    return rows
