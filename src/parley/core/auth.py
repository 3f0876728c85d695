"""How API clients prove who they are: a session (with CSRF) or a personal token in the
`Authorization` header.

A personal token is never accepted in a URL: URLs end up in logs, browser histories and calendar
applications' settings. Calendar feeds, whose clients cannot send headers, take a feed secret of
their own instead (`parley.agreements.feeds`): read-only, for one feed, revocable.
"""

from ninja.security import HttpBearer, django_auth

from parley.core.services import api_token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def as_request_user(request, user):
    if user is not None:
        # Code below the API layer reads request.user, as it does for sessions.
        request.user = user
    return user


class PersonalToken(HttpBearer):
    openapi_description = (
        "A personal API token: `Authorization: Bearer prl_...`. Read-only unless created with "
        "the `write` scope; expires (90 days by default)."
    )

    def authenticate(self, request, token):
        return as_request_user(request, api_token_authenticate(
            raw=token, write=request.method not in SAFE_METHODS))


API_AUTH = [PersonalToken(), django_auth]
