"""The secretariat's back office. Writes made here are audited like any service's."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from parley.audit.services import audit_append
from parley.core.models import ApiToken, Party, User
from parley.core.types import existing


def _json(value):
    """A JSON-ready copy of a form or model value for the audit log."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [_json(item) for item in value]
    return str(value)


def _plain(values: dict) -> dict:
    return {key: _json(value) for key, value in values.items() if key != "password"}


class AuditedAdmin(admin.ModelAdmin):
    """Appends an audit entry for every add or change made through the admin."""

    def save_model(self, request, obj, form, change):
        before = _plain(form.initial) if change else None
        changed = set(form.changed_data) - {"password"}
        super().save_model(request, obj, form, change)
        after = _plain({k: v for k, v in model_to_dict(obj).items() if not change or k in changed})
        if change:
            before = {k: v for k, v in (before or {}).items() if k in changed}
        action = f"{obj._meta.model_name}.admin_{'change' if change else 'add'}"
        audit_append(actor=request.user, action=action, obj=obj, before=before, after=after)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_append(
                actor=request.user, action=f"{obj._meta.model_name}.admin_add", obj=obj,
                after=_plain(model_to_dict(obj)),
            )
        for obj, fields in formset.changed_objects:
            audit_append(
                actor=request.user, action=f"{obj._meta.model_name}.admin_change", obj=obj,
                after=_plain({k: v for k, v in model_to_dict(obj).items() if k in fields}),
            )

    def has_delete_permission(self, request, obj=None):
        # Parties, people and the talks are referenced by the audit log; they are never deleted.
        return False


@admin.register(Party)
class PartyAdmin(AuditedAdmin):
    list_display = ["slug", "kind", "name_en", "name_uk", "name_ru", "time_zones"]
    list_filter = ["kind"]
    search_fields = ["slug", "name_en", "name_uk", "name_ru"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    """The secretariat (staff) may look at accounts here, never change them: a party's accounts
    are its own account administrators' (the Accounts page, `parley.core.views`). Only a
    superuser (the operator, made with `createsuperuser`) changes accounts here, e.g. to make
    a party's first account administrator; nobody makes a superuser here."""

    list_display = [
        "username", "party", "role", "is_account_admin", "is_active", "is_staff", "last_login",
    ]
    list_filter = ["party", "role", "is_account_admin", "is_active"]
    fieldsets = [
        *(DjangoUserAdmin.fieldsets or ()),  # set by Django; the stubs type it optional
        (_("Parley"), {"fields": ["party", "role", "is_account_admin"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Parley"), {"fields": ["party", "role", "is_account_admin"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Superusers come from the command line only.
        return [*super().get_readonly_fields(request, obj), "is_superuser"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if not request.user.is_superuser:
            return False
        # A superuser is not changed from a page either (password, rights): the command line.
        return obj is None or not obj.is_superuser or obj.pk == request.user.pk

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = existing(self.get_object(request, id), f"user {id}")  # just changed
            audit_append(actor=request.user, action="user.password_set", obj=user,
                         note="set in the admin site by a superuser")
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owner only, who alone sees the raw value once."""

    list_display = ["user", "name", "scope", "created_at", "expires_at", "last_used_at",
                    "revoked_at"]
    readonly_fields = ["user", "name", "scope", "created_at", "expires_at", "last_used_at",
                       "revoked_at"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
