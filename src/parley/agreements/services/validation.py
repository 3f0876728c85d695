"""Validation of an agreement's content (areas, windows, conditions) and frame, and its code."""


from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.agreements.models import Agreement
from parley.agreements.selectors import (
    AGREEMENT_LEVEL_PROPERTIES,
    canonical,
    feature_collection,
)
from parley.agreements.services.common import (
    _PLACEHOLDER_WINDOW,
    CODE_ATTEMPTS,
    CODE_PREFIX,
    TITLE_MAX_LENGTH,
)
from parley.core.references import random_reference
from parley.core.validation import RANGES, add_error
from parley.engines import geo, timewin
from parley.engines.geo import sanity
from parley.talks.models import Process, Round


def _window_message(error: timewin.WindowError) -> str:
    reason = gettext(error.reason)
    return f"{reason} ({error.detail})" if error.detail else reason


def _area_message(error: geo.AreaError) -> str:
    """The geo engine's reason quotes the input, so it is shown as it is, after the feature."""
    where = []
    if error.feature is not None:
        where.append(gettext("Feature %(feature)s") % {"feature": error.feature})
    if error.field:
        where.append(error.field)
    return f"{', '.join(where)}: {error.reason}" if where else error.reason


def _stored_areas(areas: Any, errors: dict) -> tuple[dict, list[list[dict]]]:
    """The areas as stored: every feature with an id, without the agreement's own properties.

    Also returns the windows each feature carried, so that a pasted docs/formats.md §2 collection
    can bring its windows along.
    """
    # A Feature or a bare geometry (what a map's editor or a person pastes) is one area.
    areas = geo.as_feature_collection(areas)
    if (
        not isinstance(areas, dict)
        or areas.get("type") != "FeatureCollection"
        or not isinstance(areas.get("features"), list)
    ):
        add_error(errors, "areas", _("Give the areas as GeoJSON: a FeatureCollection, a Feature "
                                     "or a geometry (Polygon, LineString, Point or their Multi "
                                     "forms)."))
        return {"type": "FeatureCollection", "features": []}, []
    if not areas["features"]:
        add_error(errors, "areas", _("Give at least one area."))
    # Ids given twice are left for the geo engine to report; generated ids avoid all of them.
    taken = {str(f["id"]) for f in areas["features"] if isinstance(f, dict) and "id" in f}
    next_number = 1
    features, carried_windows = [], []
    for index, feature in enumerate(areas["features"]):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            add_error(
                errors,
                "areas",
                gettext("Feature %(feature)s: %(reason)s")
                % {"feature": f"#{index}", "reason": gettext("is not a GeoJSON Feature")},
            )
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        if "windows" in properties:
            carried_windows.append(properties["windows"])
        feature_id = feature.get("id")
        if feature_id is None:
            while f"A{next_number}" in taken:
                next_number += 1
            feature_id = f"A{next_number}"
            taken.add(feature_id)
        kept = {k: v for k, v in properties.items() if k not in AGREEMENT_LEVEL_PROPERTIES}
        if properties.get("kind") == "site":
            kept["kind"] = "site"
        features.append(
            {"type": "Feature", "id": feature_id, "geometry": feature.get("geometry"),
             "properties": kept}
        )
    return {"type": "FeatureCollection", "features": features}, carried_windows


def _windows_or_carried(windows: Any, carried: list, errors: dict) -> list:
    if windows:
        return windows
    distinct = {canonical(w) for w in carried}
    if len(distinct) > 1:
        add_error(
            errors,
            "windows",
            _("The areas carry different windows; an agreement's windows apply to all its areas."),
        )
        return []
    if not distinct or not carried[0]:
        add_error(errors, "windows", _("Give at least one window."))
        return []
    return carried[0]


# Bounds that no real agreement reaches and that every database column holds.
CONDITION_LIMITS = {name: int(RANGES[name].high) for name in ("lead_time_h", "margin_min")}


def _clean_condition(value: Any, field: str, errors: dict) -> int | None:
    if value is None:
        return None
    limit = CONDITION_LIMITS[field]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        add_error(
            errors, field,
            gettext("Give a whole number from 0 to %(limit)d.") % {"limit": limit},
        )
        return None
    return value


