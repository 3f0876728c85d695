from django.contrib import admin
from django.db.models import Q

from parley.agreements.selectors import visible_agreements
from parley.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only and read-only; entries about agreements follow the agreements' visibility."""

    list_display = ["at", "action", "actor", "party", "object_type", "object_id"]
    list_filter = ["action", "object_type", "party"]
    search_fields = ["object_id", "note"]
    readonly_fields = [
        "at", "actor", "party", "action", "object_type", "object_id", "before", "after", "note"
    ]

    def get_queryset(self, request):
        visible_ids = [
            str(pk) for pk in visible_agreements(actor=request.user).values_list("pk", flat=True)
        ]
        hidden = Q(object_type="agreements.agreement") & ~Q(object_id__in=visible_ids)
        return super().get_queryset(request).exclude(hidden).select_related("actor", "party")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
