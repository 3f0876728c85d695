"""Errors that services and selectors raise; the API and the pages map them to 404 and 403.

They are Django's own `Http404` and `PermissionDenied`, so that a page shows them as 404 and 403
without importing this module; the API maps them explicitly (config/api.py).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class NotFound(Http404):
    """Does not exist, or the actor may not see it: the two must look the same (404)."""


class Forbidden(PermissionDenied):
    """The actor may see the object but may not do this to it (403)."""


class Unauthenticated(Exception):  # noqa: N818 - named for what the API answers (401)
    """The credentials were recognised but no longer count (an expired token): 401, with the
    reason in the answer."""
