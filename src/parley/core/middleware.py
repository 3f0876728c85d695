"""Two request guards: the size of a body, and the second factor.

Refuse an oversize request body before anything reads it (issue 8, finding 12).

It runs before the session and authentication middleware, so its answer needs neither: JSON
`413` on the API, a small self-contained HTML page elsewhere (no `request.user`, no base
template). Multipart uploads are the bodies that may be large (`PARLEY_UPLOAD_MAX_BYTES`);
any other body (JSON, a form) is held in memory and limited to `DATA_UPLOAD_MAX_MEMORY_SIZE`.

MFA enforcement: with PARLEY_REQUIRE_MFA on, heads of delegation, the secretariat (and staff),
account administrators and superusers who have no second factor yet are sent to set one up
before any other page. API tokens still work: a token is a separate factor, created by its
owner while signed in.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext as _

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1><p>{message}</p><p><a href="/">{back}</a></p></main></body></html>
"""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def body_limit(content_type: str) -> int:
    if content_type.startswith("multipart/"):
        return settings.PARLEY_UPLOAD_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or settings.PARLEY_UPLOAD_MAX_BYTES


def too_large_message(limit: int) -> str:
    return gettext(
        "The upload is larger than %(limit)s, the most this server accepts "
        "(PARLEY_UPLOAD_MAX_BYTES). Split the file, for instance by date."
    ) % {"limit": _megabytes(limit)}


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.META.get("CONTENT_TYPE", ""))
        if length > limit:
            message = too_large_message(limit)
            if request.path.startswith("/api/"):
                # A sentence, as every 413 of the API (`ErrorOut`): no field is at fault.
                return JsonResponse({"detail": message}, status=413)
            title = gettext("The upload is too large")
            return HttpResponse(
                PAGE.format(
                    title=escape(title),
                    message=escape(message),
                    back=escape(gettext("Back to Parley")),
                ),
                status=413,
                content_type="text/html; charset=utf-8",
            )
        return self.get_response(request)


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
