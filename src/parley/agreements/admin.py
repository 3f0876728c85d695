"""Agreements in the admin are read-only: every change goes through a lifecycle service.

The list is the secretariat's own view (`visible_agreements`), so the admin cannot show a
party's draft that the pages and the API would hide.
"""

from typing import ClassVar

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from parley.agreements.models import Agreement, AgreementVersion
from parley.agreements.selectors import visible_agreements


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyMixin, admin.StackedInline):
    model = AgreementVersion
    extra = 0
    fields: ClassVar[tuple[str, ...]] = (
        "number", "created_by", "created_at", "windows", "lead_time_h", "margin_min",
        "who_may_move", "note", "consents_given", "areas",
    )
    readonly_fields = fields

    @admin.display(description=_("consents"))
    def consents_given(self, version):
        return ", ".join(
            f"{consent.party} ({consent.user}, {consent.at:%Y-%m-%d %H:%M} UTC)"
            for consent in version.consents.select_related("party", "user")
        )


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "title", "kind", "status", "owner", "process", "updated_at"]
    list_filter = ["status", "kind", "purpose"]
    search_fields = ["code", "title"]
    inlines = [VersionInline]
    readonly_fields: ClassVar[tuple[str, ...]] = (
        "code", "kind", "title", "process", "round", "owner", "status", "status_reason",
        "purpose", "bound_parties", "public", "created_at", "updated_at",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        return visible_agreements(actor=request.user)
