"""Every write to agreements: one function per transition of the lifecycle.

draft -> proposed -> countered* -> agreed (consent of every bound belligerent party to the same
version) -> suspended <-> agreed, and terminated from any state after the draft. Each function
checks visibility (404) and its named predicate (403), validates, locks the agreement row, saves
in one transaction and appends exactly one audit entry with the state before and after.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.agreements import rules
from parley.agreements.models import Agreement, AgreementVersion, Consent
from parley.agreements.selectors import (
    AGREEMENT_LEVEL_PROPERTIES,
    areas_digest,
    canonical,
    consenting_party_ids,
    feature_collection,
    version_diff,
)
from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound
from parley.core.models import Party, User
from parley.core.validation import UNSET, add_error, raise_if
from parley.engines import geo, timewin
from parley.talks.models import Process, Round

CODE_PREFIX = {Agreement.Kind.PAUSE: "HP", Agreement.Kind.CEASEFIRE: "LC"}
CODE_ATTEMPTS = 5
TITLE_MAX_LENGTH = Agreement._meta.get_field("title").max_length
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{1,29}")
# Stands in for invalid windows so that the areas are still checked and every problem of one
# submission is reported at once.
_PLACEHOLDER_WINDOW = {"start": "2000-01-01T00:00:00Z", "end": "2000-01-01T01:00:00Z"}




# -- validation -------------------------------------------------------------------------------




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


def _stored_areas(areas, errors: dict) -> tuple[dict, list[list[dict]]]:
    """The areas as stored: every feature with an id, without the agreement's own properties.

    Also returns the windows each feature carried, so that a pasted FORMATS §2 collection can
    bring its windows along.
    """
    if isinstance(areas, dict) and areas.get("type") == "Feature":
        areas = {"type": "FeatureCollection", "features": [areas]}
    if (
        not isinstance(areas, dict)
        or areas.get("type") != "FeatureCollection"
        or not isinstance(areas.get("features"), list)
    ):
        add_error(errors, "areas", _("Give the areas as a GeoJSON FeatureCollection."))
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


def _windows_or_carried(windows, carried: list, errors: dict) -> list:
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
CONDITION_LIMITS = {"lead_time_h": 24 * 366, "margin_min": 24 * 60}


def _clean_condition(value, field: str, errors: dict) -> int | None:
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


def _clean_text(value, field: str, errors: dict) -> str:
    """Free text of a version: absent means empty."""
    if value is None:
        return ""
    if not isinstance(value, str):
        add_error(errors, field, _("Give text."))
        return ""
    _refuse_nul(value, field, errors)
    return value.strip()


def _contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def _refuse_nul(value, field: str, errors: dict) -> None:
    """PostgreSQL stores no NUL character in text or JSON; refuse it rather than crash there."""
    if _contains_nul(value):
        add_error(errors, field, _("Remove the NUL character from the text."))


def _clean_content(
    *, code: str, kind: str, areas, windows, lead_time_h, margin_min, errors: dict
) -> tuple[dict, list]:
    """Validate areas and windows with the engines; return what a version stores."""
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
    return stored, windows


def _clean_frame(
    *, process: Process, round: Round | None, kind: str, title: str, purpose: str,
    bound_parties, errors: dict,
) -> None:
    if kind not in Agreement.Kind.values:
        add_error(errors, "kind", _("Choose a pause or a local ceasefire."))
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
    prefix = f"{CODE_PREFIX[kind]}-{year}-"
    numbers = [
        int(code[len(prefix):])
        for code in Agreement.objects.filter(code__startswith=prefix).values_list(
            "code", flat=True
        )
        if code[len(prefix):].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _insert_with_code(code: str | None, **fields) -> Agreement:
    """Insert under the given code, or under the next free one of its kind and year.

    Two drafts created at the same moment may compute the same next code; the loser of the
    unique constraint takes the one after.
    """
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Agreement.objects.create(
                    code=code or _next_code(fields["kind"], timezone.now().year), **fields
                )
        except IntegrityError as exc:
            if code is not None:
                raise ValidationError(
                    {"code": [_("Another agreement already has this code.")]}
                ) from exc
    raise ValidationError({"code": [_("No free code was found; try again.")]})


# -- audit snapshots --------------------------------------------------------------------------


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
    }


# -- guards -----------------------------------------------------------------------------------


def _locked(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("process")
        .get(pk=agreement.pk)
    )


def _require(actor: User, agreement: Agreement, predicate, message) -> None:
    if not rules.can_view_agreement(actor, agreement):
        raise NotFound(agreement.code)
    if not predicate(actor, agreement):
        raise Forbidden(message)


def _require_status(agreement: Agreement, allowed) -> None:
    if agreement.status not in allowed:
        raise ValidationError(
            {
                "status": [
                    gettext("Not possible while the agreement is %(status)s.")
                    % {"status": agreement.get_status_display().lower()}
                ]
            }
        )


def _require_reason(reason: str) -> str:
    errors: dict = {}
    reason = _clean_text(reason, "reason", errors)
    if not errors and not reason:
        add_error(errors, "reason", _("Give the reason."))
    raise_if(errors)
    return reason


def _current(agreement: Agreement) -> AgreementVersion:
    return agreement.versions.order_by("-number").first()


# -- transitions ------------------------------------------------------------------------------


def agreement_create_draft(
    *,
    actor: User,
    process: Process,
    kind: str,
    title: str,
    purpose: str,
    bound_parties: list[Party],
    areas: dict,
    windows: list[dict] | None = None,
    round: Round | None = None,
    lead_time_h: int | None = None,
    margin_min: int | None = None,
    who_may_move: str = "",
    note: str = "",
    public: bool = False,
    code: str | None = None,
) -> Agreement:
    """A draft owned by the actor's party, seen only by that party until proposed."""
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
            note=note, created_by=actor,
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
    title=UNSET,
    kind=UNSET,
    purpose=UNSET,
    round=UNSET,
    public=UNSET,
    bound_parties=UNSET,
    areas=UNSET,
    windows=UNSET,
    lead_time_h=UNSET,
    margin_min=UNSET,
    who_may_move=UNSET,
    note=UNSET,
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

        def given(value, current):
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
        version.save(
            update_fields=["areas", "windows", "lead_time_h", "margin_min", "who_may_move", "note"]
        )
        audit_append(
            actor=actor, action="agreement.update_draft", obj=agreement, before=before,
            after=_content(agreement, version),
        )
    return agreement


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
    areas=UNSET,
    windows=UNSET,
    lead_time_h=UNSET,
    margin_min=UNSET,
    who_may_move=UNSET,
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

        def given(value, existing):
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
            who_may_move=who_may_move, note=note, created_by=actor,
        )
        diff = version_diff(current, proposal)
        if not diff:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("A counter-proposal must change the areas, the windows or "
                                      "the conditions.")]}
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
        Consent.objects.create(version=current, party=actor.party, user=actor)
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


