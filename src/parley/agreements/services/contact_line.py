"""The line of contact shown on every map: imported by the secretariat as GeoJSON.

An import replaces the line shown (the newest row is the current line) in one transaction with
its audit entry. Every signed-in person sees the line: it is the secretariat's working picture of
the front, not any party's confidential material (docs/usability.md, "Maps").
"""

import datetime
import json
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parley.agreements.models import ContactLine
from parley.agreements.rules import can_import_contact_line
from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound

MAX_POSITIONS = 20_000
MAX_BYTES = 2 * 1024 * 1024


def _positions(line: Any, where: str) -> list[list[float]]:
    if not isinstance(line, list) or len(line) < 2:
        raise ValidationError({"geometry": [
            _("%(where)s: a line needs at least two positions.") % {"where": where}]})
    out = []
    for index, position in enumerate(line, start=1):
        ok = (isinstance(position, list) and len(position) in (2, 3)
              and all(isinstance(v, int | float) and not isinstance(v, bool)
                      and math.isfinite(v) for v in position))
        if not ok:
            raise ValidationError({"geometry": [
                _("%(where)s, position %(n)s: expected [longitude, latitude] numbers.")
                % {"where": where, "n": index}]})
        lon, lat = float(position[0]), float(position[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError({"geometry": [
                _("%(where)s, position %(n)s: longitude must be within -180..180 and latitude "
                  "within -90..90 (GeoJSON puts the longitude first).")
                % {"where": where, "n": index}]})
        out.append([round(lon, 6), round(lat, 6)])
    return out


def parse_contact_line(value: Any) -> dict:
    """A GeoJSON LineString or MultiLineString (bare, a Feature, or a FeatureCollection of such
    features, merged into one MultiLineString), or a `ValidationError` on `geometry` that names
    the part and position at fault."""
    if isinstance(value, bytes | str):
        if len(value) > MAX_BYTES:
            raise ValidationError({"geometry": [_("The file is larger than 2 MB.")]})
        try:
            value = json.loads(value)
        except (ValueError, UnicodeDecodeError) as error:
            raise ValidationError({"geometry": [
                _("This is not JSON: %(reason)s.") % {"reason": error}]}) from None
    if not isinstance(value, dict):
        raise ValidationError({"geometry": [_("Expected a GeoJSON object.")]})
    if value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationError({"geometry": [_("The FeatureCollection has no features.")]})
        geometries = [f.get("geometry") if isinstance(f, dict) else None for f in features]
    elif value.get("type") == "Feature":
        geometries = [value.get("geometry")]
    else:
        geometries = [value]
    lines: list[list[list[float]]] = []
    for number, geometry in enumerate(geometries, start=1):
        where = _("feature %(n)s") % {"n": number}
        if not isinstance(geometry, dict):
            geometry = {}
        kind = geometry.get("type")
        if kind == "LineString":
            lines.append(_positions(geometry.get("coordinates"), where))
        elif kind == "MultiLineString":
            parts = geometry.get("coordinates")
            if not isinstance(parts, list) or not parts:
                raise ValidationError({"geometry": [
                    _("%(where)s: the MultiLineString has no lines.") % {"where": where}]})
            for part_number, part in enumerate(parts, start=1):
                lines.append(_positions(part, _("%(where)s, line %(n)s")
                                        % {"where": where, "n": part_number}))
        elif not kind:
            raise ValidationError({"geometry": [
                _("%(where)s has no geometry.") % {"where": where}]})
        else:
            raise ValidationError({"geometry": [
                _("%(where)s: the contact line must be a LineString or MultiLineString, not "
                  "%(kind)s.") % {"where": where, "kind": kind}]})
    if sum(len(line) for line in lines) > MAX_POSITIONS:
        raise ValidationError({"geometry": [
            _("The line has more than %(n)s positions: simplify it.") % {"n": MAX_POSITIONS}]})
    if len(lines) == 1:
        return {"type": "LineString", "coordinates": lines[0]}
    return {"type": "MultiLineString", "coordinates": lines}


def contact_line_import(*, actor: Any, geometry: Any, valid_on: datetime.date | None,
                        source: str = "") -> ContactLine:
    """Replace the contact line shown on every map (secretariat only)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound("contact line")
    if not can_import_contact_line(actor):
        raise Forbidden(_("Only the secretariat imports the contact line."))
    errors: dict[str, list] = {}
    parsed = None
    try:
        parsed = parse_contact_line(geometry)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not isinstance(valid_on, datetime.date):
        errors["valid_on"] = [_("Give the day the line describes (YYYY-MM-DD).")]
    source = (source or "").strip() if isinstance(source, str) else ""
    if len(source) > 200 or "\x00" in source:
        errors["source"] = [_("The source is at most 200 characters.")]
    if errors or parsed is None or not isinstance(valid_on, datetime.date):
        raise ValidationError(errors)
    lines = [parsed["coordinates"]] if parsed["type"] == "LineString" else parsed["coordinates"]
    with transaction.atomic():
        previous = ContactLine.objects.select_for_update().order_by("-imported_at", "-id").first()
        line = ContactLine.objects.create(geometry=parsed, valid_on=valid_on, source=source,
                                          imported_by=actor)
        audit_append(
            actor=actor, action="contact_line.import", obj=line,
            before={"line": previous.pk, "valid_on": str(previous.valid_on)} if previous else None,
            after={"valid_on": str(valid_on), "source": source, "type": parsed["type"],
                   "positions": sum(len(line) for line in lines)},
        )
    return line
