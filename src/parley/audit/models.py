"""Append-only audit entries, written by every service that changes state."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    """Bulk writes would bypass `save()` and `delete()`; they are refused the same way."""

    def update(self, **kwargs):
        raise AppendOnlyError("audit entries are append-only")

    def delete(self):
        raise AppendOnlyError("audit entries are append-only")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    party = models.ForeignKey(
        "core.Party", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%SZ} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are append-only")


# The audit trail is also the record's transparency log (docs/ledger.md): every entry is a leaf,
# appended in the entry's own transaction. The log's heads and witnesses are `parley.record`'s.


class LogHead(models.Model):
    """One row: the number of entries. Appends take the next number from it with one UPDATE,
    which serialises them (a row lock on PostgreSQL, the write lock on SQLite)."""

    size = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.size)


class LogEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("log entries are append-only")

    def delete(self):
        raise AppendOnlyError("log entries are append-only")


class LogEntry(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    audit_entry = models.OneToOneField(
        AuditEntry, on_delete=models.PROTECT, related_name="log_entry"
    )
    leaf_hash = models.BinaryField(max_length=32)
    entry = models.BinaryField()
    salt = models.BinaryField(max_length=32)

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")

    def __str__(self):
        return str(self.seq)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("log entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("log entries are append-only")
