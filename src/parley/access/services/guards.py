"""Audit snapshots of movements, and the guards every movement transition takes (lock, permission,
status, reason, version).
"""

import hashlib
import json
from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.access import checks, rules, tasks
from parley.access.models import (
    Movement,
    MovementVersion,
)
from parley.core.errors import Forbidden, NotFound
from parley.core.models import User
from parley.core.transitions import lock, require_status
from parley.core.types import Predicate, StrOrPromise


def _digest(value: Any) -> str:
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


STATUS_REFUSED = _("Not possible while the movement is %(status)s.")
LOCKED_WITH = ("organisation", "agreement", "agreement__process")


def _locked(movement: Movement) -> Movement:
    return lock(movement, related=LOCKED_WITH)


def _require(actor: User, movement: Movement, predicate: Predicate, message: StrOrPromise) -> None:
    if not rules.can_view_movement(actor, movement):
        raise NotFound(movement.reference)
    if not predicate(actor, movement):
        raise Forbidden(message)


def _require_status(movement: Movement, allowed: Collection[str]) -> None:
    require_status(movement, allowed, STATUS_REFUSED)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    return reason


def _require_version(movement: Movement, version: int | None) -> MovementVersion:
    current = movement.versions.order_by("-number").first()
    if current is None:  # a movement is created with its first version
        raise ValueError(f"movement {movement.pk} has no version")
    if version is not None and version != current.number:
        raise ValidationError({"version": [
            gettext("The notification changed, review version %(number)d.")
            % {"number": current.number}
        ]})
    return current


def _announce(event: str, movement: Movement, actor: User, detail: str = "") -> None:
    """Tell the people and systems who may see the movement now: addressed in this
    transaction (who, which version), sent once it commits (`tasks.announce_on_commit`)."""
    tasks.announce_on_commit(event, movement, actor.pk, detail)
