"""Settings every test runs with, and the demo scenario shared by the tests of a module."""

import io
import shutil
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import override_settings


def pytest_collection_modifyitems(config, items):
    """On a pytest-xdist worker, refuse tests that share an id: xdist runs one of them and
    counts it as all (schemathesis' generated cases do this; `make test` runs them apart)."""
    if not hasattr(config, "workerinput"):
        return
    seen: set[str] = set()
    twice = sorted({item.nodeid for item in items if item.nodeid in seen or seen.add(item.nodeid)})
    if twice:
        raise pytest.UsageError(
            "these tests share an id, and pytest-xdist would run only one of each; run them "
            "without -n: " + ", ".join(twice))


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


def suite_settings(**more) -> override_settings:
    """The settings the autouse fixtures above give each test, for a fixture that builds data
    for a whole module (where the function-scoped `settings` fixture cannot reach)."""
    return override_settings(
        LANGUAGE_CODE="en",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        IDENTITY_KEYS=[TEST_IDENTITY_KEY],
        ACCOUNT_RATE_LIMITS=False,
        **more,
    )


@pytest.fixture(scope="module")
def demo_module(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo scenario loaded once for a module, inside a transaction that is rolled back when
    the module ends, with the settings the autouse fixtures above give each test. Each test still
    runs in its own savepoint (the `db` fixture), rolled back after it, so what one test changes
    no other sees. Loading the demo takes seconds; a module of a dozen tests on the demo takes
    its time once. The record's key and witness files the demo wrote are kept as the demo left
    them, for `demo_scenario` to copy for each test."""
    from parley import demo
    from parley.record import tree

    base = tmp_path_factory.mktemp("demo-module")
    keys = base / "record-keys"
    overrides = suite_settings(
        VAR_DIR=base / "var",
        RECORD_KEY_DIR=keys,
        RECORD_LOG_KEY=keys / "log.key",
        RECORD_WITNESS_KEYS=keys / "witnesses",
        RECORD_LOCAL_WITNESSES=keys / "local-witnesses",
    )
    overrides.enable()
    outer = transaction.atomic()
    _demo_held.add(request.module.__name__)
    try:
        with django_db_blocker.unblock():
            outer.__enter__()
            tree.forget()
            demo.load(stdout=io.StringIO())
        shutil.copytree(keys, base / "record-keys-as-loaded")
        yield SimpleNamespace(var_dir=base / "var", keys=base / "record-keys-as-loaded")
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        tree.forget()
        for cache in caches.all():
            cache.clear()
        overrides.disable()
        _demo_held.discard(request.module.__name__)


# The modules whose demo is being held open (above): a test there that commits would wait on
# the held transaction's locks (PostgreSQL) or commit it (SQLite).
_demo_held: set[str] = set()


@pytest.fixture(autouse=True)
def _no_commit_beside_a_held_demo(request):
    marker = request.node.get_closest_marker("django_db")
    if (marker is not None and marker.kwargs.get("transaction")
            and request.module.__name__ in _demo_held):
        pytest.fail("a test that commits (django_db(transaction=True)) cannot share a module "
                    "with `demo_module`: move it to a module of its own")


@pytest.fixture
def demo_scenario(demo_module, db, settings, tmp_path):
    """The module's demo for one test: its own copy of the record's files as the demo left them
    (a test that makes a witness cosign or raises its alarm changes only its copy), the var
    directory the demo wrote, and the demo's users by name."""
    from parley.core.models import User
    from parley.record import tree

    keys = tmp_path / "record-keys"
    shutil.copytree(demo_module.keys, keys)
    settings.VAR_DIR = demo_module.var_dir
    settings.RECORD_KEY_DIR = keys
    settings.RECORD_LOG_KEY = keys / "log.key"
    settings.RECORD_WITNESS_KEYS = keys / "witnesses"
    settings.RECORD_LOCAL_WITNESSES = keys / "local-witnesses"
    tree.forget()
    yield {user.username: user for user in User.objects.select_related("party")}
    tree.forget()
