"""Which audit entries an account may open in the record: those `parley.audit.history` shows it
in full. Each app registers the rule of its kinds there; a kind without a rule is no one's
(fail closed), and a redacted entry is not opened (an opening is the whole entry)."""

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from parley.audit import history
from parley.audit.models import AuditEntry

# What the record itself writes (a witness's alarm) concerns every party.
PUBLIC_TO_PARTIES = {"record.witness"}


def register() -> None:
    for kind in PUBLIC_TO_PARTIES:
        history.register(kind, None)


def visible_audit_entries(*, actor) -> QuerySet[AuditEntry]:
    """The entries about objects the actor may see (before the entry-by-entry judgement)."""
    return history.readable(user=actor)


def openable(*, actor, entries: Iterable[AuditEntry]) -> Iterator[AuditEntry]:
    return history.full_entries(user=actor, entries=entries)
