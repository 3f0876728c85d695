"""The HTTP API: OpenAPI 3 at /api/openapi.json, interactive docs at /api/docs.

Errors have one shape, `ErrorOut`, documented on every operation: 401 without valid credentials
(or with an expired token), 403 for "may see, may not do" (and a read-only token that writes),
404 for "does not exist" and "may not see", 413 for a body over the size limit, and 422
`{"detail": [{"field": ..., "message": ...}]}` for input that is not acceptable.
"""

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError

from parley.access.api import router as access_router
from parley.agreements.api import router as agreements_router
from parley.core.api import router as core_router
from parley.core.errors import Forbidden, NotFound, Unauthenticated
from parley.core.schemas import ErrorOut
from parley.engines.bounds import SPAN_TEXT
from parley.exchanges.api import router as exchanges_router
from parley.monitoring.api import router as monitoring_router
from parley.record.api import router as record_router
from parley.talks.api import router as talks_router

ERROR_RESPONSES = {
    401: "Not signed in, or the token is unknown, revoked or expired",
    403: "Not allowed (also: a read-only token used to write)",
    404: "Does not exist, or not visible to the caller",
    413: "The request body is larger than the server accepts",
    422: "The input is not acceptable: what is wrong, field by field",
}


class ParleyAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Django-ninja's description, with the error answers every operation can give."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        definitions = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(definitions.pop("$defs", {}))
        components["ErrorOut"] = definitions
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                errors = dict(ERROR_RESPONSES)
                if "requestBody" in operation:
                    errors[400] = "The body cannot be read (not JSON, or not UTF-8)"
                for status, description in sorted(errors.items()):
                    if status == 401 and not operation.get("security"):
                        continue
                    operation["responses"].setdefault(
                        status, {"description": description, "content": content}
                    )
        return schema


api = ParleyAPI(
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


@api.exception_handler(Unauthenticated)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=401)


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
def too_big(request, exc):
    return api.create_response(request, {"detail": too_big_message()}, status=413)


def too_big_message() -> str:
    return gettext("The request is larger than the server accepts.")


def bad_request(request, exception=None):
    """Django's answer to a request it refuses before any view (handler400): JSON for the API
    (413 for a body over the limit), the usual page elsewhere."""
    from django.views.defaults import bad_request as page

    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
            return JsonResponse({"detail": too_big_message()}, status=413)
        return JsonResponse({"detail": gettext("Bad request.")}, status=400)
    return page(request, exception)


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
