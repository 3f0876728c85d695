"""The Accounts page: a party's account administrators administer the party's own accounts.

Anyone else gets 404, as for any object they may not see.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parley.core import selectors, services
from parley.core.errors import NotFound
from parley.core.forms import AccountChangeForm, AccountCreateForm, AccountPasswordForm
from parley.ui.pages import form_page, page, run_transition


def _administered(request):
    accounts = selectors.account_list(actor=request.user)
    if not request.user.is_account_admin or request.user.party_id is None:
        raise NotFound("accounts")
    return accounts


def _account(request, pk: int):
    return get_object_or_404(_administered(request), pk=pk)


@page
def accounts(request):
    return render(
        request,
        "core/accounts.html",
        {
            "accounts": _administered(request),
            "entries": selectors.account_audit_list(actor=request.user),
            "party": request.user.party,
        },
    )


@page
def account_new(request):
    _administered(request)
    form = AccountCreateForm(request.POST or None, party=request.user.party)

    def save(data):
        user = services.account_create(actor=request.user, **data)
        return reverse("core:accounts"), _("Account %(username)s created.") % {
            "username": user.username
        }

    return form_page(request, form=form, template="core/account_form.html", save=save, status=422)


@page
def account_detail(request, pk: int):
    user = _account(request, pk)
    initial = {"role": user.role, "is_account_admin": user.is_account_admin}
    form = AccountChangeForm(request.POST or None, initial=initial, party=request.user.party)

    def save(data):
        services.account_change(actor=request.user, user=user, **data)
        return reverse("core:accounts"), _("Account %(username)s changed.") % {
            "username": user.username
        }

    return form_page(
        request,
        form=form,
        template="core/account_detail.html",
        save=save,
        status=422,
        context={"account": user, "password_form": AccountPasswordForm()},
    )


@page
def account_password(request, pk: int):
    user = _account(request, pk)
    form = AccountPasswordForm(request.POST or None)

    def save(data):
        services.account_set_password(actor=request.user, user=user, password=data["password"])
        return reverse("core:accounts"), _("New password set for %(username)s.") % {
            "username": user.username
        }

    return form_page(
        request,
        form=form,
        template="core/account_password.html",
        save=save,
        status=422,
        context={"account": user},
    )


@page
@require_POST
def account_active(request, pk: int):
    user = _account(request, pk)
    active = request.POST.get("active") == "1"

    def call(_data):
        services.account_set_active(actor=request.user, user=user, active=active)
        if active:
            return _("Account %(username)s reactivated.") % {"username": user.username}
        return _("Account %(username)s deactivated.") % {"username": user.username}

    return run_transition(request, form=None, call=call, back_to=reverse("core:accounts"))
