"""The single way to write the audit log, and its leaf in the record's transparency log."""

from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, models, transaction
from django.utils import timezone

from parley.audit.models import AuditEntry, LogEntry, LogHead
from parley.engines.ledger import entries as ledger_entries
from parley.engines.ledger.merkle import leaf_hash


def audit_append(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry, and its leaf in the record's transparency log. Call inside the
    service's transaction so that the change, the entry and the leaf land together or not at
    all."""
    actor_id = getattr(actor, "pk", None)
    with transaction.atomic(savepoint=False):
        entry = _insert_entry(
            actor_id=actor_id,
            party_id=getattr(actor, "party_id", None) if actor_id else None,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            before=before,
            after=after,
            note=note,
        )
        log_append(audit_entry=entry)
    return entry


def _insert_entry(**values: Any) -> AuditEntry:
    """`AuditEntry.objects.create` in one INSERT ... RETURNING, without the ORM's save path (two
    thirds of an append's time on SQLite). Every value goes through its field's own
    `get_db_prep_save`, so the row is the one the ORM would have written (tested)."""
    values["at"] = timezone.now()
    fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    params = [field.get_db_prep_save(values[field.attname], connection) for field in fields]
    quote = connection.ops.quote_name
    columns = [field.column for field in fields if field.column is not None]
    if len(columns) != len(fields):  # not reached: every concrete field has a column
        raise TypeError("an AuditEntry field has no column")
    sql = (f"INSERT INTO {quote(AuditEntry._meta.db_table)} "  # noqa: S608
           f"({', '.join(quote(column) for column in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote('id')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0]
    entry = AuditEntry(id=pk, **values)
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def audit_content(entry: AuditEntry) -> bytes:
    """What the commitment commits to: the audit entry as RFC 8785 canonical JSON. People and
    parties are given by id, which never changes (a renamed account keeps its openings valid)."""
    return ledger_entries.canonical({
        "id": entry.pk,
        "at": _instant(entry.at),
        "actor": entry.actor_id,
        "party": entry.party_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "before": entry.before,
        "after": entry.after,
        "note": entry.note,
    })


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _next_seq(cursor: Any) -> int:
    """The next sequence number. One UPDATE ... RETURNING: it takes PostgreSQL's row lock (held
    to the end of the transaction, so appends are serialised) and on SQLite runs under the
    database's single write lock."""
    table = connection.ops.quote_name(LogHead._meta.db_table)
    cursor.execute(f"UPDATE {table} SET size = size + 1 WHERE id = 1 RETURNING size")  # noqa: S608
    row = cursor.fetchone()
    if row is None:
        # The migration creates the row; only a flushed test database lacks it.
        LogHead.objects.get_or_create(pk=1, defaults={"size": LogEntry.objects.count()})
        return _next_seq(cursor)
    return row[0] - 1


_INSERT = ("INSERT INTO {table} (seq, audit_entry_id, leaf_hash, entry, salt) "
           "VALUES (%s, %s, %s, %s, %s)")


def log_append(*, audit_entry: AuditEntry) -> int:
    """Append one audit entry to the log; its sequence number. Call inside the audit entry's
    transaction. Two statements, no ORM: this runs once for every change in Parley."""
    if not connection.in_atomic_block:
        raise RuntimeError("log_append runs inside the audit entry's transaction")
    salt = ledger_entries.new_salt()
    commitment = ledger_entries.commitment(salt, audit_content(audit_entry))
    at = _instant(audit_entry.at)
    with connection.cursor() as cursor:
        seq = _next_seq(cursor)
        entry = ledger_entries.entry_bytes(seq=seq, at=at, commitment_hex=commitment)
        cursor.execute(_INSERT.format(table=connection.ops.quote_name(LogEntry._meta.db_table)),
                       [seq, audit_entry.pk, leaf_hash(entry), entry, salt])
    return seq


def log_backfill() -> int:
    """Append the audit entries that are not in the log yet (those written before the log
    existed), oldest first; how many."""
    if AuditEntry.objects.count() == LogEntry.objects.count():
        return 0
    missing = list(AuditEntry.objects.filter(log_entry__isnull=True).order_by("id")
                   .values_list("pk", flat=True))
    for pk in missing:
        with transaction.atomic():
            log_append(audit_entry=AuditEntry.objects.get(pk=pk))
    return len(missing)
