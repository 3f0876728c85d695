"""Monitoring in the admin is read-only: imports, reports and verification go through the
services (and their audit entries); the secretariat looks things up here."""

from django.contrib import admin

from parley.monitoring.models import Event, ImportRun, Incident, Source


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "created_at"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "source", "file_name", "status", "phase", "rows_read", "created",
                    "duplicates", "candidates", "started_by"]
    list_filter = ["status", "source"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["time_start", "source", "external_id", "type", "lat", "lon", "precision_m",
                    "event"]
    list_filter = ["source"]
    search_fields = ["external_id"]
    list_select_related = ["source", "event"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status", "time_start", "time_end", "lat", "lon"]
    list_filter = ["status"]
    search_fields = ["reference"]
