"""What every HTML view shares: login, the 404/403 of the services' errors, htmx fragments, and
the round trip of a status button."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.text import capfirst

from parley.ui.forms import add_service_errors


def is_htmx(request) -> bool:
    """A fragment request from htmx (a full page load still gets the whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def page(view):
    """Login required. The services' `NotFound` and `Forbidden` are Django's `Http404` and
    `PermissionDenied`, so they are shown as the 404 and 403 pages without a mapping here."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper


def run_transition(request, *, form, call, back_to: str):
    """A button on a detail page that changes a status: check its small form (a reason, a
    version), run `call(cleaned_data)`, which returns the success message, and go back to the
    page (`back_to`, a URL) with the outcome or the errors as messages."""
    if form is not None and not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{capfirst(label)}: {error}" if label else error)
        return redirect(back_to)
    try:
        done = call(form.cleaned_data if form is not None else {})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(back_to)


def form_page(request, *, form, template: str, save, context=None, status: int = 200):
    """A page with one form: shown on GET; on a valid POST `save(cleaned_data)` returns
    (URL to go to, success message); a service's `ValidationError` goes back on the form's
    fields (`parley.ui.forms.add_service_errors`) and the form is shown again."""
    if request.method == "POST" and form.is_valid():
        try:
            url, done = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if done:
                messages.success(request, done)
            return redirect(url)
    return render(request, template, {"form": form, **(context or {})},
                  status=status if request.method == "POST" and form.errors else 200)
