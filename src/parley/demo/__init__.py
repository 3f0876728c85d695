"""The demo scenario, loaded through the services app by app: parties, accounts, talks and
agreements (`agreements`), then humanitarian access (`access`), then monitoring (`monitoring`),
then the talks' record (`talks`), then prisoner exchanges (`exchanges`), then the record's keys,
checkpoint and witnesses (`record`).

`load` is idempotent: running it again changes nothing that exists. `reset` empties the database
and removes the files the scenario left under the var directory, so the next `load` gives the
starting scenario again (`parley demo --reset`, `make demo-reset`). Each app's module is a leaf
that only this package imports, so the demo adds no import between the apps.
"""

import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

from parley.core.models import Party, User
from parley.demo.access import load_access_demo
from parley.demo.agreements import ACCOUNTS, PASSWORD, load_agreements_demo
from parley.demo.clock import next_spring_dst_change
from parley.demo.exchanges import load_exchanges_demo
from parley.demo.maps import load_maps_demo
from parley.demo.monitoring import load_monitoring_demo
from parley.demo.record import load_record_demo
from parley.demo.talks import load_talks_demo

__all__ = ["ACCOUNTS", "PASSWORD", "load", "next_spring_dst_change", "print_welcome", "reset"]

# What the scenario leaves under the var directory: uploads awaiting the worker, evidence files,
# the talks' signing keys, and the record's log key and its in-process witnesses' keys and state
# (a witness that remembers a larger tree than the reloaded log would raise a rollback alarm).
DEMO_VAR_PATHS = ("imports", "evidence", "demo-keys", "record")
# Settings naming the record's demo files, wherever they were pointed.
DEMO_PATH_SETTINGS = ("RECORD_KEY_DIR", "RECORD_LOCAL_WITNESSES", "RECORD_WITNESS_KEYS")


def load(stdout=None) -> None:
    """Create or refresh the demo scenario; running it again changes nothing that exists."""
    users, say = load_agreements_demo(stdout)
    load_access_demo(users, say=say)
    load_monitoring_demo(users, say=say)
    load_talks_demo(users, say=say)
    load_exchanges_demo(users, say=say)
    load_maps_demo(users, say=say)
    load_record_demo(say=say)


def reset(stdout=None) -> None:
    """Empty every table (migrations stay), the caches, and the scenario's files under the var
    directory; `load` afterwards restores the starting scenario."""
    write = (stdout or sys.stdout).write
    call_command("flush", interactive=False, verbosity=0)
    for cache in caches.all():
        cache.clear()
    var_dir = Path(settings.VAR_DIR)
    paths = [var_dir / name for name in DEMO_VAR_PATHS]
    paths += [Path(value) for name in DEMO_PATH_SETTINGS
              if (value := getattr(settings, name, None))]
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    write("Demo reset: database emptied, the scenario's files removed.\n")


def print_welcome(host: str = "127.0.0.1", port: int = 8000, stdout=None) -> None:
    write = (stdout or sys.stdout).write
    parties = {party.slug: party for party in Party.objects.all()}
    write(f"\nParley is at http://{host}:{port}/\n\n")
    write(f"Demo accounts (password for all: {PASSWORD}):\n")
    for username, party, role, first, last in ACCOUNTS:
        name = parties[party].name_en if party in parties else party
        write(f"  {username:<13} {str(User.Role(role).label):<20} {first} {last}, {name}\n")
    write("Account administrators of their party: secretariat, ua-head, ru-head.\n")
    if not settings.PARLEY_REQUIRE_MFA:
        write("Two-factor authentication is not enforced in the demo "
              "(PARLEY_REQUIRE_MFA=true turns it on).\n")
    write("\n")
