"""JSON-lines logs with the request id of the request being served.

Every record becomes one JSON object on one line: time, level, logger, message, request id, and
the fields a record carries in `extra`. The access line names the path without its query string,
since calendar feeds carry their token there, and never a header.
"""

import contextvars
import json
import logging
import re
import time
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# A proxy's id is reused only when it looks like one; anything else could forge log lines.
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

access_logger = logging.getLogger("parley.http")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and key not in entry and key != "request":
                entry[key] = value if isinstance(value, int | float | str | bool | None) \
                    else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)

    converter = staticmethod(time.gmtime)


def request_id_from(header: str | None) -> str:
    if header and _WELL_FORMED_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id (the proxy's `X-Request-ID` when well formed), returns it in the
    response's `X-Request-ID`, and writes one access line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            access_logger.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user_id": user.pk
                    if user is not None and getattr(user, "is_authenticated", False) else None,
                },
            )
            return response
        finally:
            request_id_var.reset(token)
