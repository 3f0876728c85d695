"""Refuse an oversize request body before anything reads it (issue 8, finding 12).

It runs before the session and authentication middleware, so its answer needs neither: JSON
`413` on the API, a small self-contained HTML page elsewhere (no `request.user`, no base
template). Multipart uploads are the bodies that may be large (`PARLEY_UPLOAD_MAX_BYTES`);
any other body (JSON, a form) is held in memory and limited to `DATA_UPLOAD_MAX_MEMORY_SIZE`.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext

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
                return JsonResponse({"detail": [{"field": None, "message": message}]}, status=413)
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
