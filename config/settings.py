"""Parley settings, driven by the environment.

SQLite (WAL) under ``var/`` is the embedded default; ``DATABASE_URL`` switches to PostgreSQL.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "src" / "parley"

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, "parley-insecure-development-key-change-me-in-production"),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]", "testserver"]),
    PARLEY_VAR_DIR=(str, str(BASE_DIR / "var")),
    TASKS_BACKEND=(str, "django_tasks_db.DatabaseBackend"),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "parley@localhost"),
    PARLEY_IDENTITY_KEYS=(list, []),
    PARLEY_IDENTITY_KEY_FILE=(str, ""),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
VAR_DIR = Path(env("PARLEY_VAR_DIR"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

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
    # Before allauth so that its templates (login, base layout) are overridden by Parley's.
    "parley.ui",
    "allauth",
    "allauth.account",
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
    "django_tasks_db",
    "django_prometheus",
    "parley.ops",
]

MIDDLEWARE = [
    "parley.ops.logs.RequestIdMiddleware",
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("uk", _("Ukrainian")), ("ru", _("Russian"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)

SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "https://*.tile.openstreetmap.org"],
    "connect-src": [CSP.SELF],
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
# gunicorn under `parley serve`: processes and threads per process. Two cores want two
# processes; the threads cover the time a request waits for the database.
PARLEY_WEB_WORKERS = env.int("PARLEY_WEB_WORKERS", default=2)
PARLEY_WEB_THREADS = env.int("PARLEY_WEB_THREADS", default=4)
# Behind a reverse proxy that ends TLS (deploy/Caddyfile), the proxy's X-Forwarded-Proto tells
# Django that the request came over HTTPS, so that CSRF checks the right origin.
if env.bool("PARLEY_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
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
