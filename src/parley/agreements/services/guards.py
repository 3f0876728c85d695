"""Audit snapshots of agreements, and the guards every transition takes (lock, permission, status,
reason).
"""


from collections.abc import Collection

from django.utils.translation import gettext_lazy as _

from parley.agreements import rules
from parley.agreements.models import Agreement, AgreementVersion
from parley.agreements.selectors import (
    areas_digest,
)
from parley.agreements.services.validation import _clean_text
from parley.core.errors import Forbidden, NotFound
from parley.core.models import User
from parley.core.transitions import lock, require_status
from parley.core.types import Predicate, StrOrPromise
from parley.core.validation import add_error, raise_if


def _state(agreement: Agreement) -> dict:
    version = agreement.versions.order_by("-number").first()
    return {
        "status": agreement.status,
        "status_reason": agreement.status_reason,
        "version": version.number if version else None,
        "consents": sorted(
            consent.party.slug
            for consent in (version.consents.select_related("party") if version else [])
        ),
    }


def _content(agreement: Agreement, version: AgreementVersion) -> dict:
    return {
        **_state(agreement),
        "title": agreement.title,
        "kind": agreement.kind,
        "purpose": agreement.purpose,
        "public": agreement.public,
        "round": agreement.round_id,
        "bound_parties": sorted(party.slug for party in agreement.bound_parties.all()),
        "areas": [str(feature["id"]) for feature in version.areas["features"]],
        "areas_sha256": areas_digest(version.areas),
        "windows": version.windows,
        "lead_time_h": version.lead_time_h,
        "margin_min": version.margin_min,
        "who_may_move": version.who_may_move,
        "terms": version.terms,
    }


# -- guards -----------------------------------------------------------------------------------


STATUS_REFUSED = _("Not possible while the agreement is %(status)s.")


def _locked(agreement: Agreement) -> Agreement:
    return lock(agreement, related=("process",))


def _require(
    actor: User, agreement: Agreement, predicate: Predicate, message: StrOrPromise,
) -> None:
    if not rules.can_view_agreement(actor, agreement):
        raise NotFound(agreement.code)
    if not predicate(actor, agreement):
        raise Forbidden(message)


def _require_status(agreement: Agreement, allowed: Collection[str]) -> None:
    require_status(agreement, allowed, STATUS_REFUSED)


def _require_reason(reason: str) -> str:
    errors: dict = {}
    reason = _clean_text(reason, "reason", errors)
    if not errors and not reason:
        add_error(errors, "reason", _("Give the reason."))
    raise_if(errors)
    return reason


def _current(agreement: Agreement) -> AgreementVersion:
    version = agreement.versions.order_by("-number").first()
    if version is None:  # an agreement is created with its first version
        raise ValueError(f"agreement {agreement.pk} has no version")
    return version
