"""Turn persons, pairs and exchanges into what the templates print; formatting only."""

from parley.core.types import StrOrPromise
from parley.exchanges.models import Category, Outcome, PersonStatus
from parley.exchanges.wording import FIELD_LABELS, FIELD_STATES, WITHDRAWN

COMPARED_FIELDS = ("family_name", "given_name", "patronymic", "date_of_birth", "place_of_birth",
                   "military_unit", "service_number", "rank", "category")


def full_name(identity: dict) -> str:
    family = identity.get("family_name", "")
    rest = " ".join(filter(None, (identity.get("given_name"), identity.get("patronymic"))))
    return ", ".join(filter(None, (family.upper() if family else "", rest)))


def status_label(person, *, sees_refusal: bool) -> str:
    if person.status == PersonStatus.REFUSED and not sees_refusal:
        return str(WITHDRAWN)
    return str(PersonStatus(person.status).label)


def person_row(person, identity: dict | None, *, sees_refusal: bool) -> dict:
    identity = identity or {}
    return {
        "person": person,
        "name": full_name(identity),
        "record_id": identity.get("record_id", ""),
        "date_of_birth": identity.get("date_of_birth", ""),
        "military_unit": identity.get("military_unit", ""),
        "rank": identity.get("rank", ""),
        "category": Category(person.category).label if person.category else "",
        "status": status_label(person, sees_refusal=sees_refusal),
    }


def identity_lines(identity: dict) -> list[tuple[StrOrPromise, str]]:
    lines: list[tuple[StrOrPromise, str]] = [
        (FIELD_LABELS[key], identity[key]) for key in FIELD_LABELS if identity.get(key)]
    lines += [(key, value) for key, value in sorted(identity.get("extras", {}).items())]
    return lines


def pair_view(pair, held: dict, sought: dict) -> dict:
    held_record = {**held, "category": Category(pair.held.category).label}
    sought_record = {**sought, "category": Category(pair.sought.category).label}
    rows = []
    for key in COMPARED_FIELDS:
        state = pair.fields.get(key, "missing")
        rows.append({"field": FIELD_LABELS[key], "key": key, "state": state,
                     "state_name": FIELD_STATES.get(state, state),
                     "held": held_record.get(key, ""), "sought": sought_record.get(key, "")})
    return {"pair": pair, "percent": round(pair.probability * 100), "rows": rows,
            "held_name": full_name(held), "sought_name": full_name(sought)}


def outcome_label(entry, *, sees_refusal: bool) -> str:
    if entry is None or not entry.outcome:
        return str(Outcome.PENDING.label)
    if entry.outcome == Outcome.REFUSED:
        return str(Outcome.REFUSED.label) if sees_refusal else str(WITHDRAWN)
    return str(Outcome(entry.outcome).label)


def recordable(entry) -> bool:
    """Whether a handover outcome may still be recorded for this person (the service decides)."""
    return entry is None or entry.outcome in (Outcome.PENDING, Outcome.HANDED_OVER)


def history_label(change) -> str:
    return str(PersonStatus(change.status).label)


def figures_table(rows: list[dict], parties: dict) -> list[dict]:
    """Public figures per party and side, a column per category."""
    table: dict = {}
    for row in rows:
        key = (row["party"], row["side"])
        line = table.setdefault(key, {"party": parties.get(row["party"], row["party"]),
                                      "side": row["side"], "counts": dict.fromkeys(
                                          Category.values, 0), "total": 0})
        line["counts"][row["category"]] = row["count"]
        line["total"] += row["count"]
    return [{**line, "cells": [line["counts"][c] for c in Category.values]}
            for line in table.values()]


def day_lines(day_view, parties: dict, *, sees_refusal: bool) -> list[str]:
    """"Russian Federation: Handed over 47, Not presented 1" per releasing party."""
    lines = []
    for party_id, counts in day_view.totals.items():
        parts = []
        for outcome, count in sorted(counts.items()):
            if outcome == Outcome.REFUSED and not sees_refusal:
                label = str(WITHDRAWN)
            else:
                label = str(Outcome(outcome).label)
            parts.append(f"{label} {count}")
        party = parties.get(party_id)
        lines.append(f"{party.name if party else ''}: {', '.join(parts)}")
    return lines
