"""How API clients prove who they are: a session (with CSRF) or a personal token.

Calendar applications cannot send headers, so calendar feeds also take the token as `?token=`.
"""

from ninja.security import APIKeyQuery, HttpBearer, django_auth

from parley.core.services import api_token_authenticate


def _as_request_user(request, user):
    if user is not None:
        # Code below the API layer reads request.user, as it does for sessions.
        request.user = user
    return user


class PersonalToken(HttpBearer):
    openapi_description = "A personal API token: `Authorization: Bearer prl_...`."

    def authenticate(self, request, token):
        return _as_request_user(request, api_token_authenticate(raw=token))


class CalendarToken(APIKeyQuery):
    param_name = "token"
    openapi_description = "A personal API token as `?token=prl_...`, for calendar feeds only."

    def authenticate(self, request, key):
        return _as_request_user(request, api_token_authenticate(raw=key or ""))


API_AUTH = [PersonalToken(), django_auth]
FEED_AUTH = [PersonalToken(), CalendarToken(), django_auth]
