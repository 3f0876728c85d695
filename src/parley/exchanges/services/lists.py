"""Uploading and correcting lists of persons, and revealing identities (each view logged).

An upload is the list's whole content: rows are validated one by one and the file is saved
entirely or not at all. A person is found again by its `record_id` (or, without one, by a digest
of its identity), so the same file twice changes nothing and a re-upload keeps every decision and
exchange attached to the persons it still lists; persons absent from the new file are marked as
no longer on the list, never deleted.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from parley.agreements.models import Agreement
from parley.audit.services import audit_append
from parley.core.errors import Forbidden, NotFound
from parley.core.models import Party
from parley.core.types import Actor, StrOrPromise
from parley.core.validation import add_error, raise_if
from parley.engines.match import PersonListError, read_person_list
from parley.exchanges import crypto, rules
from parley.exchanges.models import (
    Category,
    IdentityView,
    Person,
    PersonList,
    PersonStatus,
    StatusChange,
)

# docs/formats.md §6 columns, and the further fields of GC III art. 122 that a file may carry.
IDENTITY_FIELDS = (
    "record_id", "family_name", "given_name", "patronymic", "date_of_birth", "place_of_birth",
    "military_unit", "service_number", "rank", "sex", "date_of_capture", "place_of_capture",
    "health", "power_depended_on", "next_of_kin", "mothers_maiden_name",
)
CORRECTABLE_FIELDS = IDENTITY_FIELDS[1:]
NAME_FIELDS = ("family_name", "given_name", "patronymic")
FIELD_LIMIT = 500

CATEGORY_WORDS = {
    Category.POW: {"pow", "prisoner of war", "prisoner_of_war", "військовополонений",
                   "военнопленный", "вп"},
    Category.CIVILIAN_INTERNEE: {"civilian_internee", "civilian internee", "internee",
                                 "інтернований", "интернированный"},
    Category.DETAINED_CIVILIAN: {"detained_civilian", "detained civilian", "civilian",
                                 "цивільний", "гражданский", "цивільна", "гражданская"},
    Category.REMAINS: {"remains", "body", "bodies", "тіло", "тела", "тело", "останки"},
}
SERIOUS_HEALTH_WORDS = ("seriously", "swsi", "тяжк", "тяжел", "важк", "severe")


def category_of(text: str) -> str | None:
    word = (text or "").strip().lower()
    if not word:
        return Category.POW
    for category, words in CATEGORY_WORDS.items():
        if word in words:
            return category
    return None


def is_seriously_wounded_or_sick(health: str) -> bool:
    text = (health or "").strip().lower()
    return any(word in text for word in SERIOUS_HEALTH_WORDS)


def record_key(identity: dict) -> str:
    if identity.get("record_id"):
        return hashlib.sha256(("id:" + identity["record_id"]).encode()).hexdigest()
    named = {field: identity.get(field, "") for field in IDENTITY_FIELDS[1:]}
    canonical = json.dumps(named, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(("row:" + canonical).encode()).hexdigest()


@dataclass(frozen=True)
class UploadReport:
    person_list: PersonList
    created: int
    updated: int
    withdrawn: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)


def _row_error(errors: dict, row: int, field: str | None, message: StrOrPromise) -> None:
    add_error(errors, f"rows[{row}].{field}" if field else f"rows[{row}]", message)


def _identity_of(row: dict) -> dict:
    identity: dict[str, Any] = {}
    extras: dict[str, str] = {}
    for key, value in row.items():
        text = (value or "").strip() if isinstance(value, str) else str(value or "")
        if key in IDENTITY_FIELDS:
            if text:
                identity[key] = text
        elif key not in ("category",) and text:
            extras[key] = text
    if extras:
        identity["extras"] = extras
    return identity


def _clean_rows(rows: list[dict]) -> tuple[list[tuple[int, dict, str]], dict]:
    """(row number, identity, category) per row, and the errors of every bad row."""
    errors: dict = {}
    cleaned: list[tuple[int, dict[str, Any], str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        identity = _identity_of(row)
        category = category_of(row.get("category", ""))
        if category is None:
            _row_error(errors, number, "category", gettext(
                "%(value)s is not a category; use pow, civilian_internee, detained_civilian or "
                "remains.") % {"value": row.get("category")})
        if not any(identity.get(field) for field in ("family_name", "given_name")) and \
                category != Category.REMAINS:
            _row_error(errors, number, "family_name", _("Give a family name or a given name."))
        for field, value in identity.items():
            if isinstance(value, str) and (len(value) > FIELD_LIMIT or "\x00" in value):
                _row_error(errors, number, field, gettext(
                    "Keep the value within %(limit)d characters, without NUL characters.")
                    % {"limit": FIELD_LIMIT})
        key = record_key(identity)
        if key in seen:
            _row_error(errors, number, "record_id", gettext(
                "The same person as row %(row)d (same record_id, or the same identity).")
                % {"row": seen[key]})
        seen.setdefault(key, number)
        cleaned.append((number, identity, category or ""))
    return cleaned, errors


def _check_frame(*, actor: Actor, side: str, counterpart: Party | None, title: str) -> None:
    if not rules.can_upload_list(actor):
        raise Forbidden(_("Only a belligerent party's delegation uploads its lists."))
    errors: dict = {}
    if side not in PersonList.Side.values:
        add_error(errors, "side", _("Choose the persons it holds or the persons it seeks."))
    if counterpart is None or not counterpart.is_belligerent or counterpart.pk == actor.party_id:
        add_error(errors, "counterpart", _("Choose the other belligerent party."))
    if not (title or "").strip() or len(title.strip()) > 200:
        add_error(errors, "title", _("Give the list a title of at most 200 characters."))
    raise_if(errors)


def person_list_upload(
    *, actor: Actor, side: str, counterpart: Party | None, title: str, content: bytes,
    filename: str,
) -> UploadReport:
    """Replace the content of the actor's party's list `title` with the file, all or nothing
    (an unknown `counterpart`, None, is refused with the other errors of the frame)."""
    _check_frame(actor=actor, side=side, counterpart=counterpart, title=title)
    assert counterpart is not None  # _check_frame refused None
    try:
        rows = read_person_list(content, filename=filename)
    except PersonListError as error:
        errors: dict = {}
        for row, field, reason in error.rows:
            _row_error(errors, row, field, reason)
        raise ValidationError(errors or {"file": [str(error)]}) from error
    if not rows:
        raise ValidationError({"file": [_("The file lists nobody.")]})
    cleaned, errors = _clean_rows(rows)
    raise_if(errors)
    digest = hashlib.sha256(content).hexdigest()
    title = title.strip()
    with transaction.atomic():
        person_list, created_list = PersonList.objects.select_for_update().get_or_create(
            party=actor.party, side=side, title=title, defaults={"counterpart": counterpart}
        )
        if person_list.counterpart_id != counterpart.pk:
            raise ValidationError({"counterpart": [
                _("This list was uploaded for another counterpart; give it another title.")]})
        existing = {person.record_key: person for person in person_list.persons.all()}
        created = updated = unchanged = 0
        keys = set()
        new_persons = []
        for number, identity, category in cleaned:
            key = record_key(identity)
            keys.add(key)
            serious = is_seriously_wounded_or_sick(identity.get("health", ""))
            person = existing.get(key)
            if person is None:
                new_persons.append(Person(
                    person_list=person_list, record_key=key, row_number=number,
                    identity_token=crypto.seal(identity), category=category,
                    seriously_wounded_or_sick=serious))
                created += 1
                continue
            same = (crypto.unseal(person.identity_token) == identity
                    and person.category == category and not person.withdrawn
                    and person.row_number == number)
            if same:
                unchanged += 1
                continue
            person.identity_token = crypto.seal(identity)
            person.category = category
            person.seriously_wounded_or_sick = serious
            person.row_number = number
            person.withdrawn = False
            person.save(update_fields=["identity_token", "category", "seriously_wounded_or_sick",
                                       "row_number", "withdrawn", "updated_at"])
            updated += 1
        Person.objects.bulk_create(new_persons, batch_size=500)
        StatusChange.objects.bulk_create(
            [StatusChange(person=person, status=PersonStatus.LISTED, actor=actor)
             for person in person_list.persons.filter(history__isnull=True)], batch_size=500)
        gone = [person.pk for key, person in existing.items()
                if key not in keys and not person.withdrawn]
        Person.objects.filter(pk__in=gone).update(withdrawn=True, updated_at=timezone.now())
        report = UploadReport(person_list, created, updated, len(gone), unchanged)
        if report.changed or created_list:
            before = {"file_sha256": person_list.file_sha256} if not created_list else None
            person_list.file_name = filename[:255]
            person_list.file_sha256 = digest
            person_list.uploaded_by = actor
            person_list.uploaded_at = timezone.now()
            person_list.save(update_fields=["file_name", "file_sha256", "uploaded_by",
                                            "uploaded_at"])
            audit_append(
                actor=actor, action="exchanges.list_upload", obj=person_list, before=before,
                after={"file_sha256": digest, "side": side, "counterpart": counterpart.slug,
                       "created": created, "updated": updated, "withdrawn": len(gone),
                       "unchanged": unchanged},
            )
    return report


def person_correct(*, actor: Actor, person: Person, changes: dict) -> Person:
    """Correct fields of one person's identity; the audit names the fields, never the values."""
    with transaction.atomic():
        person = Person.objects.select_for_update().select_related(
            "person_list").get(pk=person.pk)
        if not rules.can_view_list(actor, person.person_list):
            raise NotFound(person.reference)
        if not rules.can_correct_list(actor, person.person_list):
            raise Forbidden(_("Only the delegation of the party that uploaded the list corrects "
                              "it."))
        errors: dict = {}
        identity = crypto.unseal(person.identity_token)
        changed = []
        category = changes.get("category", person.category)
        if category not in Category.values:
            add_error(errors, "category", _("Choose a category."))
        for field, value in changes.items():
            if field == "category":
                continue
            if field not in CORRECTABLE_FIELDS:
                add_error(errors, field, _("This field cannot be corrected here."))
                continue
            text = (value or "").strip()
            if len(text) > FIELD_LIMIT or "\x00" in text:
                add_error(errors, field, gettext(
                    "Keep the value within %(limit)d characters, without NUL characters.")
                    % {"limit": FIELD_LIMIT})
                continue
            if identity.get(field, "") != text:
                changed.append(field)
                if text:
                    identity[field] = text
                else:
                    identity.pop(field, None)
        if not any(identity.get(field) for field in ("family_name", "given_name")) and \
                category != Category.REMAINS:
            add_error(errors, "family_name", _("Give a family name or a given name."))
        raise_if(errors)
        if category != person.category:
            changed.append("category")
        if not changed:
            return person
        person.identity_token = crypto.seal(identity)
        person.category = category
        person.seriously_wounded_or_sick = is_seriously_wounded_or_sick(
            identity.get("health", ""))
        person.save(update_fields=["identity_token", "category", "seriously_wounded_or_sick",
                                   "updated_at"])
        audit_append(actor=actor, action="exchanges.person_correct", obj=person,
                     after={"fields": sorted(changed)})
    return person


