"""Authentication of the iCalendar feeds: a personal token in the header, a session, or the
secret of a calendar feed in `?feed=` (calendar applications cannot send headers).

A feed secret opens only the feed it was created for (one agreement's windows only for that
agreement) and only to read; a personal API token in the URL is not accepted anywhere.
"""

from ninja.security import APIKeyQuery, django_auth

from parley.agreements.models import CalendarFeed
from parley.agreements.services import calendar_feed_authenticate
from parley.core.auth import SAFE_METHODS, PersonalToken, as_request_user

FEED_PARAMETER = "feed"


class FeedSecret(APIKeyQuery):
    param_name = FEED_PARAMETER
    openapi_description = (
        "The secret of one calendar feed as `?feed=pcf_...` (created on the calendar page or "
        "with `POST /api/calendar-feeds`): read-only, for that feed only, revocable."
    )

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__()

    def authenticate(self, request, key):
        if request.method not in SAFE_METHODS or not key:
            return None
        match = getattr(request, "resolver_match", None)
        code = str(match.kwargs.get("code", "")) if match is not None else ""
        return as_request_user(
            request, calendar_feed_authenticate(raw=key, kind=self.kind, agreement_code=code)
        )


def feed_auth(kind: str) -> list:
    return [PersonalToken(), FeedSecret(kind), django_auth]


PAUSES_FEED_AUTH = feed_auth(CalendarFeed.Kind.PAUSES)
AGREEMENT_FEED_AUTH = feed_auth(CalendarFeed.Kind.AGREEMENT)
MOVEMENT_WINDOWS_FEED_AUTH = feed_auth(CalendarFeed.Kind.MOVEMENT_WINDOWS)
