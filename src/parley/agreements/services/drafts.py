"""Drafts: created and edited by a party before they are proposed."""


from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from parley.agreements import rules
from parley.agreements.models import Agreement, AgreementVersion
from parley.agreements.services.common import CODE_PATTERN
from parley.agreements.services.guards import _content, _current, _locked, _require, _require_status
from parley.agreements.services.validation import (
    _clean_content,
    _clean_frame,
    _clean_text,
    _insert_with_code,
)
from parley.audit.services import audit_append
from parley.core.errors import Forbidden
from parley.core.models import Party, User
from parley.core.validation import UNSET, Unset, add_error, raise_if
from parley.talks.models import Process, Round


def agreement_create_draft(
    *,
    actor: User,
    process: Process,
    kind: str,
    title: str,
    purpose: str,
    bound_parties: list[Party],
    areas: dict | None = None,
    windows: list[dict] | None = None,
    round: Round | None = None,
    terms: dict | None = None,
    lead_time_h: int | None = None,
    margin_min: int | None = None,
    who_may_move: str = "",
    note: str = "",
    public: bool = False,
    code: str | None = None,
) -> Agreement:
    """A draft owned by the actor's party, seen only by that party until proposed.

    Its code is drawn at random (`parley.core.references.random_reference`). `code` is for the
    demo's fixed codes only: a code a person chose would be refused when another party's hidden
    draft holds it, telling them it exists, so no page or API passes one.
    """
    if not rules.can_create_agreement(actor):
        raise Forbidden(_("Only the secretariat or a party's delegation drafts agreements."))
    errors: dict = {}
    _clean_frame(
        process=process, round=round, kind=kind, title=title, purpose=purpose,
        bound_parties=bound_parties, errors=errors,
    )
    if code is not None:
        code = code.strip().upper()
        if not CODE_PATTERN.fullmatch(code):
            add_error(
                errors, "code", _("Use capital letters, digits and hyphens, as in HP-2026-004.")
            )
        elif Agreement.objects.filter(code=code).exists():
            add_error(errors, "code", _("Another agreement already has this code."))
    who_may_move = _clean_text(who_may_move, "who_may_move", errors)
    note = _clean_text(note, "note", errors)
    stored, windows = _clean_content(
        code=code or "DRAFT", kind=kind, areas=areas, windows=windows,
        lead_time_h=lead_time_h, margin_min=margin_min, errors=errors,
    )
    raise_if(errors)
    with transaction.atomic():
        agreement = _insert_with_code(
            code,
            kind=kind,
            title=title.strip(),
            process=process,
            round=round,
            owner=actor.party,
            purpose=purpose,
            public=public,
        )
        agreement.bound_parties.set(bound_parties)
        version = AgreementVersion.objects.create(
            agreement=agreement, number=1, areas=stored, windows=windows,
            lead_time_h=lead_time_h, margin_min=margin_min, who_may_move=who_may_move,
            note=note, terms=terms or {}, created_by=actor,
        )
        audit_append(
            actor=actor, action="agreement.create_draft", obj=agreement, before=None,
            after=_content(agreement, version),
        )
    return agreement


def agreement_update_draft(
    *,
    actor: User,
    agreement: Agreement,
    title: Any = UNSET,
    kind: str | Unset = UNSET,
    purpose: str | Unset = UNSET,
    round: Any = UNSET,
    public: Any = UNSET,
    bound_parties: Any = UNSET,
    areas: Any = UNSET,
    windows: Any = UNSET,
    lead_time_h: Any = UNSET,
    margin_min: Any = UNSET,
    who_may_move: Any = UNSET,
    note: Any = UNSET,
    terms: Any = UNSET,
) -> Agreement:
    """Edit a draft in place; only its own party edits it, and only while it is a draft."""
    with transaction.atomic():
        agreement = _locked(agreement)
        _require(
            actor, agreement, rules.can_update_draft, _("Only the drafting party edits a draft.")
        )
        _require_status(agreement, {Agreement.Status.DRAFT})
        version = _current(agreement)
        before = _content(agreement, version)

        def given(value: Any, current: Any) -> Any:
            return current if value is UNSET else value

        frame = {
            "title": given(title, agreement.title),
            "kind": given(kind, agreement.kind),
            "purpose": given(purpose, agreement.purpose),
            "round": given(round, agreement.round),
            "bound_parties": given(bound_parties, list(agreement.bound_parties.all())),
        }
        errors: dict = {}
        _clean_frame(process=agreement.process, errors=errors, **frame)
        public = given(public, agreement.public)
        if not isinstance(public, bool):
            add_error(errors, "public", _("Say yes or no."))
        who_may_move = _clean_text(
            given(who_may_move, version.who_may_move), "who_may_move", errors
        )
        note = _clean_text(given(note, version.note), "note", errors)
        stored, clean_windows = _clean_content(
            code=agreement.code, kind=frame["kind"],
            areas=given(areas, version.areas), windows=given(windows, version.windows),
            lead_time_h=given(lead_time_h, version.lead_time_h),
            margin_min=given(margin_min, version.margin_min), errors=errors,
        )
        raise_if(errors)
        agreement.title = frame["title"].strip()
        agreement.kind = frame["kind"]
        agreement.purpose = frame["purpose"]
        agreement.round = frame["round"]
        agreement.public = public
        agreement.save(
            update_fields=["title", "kind", "purpose", "round", "public", "updated_at"]
        )
        agreement.bound_parties.set(frame["bound_parties"])
        version.areas = stored
        version.windows = clean_windows
        version.lead_time_h = given(lead_time_h, version.lead_time_h)
        version.margin_min = given(margin_min, version.margin_min)
        version.who_may_move = who_may_move
        version.note = note
        version.terms = given(terms, version.terms)
        version.save(
            update_fields=["areas", "windows", "lead_time_h", "margin_min", "who_may_move", "note",
                           "terms"]
        )
        audit_append(
            actor=actor, action="agreement.update_draft", obj=agreement, before=before,
            after=_content(agreement, version),
        )
    return agreement
