"""Models and selector results turned into what the monitoring templates show."""

from datetime import UTC

from django.urls import reverse
from django.utils.translation import gettext

from parley.agreements import selectors as agreement_selectors
from parley.agreements.wording import PHASE_NAMES
from parley.audit.wording import action_name as audit_action_name
from parley.core.selectors import clock_zones
from parley.monitoring import rules, selectors, services
from parley.monitoring.models import Event
from parley.monitoring.wording import STATUS_NAMES, VERIFY_BUTTONS
from parley.ui.clock import date_text, read_instant, west_to_east

CHART_WIDTH = 640
CHART_HEIGHT = 160
CHART_BOTTOM = 20
# Event points on the map: a small circle (the map draws `Point` areas as circles of
# width_m / 2), coloured by status through the phase colours the map already knows.
EVENT_MARK_M = 600
STATUS_COLOURS = {
    Event.Status.CANDIDATE: "countered",
    Event.Status.UNDER_REVIEW: "proposed",
    Event.Status.CONFIRMED: "suspended",
    Event.Status.DISMISSED: "completed",
    Event.Status.UNVERIFIABLE: "terminated",
}


def zones_for(user) -> list[str]:
    return west_to_east(clock_zones(actor=user))


def when(moment, user) -> str:
    return read_instant(moment, zones_for(user))


def chart(days) -> dict:
    """Stacked bars per UTC day: confirmed, under review or candidate, and the rest."""
    top = max([day.total for day in days] + [1])
    usable = CHART_HEIGHT - CHART_BOTTOM - 10
    step = CHART_WIDTH / max(len(days), 1)
    bars = []
    for index, day in enumerate(days):
        x = round(index * step + 2, 1)
        width = round(step - 4, 1)
        base = CHART_HEIGHT - CHART_BOTTOM
        for kind, count in (("confirmed", day.confirmed), ("open", day.open),
                            ("other", day.other)):
            if not count:
                continue
            height = round(usable * count / top, 1)
            base -= height
            bars.append({"x": x, "y": round(base, 1), "width": width, "height": height,
                         "kind": kind, "count": count, "day": day.day})
    labels = [{"x": round(index * step + step / 2, 1), "text": date_text(day.day, "j M")}
              for index, day in enumerate(days) if index % max(len(days) // 7, 1) == 0]
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "bars": bars, "labels": labels,
            "top": top, "baseline": CHART_HEIGHT - CHART_BOTTOM}


def event_features(rows) -> list[dict]:
    return [
        {"type": "Feature", "id": row.event.reference,
         "geometry": {"type": "Point", "coordinates": [row.event.lon, row.event.lat]},
         "properties": {
             "width_m": EVENT_MARK_M, "phase": STATUS_COLOURS[row.event.status],
             "phase_label": str(STATUS_NAMES[row.event.status]), "title": row.event.reference,
             "url": reverse("monitoring:event_detail",
                            kwargs={"reference": row.event.reference}),
         }}
        for row in rows
    ]


def area_features(agreements, now) -> list[dict]:
    features = []
    for agreement in agreements:
        phase = agreement_selectors.agreement_phase(agreement, now)
        url = reverse("agreements:agreement_detail", kwargs={"code": agreement.code})
        for feature in agreement_selectors.agreement_areas_geojson(agreement)["features"]:
            properties = {k: v for k, v in feature["properties"].items() if k != "windows"}
            properties.update({"phase": phase, "phase_label": str(PHASE_NAMES.get(phase, phase)),
                               "title": agreement.title, "url": url})
            features.append({**feature, "properties": properties})
    return features


def dashboard(*, actor, now, board, rows, alerts, runs) -> dict:
    agreements = [tally.agreement for tally in board.agreements]
    return {
        "can_import": rules.can_import_incidents(actor),
        "can_report": rules.can_report_incident(actor),
        "board": board,
        "chart": chart(board.days),
        "rows": rows,
        "alerts": [{"alert": alert, "when": when(alert.incident.time_start, actor)}
                   for alert in alerts],
        "runs": runs,
        "map_data": {"type": "FeatureCollection",
                     "features": area_features(agreements, now) + event_features(rows)},
        "status_names": STATUS_NAMES,
        "first_day": board.days[0].day if board.days else None,
        "last_day": board.days[-1].day if board.days else None,
    }


def event_detail(*, actor, event, placements, reports, steps, accounts, audit, now) -> dict:
    agreements = list({p.agreement.pk: p.agreement for p in placements}.values())
    row = selectors.EventRow(event=event, types=[], sources=[], reports=len(reports),
                             placements=placements)
    report_features = [
        {"type": "Feature", "id": f"{incident.source.name}:{incident.external_id}",
         "geometry": {"type": "Point", "coordinates": [incident.lon, incident.lat]},
         "properties": {"width_m": max(2 * incident.precision_m, 200), "phase": "draft",
                        "precision_m": incident.precision_m,
                        "title": f"{incident.source.name} {incident.external_id}"}}
        for incident in reports
    ]
    can_verify = rules.can_verify_event(actor)
    next_steps = [to for (frm, to) in services.TRANSITIONS if frm == event.status]
    return {
        "event": event,
        "status_name": STATUS_NAMES[event.status],
        "placements": placements,
        "reports": [{"incident": incident, "when": when(incident.time_start, actor),
                     "until": when(incident.time_end, actor) if incident.time_end else None,
                     "type": services.REPORT_TYPES.get(incident.type, incident.type)}
                    for incident in reports],
        "steps": [{"step": step, "when": when(step.at, actor),
                   "from_name": STATUS_NAMES[step.from_status],
                   "to_name": STATUS_NAMES[step.to_status]} for step in steps],
        "accounts": [{"account": account, "when": when(account.at, actor)}
                     for account in accounts],
        "audit": [{"entry": entry, "when": when(entry.at, actor),
                   "action": audit_action_name(entry.action)} for entry in audit],
        "time_start": when(event.time_start, actor),
        "time_end": when(event.time_end, actor),
        "verify_buttons": [(to, VERIFY_BUTTONS[to]) for to in next_steps] if can_verify else [],
        "can_attach": rules.can_attach_account(actor),
        "map_data": {"type": "FeatureCollection",
                     "features": area_features(agreements, now) + report_features
                     + event_features([row])},
        "utc_day": event.time_start.astimezone(UTC).date(),
    }


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


def report_filed(incident) -> tuple[str, str]:
    """Where a monitor goes after filing a report, and what they are told."""
    if incident.event_id:
        return (reverse("monitoring:event_detail", kwargs={"reference": incident.event.reference}),
                gettext("Report filed; it falls in a pause and is part of %(reference)s.")
                % {"reference": incident.event.reference})
    return reverse("monitoring:report"), gettext("Report filed; it falls in no open pause window.")


def report_map(agreements, now) -> dict:
    return {"map_data": {"type": "FeatureCollection",
                         "features": area_features(agreements, now)}}
