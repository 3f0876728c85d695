"""The bridge to the deconfliction engine: stored movements and agreements in, findings out.

The engine checks; this module only translates models into docs/formats.md §5 data and the engine's
findings and errors into what the services store and the pages and API show.
"""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from parley.access.models import AccessTerms
from parley.access.wording import finding_title
from parley.agreements.selectors import version_geojson
from parley.engines import bounds, deconflict, geo
from parley.engines.deconflict.movements import instant

# Which input field a finding is about, so that forms and the API put it next to that field.
FIELD_OF_CODE = {
    deconflict.ROUTE_OUTSIDE_AREA: "route",
    deconflict.OUTSIDE_WINDOW: "schedule",
    deconflict.LATE_NOTICE: "schedule",
    deconflict.CROSSING_CONGESTION: "crossings",
    deconflict.NEAR_HAZARD: "route",
    deconflict.VEHICLE_LIMIT: "vehicles",
    deconflict.CARGO_LIMIT: "cargo",
}


def utc_text(moment: datetime) -> str:
    if bounds.instant_problem(moment) is not None:
        # Outside the supported span the conversion could overflow; the engine refuses the
        # text as it was given, naming the field (issue 8, finding 11).
        return moment.isoformat()
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def movement_feature(*, reference: str, organisation: str, agreement: str, purpose: str,
                     content: dict) -> dict:
    """A movement as docs/formats.md §5 describes it; `content` holds the fields of a version."""
    properties = {
        "id": reference,
        "organisation": organisation,
        "agreement": agreement,
        "purpose": purpose,
        "notified_at": utc_text(content["notified_at"]),
        "vehicles": content["vehicles"],
        "personnel": content["personnel"],
        "cargo": content["cargo"],
    }
    if content.get("times") is not None:
        properties["times"] = content["times"]
    else:
        properties["depart"] = (
            utc_text(content["depart"]) if isinstance(content["depart"], datetime)
            else content["depart"]
        )
        properties["speed_kmh"] = content["speed_kmh"]
    return {"type": "Feature", "id": reference, "geometry": content["route"],
            "properties": properties}


def version_content(version) -> dict:
    return {
        "route": version.route, "times": version.times, "depart": version.depart,
        "speed_kmh": version.speed_kmh, "vehicles": version.vehicles,
        "personnel": version.personnel, "cargo": version.cargo,
        "notified_at": version.notified_at,
    }


def agreement_areas(agreement, terms: AccessTerms) -> list[geo.Area]:
    """The agreement's current areas with the access terms written in as the engine reads them."""
    collection = version_geojson(agreement, agreement.current_version)
    for feature in collection["features"]:
        if terms.max_vehicles is not None:
            feature["properties"]["max_vehicles"] = terms.max_vehicles
        if terms.cargo_limits:
            feature["properties"]["cargo_limits"] = terms.cargo_limits
    return geo.parse_areas(collection)


def input_field(engine_field: str | None) -> str | None:
    """The engine names places in a docs/formats.md §5 feature; the services name their own
    inputs."""
    if engine_field is None:
        return None
    if engine_field.startswith("geometry.coordinates"):
        return "route" + engine_field.removeprefix("geometry.coordinates")
    if engine_field.startswith("geometry"):
        return "route"
    return engine_field


def _message(error: deconflict.FeatureError) -> str:
    reason = gettext(error.reason)
    return f"{reason} ({error.detail})" if error.detail else reason


def parse(feature: dict) -> deconflict.Movement:
    """The engine's reading of one movement; its problems as a ValidationError by field."""
    try:
        return deconflict.parse_movements(feature)[0]
    except deconflict.InputValidationError as error:
        problems: dict[str, list[str]] = {}
        for problem in error.errors:
            problems.setdefault(input_field(problem.field) or "route", []).append(
                _message(problem)
            )
        raise ValidationError(problems) from error


def hazard_feature(hazard) -> dict:
    return {"type": "Feature", "id": hazard.reference, "geometry": hazard.geometry,
            "properties": {"id": hazard.reference, "kind": hazard.kind, "note": hazard.note}}


def parse_hazard(feature: dict) -> None:
    """Validate one hazard as the engine reads it; its problems as a ValidationError."""
    try:
        deconflict.parse_hazards({"type": "FeatureCollection", "features": [feature]})
    except deconflict.InputValidationError as error:
        problems: dict[str, list[str]] = {}
        for problem in error.errors:
            field = "geometry" if (problem.field or "").startswith("geometry") \
                else problem.field or "geometry"
            problems.setdefault(field, []).append(_message(problem))
        raise ValidationError(problems) from error


def controlling_parties(*, agreement, terms: AccessTerms, feature: dict) -> set[str] | None:
    """The slugs of the parties in control of the areas the route crosses (the `party`
    property of each feature it passes through or within 50 m of), or None when the areas
    cannot narrow it down: none carries a `party`, the route crosses none of them (a route the
    secretariat let through despite `route_outside_area`), or it crosses one without a `party`
    (an area no single party controls). None means every bound belligerent party."""
    areas = agreement_areas(agreement, terms)
    if not any(area.properties.get("party") for area in areas):
        return None
    by_id = {area.id: area for area in areas}
    crossed = [by_id[area_id] for area_id in deconflict.crossed_features(areas, parse(feature))]
    owners = {area.properties.get("party") for area in crossed}
    if not crossed or None in owners or "" in owners:
        return None
    return {str(owner) for owner in owners}


def findings_for(*, agreement, terms: AccessTerms, feature: dict, others: list[dict],
                 hazards: list[dict]) -> list[dict]:
    """Findings about `feature`; `others` (open movements of the same agreement) count only
    towards congestion at crossing points, which no movement causes alone; `hazards` are the
    active hazards reported by monitors."""
    parsed = parse(feature)
    neighbours = []
    for other in others:
        try:
            neighbours.append(deconflict.parse_movements(other)[0])
        except deconflict.InputValidationError:
            continue  # stored before a stricter engine; it cannot congest a crossing it fails
    try:
        found = deconflict.check_movements(
            agreement_areas(agreement, terms), [parsed, *neighbours],
            deconflict.parse_hazards({"type": "FeatureCollection", "features": hazards}),
        )
    except deconflict.InputValidationError as error:
        raise ValidationError(
            {"agreement": [_message(problem) for problem in error.errors]}
        ) from error
    return [
        {"code": f.code, "severity": f.severity, "detail": f.detail, "params": f.params,
         "field": FIELD_OF_CODE.get(f.code), "lon": round(f.lon, 6), "lat": round(f.lat, 6)}
        for f in found if f.movement_id == parsed.id
    ]


def schedule_instants(feature: dict) -> list[datetime]:
    """The instant at each vertex (from the times, or from departure and speed)."""
    return [instant(value) for value in parse(feature).times]


def schedule_bounds(feature: dict) -> tuple[datetime, datetime]:
    movement = parse(feature)
    return movement.first_instant, movement.last_instant


def blocking(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] == deconflict.BLOCKING]


def finding_message(finding: dict) -> str:
    return f"{finding_title(finding['code'])}: {finding['detail']}"


class FindingsError(ValidationError):
    """Blocking findings stopped a notification; they travel with the error for the map."""

    def __init__(self, findings: list[dict]):
        self.findings = findings
        problems: dict[str, list[str]] = {}
        for finding in blocking(findings):
            problems.setdefault(finding["field"] or "route", []).append(finding_message(finding))
        super().__init__(problems)