def _clean_text(value: Any, field: str, errors: dict) -> str:
    """Free text of a version: absent means empty."""
    if value is None:
        return ""
    if not isinstance(value, str):
        add_error(errors, field, _("Give text."))
        return ""
    _refuse_nul(value, field, errors)
    return value.strip()


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def _refuse_nul(value: Any, field: str, errors: dict) -> None:
    """PostgreSQL stores no NUL character in text or JSON; refuse it rather than crash there."""
    if _contains_nul(value):
        add_error(errors, field, _("Remove the NUL character from the text."))


def _clean_content(
    *, code: str, kind: str, areas: Any, windows: Any, lead_time_h: Any, margin_min: Any,
    errors: dict,
) -> tuple[dict, list]:
    """Validate areas and windows with the engines; return what a version stores.

    An exchange's terms are persons, not places: it has no areas or windows of its own (its
    handover runs under a pause at the crossing point).
    """
    if kind == Agreement.Kind.EXCHANGE:
        return {"type": "FeatureCollection", "features": []}, []
    _refuse_nul(areas, "areas", errors)
    _refuse_nul(windows, "windows", errors)
    stored, carried = _stored_areas(areas, errors)
    windows = _windows_or_carried(windows, carried, errors)
    windows_valid = False
    if windows and not isinstance(windows, list):
        add_error(errors, "windows", _("Give the windows as a list of window objects."))
    elif windows:
        try:
            timewin.windows_from_json(windows, field="windows")
            windows_valid = True
        except timewin.WindowError as error:
            add_error(errors, error.field, _window_message(error))
    lead_time_h = _clean_condition(lead_time_h, "lead_time_h", errors)
    margin_min = _clean_condition(margin_min, "margin_min", errors)
    if stored["features"]:
        collection = feature_collection(
            areas=stored,
            code=code,
            kind=kind if kind in Agreement.Kind.values else Agreement.Kind.PAUSE,
            windows=windows if windows_valid else [_PLACEHOLDER_WINDOW],
            lead_time_h=lead_time_h,
            margin_min=margin_min,
        )
        try:
            geo.parse_areas(collection)
        except geo.GeoValidationError as error:
            for area_error in error.errors:
                add_error(errors, "areas", _area_message(area_error))
        else:
            # Valid GeoJSON, but larger than a country (a polygon around the world): refused
            # (issue 8, finding 13); lesser doubts are warnings, shown where the areas are.
            _warnings, refusals = sanity.check_areas(stored)
            for refusal in refusals:
                add_error(errors, refusal.field, refusal.message)
    return stored, windows


def _clean_frame(
    *, process: Process, round: Round | None, kind: str, title: str, purpose: str,
    bound_parties: Any, errors: dict,
) -> None:
    if kind not in Agreement.Kind.values:
        add_error(errors, "kind", _("Choose a pause or a local ceasefire."))
    if kind == Agreement.Kind.EXCHANGE and purpose != Agreement.Purpose.EXCHANGE:
        add_error(errors, "purpose", _("A prisoner exchange has the purpose exchange."))
    if not isinstance(title, str) or not title.strip():
        add_error(errors, "title", _("Give the agreement a title."))
    elif _contains_nul(title):
        add_error(errors, "title", _("Remove the NUL character from the text."))
    elif len(title.strip()) > TITLE_MAX_LENGTH:
        add_error(
            errors, "title",
            gettext("Keep the title within %(limit)d characters.") % {"limit": TITLE_MAX_LENGTH},
        )
    if purpose not in Agreement.Purpose.values:
        add_error(errors, "purpose", _("Choose a purpose."))
    if not bound_parties:
        add_error(errors, "bound_parties", _("Name the parties the agreement binds."))
    if round is not None and round.process_id != process.pk:
        add_error(errors, "round", _("The round belongs to another process."))




def _next_code(kind: str, year: int) -> str:
    return random_reference(prefix=f"{CODE_PREFIX[kind]}-{year}-", width=3, model=Agreement,
                          field="code")


def _insert_with_code(code: str | None, **fields: Any) -> Agreement:
    """Insert under the given code, or under the next free one of its kind and year.

    The counter hands out each code once (`parley.core.references`); a code typed by hand may
    still take one the counter has not reached, so the insert is retried with the next one.
    """
    for _attempt in range(CODE_ATTEMPTS):
        candidate = code or _next_code(fields["kind"], timezone.now().year)
        try:
            with transaction.atomic():
                return Agreement.objects.create(code=candidate, **fields)
        except IntegrityError as exc:
            if code is not None:
                raise ValidationError(
                    {"code": [_("Another agreement already has this code.")]}
                ) from exc
    raise ValidationError({"code": [_("No free code was found; try again.")]})
