"""The single way to write the audit log, and its leaf in the record's transparency log."""

from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
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
    db = transaction.get_connection()
    with transaction.atomic(savepoint=False):
        entry = _insert_entry(
            db,
            actor_id=actor_id,
            party_id=getattr(actor, "party_id", None) if actor_id else None,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            before=before,
            after=after,
            note=note,
        )
        _log_append(db, entry)
    return entry


class _Statements:
    """The three statements of an append, written once per database vendor: building them (and
    the list of fields) on every append cost more than running them on SQLite."""

    def __init__(self, db: Any) -> None:
        quote = db.ops.quote_name
        self.fields = [field for field in AuditEntry._meta.concrete_fields
                       if not field.primary_key]
        columns = [field.column for field in self.fields if field.column is not None]
        if len(columns) != len(self.fields):  # not reached: every concrete field has a column
            raise TypeError("an AuditEntry field has no column")
        self.attnames = [field.attname for field in AuditEntry._meta.concrete_fields]
        self.insert_entry = (
            f"INSERT INTO {quote(AuditEntry._meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(column) for column in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}) RETURNING {quote('id')}")
        self.next_seq = (f"UPDATE {quote(LogHead._meta.db_table)} "  # noqa: S608
                         "SET size = size + 1 WHERE id = 1 RETURNING size")
        self.insert_leaf = (f"INSERT INTO {quote(LogEntry._meta.db_table)} "  # noqa: S608
                            "(seq, audit_entry_id, leaf_hash, entry, salt) "
                            "VALUES (%s, %s, %s, %s, %s)")


_STATEMENTS: dict[str, _Statements] = {}


def _statements(db: Any) -> _Statements:
    found = _STATEMENTS.get(db.vendor)
    if found is None:
        found = _STATEMENTS[db.vendor] = _Statements(db)
    return found


def _insert_entry(db: Any, **values: Any) -> AuditEntry:
    """`AuditEntry.objects.create` in one INSERT ... RETURNING, without the ORM's save path (two
    thirds of an append's time on SQLite). Every value goes through its field's own
    `get_db_prep_save`, so the row is the one the ORM would have written (tested)."""
    values["at"] = timezone.now()
    statements = _statements(db)
    fields = statements.fields
    params = [field.get_db_prep_save(values[field.attname], db) for field in fields]
    with db.cursor() as cursor:
        cursor.execute(statements.insert_entry, params)
        pk = cursor.fetchone()[0]
    # `from_db` with every concrete field in order takes the model's positional fast path.
    return AuditEntry.from_db(db.alias, statements.attnames,
                              [pk, *(values[field.attname] for field in fields)])


def audit_content(entry: AuditEntry) -> bytes:
    """What the commitment commits to: the audit entry as RFC 8785 canonical JSON. People and
    parties are given by id, which never changes (a renamed account keeps its openings valid)."""
    return _content(entry, _instant(entry.at))


def _content(entry: AuditEntry, at: str) -> bytes:
    return ledger_entries.canonical({
        "id": entry.pk,
        "at": at,
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


def _next_seq(db: Any, cursor: Any) -> int:
    """The next sequence number. One UPDATE ... RETURNING: it takes PostgreSQL's row lock (held
    to the end of the transaction, so appends are serialised) and on SQLite runs under the
    database's single write lock."""
    cursor.execute(_statements(db).next_seq)
    row = cursor.fetchone()
    if row is None:
        # The migration creates the row; only a flushed test database lacks it.
        LogHead.objects.get_or_create(pk=1, defaults={"size": LogEntry.objects.count()})
        return _next_seq(db, cursor)
    return int(row[0]) - 1


def log_append(*, audit_entry: AuditEntry) -> int:
    """Append one audit entry to the log; its sequence number. Call inside the audit entry's
    transaction. Two statements, no ORM: this runs once for every change in Parley."""
    return _log_append(transaction.get_connection(), audit_entry)


def _log_append(db: Any, audit_entry: AuditEntry) -> int:
    if not db.in_atomic_block:
        raise RuntimeError("log_append runs inside the audit entry's transaction")
    salt = ledger_entries.new_salt()
    at = _instant(audit_entry.at)
    commitment = ledger_entries.commitment(salt, _content(audit_entry, at))
    with db.cursor() as cursor:
        seq = _next_seq(db, cursor)
        entry = ledger_entries.entry_bytes(seq=seq, at=at, commitment_hex=commitment)
        cursor.execute(_statements(db).insert_leaf,
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
