"""One seeded world for the whole isolation suite: built once per module with the database
unblocked (and committed, so that the work the services leave to `on_commit` tasks is done),
flushed when the module ends. Each test still runs in its own transaction, rolled back after it,
so a probe that changes something changes it for that test only."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from tests.conftest import suite_settings
from tests.isolation import seed


@pytest.fixture(scope="module")
def world_dirs(tmp_path_factory):
    base = tmp_path_factory.mktemp("isolation")
    keys = base / "record-keys"
    return {
        "VAR_DIR": base,
        "RECORD_KEY_DIR": keys,
        "RECORD_LOG_KEY": keys / "log.key",
        "RECORD_WITNESS_KEYS": keys / "witnesses",
        "RECORD_LOCAL_WITNESSES": keys / "local-witnesses",
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_dirs):
    overrides = suite_settings(
        # The seed's webhooks point at this machine (no name resolves in the test sandbox).
        PARLEY_WEBHOOK_ALLOW_PRIVATE=True,
        **world_dirs,
    )
    overrides.enable()
    try:
        with django_db_blocker.unblock():
            built = seed.build()
            built.clients = {}
            for viewer in seed.VIEWERS:
                client = Client(raise_request_exception=False)
                if viewer in seed.USERNAMES:
                    client.force_login(built.users[viewer])
                built.clients[viewer] = client
            built.finish()
        yield built
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        for cache in caches.all():
            cache.clear()
        overrides.disable()


@pytest.fixture(autouse=True)
def _record_keys_in_tmp(settings, world_dirs):
    # The suite's world keeps its record keys for the whole module (the shared conftest gives
    # each test fresh ones, which would not match the seeded log).
    for name, value in world_dirs.items():
        setattr(settings, name, value)
    assert django_settings.RECORD_KEY_DIR == world_dirs["RECORD_KEY_DIR"]
