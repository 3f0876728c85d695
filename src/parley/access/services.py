"""Every write to humanitarian access: one function per transition.

held* -> notified -> acknowledged (a receipt from each party whose areas the route crosses,
computed with every version: `MovementVersion.crossed_parties`) -> under way
(check-ins) -> completed, or impeded / denied / cancelled with a reason, or withdrawn by the
organisation before departure. *A notification whose automatic checks find a blocking problem
is refused unless the organisation asks the secretariat to decide: it is then held, seen by
nobody else, until the secretariat overrides the findings with a reason or it is amended clean.

Each function checks visibility (404) and its named predicate (403), validates, locks the
movement row, saves in one transaction and appends exactly one audit entry.
"""

import hashlib
import json
import math
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.access import checks, rules, tasks
from parley.access.models import (
    AccessTerms,
    Acknowledgement,
    CheckIn,
    CoordinateAccessLog,
    Hazard,
    Movement,
    MovementVersion,
    Site,
    Webhook,
)
from parley.access.selectors import (
    access_terms_of,
    acknowledging_party_ids,
    agreements_for_movements,
    crossed_parties,
)
from parley.access.wording import EVENT_TEXTS
from parley.agreements.models import Agreement
from parley.agreements.rules import can_view_agreement
from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound
from parley.core.models import Party, User
from parley.core.validation import UNSET, add_error, raise_if
from parley.engines import timewin

# A check-in may be reported a little ahead of the server's clock (a phone's clock drifts).
CHECK_IN_CLOCK_SLACK = timedelta(minutes=5)
MAX_SITE_RADIUS_M = 50_000




# -- validation -------------------------------------------------------------------------------






