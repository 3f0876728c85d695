"""MFA enforcement: with PARLEY_REQUIRE_MFA on, heads of delegation, the secretariat (and staff),
account administrators and superusers who have no second factor yet are sent to set one up
before any other page. API tokens still work: a token is a separate factor, created by its
owner while signed in."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# What such a user may still reach: signing in and out and the MFA pages themselves (allauth,
# under /accounts/), the language switch, static files and the probes.
_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/readyz", "/metrics")


def needs_mfa_setup(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "must_use_mfa", False):
        return False
    from allauth.mfa.utils import is_mfa_enabled

    return not is_mfa_enabled(user)


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PARLEY_REQUIRE_MFA and not request.path.startswith(_OPEN_PREFIXES):
            blocked = self._blocked(request)
            if blocked is not None:
                return blocked
        return self.get_response(request)

    @staticmethod
    def _blocked(request):
        if request.path.startswith("/api/"):
            if not needs_mfa_setup(request.user):
                return None
            if "HTTP_AUTHORIZATION" in request.META or "token" in request.GET:
                # A token request is the token's owner's: the session, which lacks its second
                # factor, does not count (a wrong token must not fall back to it).
                request.user = AnonymousUser()
                return None
            return JsonResponse(
                {
                    "detail": _(
                        "Set up two-factor authentication before using this account: "
                        "/accounts/2fa/."
                    )
                },
                status=403,
            )
        if needs_mfa_setup(request.user):
            return redirect("mfa_index")
        return None
