"""What of an agreement's history a reader may see (registered with `parley.audit.history`).

The parties that see an agreement see its history, except another party's drafting: while an
agreement is a draft only its owner sees it, so the entries written then (the first text, each
edit) reach anyone else without their before/after snapshots — the titles, windows and "who
may move" the owner tried and dropped stay the owner's.
"""

from typing import Any

from parley.agreements.models import Agreement, ContactLine
from parley.agreements.selectors import visible_agreements
from parley.audit.history import Judge, Rule, redacted
from parley.audit.models import AuditEntry

DRAFTING_ACTIONS = frozenset({"agreement.create_draft", "agreement.update_draft"})


def is_drafting(entry: AuditEntry) -> bool:
    return (
        entry.action in DRAFTING_ACTIONS
        or (entry.after or {}).get("status") == Agreement.Status.DRAFT
    )


def _visible(user: Any) -> Any:
    return visible_agreements(actor=user).values_list("pk", flat=True)


def _judge(user: Any) -> Judge:
    owners: dict[str, int | None] = {}

    def judge(entry: AuditEntry) -> AuditEntry | None:
        if not is_drafting(entry):
            return entry
        if entry.object_id not in owners:
            owners[entry.object_id] = (
                Agreement.objects.filter(pk=entry.object_id)
                .values_list("owner_id", flat=True)
                .first()
            )
        if owners[entry.object_id] == user.party_id:
            return entry
        return redacted(entry)

    return judge


AGREEMENT_HISTORY = Rule(visible=_visible, judge=_judge)


def contact_line_history(user: Any) -> Any:
    """Every signed-in person sees the contact line, so every import of it in full."""
    if not getattr(user, "is_authenticated", False):
        return ContactLine.objects.none().values_list("pk", flat=True)
    return ContactLine.objects.values_list("pk", flat=True)
