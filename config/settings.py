"""Parley settings, driven by the environment.

SQLite (WAL) under ``var/`` is the embedded default; ``DATABASE_URL`` switches to PostgreSQL.
"""

import os
import re
import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "src" / "parley"

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]", "testserver"]),
    PARLEY_VAR_DIR=(str, str(BASE_DIR / "var")),
    TASKS_BACKEND=(str, "django_tasks_db.DatabaseBackend"),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "parley@localhost"),
    PARLEY_IDENTITY_KEYS=(list, []),
    PARLEY_IDENTITY_KEY_FILE=(str, ""),
    PARLEY_UPLOAD_MAX_BYTES=(int, 50 * 1024 * 1024),
    PARLEY_IMPORT_REJECTED_ROWS_KEPT=(int, 300),
    PARLEY_IMPORT_HEARTBEAT_TIMEOUT=(int, 600),
)

DEBUG = env("DEBUG")
# A demonstration or development instance on one machine (`parley demo`, `parley serve --dev`
# set it): a secret key generated into the var directory, MFA enforcement off by default.
PARLEY_DEMO = env.bool("PARLEY_DEMO", default=False)
# The site's names, and always the machine's own: a local probe (the container's HEALTHCHECK,
# a monitor on the machine) asks http://127.0.0.1:8000/healthz with that Host.
ALLOWED_HOSTS = list(dict.fromkeys([*env("ALLOWED_HOSTS"), "localhost", "127.0.0.1", "[::1]"]))
VAR_DIR = Path(env("PARLEY_VAR_DIR"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The key that signs sessions, password-reset links and CSRF tokens. Production must give its
# own: there is no fallback to a key anyone can read in this file.
_DEVELOPMENT_KEY = "parley-insecure-development-key-change-me-in-production"


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key and key != _DEVELOPMENT_KEY:
        return key
    if DEBUG:
        return _DEVELOPMENT_KEY
    if PARLEY_DEMO:
        # One key per demo installation, kept beside its database (readable by its owner only).
        path = VAR_DIR / "demo-secret.key"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(50))
        return path.read_text().strip()
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set the environment variable SECRET_KEY to 50 random characters "
        '(python3 -c "import secrets; print(secrets.token_urlsafe(50))"), or DEBUG=true for '
        "development; see docs/deployment.md."
    )


SECRET_KEY = _secret_key()

# Keys that encrypt the identities of persons in exchange lists (Fernet, newest first). They live
# outside the database: in the environment, or one key a line in a file readable only by Parley.
IDENTITY_KEYS = env("PARLEY_IDENTITY_KEYS")
IDENTITY_KEY_FILE = Path(env("PARLEY_IDENTITY_KEY_FILE") or VAR_DIR / "identity.keys")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # allauth's list of security keys and passkeys loads its template tags.
    "django.contrib.humanize",
    # Before allauth so that its templates (login, base layout) are overridden by Parley's.
    "parley.ui",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    # Serves the API docs' Swagger UI from local static files, which the CSP allows; without it
    # django-ninja loads the UI from a CDN that the CSP blocks.
    "ninja",
    "parley.core",
    "parley.audit",
    "parley.talks",
    "parley.agreements",
    "parley.access",
    "parley.monitoring",
    "parley.record",
    "parley.exchanges",
    "parley.reports",
    "django_tasks_db",
    "django_prometheus",
    "parley.ops",
]

