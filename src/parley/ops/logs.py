"""JSON-lines logs with the request id of the request being served.

Every record becomes one JSON object on one line: time, level, logger, message, request id, and
the fields a record carries in `extra`. The access line names the path without its query string,
since calendar feeds carry their secret there, and never a header.

No secret reaches a log: every line, whoever wrote it (Django's request and server loggers,
gunicorn, a library quoting a URL or a header), passes through `redact`, which blanks the values
of secret-bearing query parameters (`feed`, `token`, `secret`, ...), bearer credentials and
`Authorization` headers, and anything shaped like a Parley token (`prl_...`) or feed secret
(`pcf_...`). `JsonFormatter` applies it, and `RedactSecrets` is the filter for other formatters.
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

REDACTED = "[redacted]"
_SECRET_PATTERNS = (
    # Query parameters that carry secrets, in a URL or a request line.
    (re.compile(r"(?i)([?&;](?:feed|token|access_token|api_key|apikey|key|secret|password|"
                r"signature|sig)=)[^&;#\s\"']*"), r"\1" + REDACTED),
    # Credentials in an Authorization header, quoted or not, and bearer values anywhere.
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n,}]*"), r"\1" + REDACTED),
    (re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{8,}"), r"\1\2" + REDACTED),
    # Parley's own secrets by their prefix: personal tokens and calendar feed secrets.
    (re.compile(r"\b(prl|pcf)_[A-Za-z0-9_-]+"), r"\1_" + REDACTED),
)


def redact(text: str) -> str:
    """The text with every secret it names blanked."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """A handler filter that blanks secrets in the message before any formatter sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and key not in entry and key != "request":
                entry[key] = value if isinstance(value, int | float | bool | None) \
                    else redact(str(value))
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
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
