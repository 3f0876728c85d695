"""One rule for what of an object's history a reader may see (docs/security.md, "History").

Every surface that shows audit entries — the pages' audit tables, the API's `/audit`
endpoints, the record's log openings, the admin — reads them through this module, never
`AuditEntry.objects` directly. Each kind of object (`object_type`, e.g. "access.movement")
declares its rule with `register`; a kind nobody declared shows nothing to anyone (fail closed).

A rule has two parts:

- `visible(user)`: the primary keys of the objects whose history the user may read at all
  (the app's own need-to-know selector); `None` for a kind every party member reads;
- `judge(user)` (optional): builds, once per reader, a function that decides entry by entry:
  `None` hides the entry, the entry itself shows it in full, `redacted(entry, ...)` shows it
  without the fields that describe what the reader was not allowed to see when it happened
  (another party's drafting, a version it was never addressed on).

`parley.audit` imports no other Parley app: the apps register their rules in `ready()`.
"""

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from parley.audit.models import AuditEntry

Judge = Callable[[AuditEntry], AuditEntry | None]
REDACTABLE = ("before", "after", "note")


@dataclass(frozen=True)
class Rule:
    """What of one kind's history a reader may see."""

    visible: Callable[[Any], Iterable[Any]] | None
    judge: Callable[[Any], Judge] | None = None


_RULES: dict[str, Rule] = {}


def register(kind: str, rule: Rule | Callable[[Any], Iterable[Any]] | None) -> None:
    """Declare the rule of one kind of object (`app_label.model`). A bare callable is the
    `visible` part of a rule that shows every entry of a visible object in full."""
    _RULES[kind] = rule if isinstance(rule, Rule) else Rule(visible=rule)


def ruled_kinds() -> list[str]:
    return sorted(_RULES)


def rule_for(kind: str) -> Rule | None:
    return _RULES.get(kind)


def redacted(entry: AuditEntry, *fields: str) -> AuditEntry:
    """A copy of the entry without `fields` (all of before, after and note by default), marked
    so that pages and the API say it was withheld. The copy is never saved."""
    fields = fields or REDACTABLE
    shown = copy.copy(entry)
    for name in fields:
        setattr(shown, name, "" if name == "note" else None)
    setattr(shown, "redacted", tuple(sorted(set(getattr(entry, "redacted", ())) | set(fields))))  # noqa: B010
    return shown


def is_redacted(entry: AuditEntry) -> bool:
    return bool(getattr(entry, "redacted", ()))


def _reader(user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and getattr(user, "party_id", None) is not None
    )


def readable(*, user: Any, kinds: Iterable[str] | None = None) -> QuerySet[AuditEntry]:
    """Entries about objects the user may see, of the registered kinds (or of `kinds`): the
    query before the entry-by-entry judgement of `disclose`."""
    if not _reader(user):
        return AuditEntry.objects.none()
    seen = Q(pk__in=[])
    for kind in _RULES if kinds is None else kinds:
        rule = _RULES.get(kind)
        if rule is None:
            continue
        if rule.visible is None:
            seen |= Q(object_type=kind)
        else:
            ids = [str(pk) for pk in rule.visible(user)]
            seen |= Q(object_type=kind, object_id__in=ids)
    return AuditEntry.objects.filter(seen)


def disclose(*, user: Any, entries: Iterable[AuditEntry]) -> Iterator[AuditEntry]:
    """The entries as the user may see them: hidden ones left out, redacted ones as copies.
    Entries of a kind without a rule are left out."""
    judges: dict[str, Judge | None] = {}
    for entry in entries:
        kind = entry.object_type
        if kind not in judges:
            rule = _RULES.get(kind)
            if rule is None:
                judges[kind] = lambda _entry: None
            else:
                judges[kind] = rule.judge(user) if rule.judge else None
        judge = judges[kind]
        shown = entry if judge is None else judge(entry)
        if shown is not None:
            yield shown


def audit_trail_for(*, obj: models.Model, user: Any) -> list[AuditEntry]:
    """The history of one object as the user may see it, oldest first. The page's audit table
    and the API's `/audit` endpoint both read this."""
    kind = obj._meta.label_lower
    entries = (
        readable(user=user, kinds=[kind])
        .filter(object_id=str(obj.pk))
        .select_related("actor", "party")
        .order_by("at", "pk")
    )
    return list(disclose(user=user, entries=entries))


def full_entries(*, user: Any, entries: Iterable[AuditEntry]) -> Iterator[AuditEntry]:
    """Only the entries the user may see in full: the record opens nothing redacted (an
    opening is the whole entry)."""
    return (entry for entry in disclose(user=user, entries=entries) if not is_redacted(entry))


def full_entry(
    *, user: Any, pk: int, queryset: QuerySet[AuditEntry] | None = None
) -> AuditEntry | None:
    base = readable(user=user) if queryset is None else queryset
    entry = base.filter(pk=pk).first()
    if entry is None:
        return None
    return next(full_entries(user=user, entries=[entry]), None)


def hidden_ids(*, user: Any, entries: QuerySet[AuditEntry]) -> list[int]:
    """The primary keys of `entries` that the judges hide from the user (the admin's list
    leaves them out)."""
    shown = {entry.pk for entry in disclose(user=user, entries=entries)}
    return [pk for pk in entries.values_list("pk", flat=True) if pk not in shown]


def latest_change(*, obj: models.Model) -> AuditEntry | None:
    """The newest entry about an object, for the system itself (alerts' "last changed"); never
    shown to a reader as such."""
    return (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-at", "-pk")
        .first()
    )
