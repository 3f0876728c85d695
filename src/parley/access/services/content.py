"""A movement's content: validated, normalised and checked by the deconfliction engine; references
of movements.
"""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.access import checks, rules
from parley.access.models import (
    Hazard,
    Movement,
)
from parley.access.selectors import (
    access_terms_of,
)
from parley.agreements.models import Agreement
from parley.core.models import Party
from parley.core.references import random_reference
from parley.core.validation import add_error
from parley.engines import timewin


def _one_line(geometry: Any) -> Any:
    """A MultiLineString of one part is that line (what some GPS tools export)."""
    if isinstance(geometry, dict) and geometry.get("type") == "MultiLineString":
        parts = geometry.get("coordinates")
        if isinstance(parts, list) and len(parts) == 1:
            return {"type": "LineString", "coordinates": parts[0]}
    return geometry


def _route(value: Any, errors: dict) -> dict | None:
    """A LineString geometry, from a geometry, a Feature, or a collection of one line (a
    MultiLineString of one part counts as a line); what the route editor draws, it accepts."""
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        lines = [f for f in value.get("features") or [] if isinstance(f, dict)
                 and (f.get("geometry") or {}).get("type") in ("LineString", "MultiLineString")]
        if len(lines) != 1:
            add_error(errors, "route", _("Give exactly one line: the route of the movement."))
            return None
        value = lines[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    value = _one_line(value)
    if isinstance(value, dict) and value.get("type") == "MultiLineString":
        add_error(errors, "route", _("The route is %(count)d separate lines; join them into one "
                                     "line, the route of the movement.")
                  % {"count": len(value.get("coordinates") or [])})
        return None
    if not isinstance(value, dict) or value.get("type") != "LineString":
        add_error(errors, "route", _("Give the route as a GeoJSON LineString."))
        return None
    coordinates = value.get("coordinates")
    if isinstance(coordinates, list):
        coordinates = [p[:2] if isinstance(p, list) else p for p in coordinates]
    return {"type": "LineString", "coordinates": coordinates}


def _texts(value: Any, field: str, errors: dict) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        add_error(errors, field, _("Give a list of texts, one per line."))
        return []
    return [v.strip() for v in value if v.strip()]


def _instant(value: Any, field: str, errors: dict) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            add_error(errors, field, _("Give the time with its UTC offset or zone."))
            return None
        return value
    try:
        return timewin.parse_instant(value, field=field)
    except timewin.WindowError as error:
        add_error(errors, field, gettext(error.reason))
        return None


def _clean_content(
    *, route: Any, times: Any, depart: Any, speed_kmh: Any, crossings: Any, vehicles: Any,
    personnel: Any, cargo: Any, note: Any, errors: dict,
) -> dict:
    """The fields of a version as stored; what the engine checks it checks (see `checks`)."""
    content = {
        "route": _route(route, errors),
        "times": list(times) if times else None,
        "depart": _instant(depart, "depart", errors),
        "speed_kmh": speed_kmh,
        "crossings": _texts(crossings, "crossings", errors),
        "vehicles": list(vehicles or []),
        "personnel": _texts(personnel, "personnel", errors),
        "cargo": list(cargo or []),
        "note": (note or "").strip(),
    }
    if content["times"] is None and content["depart"] is None and "depart" not in errors:
        add_error(errors, "schedule",
             _("Give a time for each point of the route, or the departure time and speed."))
    if content["times"] is not None and (depart or speed_kmh is not None):
        add_error(errors, "schedule",
             _("Give either a time for each point or the departure and speed, not both."))
    return content


def _feature(movement_ref: str, organisation: Party, agreement: Agreement, purpose: str,
             content: dict) -> dict:
    return checks.movement_feature(
        reference=movement_ref, organisation=organisation.slug, agreement=agreement.code,
        purpose=purpose, content=content,
    )


def _normalised_times(times: list | None) -> list[str] | None:
    if times is None:
        return None
    return [checks.utc_text(timewin.parse_instant(value, field="times")) for value in times]


def _others(agreement: Agreement, exclude: Movement | None) -> list[dict]:
    """Open movements of the same agreement, as the engine reads them, for crossing counts."""
    others = Movement.objects.filter(agreement=agreement, status__in=rules.OPEN) \
        .select_related("organisation", "agreement")
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    features = []
    for other in others:
        version = other.current_version
        features.append(_feature(other.reference, other.organisation, agreement, other.purpose,
                                 checks.version_content(version)))
    return features


def _check(
    *, reference: str, organisation: Party, agreement: Agreement, purpose: str, content: dict,
    exclude: Movement | None,
) -> tuple[list[dict], datetime, datetime, list[Party]]:
    """The findings, the schedule's bounds and the parties whose areas the route crosses."""
    feature = _feature(reference, organisation, agreement, purpose, content)
    starts_at, ends_at = checks.schedule_bounds(feature)
    terms = access_terms_of(agreement)
    findings = checks.findings_for(
        agreement=agreement, terms=terms, feature=feature, others=_others(agreement, exclude),
        hazards=[checks.hazard_feature(h) for h in Hazard.objects.filter(active=True)],
    )
    controlling = checks.controlling_parties(agreement=agreement, terms=terms, feature=feature)
    bound = [party for party in agreement.bound_parties.all()
             if party.kind == Party.Kind.BELLIGERENT]
    crossed = [party for party in bound if controlling is None or party.slug in controlling]
    # A movement nobody is told about is the worst outcome: when the areas it crosses name no
    # bound party (a mistyped slug), every bound party is told.
    return findings, starts_at, ends_at, crossed or bound


def _next_reference(organisation: Party, year: int) -> str:
    return random_reference(prefix=f"{organisation.slug.upper()}-{year}-", width=3,
                          model=Movement, field="reference")
