"""The audit log in the admin: append-only, read-only, and filtered by what the reader may see.

`parley.audit` imports no other Parley app. An app whose objects are audited and are not
visible to every secretariat member registers how to find the visible ones
(`register_visibility`), and the admin hides the entries about the others.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin
from django.db.models import Q

from parley.audit.models import AuditEntry

# object_type ("agreements.agreement") -> the primary keys of such objects the user may see
_VISIBLE_IDS: dict[str, Callable[[Any], Iterable[Any]]] = {}


def register_visibility(object_type: str, visible_ids: Callable[[Any], Iterable[Any]]) -> None:
    _VISIBLE_IDS[object_type] = visible_ids


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only and read-only; entries follow the visibility of the object they are about."""

    list_display = ["at", "action", "actor", "party", "object_type", "object_id"]
    list_filter = ["action", "object_type", "party"]
    search_fields = ["object_id", "note"]
    readonly_fields = [
        "at", "actor", "party", "action", "object_type", "object_id", "before", "after", "note"
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        for object_type, visible_ids in _VISIBLE_IDS.items():
            visible = [str(pk) for pk in visible_ids(request.user)]
            queryset = queryset.exclude(Q(object_type=object_type) & ~Q(object_id__in=visible))
        return queryset.select_related("actor", "party")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
