"""Negotiation: propose, counter-propose, consent (agreed once every bound belligerent party
consented to the same version).
"""


from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.agreements import rules
from parley.agreements.models import Agreement, AgreementVersion, Consent
from parley.agreements.selectors import (
    consenting_party_ids,
    version_diff,
)
from parley.agreements.services.guards import (
    _content,
    _current,
    _locked,
    _require,
    _require_status,
    _state,
)
from parley.agreements.services.validation import _clean_content, _clean_text
from parley.audit.services import audit_append
from parley.core.models import User
from parley.core.types import party_of
from parley.core.validation import UNSET, add_error, raise_if
from parley.talks.models import Round


def agreement_propose(
    *, actor: User, agreement: Agreement, round: Round | None = None
) -> Agreement:
    """Put a draft on the table; from now on the bound parties and the mediator see it."""
    with transaction.atomic():
        agreement = _locked(agreement)
        _require(
            actor, agreement, rules.can_propose_agreement,
            _("Only the drafting party's delegation or the secretariat proposes a draft."),
        )
        _require_status(agreement, {Agreement.Status.DRAFT})
        errors: dict = {}
        if not any(party.is_belligerent for party in agreement.bound_parties.all()):
            add_error(errors, "bound_parties", _("Bind at least one belligerent party."))
        if round is not None and round.process_id != agreement.process_id:
            add_error(errors, "round", _("The round belongs to another process."))
        raise_if(errors)
        before = _state(agreement)
        agreement.status = Agreement.Status.PROPOSED
        update_fields = ["status", "updated_at"]
        if round is not None:
            agreement.round = round
            update_fields.append("round")
        agreement.save(update_fields=update_fields)
        audit_append(
            actor=actor, action="agreement.propose", obj=agreement, before=before,
            after=_state(agreement),
        )
    return agreement


def agreement_counter(
    *,
    actor: User,
    agreement: Agreement,
    version: int | None = None,
    areas: Any = UNSET,
    windows: Any = UNSET,
    lead_time_h: Any = UNSET,
    margin_min: Any = UNSET,
    who_may_move: Any = UNSET,
    terms: Any = UNSET,
    note: str = "",
) -> AgreementVersion:
    """A new version with changes. Consents are per version, so none carries over to it.

    `version` is the number the caller countered; when given, a newer text is an error.
    """
    with transaction.atomic():
        agreement = _locked(agreement)
        _require(
            actor, agreement, rules.can_counter_agreement,
            _("Only a bound party's delegation or the secretariat counters a proposal."),
        )
        _require_status(agreement, rules.UNDER_NEGOTIATION)
        current = _current(agreement)
        if version is not None and version != current.number:
            raise ValidationError(
                {"version": [gettext("The text changed, review version %(number)d.")
                             % {"number": current.number}]}
            )

        def given(value: Any, existing: Any) -> Any:
            return existing if value is UNSET else value

        errors: dict = {}
        stored, clean_windows = _clean_content(
            code=agreement.code, kind=agreement.kind,
            areas=given(areas, current.areas), windows=given(windows, current.windows),
            lead_time_h=given(lead_time_h, current.lead_time_h),
            margin_min=given(margin_min, current.margin_min), errors=errors,
        )
        who_may_move = _clean_text(
            given(who_may_move, current.who_may_move), "who_may_move", errors
        )
        note = _clean_text(note, "note", errors)
        raise_if(errors)
        before = _state(agreement)
        proposal = AgreementVersion(
            agreement=agreement, number=current.number + 1, areas=stored, windows=clean_windows,
            lead_time_h=given(lead_time_h, current.lead_time_h),
            margin_min=given(margin_min, current.margin_min),
            who_may_move=who_may_move, note=note, terms=given(terms, current.terms),
            created_by=actor,
        )
        diff = version_diff(current, proposal)
        if not diff:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("A counter-proposal must change the areas, the windows or "
                                      "the conditions.")
                                    if agreement.kind != Agreement.Kind.EXCHANGE
                                    else _("A counter-proposal must change the terms.")]}
            )
        proposal.save()
        agreement.status = Agreement.Status.COUNTERED
        agreement.save(update_fields=["status", "updated_at"])
        after = _content(agreement, proposal)
        after["changes"] = {
            "areas_added": diff.areas_added,
            "areas_removed": diff.areas_removed,
            "areas_changed": [change.id for change in diff.areas_changed],
            "windows_added": diff.windows_added,
            "windows_removed": diff.windows_removed,
            "conditions_changed": [change.field for change in diff.conditions_changed],
        }
        audit_append(
            actor=actor, action="agreement.counter", obj=agreement, before=before, after=after,
            note=note,
        )
    return proposal


def agreement_consent(*, actor: User, agreement: Agreement, version: int) -> Agreement:
    """The head of a bound belligerent delegation consents to the version it read.

    The last consent to the same version makes the agreement agreed.
    """
    with transaction.atomic():
        agreement = _locked(agreement)
        _require(
            actor, agreement, rules.can_consent_agreement,
            _("Only the head of delegation of a bound belligerent party consents."),
        )
        _require_status(agreement, rules.UNDER_NEGOTIATION)
        current = _current(agreement)
        if version != current.number:
            raise ValidationError(
                {"version": [gettext("The text changed, review version %(number)d.")
                             % {"number": current.number}]}
            )
        if actor.party_id in consenting_party_ids(current):
            raise ValidationError(
                {"version": [_("Your party has already consented to this version.")]}
            )
        before = _state(agreement)
        Consent.objects.create(version=current, party=party_of(actor), user=actor)
        needed = {p.pk for p in agreement.bound_parties.all() if p.is_belligerent}
        if needed <= consenting_party_ids(current):
            agreement.status = Agreement.Status.AGREED
            agreement.status_reason = ""
            agreement.save(update_fields=["status", "status_reason", "updated_at"])
        audit_append(
            actor=actor, action="agreement.consent", obj=agreement, before=before,
            after=_state(agreement),
        )
    return agreement
