"""Access in the admin is read-only for the secretariat: every change goes through a service,
and the lists are the secretariat's own selectors."""

from typing import ClassVar

from django.contrib import admin

from parley.access.models import Movement, Site, WebhookAttempt, WebhookDelivery
from parley.access.selectors import visible_movements, visible_sites


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Movement)
class MovementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["reference", "organisation", "agreement", "purpose", "status", "updated_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["reference"]
    fields: ClassVar[tuple[str, ...]] = (
        "reference", "organisation", "agreement", "purpose", "status", "reason",
        "created_by", "created_at", "updated_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return visible_movements(actor=request.user)


@admin.register(Site)
class SiteAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["reference", "name", "kind", "organisation", "radius_m", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "name"]
    fields: ClassVar[tuple[str, ...]] = (
        "reference", "name", "kind", "organisation", "lon", "lat", "radius_m", "note",
        "status", "reason", "created_by", "created_at", "updated_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return visible_sites(actor=request.user)


class WebhookAttemptInline(ReadOnlyMixin, admin.TabularInline):
    model = WebhookAttempt
    fields: ClassVar[tuple[str, ...]] = (
        "number", "at", "response_code", "error",
    )
    readonly_fields = fields
    extra = 0


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    inlines = [WebhookAttemptInline]
    list_display = ["webhook", "event", "status", "attempts", "response_code", "created_at"]
    list_filter = ["status", "event"]
    fields: ClassVar[tuple[str, ...]] = (
        "webhook", "event", "body", "status", "attempts", "response_code", "error",
        "created_at", "delivered_at", "next_attempt_at",
    )
    readonly_fields = fields
