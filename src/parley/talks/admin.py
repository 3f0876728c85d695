from django.contrib import admin

from parley.core.admin import AuditedAdmin
from parley.talks.models import Delegation, Process, Round


@admin.register(Process)
class ProcessAdmin(AuditedAdmin):
    list_display = ["name", "host", "mediator", "created_at"]


class DelegationInline(admin.TabularInline):
    model = Delegation
    extra = 0
    autocomplete_fields = []
    filter_horizontal = ["members"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(AuditedAdmin):
    list_display = ["name", "process", "date", "venue", "format"]
    list_filter = ["process", "format"]
    inlines = [DelegationInline]