MIDDLEWARE = [
    "parley.ops.logs.RequestIdMiddleware",
    # Before the session and authentication: an oversize body is refused unread (413).
    "parley.core.middleware.UploadLimitMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Heads of delegation, the secretariat and account administrators set up a second factor
    # before anything else (PARLEY_REQUIRE_MFA).
    "parley.core.middleware.RequireMfaMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "parley.core.context_processors.clocks",
                "parley.core.context_processors.mfa_enforcement",
                "parley.ui.context_processors.map_tiles",
                "parley.agreements.context_processors.maps",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'parley.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
    # psycopg binds values on the server and prepares a statement run a fifth time on the same
    # connection: PostgreSQL stops planning the API's reads on every request.
    if env.bool("PARLEY_DB_PREPARE", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )

# Each web process keeps its connection between requests (checked before reuse): no connection
# (and, on SQLite, no WAL set-up) per request, and prepared statements that last.
# docs/deployment.md, "Database connections".
DATABASES["default"]["CONN_MAX_AGE"] = env.int("PARLEY_DB_CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ALLOW_REGISTRATION = False
ACCOUNT_ADAPTER = "parley.core.adapters.ClosedAccountAdapter"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "ui:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# Passwords: at least 12 characters (NIST SP 800-63B asks for 8 at least and 15 for a password
# that is the only factor; 12 with a second factor required of the roles that can commit a
# party), not one of the 20 000 most common, not all digits, not close to the username or name.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed sign-ins slow an attacker without locking the owner out: at most 5 failures a minute
# for one account from one address (the adapter counts per address and account), 10 a minute
# from one address in all. The window is a minute; nothing is locked for longer, and the owner
# signing in from another address is never counted with the attacker.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/m/key"}

# A second factor (django-allauth's mfa): authenticator apps (TOTP), security keys and passkeys
# (WebAuthn), and recovery codes. Passkeys also sign in on their own (something held and a PIN
# or fingerprint: two factors).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Parley"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or PARLEY_DEMO
# Heads of delegation, the secretariat and account administrators must have a second factor
# before they see any page (API tokens still work: a token is a factor of its own). On by
# default except in the demo and development, where a banner on every page says it is off.
PARLEY_REQUIRE_MFA = env.bool("PARLEY_REQUIRE_MFA", default=not (DEBUG or PARLEY_DEMO))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("uk", _("Ukrainian")), ("ru", _("Russian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)

# Map tiles a deployment provides (docs/deployment.md, "Map tiles"). PARLEY_MAP_TILES is an XYZ
# URL template ({z}/{x}/{y}, optional {s} and {r}); PARLEY_MAP_PMTILES the URL of a raster
# PMTiles archive (a path Parley or its proxy serves, with HTTP range requests). Either one puts
# its layer on by default; the offline layers stay beneath as fallback. The CSP allows their
# origin.
PARLEY_MAP_TILES = env.str("PARLEY_MAP_TILES", default="")
PARLEY_MAP_TILES_ATTRIBUTION = env.str("PARLEY_MAP_TILES_ATTRIBUTION", default="")
PARLEY_MAP_TILES_MAX_ZOOM = env.int("PARLEY_MAP_TILES_MAX_ZOOM", default=18)
PARLEY_MAP_PMTILES = env.str("PARLEY_MAP_PMTILES", default="")


def _tile_origin(url: str) -> str | None:
    """The CSP source of a tile URL template (`{s}` subdomains as a wildcard), or None for a
    path on this site."""
    match = re.match(r"^(https?://)([^/]+)", url.strip())
    if not match:
        return None
    return match.group(1) + re.sub(r"\{s\}", "*", match.group(2))


SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "https://*.tile.openstreetmap.org",
                *filter(None, [_tile_origin(PARLEY_MAP_TILES)]),
                # a PMTiles layer draws each tile from a blob: URL
                *(["blob:"] if PARLEY_MAP_PMTILES else [])],
    "connect-src": [CSP.SELF, *filter(None, [_tile_origin(PARLEY_MAP_PMTILES)])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Background work (webhooks, e-mail, escalations) is queued in the database and run by `parley
# worker`, or by the worker thread of `parley serve` and `parley demo`; no broker. The tests run
# tasks at once with "django.tasks.backends.immediate.ImmediateBackend".
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND")}}

# E-mail goes through the "default" mailer: EMAIL_URL, e.g. smtp+tls://user:password@host:587;
# the default prints each message on the console, which is what the demo wants.
_email = env.email_url_config(env("EMAIL_URL"))
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"]}}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": _email["EMAIL_HOST"],
        "port": _email["EMAIL_PORT"],
        "username": _email["EMAIL_HOST_USER"],
        "password": _email["EMAIL_HOST_PASSWORD"],
        "use_tls": _email.get("EMAIL_USE_TLS", False),
        "use_ssl": _email.get("EMAIL_USE_SSL", False),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

# The record (a C2SP transparency log of the audit trail). Its keys are files, not database rows:
# a party can still verify an export when the database is lost. The origin line names the log
# in every checkpoint and is the log key's name; it never changes for the life of the log.
RECORD_ORIGIN = env.str("PARLEY_RECORD_ORIGIN", default="parley.localhost/record")
RECORD_KEY_DIR = Path(env.str("PARLEY_RECORD_KEY_DIR", default=str(VAR_DIR / "record")))
RECORD_LOG_KEY = Path(env.str("PARLEY_RECORD_LOG_KEY", default=str(RECORD_KEY_DIR / "log.key")))
RECORD_WITNESS_KEYS = Path(
    env.str("PARLEY_RECORD_WITNESS_KEYS", default=str(RECORD_KEY_DIR / "witnesses"))
)
RECORD_LOCAL_WITNESSES = Path(
    env.str("PARLEY_RECORD_LOCAL_WITNESSES", default=str(RECORD_KEY_DIR / "local-witnesses"))
)
# A witness that has not answered for this long is shown as silent on the Record page.
RECORD_WITNESS_SILENCE_S = env.int("PARLEY_RECORD_WITNESS_SILENCE_S", default=15 * 60)

# Production (`parley serve`, docs/deployment.md). The static files are collected into
# STATIC_ROOT by `parley serve` and served by WhiteNoise, compressed and under content-hashed
# names (`PARLEY_STATIC_HASHED`, which `parley serve` turns on); the development server and the
# tests serve them from the apps' folders under their plain names.
PARLEY_STATIC_HASHED = env.bool("PARLEY_STATIC_HASHED", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "parley.ops.storage.HashedStaticStorage"
        if PARLEY_STATIC_HASHED
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_AUTOREFRESH = False
# gunicorn under `parley serve`: processes and threads per process. One thread per process
# (gunicorn's sync worker) and twice as many processes as cores, plus one, as gunicorn advises:
# the spare processes run while others wait for the database. Threads in a process contend
# for Python's one lock at every database round trip: 2 x 4 threads served the API's reads at
# 0.5-0.7 of what 5 x 1 serve on two cores (README, "API read speed"). Behind the reverse
# proxy (docs/deployment.md), which buffers slow clients for the sync worker.
PARLEY_WEB_WORKERS = env.int("PARLEY_WEB_WORKERS", default=2 * (os.cpu_count() or 1) + 1)
PARLEY_WEB_THREADS = env.int("PARLEY_WEB_THREADS", default=1)
# The API's hot reads kept ready to send until the data under them changes
# (parley.core.readcache; docs/deployment.md). Off only to measure what a computed answer costs.
PARLEY_READ_CACHE = env.bool("PARLEY_READ_CACHE", default=True)
# Behind a reverse proxy that ends TLS (deploy/Caddyfile), the proxy's X-Forwarded-Proto tells
# Django that the request came over HTTPS, so that CSRF checks the right origin. The site is then
# HTTPS only: plain HTTP is redirected (except the probes of a local monitor: /healthz, /readyz,
# /metrics), browsers are told to use HTTPS for a year (HSTS), cookies travel only over HTTPS,
# and the client's address for the sign-in throttle is the one the proxy adds to X-Forwarded-For.
PARLEY_BEHIND_TLS_PROXY = env.bool("PARLEY_BEHIND_TLS_PROXY", default=False)
if PARLEY_BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env.int("PARLEY_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("PARLEY_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("PARLEY_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    ALLAUTH_TRUSTED_PROXY_COUNT = 1
# /readyz fails when no worker ran a round for this long (the worker's interval is 5-30 s).
PARLEY_WORKER_STALE_AFTER_S = env.int("PARLEY_WORKER_STALE_AFTER_S", default=120)
# Webhooks reach public addresses only: loopback, link-local, private and reserved ones are
# refused when saved and at every delivery (parley.access.outbound). A demo or test whose
# receiver runs on this machine sets PARLEY_WEBHOOK_ALLOW_PRIVATE=true.
PARLEY_WEBHOOK_ALLOW_PRIVATE = env.bool("PARLEY_WEBHOOK_ALLOW_PRIVATE", default=False)
# /metrics answers only `Authorization: Bearer <this>`, and not at all when it is empty.
PARLEY_METRICS_TOKEN = env.str("PARLEY_METRICS_TOKEN", default="")

# JSON lines with the request id (parley.ops.logs) unless PARLEY_LOG_FORMAT=text; one access
# line per request at INFO (PARLEY_ACCESS_LOG=false turns it off).
_log_format = env.str("PARLEY_LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "parley.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # No secret in a log (feed secrets in query strings, tokens, Authorization headers).
    "filters": {"redact_secrets": {"()": "parley.ops.logs.RedactSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if _log_format == "json" else "text",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "parley": {"level": "INFO"},
        "parley.http": {
            "level": "INFO" if env.bool("PARLEY_ACCESS_LOG", default=True) else "WARNING"
        },
    },
}

# Every list of the API is paged: `?limit=&offset=`, answered as `{"items": [...], "count": N}`.
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000


# Uploads (docs/security.md, "Inputs: ranges, dates, uploads, exports"). The largest request
# body, files included: 50 MB by default, the same as deploy/nginx.conf and deploy/Caddyfile,
# and room for the incident feeds Parley reads (a FIRMS country or 7-day CSV and a year of
# ACLED events for Ukraine and Russia are a few MB to a few tens of MB; split a larger file by
# date). Refused with 413 before it is read: JSON on the API, a page elsewhere.
PARLEY_UPLOAD_MAX_BYTES = env("PARLEY_UPLOAD_MAX_BYTES")
# What Django holds in memory: a JSON or form body up to 10 MB (an API ingest of some 50 000
# incidents), larger bodies refused (413 by the middleware above); an uploaded file over 2.5 MB
# is spooled to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = min(10 * 1024 * 1024, PARLEY_UPLOAD_MAX_BYTES)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An import that fails keeps its counts by reason and only its first rows, shown in pages.
PARLEY_IMPORT_REJECTED_ROWS_KEPT = env("PARLEY_IMPORT_REJECTED_ROWS_KEPT")
# Seconds without a sign of life after which a running import is taken for interrupted (the
# server or worker stopped) and ended by the worker's periodic job, rejected with nothing saved.
# A running import beats at every batch it reads and, while it saves, from a thread every tenth
# of this; keep it well above the longest pause of the database under load.
PARLEY_IMPORT_HEARTBEAT_TIMEOUT = env("PARLEY_IMPORT_HEARTBEAT_TIMEOUT")
