"""Movements: notify, check, amend, override, acknowledge, object, check in, and the status
transitions.
"""

import math
from collections.abc import Collection
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parley.access import checks, rules
from parley.access.content import MovementContent
from parley.access.models import (
    Acknowledgement,
    CheckIn,
    CoordinateAccessLog,
    Movement,
    MovementVersion,
)
from parley.access.selectors import (
    acknowledging_party_ids,
    agreements_for_movements,
    crossed_parties,
)
from parley.access.services.common import CHECK_IN_CLOCK_SLACK
from parley.access.services.content import (
    _check,
    _clean_content,
    _next_reference,
    _normalised_times,
)
from parley.access.services.guards import (
    LOCKED_WITH,
    STATUS_REFUSED,
    _announce,
    _content,
    _locked,
    _require,
    _require_reason,
    _require_status,
    _require_version,
    _state,
)
from parley.agreements.models import Agreement
from parley.agreements.rules import can_view_agreement
from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound
from parley.core.models import User
from parley.core.transitions import transition
from parley.core.types import Predicate, StrOrPromise, party_of
from parley.core.validation import add_error, check_instant, raise_if


def movement_notify(
    *,
    actor: User,
    agreement: Agreement,
    purpose: str,
    content: MovementContent,
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
    stored = _clean_content(**content.completed().as_kwargs(), errors=errors)
    raise_if(errors)
    now = timezone.now()
    stored["notified_at"] = now
    with transaction.atomic():
        reference = _next_reference(party_of(actor), now.year)
        findings, starts_at, ends_at, crossed = _check(
            reference=reference, organisation=party_of(actor), agreement=agreement,
            purpose=purpose, content=stored, exclude=None,
        )
        held = bool(checks.blocking(findings))
        if held and not hold_for_secretariat:
            raise checks.FindingsError(findings)
        movement = Movement.objects.create(
            reference=reference, organisation=party_of(actor), agreement=agreement, purpose=purpose,
            status=Movement.Status.HELD if held else Movement.Status.NOTIFIED, created_by=actor,
        )
        stored["times"] = _normalised_times(stored["times"])
        version = MovementVersion.objects.create(
            movement=movement, number=1, starts_at=starts_at, ends_at=ends_at,
            released_at=None if held else now, findings=findings, created_by=actor, **stored,
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
    content: MovementContent,
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
    stored = _clean_content(**content.completed().as_kwargs(), errors=errors)
    raise_if(errors)
    stored["notified_at"] = timezone.now()
    findings, _starts, _ends, _crossed = _check(
        reference=f"{party_of(actor).slug.upper()}-CHECK", organisation=party_of(actor),
        agreement=agreement, purpose=purpose, content=stored, exclude=None,
    )
    return findings


def movement_amend(
    *,
    actor: User,
    movement: Movement,
    content: MovementContent,
    version: int | None = None,
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
        errors: dict = {}
        stored = _clean_content(**content.over(current).as_kwargs(), errors=errors)
        raise_if(errors)
        now = timezone.now()
        stored["notified_at"] = now
        findings, starts_at, ends_at, crossed = _check(
            reference=movement.reference, organisation=movement.organisation,
            agreement=movement.agreement, purpose=movement.purpose, content=stored,
            exclude=movement,
        )
        stored["times"] = _normalised_times(stored["times"])
        if all(stored[name] == getattr(current, name) for name in stored
               if name != "notified_at"):
            raise ValidationError({"__all__": [_("An amendment must change something.")]})
        held = bool(checks.blocking(findings))
        if held and not (hold_for_secretariat and movement.status == Movement.Status.HELD):
            raise checks.FindingsError(findings)
        before = _content(movement, current)
        amended = MovementVersion.objects.create(
            movement=movement, number=current.number + 1, starts_at=starts_at, ends_at=ends_at,
            released_at=None if held else now, findings=findings, created_by=actor, **stored,
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
        if version is None:  # a movement is created with its first version
            raise ValueError(f"movement {movement.pk} has no version")
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
        Acknowledgement.objects.create(version=current, party=party_of(actor), user=actor,
                                       at=timezone.now(), objection=objection)
        needed = {party.pk for party in crossed_parties(movement)}
        if needed <= acknowledging_party_ids(current):
            movement.status = Movement.Status.ACKNOWLEDGED
            movement.save(update_fields=["status", "updated_at"])
        audit_append(actor=actor, action=action, obj=movement, before=before,
                     after=_state(movement), note=objection)
        _announce("movement.objected" if objection else "movement.acknowledged", movement,
                  actor, party_of(actor).name_en)
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
    elif not check_instant(errors, "at", at):
        pass
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


def _set_status(
    *, actor: User, movement: Movement, predicate: Predicate, message: StrOrPromise,
    allowed: Collection[str], status: str, reason: str, action: str,
) -> Movement:
    return transition(
        actor=actor, obj=movement, to=status, allowed=allowed, action=action,
        refused=STATUS_REFUSED, state=_state, fields={"reason": reason}, note=reason,
        related=LOCKED_WITH, check=lambda locked: _require(actor, locked, predicate, message),
        then=lambda locked: _announce("movement.status", locked, actor, reason),
    )


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
    CoordinateAccessLog.objects.create(movement=movement, user=actor, party=party_of(actor),
                                       via=via)
