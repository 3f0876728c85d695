"""The HTTP API: OpenAPI 3 at /api/openapi.json, interactive docs at /api/docs.

Errors have one shape: 404 for "does not exist" and "may not see", 403 for "may see, may not
do", and 422 `{"detail": [{"field": ..., "message": ...}]}` for input that is not acceptable.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError

from parley.access.api import router as access_router
from parley.agreements.api import router as agreements_router
from parley.core.api import router as core_router
from parley.core.errors import Forbidden, NotFound
from parley.engines.bounds import SPAN_TEXT
from parley.exchanges.api import router as exchanges_router
from parley.monitoring.api import router as monitoring_router
from parley.record.api import router as record_router
from parley.talks.api import router as talks_router

api = NinjaAPI(
    title="Parley API",
    version="1",
    description="Parties, talks, humanitarian pauses and local ceasefires.",
    urls_namespace="api",
)

# Where a request part is named in a schema error's location; the rest is the field's path.
_REQUEST_PARTS = {"body", "query", "path", "header", "cookie", "form", "payload"}


@api.exception_handler(NotFound)
def not_found(request, exc):
    return api.create_response(request, {"detail": gettext("Not found.")}, status=404)


@api.exception_handler(Forbidden)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(DjangoValidationError)
def invalid(request, exc):
    if hasattr(exc, "error_dict"):
        detail = [
            {"field": None if field == NON_FIELD_ERRORS else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"field": None, "message": message} for message in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(OverflowError)
def out_of_range(request, exc):
    """The last guard of "never a 500" on dates and numbers: the services check every value
    against parley.engines.bounds, and whatever arithmetic still overflows is the input's fault
    (issue 8, finding 11)."""
    message = gettext("A date or a number is outside the range Parley supports (dates from "
                      "%(span)s).") % {"span": SPAN_TEXT}
    return api.create_response(request, {"detail": [{"field": None, "message": message}]},
                               status=422)


@api.exception_handler(SchemaValidationError)
def malformed(request, exc):
    detail = []
    for error in exc.errors:
        path = list(error.get("loc", ()))
        while path and path[0] in _REQUEST_PARTS:
            path.pop(0)
        field = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in path
        ).lstrip(".")
        detail.append({"field": field or None, "message": error.get("msg", "")})
    return api.create_response(request, {"detail": detail}, status=422)


api.add_router("/", core_router)
api.add_router("/", talks_router)
api.add_router("/", agreements_router)
api.add_router("/", access_router)
api.add_router("/", monitoring_router)
api.add_router("/", record_router)
api.add_router("/", exchanges_router)