def identities_reveal(*, actor: Actor, persons: Iterable[Person], surface: str) -> dict[int, dict]:
    """The identities of `persons` the actor may see, each view logged for the person's party."""
    visible = [person for person in persons if rules.can_view_list(actor, person.person_list)]
    if not visible:
        return {}
    IdentityView.objects.bulk_create(
        [IdentityView(person=person, viewer=actor, viewer_party_id=actor.party_id,
                      surface=surface) for person in visible], batch_size=500)
    return {person.pk: crypto.unseal(person.identity_token) for person in visible}


def person_status_set(*, actor: Actor, person: Person, status: str,
                      agreement: Agreement | None = None, intermediary_only: bool = False) -> None:
    """Inside the caller's transaction: the current status and one line of history."""
    person.status = status
    person.save(update_fields=["status", "updated_at"])
    StatusChange.objects.create(person=person, status=status, actor=actor, agreement=agreement,
                                intermediary_only=intermediary_only)


def identities_rotate() -> int:
    """Re-encrypt every identity and interview note under the first configured key."""
    from parley.exchanges.models import ExchangeEntry

    count = 0
    with transaction.atomic():
        for person in Person.objects.select_for_update().only("pk", "identity_token"):
            person.identity_token = crypto.reseal(person.identity_token)
            person.save(update_fields=["identity_token"])
            count += 1
        for entry in ExchangeEntry.objects.select_for_update().exclude(interview_token=""):
            entry.interview_token = crypto.reseal(entry.interview_token)
            entry.save(update_fields=["interview_token"])
            count += 1
    return count
