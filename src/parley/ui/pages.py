"""What every HTML view shares: login, the 404/403 of the services' errors, htmx fragments."""

import functools

from django.contrib.auth.decorators import login_required


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
