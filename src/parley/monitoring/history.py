"""What of an event's (and an incident's, an import's) history a reader may see (registered
with `parley.audit.history`).

A party's account of an event is seen by its own party, the secretariat and the monitors, and
by the other parties only when shared: the entry that records its attachment follows the same
rule, so an unshared account leaves no trace (not who attached it, nor when) for anyone else.
"""

from typing import Any

from django.db.models import Q

from parley.audit.history import Judge, Rule
from parley.audit.models import AuditEntry
from parley.core.history import secretariat_reads
from parley.monitoring import rules
from parley.monitoring.models import ImportRun, PartyAccount
from parley.monitoring.selectors import visible_events, visible_incidents

ACCOUNT_ACTIONS = frozenset({"event.attach_account"})


def event_judge(user: Any) -> Judge:
    if rules.sees_all_incidents(user):
        return lambda entry: entry
    shown: set[int] | None = None

    def judge(entry: AuditEntry) -> AuditEntry | None:
        nonlocal shown
        if entry.action not in ACCOUNT_ACTIONS:
            return entry
        if shown is None:
            shown = set(
                PartyAccount.objects.filter(Q(party_id=user.party_id) | Q(shared=True)).values_list(
                    "pk", flat=True
                )
            )
        account = (entry.after or {}).get("account")
        return entry if account in shown else None

    return judge


def _import_runs(user: Any) -> Any:
    if not rules.can_import_incidents(user):
        return []
    return ImportRun.objects.values_list("pk", flat=True)


EVENT_HISTORY = Rule(
    visible=lambda user: visible_events(actor=user).values_list("pk", flat=True), judge=event_judge
)
INCIDENT_HISTORY = Rule(
    visible=lambda user: visible_incidents(actor=user).values_list("pk", flat=True)
)
IMPORT_HISTORY = Rule(visible=_import_runs)


def register() -> None:
    from parley.audit import history

    history.register("monitoring.event", EVENT_HISTORY)
    history.register("monitoring.incident", INCIDENT_HISTORY)
    history.register("monitoring.importrun", IMPORT_HISTORY)
    history.register(
        "monitoring.monitoringsettings", secretariat_reads("monitoring.monitoringsettings")
    )