def _set_status(
    *, actor: User, agreement: Agreement, predicate, message, allowed, status: str, reason: str,
    action: str,
) -> Agreement:
    reason = _require_reason(reason)
    with transaction.atomic():
        agreement = _locked(agreement)
        _require(actor, agreement, predicate, message)
        _require_status(agreement, allowed)
        before = _state(agreement)
        agreement.status = status
        agreement.status_reason = reason
        agreement.save(update_fields=["status", "status_reason", "updated_at"])
        audit_append(
            actor=actor, action=action, obj=agreement, before=before, after=_state(agreement),
            note=reason,
        )
    return agreement


def agreement_suspend(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    return _set_status(
        actor=actor, agreement=agreement, predicate=rules.can_suspend_agreement,
        message=_("Only the secretariat suspends an agreement."),
        allowed={Agreement.Status.AGREED}, status=Agreement.Status.SUSPENDED, reason=reason,
        action="agreement.suspend",
    )


def agreement_resume(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    return _set_status(
        actor=actor, agreement=agreement, predicate=rules.can_resume_agreement,
        message=_("Only the secretariat resumes an agreement."),
        allowed={Agreement.Status.SUSPENDED}, status=Agreement.Status.AGREED, reason=reason,
        action="agreement.resume",
    )


def agreement_terminate(*, actor: User, agreement: Agreement, reason: str) -> Agreement:
    return _set_status(
        actor=actor, agreement=agreement, predicate=rules.can_terminate_agreement,
        message=_("Only the secretariat or the head of a bound belligerent delegation "
                  "terminates an agreement."),
        allowed=rules.UNDER_NEGOTIATION | {Agreement.Status.AGREED, Agreement.Status.SUSPENDED},
        status=Agreement.Status.TERMINATED, reason=reason, action="agreement.terminate",
    )