def _route(value, errors: dict) -> dict | None:
    """A LineString geometry, from a geometry, a Feature, or a collection of one line."""
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        lines = [f for f in value.get("features") or []
                 if isinstance(f, dict) and (f.get("geometry") or {}).get("type") == "LineString"]
        if len(lines) != 1:
            add_error(errors, "route", _("Give exactly one line: the route of the movement."))
            return None
        value = lines[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") != "LineString":
        add_error(errors, "route", _("Give the route as a GeoJSON LineString."))
        return None
    coordinates = value.get("coordinates")
    if isinstance(coordinates, list):
        coordinates = [p[:2] if isinstance(p, list) else p for p in coordinates]
    return {"type": "LineString", "coordinates": coordinates}


def _texts(value, field: str, errors: dict) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        add_error(errors, field, _("Give a list of texts, one per line."))
        return []
    return [v.strip() for v in value if v.strip()]


def _instant(value, field: str, errors: dict) -> datetime | None:
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


def _clean_content(*, route, times, depart, speed_kmh, crossings, vehicles, personnel, cargo,
                   note, errors: dict) -> dict:
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


def _feature(movement_ref: str, organisation, agreement: Agreement, purpose: str,
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


def _check(*, reference: str, organisation, agreement: Agreement, purpose: str, content: dict,
           exclude: Movement | None) -> tuple[list[dict], datetime, datetime, list[Party]]:
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


def _next_reference(organisation, year: int) -> str:
    prefix = f"{organisation.slug.upper()}-{year}-"
    numbers = [
        int(ref[len(prefix):])
        for ref in Movement.objects.filter(reference__startswith=prefix)
        .values_list("reference", flat=True)
        if ref[len(prefix):].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


# -- audit snapshots --------------------------------------------------------------------------


def _digest(value) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _state(movement: Movement) -> dict:
    version = movement.versions.order_by("-number").first()
    return {
        "status": movement.status,
        "reason": movement.reason,
        "version": version.number if version else None,
        "acknowledged_by": sorted(
            ack.party.slug for ack in (version.acknowledgements.select_related("party")
                                       if version else [])
        ),
    }


def _content(movement: Movement, version: MovementVersion) -> dict:
    """What changed, without coordinates, plates or names: the log is read more widely."""
    return {
        **_state(movement),
        "agreement": movement.agreement.code,
        "purpose": movement.purpose,
        "route_sha256": _digest(version.route),
        "starts_at": checks.utc_text(version.starts_at),
        "ends_at": checks.utc_text(version.ends_at),
        "vehicles": len(version.vehicles),
        "personnel": len(version.personnel),
        "cargo_items": len(version.cargo),
        "findings": [finding["code"] for finding in version.findings],
    }


# -- guards -----------------------------------------------------------------------------------


def _locked(movement: Movement) -> Movement:
    return (Movement.objects.select_for_update()
            .select_related("organisation", "agreement", "agreement__process")
            .get(pk=movement.pk))


def _require(actor: User, movement: Movement, predicate, message) -> None:
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    if not predicate(actor, movement):
        raise Forbidden(message)


def _require_status(movement: Movement, allowed) -> None:
    if movement.status not in allowed:
        raise ValidationError({"status": [
            gettext("Not possible while the movement is %(status)s.")
            % {"status": movement.get_status_display().lower()}
        ]})


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    return reason


def _require_version(movement: Movement, version: int | None) -> MovementVersion:
    current = movement.versions.order_by("-number").first()
    if version is not None and version != current.number:
        raise ValidationError({"version": [
            gettext("The notification changed, review version %(number)d.")
            % {"number": current.number}
        ]})
    return current


def _announce(event: str, movement: Movement, actor: User, detail: str = "") -> None:
    """Tell the people and systems who may see the movement, once the transaction commits."""
    transaction.on_commit(
        lambda: tasks.announce_movement.enqueue(event, movement.pk, actor.pk, detail)
    )


# -- movements --------------------------------------------------------------------------------


def movement_notify(
    *,
    actor: User,
    agreement: Agreement,
    purpose: str,
    route,
    times: list[str] | None = None,
    depart=None,
    speed_kmh: float | None = None,
    crossings=(),
    vehicles=(),
    personnel=(),
    cargo=(),
    note: str = "",
    hold_for_secretariat: bool = False,
) -> Movement:
    """Notify a movement under an agreement; the engine checks it first.

    Warnings are stored with the version (`current_version.findings`). Blocking findings raise
    `checks.FindingsError` (a ValidationError carrying the findings), unless
    `hold_for_secretariat`: the movement is then held for the secretariat's decision.
    """
    if not rules.can_notify_movement(actor):
        raise Forbidden(_("Only a humanitarian organisation's liaison notifies movements."))
    if not can_view_agreement(actor, agreement):
        raise NotFound(agreement.code)
    errors: dict = {}
    if agreement.pk not in {a.pk for a in agreements_for_movements(actor=actor)}:
        add_error(errors, "agreement",
             _("Movements are notified under an agreed pause or ceasefire that is not over."))
    if purpose not in Movement.Purpose.values:
        add_error(errors, "purpose", _("Choose a purpose."))
    content = _clean_content(route=route, times=times, depart=depart, speed_kmh=speed_kmh,
                             crossings=crossings, vehicles=vehicles, personnel=personnel,
                             cargo=cargo, note=note, errors=errors)
    raise_if(errors)
    now = timezone.now()
    content["notified_at"] = now
    with transaction.atomic():
        reference = _next_reference(actor.party, now.year)
        findings, starts_at, ends_at, crossed = _check(
            reference=reference, organisation=actor.party, agreement=agreement,
            purpose=purpose, content=content, exclude=None,
        )
        held = bool(checks.blocking(findings))
        if held and not hold_for_secretariat:
            raise checks.FindingsError(findings)
        movement = Movement.objects.create(
            reference=reference, organisation=actor.party, agreement=agreement, purpose=purpose,
            status=Movement.Status.HELD if held else Movement.Status.NOTIFIED, created_by=actor,
        )
        content["times"] = _normalised_times(content["times"])
        version = MovementVersion.objects.create(
            movement=movement, number=1, starts_at=starts_at, ends_at=ends_at,
            released_at=None if held else now, findings=findings, created_by=actor, **content,
        )
        version.crossed_parties.set(crossed)
        audit_append(actor=actor, action="movement.notify", obj=movement, before=None,
                     after=_content(movement, version))
        _announce("movement.held" if held else "movement.notified", movement, actor)
    return movement


def movement_check(
    *,
    actor: User,
    agreement: Agreement,
    purpose: str,
    route,
    times: list[str] | None = None,
    depart=None,
    speed_kmh: float | None = None,
    crossings=(),
    vehicles=(),
    personnel=(),
    cargo=(),
    note: str = "",
) -> list[dict]:
    """The findings a notification would get now, writing nothing: the organisation checks
    its route before the parties see anything. Bad input raises ValidationError by field."""
    if not rules.can_notify_movement(actor):
        raise Forbidden(_("Only a humanitarian organisation's liaison notifies movements."))
    if not can_view_agreement(actor, agreement):
        raise NotFound(agreement.code)
    errors: dict = {}
    if purpose not in Movement.Purpose.values:
        add_error(errors, "purpose", _("Choose a purpose."))
    content = _clean_content(route=route, times=times, depart=depart, speed_kmh=speed_kmh,
                             crossings=crossings, vehicles=vehicles, personnel=personnel,
                             cargo=cargo, note=note, errors=errors)
    raise_if(errors)
    content["notified_at"] = timezone.now()
    findings, _starts, _ends, _crossed = _check(
        reference=f"{actor.party.slug.upper()}-CHECK", organisation=actor.party,
        agreement=agreement, purpose=purpose, content=content, exclude=None,
    )
    return findings


def movement_amend(
    *,
    actor: User,
    movement: Movement,
    version: int | None = None,
    route=UNSET,
    times=UNSET,
    depart=UNSET,
    speed_kmh=UNSET,
    crossings=UNSET,
    vehicles=UNSET,
    personnel=UNSET,
    cargo=UNSET,
    note=UNSET,
    hold_for_secretariat: bool = False,
) -> MovementVersion:
    """A new version of the notification, checked again; acknowledgements are per version, so
    the parties acknowledge it afresh. Giving `times` drops depart and speed, and vice versa."""
    with transaction.atomic():
        movement = _locked(movement)
        _require(actor, movement, rules.can_amend_movement,
                 _("Only the notifying organisation amends a notification."))
        _require_status(movement, rules.BEFORE_DEPARTURE)
        current = _require_version(movement, version)

        def given(value, existing):
            return existing if value is UNSET else value

        if times is not UNSET and times:
            depart, speed_kmh = None, None
        elif depart is not UNSET or speed_kmh is not UNSET:
            times = None
        errors: dict = {}
        content = _clean_content(
            route=given(route, current.route), times=given(times, current.times),
            depart=given(depart, current.depart), speed_kmh=given(speed_kmh, current.speed_kmh),
            crossings=given(crossings, current.crossings),
            vehicles=given(vehicles, current.vehicles),
            personnel=given(personnel, current.personnel), cargo=given(cargo, current.cargo),
            note=given(note, current.note), errors=errors,
        )
        raise_if(errors)
        now = timezone.now()
        content["notified_at"] = now
        findings, starts_at, ends_at, crossed = _check(
            reference=movement.reference, organisation=movement.organisation,
            agreement=movement.agreement, purpose=movement.purpose, content=content,
            exclude=movement,
        )
        content["times"] = _normalised_times(content["times"])
        if all(content[name] == getattr(current, name) for name in content
               if name != "notified_at"):
            raise ValidationError({"__all__": [_("An amendment must change something.")]})
        held = bool(checks.blocking(findings))
        if held and not (hold_for_secretariat and movement.status == Movement.Status.HELD):
            raise checks.FindingsError(findings)
        before = _content(movement, current)
        amended = MovementVersion.objects.create(
            movement=movement, number=current.number + 1, starts_at=starts_at, ends_at=ends_at,
            released_at=None if held else now, findings=findings, created_by=actor, **content,
        )
        amended.crossed_parties.set(crossed)
        movement.status = Movement.Status.HELD if held else Movement.Status.NOTIFIED
        movement.save(update_fields=["status", "updated_at"])
        audit_append(actor=actor, action="movement.amend", obj=movement, before=before,
                     after=_content(movement, amended))
        _announce("movement.held" if held else "movement.notified", movement, actor)
    return amended


def movement_override(*, actor: User, movement: Movement, reason: str) -> Movement:
    """The secretariat releases a held notification to the parties despite its findings."""
    reason = _require_reason(reason)
    with transaction.atomic():
        movement = _locked(movement)
        _require(actor, movement, rules.can_override_movement,
                 _("Only the secretariat overrides blocking findings."))
        _require_status(movement, {Movement.Status.HELD})
        version = movement.versions.order_by("-number").first()
        before = _content(movement, version)
        now = timezone.now()
        version.released_at = now
        version.override_reason = reason
        version.overridden_by = actor
        version.overridden_at = now
        version.save(update_fields=["released_at", "override_reason", "overridden_by",
                                    "overridden_at"])
        movement.status = Movement.Status.NOTIFIED
        movement.save(update_fields=["status", "updated_at"])
        audit_append(actor=actor, action="movement.override", obj=movement, before=before,
                     after=_content(movement, version), note=reason)
        _announce("movement.notified", movement, actor)
    return movement


def _receipt(*, actor: User, movement: Movement, version: int, objection: str,
             action: str) -> Movement:
    with transaction.atomic():
        movement = _locked(movement)
        _require(actor, movement, rules.can_acknowledge_movement,
                 _("Only a bound party's delegation or liaison acknowledges a notification."))
        _require_status(movement, {Movement.Status.NOTIFIED})
        current = _require_version(movement, version)
        if actor.party_id in acknowledging_party_ids(current):
            raise ValidationError({"version": [
                _("Your party has already acknowledged this version.")
            ]})
        before = _state(movement)
        Acknowledgement.objects.create(version=current, party=actor.party, user=actor,
                                       at=timezone.now(), objection=objection)
        needed = {party.pk for party in crossed_parties(movement)}
        if needed <= acknowledging_party_ids(current):
            movement.status = Movement.Status.ACKNOWLEDGED
            movement.save(update_fields=["status", "updated_at"])
        audit_append(actor=actor, action=action, obj=movement, before=before,
                     after=_state(movement), note=objection)
        _announce("movement.objected" if objection else "movement.acknowledged", movement,
                  actor, actor.party.name_en)
    return movement


def movement_acknowledge(*, actor: User, movement: Movement, version: int) -> Movement:
    """A bound party confirms receipt of the version it read. A receipt, not a security
    guarantee; the last party's receipt makes the movement acknowledged."""
    return _receipt(actor=actor, movement=movement, version=version, objection="",
                    action="movement.acknowledge")


def movement_object(*, actor: User, movement: Movement, version: int, reason: str) -> Movement:
    """Receipt with an objection: the party has read the version and states what it objects to.
    It counts as the party's receipt; the objection is shown to everyone who sees the
    movement and the secretariat takes it up."""
    reason = _require_reason(reason)
    return _receipt(actor=actor, movement=movement, version=version, objection=reason,
                    action="movement.object")


def movement_check_in(*, actor: User, movement: Movement, lon: float, lat: float,
                      at: datetime | None = None, place: str = "", note: str = "") -> CheckIn:
    """A position report from the road; the first one puts the movement under way."""
    errors: dict = {}
    if not isinstance(lon, int | float) or not math.isfinite(lon) or not -180 <= lon <= 180:
        add_error(errors, "lon", _("Give a longitude between -180 and 180."))
    if not isinstance(lat, int | float) or not math.isfinite(lat) or not -90 <= lat <= 90:
        add_error(errors, "lat", _("Give a latitude between -90 and 90."))
    now = timezone.now()
    at = at or now
    if timezone.is_naive(at):
        add_error(errors, "at", _("Give the time with its UTC offset or zone."))
    elif at > now + CHECK_IN_CLOCK_SLACK:
        add_error(errors, "at", _("The time is in the future."))
    raise_if(errors)
    with transaction.atomic():
        movement = _locked(movement)
        _require(actor, movement, rules.can_check_in_movement,
                 _("Only the notifying organisation checks in."))
        _require_status(movement, rules.OPEN)
        before = _state(movement)
        check_in = CheckIn.objects.create(movement=movement, user=actor, at=at, lon=float(lon),
                                          lat=float(lat), place=place.strip(), note=note.strip())
        if movement.status != Movement.Status.UNDER_WAY:
            movement.status = Movement.Status.UNDER_WAY
            movement.save(update_fields=["status", "updated_at"])
            _announce("movement.status", movement, actor, check_in.place)
        after = _state(movement)
        after["check_in"] = {"at": checks.utc_text(at), "place": check_in.place}
        audit_append(actor=actor, action="movement.check_in", obj=movement, before=before,
                     after=after, note=note.strip())
    return check_in


def _set_status(*, actor: User, movement: Movement, predicate, message, allowed, status: str,
                reason: str, action: str) -> Movement:
    with transaction.atomic():
        movement = _locked(movement)
        _require(actor, movement, predicate, message)
        _require_status(movement, allowed)
        before = _state(movement)
        movement.status = status
        movement.reason = reason
        movement.save(update_fields=["status", "reason", "updated_at"])
        audit_append(actor=actor, action=action, obj=movement, before=before,
                     after=_state(movement), note=reason)
        _announce("movement.status", movement, actor, reason)
    return movement


def movement_complete(*, actor: User, movement: Movement, note: str = "") -> Movement:
    return _set_status(
        actor=actor, movement=movement, predicate=rules.can_complete_movement,
        message=_("Only the notifying organisation or the secretariat completes a movement."),
        allowed=rules.OPEN, status=Movement.Status.COMPLETED, reason=(note or "").strip(),
        action="movement.complete",
    )


def movement_withdraw(*, actor: User, movement: Movement, reason: str = "") -> Movement:
    return _set_status(
        actor=actor, movement=movement, predicate=rules.can_withdraw_movement,
        message=_("Only the notifying organisation withdraws its notification."),
        allowed=rules.BEFORE_DEPARTURE, status=Movement.Status.WITHDRAWN,
        reason=(reason or "").strip(), action="movement.withdraw",
    )


def movement_impede(*, actor: User, movement: Movement, reason: str) -> Movement:
    return _set_status(
        actor=actor, movement=movement, predicate=rules.can_impede_movement,
        message=_("Only the notifying organisation or the secretariat reports a movement "
                  "impeded."),
        allowed=rules.OPEN, status=Movement.Status.IMPEDED, reason=_require_reason(reason),
        action="movement.impede",
    )


def movement_deny(*, actor: User, movement: Movement, reason: str) -> Movement:
    return _set_status(
        actor=actor, movement=movement, predicate=rules.can_deny_movement,
        message=_("Only a bound party's delegation or the secretariat denies a movement."),
        allowed={Movement.Status.NOTIFIED, Movement.Status.ACKNOWLEDGED},
        status=Movement.Status.DENIED, reason=_require_reason(reason), action="movement.deny",
    )


def movement_cancel(*, actor: User, movement: Movement, reason: str) -> Movement:
    return _set_status(
        actor=actor, movement=movement, predicate=rules.can_cancel_movement,
        message=_("Only the notifying organisation or the secretariat cancels a movement."),
        allowed=rules.OPEN | {Movement.Status.HELD}, status=Movement.Status.CANCELLED,
        reason=_require_reason(reason), action="movement.cancel",
    )


def coordinate_view_log(*, actor: User, movement: Movement, via: str) -> None:
    """Record that someone outside the notifying organisation saw the coordinates."""
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    if actor.party_id == movement.organisation_id:
        return
    CoordinateAccessLog.objects.create(movement=movement, user=actor, party=actor.party,
                                       via=via)


# -- access terms -----------------------------------------------------------------------------


def access_terms_set(*, actor: User, agreement: Agreement, ack_deadline_h: int = 24,
                     max_vehicles: int | None = None, cargo_limits: dict | None = None
                     ) -> AccessTerms:
    if not can_view_agreement(actor, agreement):
        raise NotFound(agreement.code)
    if not rules.can_set_access_terms(actor):
        raise Forbidden(_("Only the secretariat sets the access terms of an agreement."))
    errors: dict = {}
    if isinstance(ack_deadline_h, bool) or not isinstance(ack_deadline_h, int) \
            or ack_deadline_h < 1:
        add_error(errors, "ack_deadline_h", _("Give a whole number of hours, one or more."))
    if max_vehicles is not None and (isinstance(max_vehicles, bool)
                                     or not isinstance(max_vehicles, int) or max_vehicles < 0):
        add_error(errors, "max_vehicles", _("Give a whole number, zero or more."))
    cargo_limits = cargo_limits or {}
    if not isinstance(cargo_limits, dict) or not all(
        isinstance(item, str) and item.strip() and isinstance(limit, int | float)
        and not isinstance(limit, bool) and limit >= 0
        for item, limit in cargo_limits.items()
    ):
        add_error(
            errors, "cargo_limits", _("Give each item with its largest quantity, zero or more.")
        )
    raise_if(errors)
    with transaction.atomic():
        terms, _created = AccessTerms.objects.select_for_update().get_or_create(
            agreement=agreement)
        before = {"ack_deadline_h": terms.ack_deadline_h, "max_vehicles": terms.max_vehicles,
                  "cargo_limits": terms.cargo_limits}
        terms.ack_deadline_h = ack_deadline_h
        terms.max_vehicles = max_vehicles
        terms.cargo_limits = cargo_limits
        terms.save()
        audit_append(actor=actor, action="access_terms.set", obj=agreement, before=before,
                     after={"ack_deadline_h": ack_deadline_h, "max_vehicles": max_vehicles,
                            "cargo_limits": cargo_limits})
    return terms


# -- sites ------------------------------------------------------------------------------------


def _clean_site(*, name, kind, lon, lat, radius_m, errors: dict) -> None:
    if not (name or "").strip():
        add_error(errors, "name", _("Give the site a name."))
    if kind not in Site.Kind.values:
        add_error(errors, "kind", _("Choose a hospital, warehouse, shelter or water station."))
    if isinstance(lon, bool) or not isinstance(lon, int | float) or not math.isfinite(lon) \
            or not -180 <= lon <= 180:
        add_error(errors, "lon", _("Give a longitude between -180 and 180."))
    if isinstance(lat, bool) or not isinstance(lat, int | float) or not math.isfinite(lat) \
            or not -90 <= lat <= 90:
        add_error(errors, "lat", _("Give a latitude between -90 and 90."))
    if isinstance(radius_m, bool) or not isinstance(radius_m, int) \
            or not 1 <= radius_m <= MAX_SITE_RADIUS_M:
        add_error(errors, "radius_m", _("Give a radius in whole metres from 1 to 50 000."))


def _site_state(site: Site) -> dict:
    return {"status": site.status, "reason": site.reason, "name": site.name, "kind": site.kind,
            "lon": site.lon, "lat": site.lat, "radius_m": site.radius_m, "note": site.note}


def _next_site_reference(organisation) -> str:
    prefix = f"{organisation.slug.upper()}-S"
    numbers = [int(ref[len(prefix):]) for ref in Site.objects.filter(
        reference__startswith=prefix).values_list("reference", flat=True)
        if ref[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def site_notify(*, actor: User, name: str, kind: str, lon: float, lat: float, radius_m: int,
                note: str = "") -> Site:
    """A static site with its protective radius, from now on seen by every party."""
    if not rules.can_notify_site(actor):
        raise Forbidden(_("Only a humanitarian organisation's liaison notifies sites."))
    errors: dict = {}
    _clean_site(name=name, kind=kind, lon=lon, lat=lat, radius_m=radius_m, errors=errors)
    raise_if(errors)
    with transaction.atomic():
        site = Site.objects.create(
            reference=_next_site_reference(actor.party), organisation=actor.party,
            name=name.strip(), kind=kind, lon=float(lon), lat=float(lat), radius_m=radius_m,
            note=(note or "").strip(), created_by=actor,
        )
        audit_append(actor=actor, action="site.notify", obj=site, before=None,
                     after=_site_state(site))
    return site


def _site_locked(actor: User, site: Site, predicate, message) -> Site:
    site = Site.objects.select_for_update().select_related("organisation").get(pk=site.pk)
    if not rules.can_view_site(actor, site):
        raise NotFound(site.reference)
    if not predicate(actor, site):
        raise Forbidden(message)
    if site.status != Site.Status.ACTIVE:
        raise ValidationError({"status": [_("The site was withdrawn.")]})
    return site


def site_amend(*, actor: User, site: Site, name=UNSET, kind=UNSET, lon=UNSET, lat=UNSET,
               radius_m=UNSET, note=UNSET) -> Site:
    """Change a site; the audit entry keeps the state before and after (its versions)."""
    with transaction.atomic():
        site = _site_locked(actor, site, rules.can_amend_site,
                            _("Only the notifying organisation amends its site."))
        before = _site_state(site)
        values = {key: before[key] if value is UNSET else value for key, value in {
            "name": name, "kind": kind, "lon": lon, "lat": lat, "radius_m": radius_m}.items()}
        errors: dict = {}
        _clean_site(errors=errors, **values)
        raise_if(errors)
        site.name = values["name"].strip()
        site.kind = values["kind"]
        site.lon, site.lat = float(values["lon"]), float(values["lat"])
        site.radius_m = values["radius_m"]
        site.note = site.note if note is UNSET else (note or "").strip()
        if _site_state(site) == before:
            raise ValidationError({"__all__": [_("An amendment must change something.")]})
        site.save()
        audit_append(actor=actor, action="site.amend", obj=site, before=before,
                     after=_site_state(site))
    return site


def site_withdraw(*, actor: User, site: Site, reason: str) -> Site:
    reason = _require_reason(reason)
    with transaction.atomic():
        site = _site_locked(actor, site, rules.can_withdraw_site,
                            _("Only the notifying organisation or the secretariat withdraws a "
                              "site."))
        before = _site_state(site)
        site.status = Site.Status.WITHDRAWN
        site.reason = reason
        site.save(update_fields=["status", "reason", "updated_at"])
        audit_append(actor=actor, action="site.withdraw", obj=site, before=before,
                     after=_site_state(site), note=reason)
    return site


# -- webhooks ---------------------------------------------------------------------------------


def webhook_create(*, actor: User, url: str, events=()) -> tuple[Webhook, str]:
    """A webhook for the actor's party; the secret is returned once, to give to the receiver."""
    if not rules.can_manage_webhooks(actor):
        raise Forbidden(_("Only a party's delegation, its liaison or the secretariat adds "
                          "webhooks."))
    errors: dict = {}
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        add_error(errors, "url", _("Give an http or https URL."))
    unknown = sorted(set(events) - set(EVENT_TEXTS))
    if unknown:
        add_error(errors, "events", gettext("Unknown events: %(events)s") % {
            "events": ", ".join(unknown)})
    raise_if(errors)
    secret = secrets.token_hex(32)
    with transaction.atomic():
        webhook = Webhook.objects.create(party=actor.party, url=url, secret=secret,
                                         events=list(events), created_by=actor)
        audit_append(actor=actor, action="webhook.create", obj=webhook, before=None,
                     after={"url": url, "events": list(events)})
    return webhook, secret


# -- hazards ----------------------------------------------------------------------------------


def hazard_report(*, actor: User, kind: str, geometry: dict, note: str = "") -> Hazard:
    """A hazard reported by a monitor; from now on routes near it get a `near_hazard` warning."""
    if not rules.can_report_hazard(actor):
        raise Forbidden(_("Only a monitor or the secretariat reports hazards."))
    with transaction.atomic():
        number = Hazard.objects.count() + 1
        while Hazard.objects.filter(reference=f"HZ-{number:04d}").exists():
            number += 1
        hazard = Hazard(reference=f"HZ-{number:04d}", kind=kind, geometry=geometry,
                        note=(note or "").strip(), reported_by=actor)
        checks.parse_hazard(checks.hazard_feature(hazard))
        hazard.save()
        audit_append(actor=actor, action="hazard.report", obj=hazard, before=None,
                     after={"kind": kind, "geometry": geometry, "note": hazard.note})
    return hazard


def hazard_clear(*, actor: User, hazard: Hazard, reason: str) -> Hazard:
    reason = _require_reason(reason)
    with transaction.atomic():
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if not rules.can_report_hazard(actor):
            raise Forbidden(_("Only a monitor or the secretariat clears hazards."))
        if not hazard.active:
            raise ValidationError({"status": [_("The hazard is already cleared.")]})
        hazard.active = False
        hazard.cleared_at = timezone.now()
        hazard.save(update_fields=["active", "cleared_at"])
        audit_append(actor=actor, action="hazard.clear", obj=hazard, before={"active": True},
                     after={"active": False}, note=reason)
    return hazard
