"""What of a movement's (and a site's, a hazard's, a webhook's) history a reader may see
(registered with `parley.audit.history`).

A movement's history follows its versions: the notifying organisation and the secretariat see
every entry; a party sees the entries about the versions it was addressed on (released to it
with a route across its areas) and nothing about a version it never was — not its content, not
another party's receipt or objection and reason. An amendment's "before" describes the
previous version: withheld from a party that was not addressed on that one.
"""

from typing import Any

from parley.access.models import Hazard, Movement, MovementVersion
from parley.access.selectors import visible_movements, visible_sites, webhook_list
from parley.audit.history import Judge, Rule, redacted
from parley.audit.models import AuditEntry
from parley.core.rules import has_party, is_secretariat


def addressed_versions(party_id: int | None) -> set[tuple[int, int]]:
    """(movement id, version number) of every version released to the party across its
    areas."""
    if party_id is None:
        return set()
    return set(
        MovementVersion.objects.filter(
            crossed_parties=party_id, released_at__isnull=False
        ).values_list("movement_id", "number")
    )


def _entry_version(snapshot: Any) -> int | None:
    return snapshot.get("version") if isinstance(snapshot, dict) else None


def movement_judge(user: Any) -> Judge:
    if is_secretariat(user):
        return lambda entry: entry
    organisation_of: dict[str, int | None] = {}
    addressed: set[tuple[int, int]] | None = None

    def judge(entry: AuditEntry) -> AuditEntry | None:
        nonlocal addressed
        if entry.object_id not in organisation_of:
            organisation_of[entry.object_id] = (
                Movement.objects.filter(pk=entry.object_id)
                .values_list("organisation_id", flat=True)
                .first()
            )
        if organisation_of[entry.object_id] == user.party_id:
            return entry
        if addressed is None:
            addressed = addressed_versions(user.party_id)
        movement_id = int(entry.object_id)
        version = _entry_version(entry.after) or _entry_version(entry.before)
        if version is None or (movement_id, version) not in addressed:
            return None
        before = _entry_version(entry.before)
        if before is not None and (movement_id, before) not in addressed:
            return redacted(entry, "before")
        return entry

    return judge


MOVEMENT_HISTORY = Rule(
    visible=lambda user: visible_movements(actor=user).values_list("pk", flat=True),
    judge=movement_judge,
)
SITE_HISTORY = Rule(visible=lambda user: visible_sites(actor=user).values_list("pk", flat=True))
# Hazards are safety information for every party at the table, cleared ones too.
HAZARD_HISTORY = Rule(
    visible=lambda user: Hazard.objects.values_list("pk", flat=True) if has_party(user) else []
)
# A party's webhooks are its own business (the URLs of its systems).
WEBHOOK_HISTORY = Rule(visible=lambda user: [hook.pk for hook in webhook_list(actor=user)])


def register() -> None:
    from parley.audit import history

    history.register("access.movement", MOVEMENT_HISTORY)
    history.register("access.site", SITE_HISTORY)
    history.register("access.hazard", HAZARD_HISTORY)
    history.register("access.webhook", WEBHOOK_HISTORY)
