"""The audit log in the admin: append-only, read-only, and what the reader may see of it.

A non-superuser (the secretariat's back office) reads the log through the same rule as the
pages, the API and the record (`parley.audit.history`): entries about objects it may not see
are not listed, entries the rule hides are left out, and a redacted entry opens without its
before/after snapshots. Only a superuser (created from the command line) reads it all.
"""

from django.contrib import admin

from parley.audit import history
from parley.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only and read-only; entries follow the history rule of the object they are
    about."""

    list_display = ["at", "action", "actor", "party", "object_type", "object_id"]
    list_filter = ["action", "object_type", "party"]
    search_fields = ["object_id", "note"]
    readonly_fields = [
        "at", "actor", "party", "action", "object_type", "object_id", "before", "after", "note"
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            readable = history.readable(user=request.user)
            queryset = readable.exclude(pk__in=history.hidden_ids(user=request.user,
                                                                  entries=readable))
        return queryset.select_related("actor", "party")

    def get_object(self, request, object_id, from_field=None):
        entry = super().get_object(request, object_id, from_field)
        if entry is None or request.user.is_superuser:
            return entry
        return next(history.disclose(user=request.user, entries=[entry]), None)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
