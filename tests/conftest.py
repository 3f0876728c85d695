import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate cost protects stored passwords; in tests it only burns the shared CPUs.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    # Tasks run as they are enqueued (on commit), so a test sees their effects without a worker;
    # the worker's own tests switch back to the database backend.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _record_keys_in_tmp(settings, tmp_path):
    # The record's keys are files; each test gets its own, never the developer's var/ directory.
    keys = tmp_path / "record-keys"
    settings.RECORD_KEY_DIR = keys
    settings.RECORD_LOG_KEY = keys / "log.key"
    settings.RECORD_WITNESS_KEYS = keys / "witnesses"
    settings.RECORD_LOCAL_WITNESSES = keys / "local-witnesses"
# A fixed identity key for the tests (never a production key): identities are encrypted with it.
TEST_IDENTITY_KEY = "kD1k7Xb1mXW8s0q3y8N5bQ2c6Jk9V4tR7uE0wY3zA5c="


@pytest.fixture(autouse=True)
def _identity_key(settings):
    settings.IDENTITY_KEYS = [TEST_IDENTITY_KEY]


@pytest.fixture(autouse=True)
def _no_login_rate_limit(settings):
    # allauth counts logins per address in the cache, which lives as long as the test process:
    # the browser flows, all from 127.0.0.1 and each signing in several people, would otherwise
    # reach the limit depending on what ran in the same minute before them.
    settings.ACCOUNT_RATE_LIMITS = False
